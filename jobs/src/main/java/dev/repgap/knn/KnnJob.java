package dev.repgap.knn;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.row_number;
import static org.apache.spark.sql.functions.xxhash64;

import dev.repgap.data.Activations;
import dev.repgap.data.ColumnNames;
import dev.repgap.data.GroupSummary;
import dev.repgap.data.InputException;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.Arrays;
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
import org.apache.spark.sql.types.DataTypes;

/**
 * Exact k nearest neighbours on Spark, for every group in one pass. The queries of all groups (a
 * seeded subsample per group, or all) are collected in one job and broadcast in rounds that fit a
 * memory budget; in each round the references of all groups stream through the tasks block by block,
 * each scanned against its own group's queries; each task keeps one bounded neighbour list per query,
 * and the lists of all tasks merge exactly. No task ever holds more than a block of references per
 * group and the round's queries. A sweep over many groups thus pays the fixed cost of a Spark job a
 * few times, not a few times per group.
 */
public final class KnnJob {
    /** How to scan. {@code queries <= 0} means every row of the query set. */
    public record Options(int k, ScanMode mode, long queries, long seed, int referenceBlockRows, int queryBlockRows,
                          long roundBytes, int partitions) implements Serializable {}

    /** The merged neighbour lists of one group; {@code keys} maps internal row keys back to ids where needed. */
    public record GroupNeighbours(GroupSummary group, long references, List<NeighbourLists> lists, String kernel,
                                  float[] queryVectors) {}

    /** All groups' neighbours, and the keyed rows to map keys back to string ids. */
    public record Result(List<GroupNeighbours> groups, IdMapping ids, Dataset<Row> keyed) {}

    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(KnnJob.class);

    private KnnJob() {}

    public static Result run(Activations data, Options o) {
        IdMapping ids = IdMapping.of(data);
        List<String> groupBy = data.names().groupBy();
        Dataset<Row> keyed = ids.keyed(data.rows(), groupBy);
        List<GroupSummary> groups = data.groups();
        Map<List<String>, Integer> index = new HashMap<>();
        for (int g = 0; g < groups.size(); g++) index.put(new ArrayList<>(groups.get(g).key().values().values()), g);

        boolean self = o.mode() == ScanMode.SELF;
        Dataset<Row> queryRows = self ? keyed : keyed.filter(col(ColumnNames.SPLIT).equalTo(ColumnNames.TEST));
        Dataset<Row> referenceRows = self ? keyed : keyed.filter(col(ColumnNames.SPLIT).equalTo(ColumnNames.TRAIN));
        if (o.partitions() > 0) referenceRows = referenceRows.repartition(o.partitions());

        boolean subsampled = o.queries() > 0 && groups.stream().anyMatch(g -> (self ? g.rows() : g.test()) > o.queries());
        QuerySet[] queries = collectQueries(queryRows, groupBy, index, groups.size(), subsampled, o);
        List<DenseBlock> blocks = new ArrayList<>();
        List<Integer> blockGroup = new ArrayList<>();
        float[][] centres = new float[groups.size()][];
        for (int g = 0; g < groups.size(); g++) {
            for (DenseBlock b : QueryBlocks.blocks(queries[g].keys(), queries[g].vectors(), groups.get(g).dim(),
                    o.queryBlockRows())) {
                blocks.add(b);
                blockGroup.add(g);
            }
            centres[g] = queries[g].centre(groups.get(g).dim());
        }

        JavaSparkContext jsc = JavaSparkContext.fromSparkContext(keyed.sparkSession().sparkContext());
        JavaRDD<RoundScan.GroupRow> references = tagged(referenceRows, groupBy, index);
        List<NeighbourLists> lists = new ArrayList<>(blocks.size());
        String kernel = null;
        int first = 0;
        for (List<DenseBlock> round : QueryBlocks.rounds(blocks, o.k(), o.roundBytes())) {
            int[] roundGroups = blockGroup.subList(first, first + round.size()).stream().mapToInt(Integer::intValue).toArray();
            RoundScan.States merged = scan(jsc, references, new RoundScan(round, roundGroups, centres,
                    QueryBlocks.slices(jsc.defaultParallelism(), references.getNumPartitions(), round.size())), o);
            for (int b = 0; b < round.size(); b++) {
                NeighbourLists l = merged.lists()[b];
                lists.add(l != null ? l : NeighbourScan.newState(round.get(b), o.k())); // a group without references
            }
            if (merged.kernel() != null) kernel = merged.kernel();
            first += round.size();
        }

        List<GroupNeighbours> out = new ArrayList<>();
        for (int g = 0, b = 0; g < groups.size(); g++) {
            GroupSummary s = groups.get(g);
            List<NeighbourLists> own = new ArrayList<>();
            for (; b < blocks.size() && blockGroup.get(b) == g; b++) own.add(lists.get(b));
            long referenceCount = self ? s.rows() : s.train();
            LOG.info("group {}: {} queries x {} references x {} dims scanned with kernel {}", s.key(),
                    queries[g].keys().length, referenceCount, s.dim(), kernel);
            out.add(new GroupNeighbours(s, referenceCount, own, kernel, queries[g].vectors()));
        }
        return new Result(out, ids, keyed);
    }

    private static RoundScan.States scan(JavaSparkContext jsc, JavaRDD<RoundScan.GroupRow> references, RoundScan round,
                                         Options o) {
        Broadcast<RoundScan> broadcast = jsc.broadcast(round);
        try {
            List<JavaRDD<RoundScan.States>> slices = new ArrayList<>();
            for (int s = 0; s < round.slices(); s++) {
                int slice = s;
                slices.add(references.mapPartitions(it -> List.of(broadcast.value().scan(it, slice, o.mode(), o.k(),
                        o.referenceBlockRows())).iterator()));
            }
            @SuppressWarnings("unchecked")
            JavaRDD<RoundScan.States>[] all = slices.toArray(new JavaRDD[0]);
            return jsc.union(all).treeReduce(RoundScan::merge, 2);
        } finally {
            broadcast.destroy();
        }
    }

    /** The queries of one group, in key order (so that everything computed per query ignores partitioning). */
    private record QuerySet(long[] keys, float[] vectors) {
        /** Mean of the queries, rounded to float: the scan's centre (it changes speed, never results). */
        float[] centre(int dim) {
            return keys.length == 0 ? null : DenseBlock.of(keys, vectors, dim).columnMeans();
        }
    }

    /**
     * Every group's queries in one job: all of them, or under {@code --queries N} the N rows with the
     * smallest {@code (xxhash64(key, seed), key)}, a seeded choice that does not depend on partitioning.
     */
    private static QuerySet[] collectQueries(Dataset<Row> queryRows, List<String> groupBy,
                                             Map<List<String>, Integer> index, int groupCount, boolean subsampled,
                                             Options o) {
        long[][] chosen = subsampled ? subsample(queryRows, groupBy, index, groupCount, o) : null;
        List<RoundScan.GroupRow> rows = tagged(queryRows, groupBy, index)
                .filter(r -> chosen == null || Arrays.binarySearch(chosen[r.group()], r.key()) >= 0)
                .collect();
        int[] counts = new int[groupCount];
        for (RoundScan.GroupRow r : rows) counts[r.group()]++;
        List<List<RoundScan.GroupRow>> byGroup = new ArrayList<>();
        for (int g = 0; g < groupCount; g++) byGroup.add(new ArrayList<>(counts[g]));
        for (RoundScan.GroupRow r : rows) byGroup.get(r.group()).add(r);
        QuerySet[] out = new QuerySet[groupCount];
        for (int g = 0; g < groupCount; g++) {
            List<RoundScan.GroupRow> group = byGroup.get(g);
            group.sort(java.util.Comparator.comparingLong(RoundScan.GroupRow::key));
            int dim = group.isEmpty() ? 0 : group.get(0).vector().length;
            long[] keys = new long[group.size()];
            float[] vectors = new float[group.size() * dim];
            for (int i = 0; i < keys.length; i++) {
                keys[i] = group.get(i).key();
                System.arraycopy(group.get(i).vector(), 0, vectors, i * dim, dim);
            }
            out[g] = new QuerySet(keys, vectors);
        }
        return out;
    }

    /** Per group, the sorted keys of its seeded query subsample (a whole group when it is smaller). */
    private static long[][] subsample(Dataset<Row> queryRows, List<String> groupBy, Map<List<String>, Integer> index,
                                      int groupCount, Options o) {
        Column[] group = ColumnNames.columns(groupBy);
        List<Column> keep = new ArrayList<>(List.of(group));
        keep.add(col(IdMapping.KEY));
        List<Row> chosen = queryRows.select(keep.toArray(new Column[0]))
                .withColumn("_rank", row_number().over(Window.partitionBy(group)
                        .orderBy(xxhash64(col(IdMapping.KEY), lit(o.seed())), col(IdMapping.KEY))))
                .filter(col("_rank").leq(o.queries()))
                .select(keep.toArray(new Column[0]))
                .collectAsList();
        List<List<Long>> keys = new ArrayList<>();
        for (int g = 0; g < groupCount; g++) keys.add(new ArrayList<>());
        for (Row r : chosen) {
            List<String> values = new ArrayList<>();
            for (int i = 0; i < groupBy.size(); i++) values.add(r.getString(i));
            keys.get(index.get(values)).add(r.getLong(groupBy.size()));
        }
        long[][] out = new long[groupCount][];
        for (int g = 0; g < groupCount; g++) {
            out[g] = keys.get(g).stream().mapToLong(Long::longValue).sorted().toArray();
        }
        return out;
    }

    /** (group index, key, vector) of every row of the indexed groups, read without boxing every coordinate. */
    private static JavaRDD<RoundScan.GroupRow> tagged(Dataset<Row> rows, List<String> groupBy,
                                                      Map<List<String>, Integer> index) {
        List<Column> columns = new ArrayList<>(List.of(ColumnNames.columns(groupBy)));
        columns.add(col(IdMapping.KEY));
        columns.add(col(ColumnNames.FEATURES));
        int n = groupBy.size();
        return rows.select(columns.toArray(new Column[0])).queryExecution().toRdd().toJavaRDD()
                .map((InternalRow r) -> {
                    List<String> values = new ArrayList<>(n);
                    for (int i = 0; i < n; i++) values.add(r.isNullAt(i) ? null : r.getUTF8String(i).toString());
                    Integer group = index.get(values);
                    return group == null ? null : new RoundScan.GroupRow(group, r.getLong(n), r.getArray(n + 1).toFloatArray());
                })
                .filter(r -> r != null); // rows of groups the caller did not ask to scan
    }

    /** Integer ids serve as keys directly; string ids are keyed by a 64-bit hash, checked for collisions. */
    public record IdMapping(boolean stringIds) implements Serializable {
        public static final String KEY = "_key";

        public static IdMapping of(Activations data) {
            return new IdMapping(data.rows().schema().apply(ColumnNames.ID).dataType() == DataTypes.StringType);
        }

        public Dataset<Row> keyed(Dataset<Row> rows, List<String> groupBy) {
            if (!stringIds) return rows.withColumn(KEY, col(ColumnNames.ID));
            Dataset<Row> keyed = rows.withColumn(KEY, xxhash64(col(ColumnNames.ID)));
            List<String> keys = new ArrayList<>(groupBy);
            keys.add(KEY);
            long collisions = keyed.groupBy(ColumnNames.columns(keys))
                    .count().filter(col("count").gt(1)).count();
            if (collisions > 0) {
                throw new InputException("string ids hash to the same 64-bit key " + collisions
                        + " times; give the rows integer ids (--id-col)");
            }
            return keyed;
        }
    }
}
