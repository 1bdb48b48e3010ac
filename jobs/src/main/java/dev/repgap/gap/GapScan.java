package dev.repgap.gap;

import static org.apache.spark.sql.functions.col;

import dev.repgap.data.ColumnNames;
import dev.repgap.data.GroupSummary;
import dev.repgap.knn.DenseBlock;
import dev.repgap.knn.PairScan;
import dev.repgap.knn.PrefixMinima;
import dev.repgap.knn.PrefixMinimaScan;
import dev.repgap.knn.RankedBlock;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import org.apache.spark.HashPartitioner;
import org.apache.spark.api.java.JavaPairRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import scala.Tuple2;

/**
 * The Representation Gap's cross scan of every group of a batch, in the passes of {@link PairScan}:
 * the test rows of all groups are the queries, the training rows stream through each task in blocks,
 * each row with its bucket in every ranking and, under a symmetry, all its transformed copies; the
 * per-query prefix minima of all tasks merge by elementwise minimum. A group's rankings depend on
 * the seed and its own training keys only, so its curves are the same whatever else is in the batch.
 */
public final class GapScan {

    /** How to scan. {@code queries <= 0}: every test row. */
    public record Options(int rankings, int points, long smallest, long queries, long seed, int referenceBlockRows,
                          int queryBlockRows, long roundBytes, int partitions) implements Serializable {}

    /**
     * A group's scan: the grid of training-set sizes, the queries (ascending keys) and, per variant
     * (0: plain; 1: with the symmetry, when there is one), the squared nearest-neighbour distance of
     * each query among the first n[g] training rows of each ranking, index {@code (q * rankings + r) * G + g}.
     */
    public record Scanned(GroupSummary group, long[] grid, long[] queryIds, List<double[]> variants, String kernel) {}

    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(GapScan.class);

    private GapScan() {}

    /**
     * Scans all {@code groups} together.
     *
     * @param keyed the rows with {@link dev.repgap.knn.KnnJob.IdMapping#KEY}
     * @param grids per group, its grid of training-set sizes (ascending, the last its training rows)
     * @param symmetries per group, its symmetry group or null for none
     */
    public static List<Scanned> run(Dataset<Row> keyed, List<String> groupBy, List<GroupSummary> groups,
                                    List<long[]> grids, List<SymmetryGroup> symmetries, Options o) {
        Column train = col(ColumnNames.SPLIT).equalTo(ColumnNames.TRAIN);
        Column test = col(ColumnNames.SPLIT).equalTo(ColumnNames.TEST);
        List<PairScan.Group> scanGroups = groups.stream().map(g -> new PairScan.Group(g.key(), g.dim())).toList();
        PrefixCuts[] cuts = cuts(keyed.filter(train), groupBy, scanGroups, grids, o);
        SymmetryGroup[] orbits = new SymmetryGroup[groups.size()];
        for (int g = 0; g < orbits.length; g++) {
            SymmetryGroup s = symmetries.get(g);
            orbits[g] = s == null ? SymmetryGroup.trivial(groups.get(g).dim()) : s;
        }
        boolean[] symmetric = new boolean[groups.size()];
        for (int g = 0; g < symmetric.length; g++) symmetric[g] = symmetries.get(g) != null;
        boolean subsampled = o.queries() > 0 && groups.stream().anyMatch(g -> g.test() > o.queries());
        PairScan.Result<PrefixMinima> scan = PairScan.run(keyed, groupBy, scanGroups, new PairScan.Sides(test, train),
                new Prefixes(cuts, orbits, symmetric, o.rankings(), o.referenceBlockRows()),
                new PairScan.Options(subsampled ? o.queries() : 0, o.seed(), o.referenceBlockRows(), o.queryBlockRows(),
                        o.roundBytes(), o.partitions()));

        List<Scanned> out = new ArrayList<>();
        for (int g = 0; g < groups.size(); g++) {
            GroupSummary group = groups.get(g);
            PairScan.Scanned<PrefixMinima> s = scan.groups().get(g);
            LOG.info("group {}: {} test queries x {} training rows{} x {} dims, {} rankings, {} grid sizes, kernel {}",
                    group.key(), s.queryKeys().length, group.train(),
                    symmetric[g] ? " x " + orbits[g].order() + " symmetries" : "", group.dim(), o.rankings(),
                    grids.get(g).length, scan.kernel());
            List<double[]> curves = new ArrayList<>();
            for (int v = 0; v < (symmetric[g] ? 2 : 1); v++) curves.add(concatenate(s.states(), v));
            out.add(new Scanned(group, grids.get(g), s.queryKeys(), curves, scan.kernel()));
        }
        return out;
    }

    /**
     * Every group's prefix cuts in two jobs: the training keys are sent to one task per group (a long
     * and an int per row), where pass one counts rank values per histogram bin and plans; pass two, over
     * the same shuffled keys, collects the few values where a prefix ends.
     */
    private static PrefixCuts[] cuts(Dataset<Row> train, List<String> groupBy, List<PairScan.Group> groups,
                                     List<long[]> grids, Options o) {
        int n = groups.size();
        long[][] grid = grids.toArray(new long[0][]);
        long seed = o.seed();
        int rankings = o.rankings();
        JavaPairRDD<Integer, Long> byGroup = JavaPairRDD.fromJavaRDD(PairScan.keys(train, groupBy, groups))
                .repartitionAndSortWithinPartitions(new HashPartitioner(Math.max(1, n)));
        PrefixCuts.Plan[] plans = new PrefixCuts.Plan[n];
        for (Tuple2<Integer, PrefixCuts.Plan> p : byGroup.mapPartitions((Iterator<Tuple2<Integer, Long>> it) -> {
            List<Tuple2<Integer, PrefixCuts.Plan>> out = new ArrayList<>();
            PrefixCuts.Histogram histogram = null;
            int current = -1;
            while (it.hasNext()) {
                Tuple2<Integer, Long> row = it.next();
                if (row._1() != current) {
                    if (histogram != null) out.add(new Tuple2<>(current, histogram.plan(grid[current])));
                    current = row._1();
                    histogram = new PrefixCuts.Histogram(seed, rankings);
                }
                histogram.add(row._2());
            }
            if (histogram != null) out.add(new Tuple2<>(current, histogram.plan(grid[current])));
            return out.iterator();
        }).collect()) {
            plans[p._1()] = p._2();
        }
        for (int g = 0; g < n; g++) {
            if (plans[g] == null) throw new IllegalArgumentException("group " + groups.get(g).key() + " has no training rows");
        }
        JavaSparkContext jsc = JavaSparkContext.fromSparkContext(train.sparkSession().sparkContext());
        Broadcast<PrefixCuts.Plan[]> shared = jsc.broadcast(plans);
        try {
            List<List<long[]>> candidates = new ArrayList<>();
            for (int g = 0; g < n; g++) candidates.add(new ArrayList<>());
            for (Tuple2<Integer, long[]> c : byGroup.flatMap(row -> shared.value()[row._1()].candidates(row._2()).stream()
                    .map(v -> new Tuple2<>(row._1(), v)).iterator()).collect()) {
                candidates.get(c._1()).add(c._2());
            }
            PrefixCuts[] cuts = new PrefixCuts[n];
            for (int g = 0; g < n; g++) cuts[g] = plans[g].cuts(candidates.get(g));
            return cuts;
        } finally {
            shared.destroy();
        }
    }

    /**
     * The gap's work for {@link PairScan}: a query block's state is its {@link PrefixMinima}; a block of
     * training rows is scanned with each row's buckets and, under a symmetry, its transformed copies.
     */
    private record Prefixes(PrefixCuts[] cuts, SymmetryGroup[] orbits, boolean[] symmetric, int rankings,
                            int blockRows) implements PairScan.Work<PrefixMinima> {
        private int variants(int group) {
            return symmetric[group] ? 2 : 1;
        }

        @Override
        public long stateBytes(int group) {
            return 8L * variants(group) * rankings * cuts[group].grid().length;
        }

        @Override
        public PrefixMinima empty(int group, DenseBlock queries) {
            return PrefixMinima.empty(queries.ids(), variants(group), rankings, cuts[group].grid().length);
        }

        @Override
        public PairScan.Scanner<PrefixMinima> scanner(int group, float[] centre) {
            PrefixMinimaScan scan = new PrefixMinimaScan(centre);
            PrefixCuts groupCuts = cuts[group];
            SymmetryGroup orbit = orbits[group];
            int dim = orbit.dim();
            int copies = orbit.order();
            RankedBlock.Builder block = RankedBlock.builder(dim, rankings, Math.max(copies, blockRows / copies * copies));
            byte[] buckets = new byte[rankings];
            return new PairScan.Scanner<>() {
                @Override
                public void scan(DenseBlock references, List<DenseBlock> queries, List<PrefixMinima> states) {
                    for (int r = 0; r < references.rows(); r++) {
                        long key = references.id(r);
                        groupCuts.buckets(key, buckets, 0);
                        for (int e = 0; e < copies; e++) {
                            orbit.apply(e, references.data(), r * dim, block.nextData(), block.nextOffset());
                            block.add(key, buckets, 0, e != 0);
                        }
                        if (block.full()) scanBlock(queries, states);
                    }
                    if (block.size() > 0) scanBlock(queries, states);
                }

                private void scanBlock(List<DenseBlock> queries, List<PrefixMinima> states) {
                    RankedBlock ranked = block.build();
                    for (int i = 0; i < states.size(); i++) scan.scan(queries.get(i), states.get(i), ranked);
                }

                @Override
                public String kernel() {
                    return scan.kernel().name();
                }
            };
        }

        @Override
        public PrefixMinima merge(PrefixMinima a, PrefixMinima b) {
            return a.merge(b);
        }
    }

    private static double[] concatenate(List<PrefixMinima> states, int variant) {
        int length = 0;
        List<double[]> parts = new ArrayList<>();
        for (PrefixMinima s : states) {
            double[] p = s.variant(variant);
            parts.add(p);
            length += p.length;
        }
        double[] out = new double[length];
        int at = 0;
        for (double[] p : parts) {
            System.arraycopy(p, 0, out, at, p.length);
            at += p.length;
        }
        return out;
    }
}
