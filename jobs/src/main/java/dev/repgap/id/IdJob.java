package dev.repgap.id;

import dev.repgap.data.Activations;
import dev.repgap.data.DuplicateRows;
import dev.repgap.data.GroupKey;
import dev.repgap.data.GroupSummary;
import dev.repgap.data.InputException;
import dev.repgap.knn.KnnJob;
import dev.repgap.knn.NeighbourLists;
import dev.repgap.knn.ScanMode;
import dev.repgap.results.MetricRow;
import dev.repgap.spectrum.SampleParticipationRatio;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Supplier;

/**
 * {@code repgap id}: intrinsic dimension per group. One exact neighbour scan (self mode, a seeded
 * subsample of queries against every row) feeds all neighbour-based estimators; k-means and the
 * participation ratio, computed on the driver from the same query sample, add two independent views.
 * The query sample is chosen and ordered by id, so every estimate is the same for any partitioning.
 */
public final class IdJob {
    /** Which estimators to run and their parameters. */
    public record Options(Set<String> estimators, int k1, int k2, int maxGrideRank, long queries, long seed,
                          DuplicatePolicy duplicates, int kmeansMaxK, int kmeansRows, double level, int bootstrap,
                          int partitions) {
        public int neighbours() {
            int k = 2;
            if (estimators.contains("mle")) k = Math.max(k, k2);
            if (estimators.contains("gride")) k = Math.max(k, maxGrideRank);
            return k;
        }
    }

    public static final List<String> ESTIMATORS = List.of("twonn", "mle", "gride", "kmeans", "pr");

    private IdJob() {}

    public static List<MetricRow> run(Activations data, Options o) {
        DuplicateRows duplicates = DuplicateRows.find(data);
        if (o.duplicates() == DuplicatePolicy.FAIL) {
            for (GroupSummary g : data.groups()) {
                long repeated = duplicates.counts(g.key()).rows();
                if (repeated > 0) {
                    throw new InputException("input " + data.input() + ", group " + g.key() + ": " + repeated
                            + " rows repeat another row exactly; use --duplicates drop or keep");
                }
            }
        }
        Activations analysed = o.duplicates() == DuplicatePolicy.DROP ? duplicates.distinct(data) : data;
        for (GroupSummary g : analysed.groups()) {
            if (g.rows() <= o.neighbours()) {
                throw new InputException("input " + data.input() + ", group " + g.key() + ": only " + g.rows()
                        + (o.duplicates() == DuplicatePolicy.DROP ? " distinct" : "") + " rows; id with "
                        + o.neighbours() + " neighbours needs at least " + (o.neighbours() + 1));
            }
        }

        long started = System.nanoTime();
        KnnJob.Result scan = KnnJob.run(analysed, new KnnJob.Options(o.neighbours(), ScanMode.SELF, o.queries(),
                o.seed(), 4096, 1024, 512L << 20, o.partitions()));
        System.err.printf(Locale.ROOT, "repgap: id: neighbour scan of %d group(s): %.1f s%n", scan.groups().size(),
                seconds(started));
        return estimates(scan.groups(), data, duplicates, o);
    }

    /** One estimator of one group: its rows, once run. */
    private record Estimator(String name, Callable<List<MetricRow>> rows) {
        boolean costly() {
            return name.equals("kmeans") || name.equals("pr");
        }
    }

    /**
     * Every estimator of every group as its own task on a pool of driver threads, k-means and the
     * participation ratio (the costliest) first; the rows come out by group, then estimator, in a fixed
     * order whatever order the tasks finish in.
     */
    private static List<MetricRow> estimates(List<KnnJob.GroupNeighbours> groups, Activations data,
                                             DuplicateRows duplicates, Options o) {
        List<List<Estimator>> perGroup = new ArrayList<>();
        for (KnnJob.GroupNeighbours g : groups) perGroup.add(estimators(g, data, duplicates, o));
        ExecutorService pool = Executors.newFixedThreadPool(Runtime.getRuntime().availableProcessors(), r -> {
            Thread t = new Thread(r, "repgap-id");
            t.setDaemon(true);
            return t;
        });
        try {
            Map<Estimator, Future<List<MetricRow>>> running = new IdentityHashMap<>();
            for (boolean costly : new boolean[] {true, false}) {
                for (List<Estimator> group : perGroup) {
                    for (Estimator e : group) {
                        if (e.costly() == costly) running.put(e, pool.submit(e.rows()));
                    }
                }
            }
            List<MetricRow> out = new ArrayList<>();
            for (List<Estimator> group : perGroup) {
                for (Estimator e : group) out.addAll(result(running.get(e)));
            }
            return out;
        } finally {
            pool.shutdownNow();
        }
    }

    /** The duplicate count, the neighbour-based estimators, the participation ratio and k-means of one group, in that order. */
    private static List<Estimator> estimators(KnnJob.GroupNeighbours g, Activations data, DuplicateRows duplicates,
                                              Options o) {
        GroupKey key = g.group().key();
        int dim = g.group().dim();
        List<Estimator> out = new ArrayList<>();
        MetricRow dup = MetricRow.of(key, "id.duplicates", "policy=" + o.duplicates().name().toLowerCase(),
                duplicates.counts(key).rows(),
                data.groups().stream().filter(s -> s.key().equals(key)).findFirst().orElseThrow().rows());
        out.add(new Estimator("duplicates", () -> List.of(dup)));
        NeighbourDistances d = neighbourDistances(key, g.lists(), o.neighbours());
        if (o.estimators().contains("twonn")) out.add(timed(key, "twonn", () -> IdEstimates.twoNN(key, d, o)));
        if (o.estimators().contains("mle")) out.add(timed(key, "mle", () -> IdEstimates.levinaBickel(key, d, o)));
        if (o.estimators().contains("gride")) out.add(timed(key, "gride", () -> IdEstimates.gride(key, d, o)));
        long[] keys = queryKeys(g.lists());
        if (o.estimators().contains("pr")) {
            out.add(timed(key, "pr", () -> List.of(IdEstimates.participationRatio(key,
                    SampleParticipationRatio.withInterval(g.queryVectors(), keys, dim, o.bootstrap(), o.level(), o.seed()),
                    keys.length, dim, o))));
        }
        if (o.estimators().contains("kmeans")) {
            int[] sample = SeededOrder.subsample(keys, o.kmeansRows(), o.seed(), 1);
            int[] ks = KMeansCurve.grid(sample.length, o.kmeansMaxK());
            if (ks.length < 3) {
                System.err.printf("repgap: group %s: %d rows are too few for the k-means grid (K = 4.. with %d rows per"
                        + " centre); id.kmeans skipped%n", key, sample.length, KMeansCurve.MIN_ROWS_PER_CENTRE);
            } else {
                out.add(timed(key, "kmeans", () -> {
                    float[] rows = new float[sample.length * dim];
                    for (int i = 0; i < sample.length; i++) System.arraycopy(g.queryVectors(), sample[i] * dim, rows, i * dim, dim);
                    return List.of(IdEstimates.kMeans(key, KMeansCurve.fit(rows, dim, ks, o.seed()), sample.length,
                            keys.length, o));
                }));
            }
        }
        return out;
    }

    /** Runs {@code work}, reports its time on stderr and appends it to the details of its rows. */
    private static Estimator timed(GroupKey key, String name, Supplier<List<MetricRow>> work) {
        return new Estimator(name, () -> {
            long started = System.nanoTime();
            List<MetricRow> rows = work.get();
            String time = String.format(Locale.ROOT, "time %.1f s", seconds(started));
            System.err.printf("repgap: id: group %s: %s %s%n", key, name, time);
            return rows.stream().map(r -> r.withDetails(r.details() == null ? time : r.details() + "; " + time)).toList();
        });
    }

    private static List<MetricRow> result(Future<List<MetricRow>> f) {
        try {
            return f.get();
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException r) throw r;
            if (e.getCause() instanceof Error r) throw r;
            throw new IllegalStateException(e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    private static double seconds(long startNanos) {
        return (System.nanoTime() - startNanos) / 1e9;
    }

    /** The ids of a group's queries, in the order of its query vectors. */
    private static long[] queryKeys(List<NeighbourLists> lists) {
        int n = 0;
        for (NeighbourLists l : lists) n += l.queries();
        long[] keys = new long[n];
        int i = 0;
        for (NeighbourLists l : lists) {
            for (int q = 0; q < l.queries(); q++) keys[i++] = l.queryId(q);
        }
        return keys;
    }

    private static NeighbourDistances neighbourDistances(GroupKey key, List<NeighbourLists> lists, int k) {
        NeighbourDistances d = NeighbourDistances.fromLists(lists, k, false);
        if (d == null) {
            throw new InputException("group " + key + ": every query point has an exact duplicate (distance 0 to its"
                    + " nearest neighbour), where the log-ratio estimators are undefined; use --duplicates drop");
        }
        return d;
    }
}
