package dev.repgap.knn;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.row_number;
import static org.apache.spark.sql.functions.xxhash64;

import dev.repgap.data.ColumnNames;
import dev.repgap.data.GroupKey;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.catalyst.InternalRow;
import org.apache.spark.sql.expressions.Window;

/**
 * The one distributed pairwise scan: in every group of a batch, the queries (one side of the group:
 * all its rows or a seeded subsample) against the references (a side of the same group), for all
 * groups in each pass. The queries of all groups are collected in one job and broadcast in rounds
 * that fit a memory budget; in each round the references of all groups stream through the tasks
 * block by block, each block scanned against its own group's queries. What is kept per query is the
 * {@link Work}'s: any state that merges exactly in any order and grouping (k nearest neighbours, the
 * gap's prefix minima, raw distance tiles). No task holds more than a block of references per group
 * and the round's queries, and a batch of groups pays Spark's fixed cost of a job a few times, not a
 * few times per group.
 *
 * <p>The rows scanned are keyed ({@link KnnJob.IdMapping#KEY}, a long per row) and carry the
 * {@code features} column and the group-by columns (strings).
 */
public final class PairScan {

    /** A group to scan: the values of its group-by columns and its vector length. */
    public record Group(GroupKey key, int dim) implements Serializable {}

    /** Which rows of each group are queries and which are references: filters on the keyed rows. */
    public record Sides(Column queries, Column references) {
        /** Every row is both a query and a reference (a self scan). */
        public static Sides all() {
            return new Sides(lit(true), lit(true));
        }

        /** The rows of one side are both the queries and the references (a self scan of that side). */
        public static Sides self(Column side) {
            return new Sides(side, side);
        }
    }

    /**
     * How to scan. {@code queries <= 0}: every row of the query side; otherwise per group the
     * {@code queries} rows with the smallest {@code (xxhash64(key, seed), key)}, a seeded choice that
     * does not depend on partitioning or on the other groups.
     */
    public record Options(long queries, long seed, int referenceBlockRows, int queryBlockRows, long roundBytes,
                          int partitions) implements Serializable {}

    /**
     * What a scan keeps per block of queries, and the task-side scan that fills it. It travels to every
     * task, so it holds only what the tasks need (per group, by the group's index in the scan).
     */
    public interface Work<S> extends Serializable {
        /** Bytes of one query's state in group {@code group}, besides its vector: sizes the rounds. */
        long stateBytes(int group);

        /** A state for these queries of group {@code group} before any reference is seen. */
        S empty(int group, DenseBlock queries);

        /**
         * The scanner of group {@code group} in one task; {@code centre} is the mean of the group's queries
         * (for kernels that centre rows: it may change speed, never results).
         */
        Scanner<S> scanner(int group, float[] centre);

        /** The state after the references of both (disjoint reference sets of the same queries). */
        S merge(S a, S b);
    }

    /** A task's scanner of one group: one instance serves one thread. */
    public interface Scanner<S> {
        /** Updates {@code states.get(i)}, the state of {@code queries.get(i)}, with a block of the group's references. */
        void scan(DenseBlock references, List<DenseBlock> queries, List<S> states);

        /** The name of the distance kernel that ran. */
        String kernel();
    }

    /**
     * One group's queries, in ascending key order ({@code queryVectors} row by row), and their merged
     * states, one per query block in that order; block {@code i} holds {@code blockRows[i]} queries (at most
     * {@code queryBlockRows}).
     */
    public record Scanned<S>(Group group, long[] queryKeys, float[] queryVectors, int[] blockRows, List<S> states) {}

    /** Every group's outcome, in the order the groups were given, and the kernel that ran (null if none did). */
    public record Result<S>(List<Scanned<S>> groups, String kernel) {}

    private PairScan() {}

    /**
     * Scans every group of {@code groups} in the same passes. Rows of other groups are ignored; a group
     * with no queries gets no states, one with no references the empty states.
     *
     * @param keyed rows with {@link KnnJob.IdMapping#KEY}, {@code features} and the {@code groupBy} columns
     */
    public static <S> Result<S> run(Dataset<Row> keyed, List<String> groupBy, List<Group> groups, Sides sides,
                                    Work<S> work, Options o) {
        Map<List<String>, Integer> index = new HashMap<>();
        for (int g = 0; g < groups.size(); g++) index.put(values(groups.get(g).key()), g);
        Dataset<Row> queryRows = keyed.filter(sides.queries());
        Dataset<Row> referenceRows = keyed.filter(sides.references());
        if (o.partitions() > 0) referenceRows = referenceRows.repartition(o.partitions());

        QuerySet[] queries = collectQueries(queryRows, groupBy, index, groups, o);
        List<DenseBlock> blocks = new ArrayList<>();
        List<Integer> blockGroup = new ArrayList<>();
        float[][] centres = new float[groups.size()][];
        for (int g = 0; g < groups.size(); g++) {
            int dim = groups.get(g).dim();
            for (DenseBlock b : QueryBlocks.blocks(queries[g].keys(), queries[g].vectors(), dim, o.queryBlockRows())) {
                blocks.add(b);
                blockGroup.add(g);
            }
            centres[g] = queries[g].keys().length == 0 ? null
                    : DenseBlock.of(queries[g].keys(), queries[g].vectors(), dim).columnMeans();
        }

        JavaSparkContext jsc = JavaSparkContext.fromSparkContext(keyed.sparkSession().sparkContext());
        JavaRDD<RoundScan.GroupRow> references = tagged(referenceRows, groupBy, index);
        List<S> states = new ArrayList<>(blocks.size());
        String kernel = null;
        Broadcast<Work<S>> sharedWork = jsc.broadcast(work);
        try {
            int first = 0;
            long[] bytes = new long[blocks.size()];
            for (int b = 0; b < bytes.length; b++) {
                DenseBlock q = blocks.get(b);
                bytes[b] = (long) q.rows() * (4L * q.dim() + 8 + work.stateBytes(blockGroup.get(b)));
            }
            for (int size : QueryBlocks.roundSizes(bytes, o.roundBytes())) {
                List<DenseBlock> round = blocks.subList(first, first + size);
                int[] roundGroups = blockGroup.subList(first, first + round.size()).stream().mapToInt(Integer::intValue)
                        .toArray();
                RoundScan<S> scan = new RoundScan<>(new ArrayList<>(round), roundGroups, centres,
                        QueryBlocks.slices(jsc.defaultParallelism(), references.getNumPartitions(), round.size()));
                RoundScan.States merged = scan(jsc, references, scan, sharedWork, o.referenceBlockRows());
                for (int b = 0; b < round.size(); b++) {
                    @SuppressWarnings("unchecked")
                    S s = (S) merged.states()[b];
                    states.add(s != null ? s : work.empty(roundGroups[b], round.get(b))); // a group without references
                }
                if (merged.kernel() != null) kernel = merged.kernel();
                first += round.size();
            }
        } finally {
            sharedWork.destroy();
        }

        List<Scanned<S>> out = new ArrayList<>();
        for (int g = 0, b = 0; g < groups.size(); g++) {
            List<Integer> rows = new ArrayList<>();
            List<S> own = new ArrayList<>();
            for (; b < blocks.size() && blockGroup.get(b) == g; b++) {
                rows.add(blocks.get(b).rows());
                own.add(states.get(b));
            }
            out.add(new Scanned<>(groups.get(g), queries[g].keys(), queries[g].vectors(),
                    rows.stream().mapToInt(Integer::intValue).toArray(), own));
        }
        return new Result<>(out, kernel);
    }

    private static List<String> values(GroupKey key) {
        return new ArrayList<>(key.values().values());
    }

    private static <S> RoundScan.States scan(JavaSparkContext jsc, JavaRDD<RoundScan.GroupRow> references,
                                             RoundScan<S> round, Broadcast<Work<S>> work, int blockRows) {
        Broadcast<RoundScan<S>> broadcast = jsc.broadcast(round);
        try {
            List<JavaRDD<RoundScan.States>> slices = new ArrayList<>();
            for (int s = 0; s < round.slices(); s++) {
                int slice = s;
                slices.add(references.mapPartitions(it -> List.of(broadcast.value().scan(it, slice, work.value(),
                        blockRows)).iterator()));
            }
            @SuppressWarnings("unchecked")
            JavaRDD<RoundScan.States>[] all = slices.toArray(new JavaRDD[0]);
            return jsc.union(all).treeReduce((a, b) -> RoundScan.merge(a, b, work.value()), 2);
        } finally {
            broadcast.destroy();
        }
    }

    /** The queries of one group, in key order (so that everything computed per query ignores partitioning). */
    private record QuerySet(long[] keys, float[] vectors) {}

    /** Every group's queries in one job (two with a subsample). */
    private static QuerySet[] collectQueries(Dataset<Row> queryRows, List<String> groupBy,
                                             Map<List<String>, Integer> index, List<Group> groups, Options o) {
        long[][] chosen = o.queries() > 0 ? subsample(queryRows, groupBy, index, groups.size(), o) : null;
        List<RoundScan.GroupRow> rows = tagged(queryRows, groupBy, index)
                .filter(r -> chosen == null || Arrays.binarySearch(chosen[r.group()], r.key()) >= 0)
                .collect();
        int[] counts = new int[groups.size()];
        for (RoundScan.GroupRow r : rows) counts[r.group()]++;
        List<List<RoundScan.GroupRow>> byGroup = new ArrayList<>();
        for (int g = 0; g < groups.size(); g++) byGroup.add(new ArrayList<>(counts[g]));
        for (RoundScan.GroupRow r : rows) byGroup.get(r.group()).add(r);
        QuerySet[] out = new QuerySet[groups.size()];
        for (int g = 0; g < groups.size(); g++) {
            List<RoundScan.GroupRow> group = byGroup.get(g);
            group.sort(Comparator.comparingLong(RoundScan.GroupRow::key));
            int dim = groups.get(g).dim();
            long[] keys = new long[group.size()];
            float[] vectors = new float[group.size() * dim];
            for (int i = 0; i < keys.length; i++) {
                keys[i] = group.get(i).key();
                if (group.get(i).vector().length != dim) {
                    throw new IllegalArgumentException("group " + groups.get(g).key() + ": row " + keys[i] + " has "
                            + group.get(i).vector().length + " values, expected " + dim);
                }
                System.arraycopy(group.get(i).vector(), 0, vectors, i * dim, dim);
            }
            out[g] = new QuerySet(keys, vectors);
        }
        return out;
    }

    /**
     * Per group, the sorted keys of its seeded query subsample (a whole group when it is smaller): the rows
     * with the smallest {@code (xxhash64(key, seed), key)}.
     */
    private static long[][] subsample(Dataset<Row> queryRows, List<String> groupBy, Map<List<String>, Integer> index,
                                      int groupCount, Options o) {
        List<Column> keep = new ArrayList<>(List.of(ColumnNames.columns(groupBy)));
        keep.add(col(KnnJob.IdMapping.KEY));
        List<Row> chosen = sample(queryRows.select(keep.toArray(new Column[0])), groupBy, o.queries(), o.seed())
                .collectAsList();
        List<List<Long>> keys = new ArrayList<>();
        for (int g = 0; g < groupCount; g++) keys.add(new ArrayList<>());
        for (Row r : chosen) {
            List<String> values = new ArrayList<>();
            for (int i = 0; i < groupBy.size(); i++) values.add(r.getString(i));
            Integer g = index.get(values);
            if (g != null) keys.get(g).add(r.getLong(groupBy.size()));
        }
        long[][] out = new long[groupCount][];
        for (int g = 0; g < groupCount; g++) {
            out[g] = keys.get(g).stream().mapToLong(Long::longValue).sorted().toArray();
        }
        return out;
    }

    /**
     * Per group, the {@code rows} keyed rows with the smallest {@code (xxhash64(key, seed), key)} (a whole group
     * when it is smaller): the seeded choice of the scan's query subsample, which does not depend on partitioning
     * or on the other groups.
     */
    public static Dataset<Row> sample(Dataset<Row> keyed, List<String> groupBy, long rows, long seed) {
        return keyed.withColumn("_rank", row_number().over(Window.partitionBy(ColumnNames.columns(groupBy))
                        .orderBy(xxhash64(col(KnnJob.IdMapping.KEY), lit(seed)), col(KnnJob.IdMapping.KEY))))
                .filter(col("_rank").leq(rows))
                .drop("_rank");
    }

    /** (group index, key, vector) of every row of the indexed groups, read without boxing every coordinate. */
    static JavaRDD<RoundScan.GroupRow> tagged(Dataset<Row> rows, List<String> groupBy, Map<List<String>, Integer> index) {
        List<Column> columns = new ArrayList<>(List.of(ColumnNames.columns(groupBy)));
        columns.add(col(KnnJob.IdMapping.KEY));
        columns.add(col(ColumnNames.FEATURES));
        int n = groupBy.size();
        return rows.select(columns.toArray(new Column[0])).queryExecution().toRdd().toJavaRDD()
                .map((InternalRow r) -> {
                    Integer group = index.get(GroupKey.values(r, n));
                    return group == null ? null : new RoundScan.GroupRow(group, r.getLong(n), r.getArray(n + 1).toFloatArray());
                })
                .filter(r -> r != null); // rows of groups the caller did not ask to scan
    }

    /**
     * (group index, key) of every row of the indexed groups, without reading the vectors: for work that
     * needs a pass over the references' keys before the scan (the gap's rankings).
     */
    public static JavaRDD<scala.Tuple2<Integer, Long>> keys(Dataset<Row> rows, List<String> groupBy, List<Group> groups) {
        Map<List<String>, Integer> index = new HashMap<>();
        for (int g = 0; g < groups.size(); g++) index.put(values(groups.get(g).key()), g);
        List<Column> columns = new ArrayList<>(List.of(ColumnNames.columns(groupBy)));
        columns.add(col(KnnJob.IdMapping.KEY));
        int n = groupBy.size();
        return rows.select(columns.toArray(new Column[0])).queryExecution().toRdd().toJavaRDD()
                .map((InternalRow r) -> {
                    Integer group = index.get(GroupKey.values(r, n));
                    return group == null ? null : new scala.Tuple2<>(group, r.getLong(n));
                })
                .filter(r -> r != null);
    }
}
