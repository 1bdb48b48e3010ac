package dev.repgap.knn;

import dev.repgap.data.Activations;
import dev.repgap.data.ColumnNames;
import dev.repgap.data.GroupKey;
import dev.repgap.data.GroupSummary;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Random;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/** Small activation tables built in memory for the scan tests: groups {@code layer=l0, l1, ...} of uniform rows. */
public final class ScanRows {
    private static final StructType SCHEMA = new StructType()
            .add(ColumnNames.ID, DataTypes.LongType, false)
            .add(ColumnNames.FEATURES, DataTypes.createArrayType(DataTypes.FloatType, false), false)
            .add(ColumnNames.SPLIT, DataTypes.StringType)
            .add(ColumnNames.LABEL, DataTypes.IntegerType)
            .add("layer", DataTypes.StringType);

    private ScanRows() {}

    public static SparkSession spark() {
        return SparkSession.builder().master("local[2]").appName("repgap tests")
                .config("spark.ui.enabled", "false")
                .config("spark.driver.host", "127.0.0.1")
                .config("spark.driver.bindAddress", "127.0.0.1")
                .config("spark.sql.shuffle.partitions", "4")
                .getOrCreate();
    }

    public static GroupKey layer(String value) {
        LinkedHashMap<String, String> m = new LinkedHashMap<>();
        m.put("layer", value);
        return new GroupKey(m);
    }

    /**
     * {@code groups} groups, group g of dimension {@code 2 + g % 3} with {@code train} training and {@code test}
     * test rows, ids unique per group (the test rows' after the training rows'), seeded per group, labels 0..2,
     * {@code partitions} partitions. With {@code ties} coordinates are drawn from 0..3 in steps of 1/4 (many
     * equal distances and exact duplicates), else uniform in [0, 1).
     */
    public static Activations table(int groups, int train, int test, long seed, int partitions, boolean ties) {
        List<Row> rows = new ArrayList<>();
        List<GroupSummary> summaries = new ArrayList<>();
        for (int g = 0; g < groups; g++) {
            int dim = 2 + g % 3;
            Random random = new Random(seed * 1000 + g);
            for (int i = 0; i < train + test; i++) {
                float[] v = new float[dim];
                for (int c = 0; c < dim; c++) v[c] = ties ? random.nextInt(13) / 4f : random.nextFloat();
                rows.add(RowFactory.create((long) i, v, i < train ? ColumnNames.TRAIN : ColumnNames.TEST, i % 3, "l" + g));
            }
            summaries.add(new GroupSummary(layer("l" + g), train + test, train, test, dim, 0));
        }
        Dataset<Row> data = spark().createDataFrame(rows, SCHEMA).repartition(partitions).cache();
        ColumnNames names = new ColumnNames(ColumnNames.FEATURES, ColumnNames.ID, true, ColumnNames.SPLIT,
                ColumnNames.LABEL, List.of("layer"));
        return new Activations("memory", data, names, summaries, false);
    }
}
