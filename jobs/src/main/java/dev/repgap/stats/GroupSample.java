package dev.repgap.stats;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.row_number;
import static org.apache.spark.sql.functions.xxhash64;

import dev.repgap.data.Activations;
import dev.repgap.data.ColumnNames;
import dev.repgap.data.GroupSummary;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.catalyst.InternalRow;
import org.apache.spark.sql.expressions.Window;
import org.apache.spark.sql.types.DataTypes;

/**
 * A seeded subsample of at most a given number of training rows per group (rows not marked test), brought to the
 * driver with their targets: the rows with the smallest {@code xxhash64(id, seed)} of their group (ties by id), so the
 * same rows whatever the partitioning or row order.
 */
public final class GroupSample {
    /** One group's rows: row-major {@code rows x dim} vectors and {@code rows x targetDim} targets, in rank order. */
    public record Rows(int rows, int dim, float[] x, double[] y) implements java.io.Serializable {}

    private GroupSample() {}

    /** The subsample of every group of {@code groups}, in their order. */
    public static List<Rows> training(Activations data, List<GroupSummary> groups, Column targets, int targetDim,
                                      int maxRows, long seed) {
        Map<List<String>, Integer> index = GroupMoments.index(groups);
        List<String> groupBy = data.names().groupBy();
        Column[] groupColumns = ColumnNames.columns(groupBy);
        List<Column> columns = new ArrayList<>(List.of(groupColumns));
        columns.add(col(ColumnNames.FEATURES));
        columns.add(targets.cast(DataTypes.createArrayType(DataTypes.DoubleType)));
        columns.add(col("_rank"));
        Column training = col(ColumnNames.SPLIT).isNull().or(col(ColumnNames.SPLIT).notEqual(lit(ColumnNames.TEST)));
        int n = groupBy.size();
        List<Object[]> collected = data.rows().filter(training)
                .withColumn("_rank", row_number().over(Window.partitionBy(groupColumns)
                        .orderBy(xxhash64(col(ColumnNames.ID), lit(seed)), col(ColumnNames.ID))))
                .filter(col("_rank").leq(maxRows))
                .select(columns.toArray(new Column[0])).queryExecution().toRdd().toJavaRDD()
                .map((InternalRow r) -> {
                    int group = GroupMoments.groupOf(r, n, index);
                    return group < 0 ? null : new Object[] {group, r.getInt(n + 2), r.getArray(n).toFloatArray(),
                            r.getArray(n + 1).toDoubleArray()};
                })
                .filter(r -> r != null)
                .collect();
        List<List<Object[]>> byGroup = new ArrayList<>();
        for (int g = 0; g < groups.size(); g++) byGroup.add(new ArrayList<>());
        for (Object[] r : collected) byGroup.get((Integer) r[0]).add(r);
        List<Rows> out = new ArrayList<>();
        for (int g = 0; g < groups.size(); g++) {
            List<Object[]> rows = byGroup.get(g);
            rows.sort(Comparator.comparingInt(r -> (Integer) r[1]));
            int dim = groups.get(g).dim();
            float[] x = new float[rows.size() * dim];
            double[] y = new double[rows.size() * targetDim];
            for (int i = 0; i < rows.size(); i++) {
                float[] v = (float[]) rows.get(i)[2];
                double[] t = (double[]) rows.get(i)[3];
                if (t.length != targetDim) {
                    throw new IllegalStateException("a row with " + t.length + " targets where " + targetDim + " are expected");
                }
                System.arraycopy(v, 0, x, i * dim, dim);
                System.arraycopy(t, 0, y, i * targetDim, targetDim);
            }
            out.add(new Rows(rows.size(), dim, x, y));
        }
        return out;
    }
}
