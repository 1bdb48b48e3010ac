package dev.repgap.gap;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.xxhash64;

import dev.repgap.data.ColumnNames;
import dev.repgap.data.GroupSummary;
import dev.repgap.knn.DenseBlock;
import dev.repgap.knn.KnnJob;
import dev.repgap.knn.PrefixMinima;
import dev.repgap.knn.PrefixMinimaScan;
import dev.repgap.knn.QueryBlocks;
import dev.repgap.knn.RankedBlock;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Iterator;
import java.util.List;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.catalyst.InternalRow;
import scala.Tuple2;

/**
 * The Representation Gap's one cross scan of a group on Spark: test rows are the queries (collected
 * and broadcast in rounds that fit a memory budget), training rows stream through each task in
 * blocks, each with its bucket in every ranking and, under a symmetry, all its transformed copies;
 * the per-query prefix minima of all tasks merge by elementwise minimum.
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

    /** @param keyed the group's rows with {@link KnnJob.IdMapping#KEY}; {@code symmetry} null for none */
    public static Scanned run(Dataset<Row> keyed, GroupSummary group, SymmetryGroup symmetry, Options o) {
        JavaSparkContext jsc = JavaSparkContext.fromSparkContext(keyed.sparkSession().sparkContext());
        Dataset<Row> train = keyed.filter(col(ColumnNames.SPLIT).equalTo(ColumnNames.TRAIN));
        Dataset<Row> test = keyed.filter(col(ColumnNames.SPLIT).equalTo(ColumnNames.TEST));
        if (o.queries() > 0 && o.queries() < group.test()) {
            // A seeded subsample that does not depend on partitioning: the rows with the smallest hashes.
            test = test.orderBy(xxhash64(col(KnnJob.IdMapping.KEY), lit(o.seed())), col(KnnJob.IdMapping.KEY))
                    .limit((int) o.queries());
        }
        long[] grid = PrefixGrid.geometric(group.train(), o.points(), Math.min(o.smallest(), group.train() - 1));
        PrefixCuts cuts = cuts(trainKeys(train), grid, o);

        List<Tuple2<Long, float[]>> collected = new ArrayList<>(vectors(test).collect());
        collected.sort(Comparator.comparing(Tuple2::_1)); // key order: results ignore partitioning
        int dim = group.dim();
        long[] ids = new long[collected.size()];
        float[] matrix = new float[ids.length * dim];
        for (int i = 0; i < ids.length; i++) {
            ids[i] = collected.get(i)._1();
            System.arraycopy(collected.get(i)._2(), 0, matrix, i * dim, dim);
        }
        float[] centre = DenseBlock.of(ids, matrix, dim).columnMeans();
        int variants = symmetry == null ? 1 : 2;
        SymmetryGroup orbit = symmetry == null ? SymmetryGroup.trivial(dim) : symmetry;
        long stateBytesPerQuery = 8L * variants * o.rankings() * grid.length;

        JavaRDD<Tuple2<Long, float[]>> references = spread(vectors(train), o.partitions(), jsc.defaultParallelism());
        Broadcast<PrefixCuts> sharedCuts = jsc.broadcast(cuts);
        Broadcast<SymmetryGroup> sharedOrbit = jsc.broadcast(orbit);
        List<PrefixMinima> states = new ArrayList<>();
        String kernel = null;
        for (List<DenseBlock> round : QueryBlocks.rounds(QueryBlocks.blocks(ids, matrix, dim, o.queryBlockRows()),
                b -> b.rows() * (4L * dim + 8 + stateBytesPerQuery), o.roundBytes())) {
            Broadcast<List<DenseBlock>> blocks = jsc.broadcast(round);
            Tuple2<List<PrefixMinima>, String> merged = references
                    .mapPartitions(it -> List.of(scanPartition(it, blocks.value(), sharedCuts.value(), sharedOrbit.value(),
                            variants, centre, o)).iterator())
                    .treeReduce(GapScan::merge, 2);
            states.addAll(merged._1());
            kernel = merged._2();
            blocks.destroy();
        }
        sharedCuts.destroy();
        sharedOrbit.destroy();
        LOG.info("group {}: {} test queries x {} training rows{} x {} dims, {} rankings, {} grid sizes, kernel {}",
                group.key(), ids.length, group.train(), symmetry == null ? "" : " x " + orbit.order() + " symmetries",
                dim, o.rankings(), grid.length, kernel);
        List<double[]> curves = new ArrayList<>();
        for (int v = 0; v < variants; v++) curves.add(concatenate(states, v));
        return new Scanned(group, grid, ids, curves, kernel);
    }

    /** Pass one counts rank values per histogram bin; pass two collects the few values where a prefix ends. */
    private static PrefixCuts cuts(JavaRDD<Long> keys, long[] grid, Options o) {
        PrefixCuts.Histogram histogram = keys.treeAggregate(new PrefixCuts.Histogram(o.seed(), o.rankings()),
                (h, k) -> {
                    h.add(k);
                    return h;
                }, PrefixCuts.Histogram::merge, 2);
        PrefixCuts.Plan plan = histogram.plan(grid);
        return plan.cuts(keys.flatMap(k -> plan.candidates(k).iterator()).collect());
    }

    private static JavaRDD<Long> trainKeys(Dataset<Row> train) {
        return train.select(col(KnnJob.IdMapping.KEY)).queryExecution().toRdd().toJavaRDD()
                .map((InternalRow r) -> r.getLong(0));
    }

    /** (key, vector) pairs, read without boxing every coordinate. */
    private static JavaRDD<Tuple2<Long, float[]>> vectors(Dataset<Row> rows) {
        return rows.select(col(KnnJob.IdMapping.KEY), col(ColumnNames.FEATURES)).queryExecution().toRdd().toJavaRDD()
                .map((InternalRow r) -> new Tuple2<>(r.getLong(0), r.getArray(1).toFloatArray()));
    }

    /** In {@code partitions} tasks, or by default in at least one task per core. */
    private static <T> JavaRDD<T> spread(JavaRDD<T> rows, int partitions, int cores) {
        if (partitions > 0) return rows.repartition(partitions);
        return rows.getNumPartitions() < cores ? rows.repartition(cores) : rows;
    }

    private static Tuple2<List<PrefixMinima>, String> scanPartition(Iterator<Tuple2<Long, float[]>> rows,
            List<DenseBlock> queryBlocks, PrefixCuts cuts, SymmetryGroup orbit, int variants, float[] centre, Options o) {
        PrefixMinimaScan scan = new PrefixMinimaScan(centre);
        int rankings = o.rankings();
        int points = cuts.grid().length;
        List<PrefixMinima> states = new ArrayList<>();
        for (DenseBlock q : queryBlocks) states.add(PrefixMinima.empty(q.ids(), variants, rankings, points));
        int dim = orbit.dim();
        int copies = orbit.order();
        RankedBlock.Builder block = RankedBlock.builder(dim, rankings, Math.max(copies, o.referenceBlockRows() / copies * copies));
        byte[] buckets = new byte[rankings];
        while (rows.hasNext()) {
            Tuple2<Long, float[]> r = rows.next();
            long key = r._1();
            cuts.buckets(key, buckets, 0);
            for (int e = 0; e < copies; e++) {
                orbit.apply(e, r._2(), 0, block.nextData(), block.nextOffset());
                block.add(key, buckets, 0, e != 0);
            }
            if (block.full()) scanBlock(scan, queryBlocks, states, block.build());
        }
        if (block.size() > 0) scanBlock(scan, queryBlocks, states, block.build());
        return new Tuple2<>(states, scan.kernel().name());
    }

    private static void scanBlock(PrefixMinimaScan scan, List<DenseBlock> queryBlocks, List<PrefixMinima> states,
            RankedBlock references) {
        for (int i = 0; i < queryBlocks.size(); i++) scan.scan(queryBlocks.get(i), states.get(i), references);
    }

    private static Tuple2<List<PrefixMinima>, String> merge(Tuple2<List<PrefixMinima>, String> a,
                                                            Tuple2<List<PrefixMinima>, String> b) {
        List<PrefixMinima> out = new ArrayList<>(a._1().size());
        for (int i = 0; i < a._1().size(); i++) out.add(a._1().get(i).merge(b._1().get(i)));
        return new Tuple2<>(out, a._2());
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
