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
import java.util.List;
import java.util.Set;

/**
 * {@code repgap id}: intrinsic dimension per group. One exact neighbour scan (self mode, a seeded
 * subsample of queries against every row) feeds all neighbour-based estimators; k-means and the
 * participation ratio add two independent views.
 */
public final class IdJob {
    /** Which estimators to run and their parameters. */
    public record Options(Set<String> estimators, int k1, int k2, int maxGrideRank, long queries, long seed,
                          DuplicatePolicy duplicates, int kmeansMaxK, double level, int bootstrap, int partitions) {
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
        Activations analysed = o.duplicates() == DuplicatePolicy.DROP ? distinct(data, duplicates) : data;
        for (GroupSummary g : analysed.groups()) {
            if (g.rows() <= o.neighbours()) {
                throw new InputException("input " + data.input() + ", group " + g.key() + ": only " + g.rows()
                        + (o.duplicates() == DuplicatePolicy.DROP ? " distinct" : "") + " rows; id with "
                        + o.neighbours() + " neighbours needs at least " + (o.neighbours() + 1));
            }
        }

        KnnJob.Result scan = KnnJob.run(analysed, new KnnJob.Options(o.neighbours(), ScanMode.SELF, o.queries(),
                o.seed(), 4096, 1024, 512L << 20, o.partitions()));
        // Each group's estimators are independent and single-threaded (bootstraps over every query
        // point): groups run side by side. The rows keep the group order.
        List<List<MetricRow>> estimates = scan.groups().parallelStream()
                .map(g -> fromNeighbours(g, data, duplicates, o)).toList();
        List<MetricRow> out = new ArrayList<>();
        for (int i = 0; i < estimates.size(); i++) {
            out.addAll(estimates.get(i));
            if (o.estimators().contains("kmeans")) out.addAll(quantization(analysed, scan.groups().get(i).group(), o));
        }
        return out;
    }

    /** The duplicate count, the neighbour-based estimators and the participation ratio of one group. */
    private static List<MetricRow> fromNeighbours(KnnJob.GroupNeighbours g, Activations data, DuplicateRows duplicates,
                                                  Options o) {
        GroupKey key = g.group().key();
        List<MetricRow> out = new ArrayList<>();
        long dup = duplicates.counts(key).rows();
        out.add(MetricRow.of(key, "id.duplicates", "policy=" + o.duplicates().name().toLowerCase(), dup,
                data.groups().stream().filter(s -> s.key().equals(key)).findFirst().orElseThrow().rows()));
        out.addAll(IdEstimates.fromNeighbours(key, distances(g.lists(), o.neighbours()), o));
        if (o.estimators().contains("pr")) {
            double[] pr = SampleParticipationRatio.withInterval(g.queryVectors(), g.group().dim(), o.bootstrap(),
                    o.level(), o.seed());
            out.add(MetricRow.of(key, "id.pr", null, pr[0], (long) (g.queryVectors().length / g.group().dim()))
                    .withInterval(pr[1], pr[2])
                    .withDetails("participation ratio of the covariance of the query sample, bootstrap bias-corrected"
                            + " (plug-in " + pr[3] + "); basic bootstrap interval, " + o.bootstrap() + " resamples"));
        }
        return out;
    }

    private static List<MetricRow> quantization(Activations data, GroupSummary g, Options o) {
        List<Integer> ks = KMeansCosts.grid(g.rows(), o.kmeansMaxK(), 20);
        if (ks.size() < 3) {
            System.err.printf("repgap: group %s: %d rows are too few for the k-means grid (K = 4.. with 20 rows per"
                    + " centre); id.kmeans skipped%n", g.key(), g.rows());
            return List.of();
        }
        KMeansCosts.Curve curve = KMeansCosts.fit(data.rows().filter(g.key().filter()), g.rows(), ks, o.seed());
        return IdEstimates.fromKMeans(g.key(), curve, g.rows(), o);
    }

    /**
     * Sorted distances (not squared) to the k nearest neighbours of each query, leaving out the queries
     * whose nearest neighbour is at distance 0 (only possible under --duplicates keep), where every
     * log-ratio estimator is undefined.
     */
    static NeighbourDistances distances(List<NeighbourLists> lists, int k) {
        int points = lists.stream().mapToInt(NeighbourLists::queries).sum();
        double[] values = new double[points * k];
        long[] pointIds = new long[points];
        long[] neighbourIds = new long[points * k];
        int kept = 0;
        for (NeighbourLists l : lists) {
            for (int q = 0; q < l.queries(); q++) {
                if (l.size(q) < k) {
                    throw new IllegalStateException("query " + l.queryId(q) + " has " + l.size(q) + " neighbours, not " + k);
                }
                if (l.squaredDistance(q, 0) == 0) continue;
                for (int r = 0; r < k; r++) {
                    values[kept * k + r] = Math.sqrt(l.squaredDistance(q, r));
                    neighbourIds[kept * k + r] = l.neighbourId(q, r);
                }
                pointIds[kept++] = l.queryId(q);
            }
        }
        return NeighbourDistances.ofRowMajor(java.util.Arrays.copyOf(values, kept * k), k,
                java.util.Arrays.copyOf(pointIds, kept), java.util.Arrays.copyOf(neighbourIds, kept * k));
    }

    /** One row per distinct vector in each group; a group keeps its rows less the duplicates counted. */
    private static Activations distinct(Activations data, DuplicateRows duplicates) {
        List<GroupSummary> groups = new ArrayList<>();
        for (GroupSummary g : data.groups()) {
            long kept = g.rows() - duplicates.counts(g.key()).rows();
            groups.add(new GroupSummary(g.key(), kept, g.train(), g.test(), g.dim(), g.droppedInvalid()));
        }
        return new Activations(data.input(), duplicates.withoutRedundant(data.rows()), data.names(), groups,
                data.idsGenerated());
    }
}
