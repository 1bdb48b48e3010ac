package dev.repgap.knn;

import static org.apache.spark.sql.functions.col;

import dev.repgap.data.ColumnNames;
import dev.repgap.data.GroupKey;
import dev.repgap.data.InputException;
import dev.repgap.results.MetricRow;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

/** Writes per-query neighbours as Parquet (whole or not at all) and sums them up as result rows. */
public final class KnnOutput {
    private KnnOutput() {}

    /** Per group: queries, references, median first and k-th neighbour distance, queries with exact duplicates. */
    public static List<MetricRow> summary(KnnJob.Result result, int k) {
        List<MetricRow> out = new ArrayList<>();
        for (KnnJob.GroupNeighbours g : result.groups()) {
            GroupKey key = g.group().key();
            List<Double> first = new ArrayList<>(), kth = new ArrayList<>();
            long queries = 0, withDuplicates = 0, duplicatePairs = 0;
            for (NeighbourLists l : g.lists()) {
                for (int q = 0; q < l.queries(); q++) {
                    queries++;
                    int size = l.size(q);
                    if (size > 0) first.add(Math.sqrt(l.squaredDistance(q, 0)));
                    if (size == k) kth.add(Math.sqrt(l.squaredDistance(q, k - 1)));
                    if (l.exactDuplicates(q) > 0) withDuplicates++;
                    duplicatePairs += l.exactDuplicates(q);
                }
            }
            out.add(MetricRow.of(key, "knn.queries", null, queries, queries).withDetails("kernel=" + g.kernel()));
            out.add(MetricRow.of(key, "knn.references", null, g.references(), g.references()));
            if (!first.isEmpty()) out.add(MetricRow.of(key, "knn.r1_median", null, median(first), (long) first.size()));
            if (!kth.isEmpty()) out.add(MetricRow.of(key, "knn.rk_median", "k=" + k, median(kth), (long) kth.size()));
            out.add(MetricRow.of(key, "knn.duplicate_queries", null, withDuplicates, queries)
                    .withDetails(duplicatePairs + " (query, reference) pairs at distance 0"));
        }
        return out;
    }

    private static double median(List<Double> values) {
        double[] v = values.stream().mapToDouble(Double::doubleValue).sorted().toArray();
        int m = v.length / 2;
        return v.length % 2 == 1 ? v[m] : (v[m - 1] + v[m]) / 2;
    }

    /** Writes the neighbour table to {@code out}, which must not exist yet; it appears by one rename. */
    public static Path write(SparkSession spark, KnnJob.Result result, List<String> groupBy, String out) {
        Path target = new Path(out);
        Map<Long, String> idOf = result.ids().stringIds() ? stringIds(spark, result) : Map.of();
        DataType idType = result.ids().stringIds() ? DataTypes.StringType : DataTypes.LongType;
        List<StructField> fields = new ArrayList<>();
        for (String g : groupBy) fields.add(DataTypes.createStructField(g, DataTypes.StringType, true));
        fields.add(DataTypes.createStructField("query_id", idType, false));
        fields.add(DataTypes.createStructField("neighbour_ids", DataTypes.createArrayType(idType, false), false));
        fields.add(DataTypes.createStructField("distances", DataTypes.createArrayType(DataTypes.DoubleType, false), false));
        fields.add(DataTypes.createStructField("exact_duplicates", DataTypes.LongType, false));

        List<Row> rows = new ArrayList<>();
        for (KnnJob.GroupNeighbours g : result.groups()) {
            List<Object> groupValues = new ArrayList<>(g.group().key().values().values());
            for (NeighbourLists l : g.lists()) {
                for (int q = 0; q < l.queries(); q++) {
                    int size = l.size(q);
                    Object[] neighbours = new Object[size];
                    double[] distances = new double[size];
                    for (int r = 0; r < size; r++) {
                        neighbours[r] = id(idOf, l.neighbourId(q, r));
                        distances[r] = Math.sqrt(l.squaredDistance(q, r));
                    }
                    List<Object> v = new ArrayList<>(groupValues);
                    v.add(id(idOf, l.queryId(q)));
                    v.add(neighbours);
                    v.add(distances);
                    v.add(l.exactDuplicates(q));
                    rows.add(RowFactory.create(v.toArray()));
                }
            }
        }
        try {
            FileSystem fs = target.getFileSystem(spark.sparkContext().hadoopConfiguration());
            if (fs.exists(target)) throw new InputException("output " + out + " exists; choose a new --out");
            Path staging = new Path(target.getParent(), "." + target.getName() + ".staging-" + UUID.randomUUID());
            try {
                spark.createDataFrame(rows, new StructType(fields.toArray(new StructField[0]))).write().parquet(staging.toString());
                if (!fs.rename(staging, target)) throw new IOException("cannot rename " + staging + " to " + target);
            } finally {
                if (fs.exists(staging)) fs.delete(staging, true);
            }
        } catch (IOException e) {
            throw new dev.repgap.io.OutputException("output " + out + ": cannot write: " + e.getMessage(), e);
        }
        return target;
    }

    private static Object id(Map<Long, String> idOf, long key) {
        return idOf.isEmpty() ? (Object) key : idOf.get(key);
    }

    /** The string id of every key that appears in the results, looked up by a join on the keys alone. */
    private static Map<Long, String> stringIds(SparkSession spark, KnnJob.Result result) {
        Set<Long> keys = new HashSet<>();
        for (KnnJob.GroupNeighbours g : result.groups()) {
            for (NeighbourLists l : g.lists()) {
                for (int q = 0; q < l.queries(); q++) {
                    keys.add(l.queryId(q));
                    for (int r = 0; r < l.size(q); r++) keys.add(l.neighbourId(q, r));
                }
            }
        }
        return stringIds(spark, result.keyed(), keys);
    }

    /** The string id of each of these keys among the keyed rows, looked up by a join on the keys alone. */
    public static Map<Long, String> stringIds(SparkSession spark, Dataset<Row> keyed, java.util.Collection<Long> keys) {
        Dataset<Row> wanted = spark.createDataset(new ArrayList<>(keys), Encoders.LONG()).toDF(KnnJob.IdMapping.KEY);
        Map<Long, String> idOf = new HashMap<>();
        for (Row r : keyed.select(col(KnnJob.IdMapping.KEY), col(ColumnNames.ID))
                .join(org.apache.spark.sql.functions.broadcast(wanted), KnnJob.IdMapping.KEY).distinct().collectAsList()) {
            idOf.put(r.getLong(0), r.getString(1));
        }
        return idOf;
    }
}
