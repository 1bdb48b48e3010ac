package dev.repgap.knn;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.xxhash64;

import dev.repgap.data.Activations;
import dev.repgap.data.ColumnNames;
import dev.repgap.data.GroupSummary;
import dev.repgap.data.InputException;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.catalyst.InternalRow;
import org.apache.spark.sql.types.DataTypes;
import scala.Tuple2;

/**
 * Exact k nearest neighbours on Spark, per group. The queries (a seeded subsample, or all) are
 * collected and broadcast in rounds that fit a memory budget; the references stream through each
 * task block by block; each task keeps one bounded neighbour list per query, and the lists of all
 * tasks merge exactly. No task ever holds more than a block of references and the round's queries.
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
        Dataset<Row> keyed = ids.keyed(data.rows(), data.names().groupBy());
        List<GroupNeighbours> out = new ArrayList<>();
        for (GroupSummary g : data.groups()) {
            Dataset<Row> rows = keyed.filter(g.key().filter());
            Dataset<Row> references = o.mode() == ScanMode.SELF ? rows : rows.filter(col(ColumnNames.SPLIT).equalTo(ColumnNames.TRAIN));
            Dataset<Row> queries = o.mode() == ScanMode.SELF ? rows : rows.filter(col(ColumnNames.SPLIT).equalTo(ColumnNames.TEST));
            long available = o.mode() == ScanMode.SELF ? g.rows() : g.test();
            long queryCount = o.queries() > 0 ? Math.min(available, o.queries()) : available;
            if (queryCount < available) {
                // A seeded subsample that does not depend on partitioning: the rows with the smallest hashes.
                queries = queries.orderBy(xxhash64(col(IdMapping.KEY), lit(o.seed())), col(IdMapping.KEY)).limit((int) o.queries());
            }
            references = spread(references, o.partitions());
            long referenceCount = o.mode() == ScanMode.SELF ? g.rows() : g.train();
            Scanned scanned = scan(data, queries, references, g.dim(), o);
            LOG.info("group {}: {} queries x {} references x {} dims scanned with kernel {}", g.key(),
                    queryCount, referenceCount,
                    g.dim(), scanned.kernel());
            out.add(new GroupNeighbours(g, referenceCount, scanned.lists(), scanned.kernel(), scanned.queryVectors()));
        }
        return new Result(out, ids, keyed);
    }

    /** The references in {@code partitions} tasks, or by default in at least one task per core. */
    private static Dataset<Row> spread(Dataset<Row> references, int partitions) {
        if (partitions > 0) return references.repartition(partitions);
        int cores = references.sparkSession().sparkContext().defaultParallelism();
        return references.rdd().getNumPartitions() < cores ? references.repartition(cores) : references;
    }

    private record Scanned(List<NeighbourLists> lists, String kernel, float[] queryVectors) {}

    private static Scanned scan(Activations data, Dataset<Row> queries, Dataset<Row> references, int dim, Options o) {
        // In key order, so that everything computed per query (bootstraps too) ignores partitioning.
        List<Tuple2<Long, float[]>> collected = new ArrayList<>(vectors(queries).collect());
        collected.sort(java.util.Comparator.comparing(Tuple2::_1));
        long[] ids = new long[collected.size()];
        float[] matrix = new float[collected.size() * dim];
        float[] centre = new float[dim];
        for (int i = 0; i < ids.length; i++) {
            ids[i] = collected.get(i)._1();
            float[] v = collected.get(i)._2();
            System.arraycopy(v, 0, matrix, i * dim, dim);
        }
        double[] sum = new double[dim];
        for (int i = 0; i < ids.length; i++) for (int j = 0; j < dim; j++) sum[j] += matrix[i * dim + j];
        for (int j = 0; j < dim; j++) centre[j] = (float) (sum[j] / Math.max(1, ids.length));

        JavaSparkContext jsc = JavaSparkContext.fromSparkContext(data.rows().sparkSession().sparkContext());
        List<NeighbourLists> lists = new ArrayList<>();
        String kernel = null;
        JavaRDD<Tuple2<Long, float[]>> referenceRows = vectors(references);
        for (List<DenseBlock> round : QueryBlocks.rounds(QueryBlocks.blocks(ids, matrix, dim, o.queryBlockRows()),
                o.k(), o.roundBytes())) {
            Broadcast<List<DenseBlock>> blocks = jsc.broadcast(round);
            Tuple2<List<NeighbourLists>, String> merged = referenceRows
                    .mapPartitions(it -> List.of(scanPartition(it, blocks.value(), dim, centre, o)).iterator())
                    .treeReduce(KnnJob::merge, 2);
            lists.addAll(merged._1());
            kernel = merged._2();
            blocks.destroy();
        }
        return new Scanned(lists, kernel, matrix);
    }

    /** (key, vector) pairs, read without boxing every coordinate. */
    private static JavaRDD<Tuple2<Long, float[]>> vectors(Dataset<Row> rows) {
        return rows.select(col(IdMapping.KEY), col(ColumnNames.FEATURES)).queryExecution().toRdd().toJavaRDD()
                .map((InternalRow r) -> new Tuple2<>(r.getLong(0), r.getArray(1).toFloatArray()));
    }

    private static Tuple2<List<NeighbourLists>, String> scanPartition(Iterator<Tuple2<Long, float[]>> rows,
            List<DenseBlock> queryBlocks, int dim, float[] centre, Options o) {
        NeighbourScan scan = new NeighbourScan(o.mode(), centre);
        List<NeighbourLists> states = new ArrayList<>();
        for (DenseBlock q : queryBlocks) states.add(NeighbourScan.newState(q, o.k()));
        int blockRows = o.referenceBlockRows();
        long[] ids = new long[blockRows];
        float[] buffer = new float[blockRows * dim];
        int n = 0;
        while (rows.hasNext()) {
            Tuple2<Long, float[]> r = rows.next();
            ids[n] = r._1();
            System.arraycopy(r._2(), 0, buffer, n * dim, dim);
            if (++n == blockRows) {
                scan.scan(queryBlocks, states, DenseBlock.of(ids.clone(), buffer.clone(), dim));
                n = 0;
            }
        }
        if (n > 0) {
            scan.scan(queryBlocks, states, DenseBlock.of(java.util.Arrays.copyOf(ids, n),
                    java.util.Arrays.copyOf(buffer, n * dim), dim));
        }
        return new Tuple2<>(states, scan.kernel().name());
    }

    private static Tuple2<List<NeighbourLists>, String> merge(Tuple2<List<NeighbourLists>, String> a,
                                                             Tuple2<List<NeighbourLists>, String> b) {
        List<NeighbourLists> out = new ArrayList<>(a._1().size());
        for (int i = 0; i < a._1().size(); i++) out.add(a._1().get(i).merge(b._1().get(i)));
        return new Tuple2<>(out, a._2());
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
