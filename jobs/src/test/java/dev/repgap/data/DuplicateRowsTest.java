package dev.repgap.data;

import dev.repgap.knn.ScanRows;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.xxhash64;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;

/** Duplicates are found by hash but decided by the vectors: a planted hash collision changes nothing. */
class DuplicateRowsTest {
    private static final StructType SCHEMA = new StructType()
            .add("id", DataTypes.LongType).add("features", DataTypes.createArrayType(DataTypes.FloatType))
            .add("layer", DataTypes.StringType);

    private static SparkSession spark() {
        return ScanRows.spark();
    }

    private static Dataset<Row> rows() {
        float[] v = {1, 2, 3};
        float[] w = {1, 2, 3.0000002f}; // v with its last coordinate one float32 step up
        List<Row> rows = List.of(
                RowFactory.create(5L, v, "a"), RowFactory.create(2L, v, "a"), RowFactory.create(9L, v, "a"),
                RowFactory.create(3L, w, "a"), RowFactory.create(1L, new float[] {4, 5, 6}, "a"),
                RowFactory.create(7L, new float[] {0f, 1, 1}, "a"), RowFactory.create(8L, new float[] {-0f, 1, 1}, "a"),
                RowFactory.create(11L, v, "b"), RowFactory.create(12L, w, "b"),
                RowFactory.create(4L, v, null), RowFactory.create(2L, v, null));
        return spark().createDataFrame(rows, SCHEMA).repartition(3);
    }

    /** Group (null as "null") to the ids left after dropping the redundant rows. */
    private static Map<String, TreeSet<Long>> kept(DuplicateRows d, Dataset<Row> rows) {
        Map<String, TreeSet<Long>> out = new TreeMap<>();
        for (Row r : d.withoutRedundant(rows).collectAsList()) {
            out.computeIfAbsent(String.valueOf(r.<String>getAs("layer")), k -> new TreeSet<>()).add(r.<Long>getAs("id"));
        }
        return out;
    }

    private static GroupKey layer(String value) {
        LinkedHashMap<String, String> m = new LinkedHashMap<>();
        m.put("layer", value);
        return new GroupKey(m);
    }

    @Test
    void equalVectorsOnlyWhateverTheHash() {
        Dataset<Row> rows = rows();
        Map<String, TreeSet<Long>> expected = Map.of(
                "a", new TreeSet<>(List.of(1L, 2L, 3L, 7L)),
                "b", new TreeSet<>(List.of(11L, 12L)),
                "null", new TreeSet<>(List.of(2L)));
        // The real hash, and a constant one under which every pair of rows collides.
        List<Column> hashes = new ArrayList<>(List.of(xxhash64(col("features")), lit(0L)));
        for (Column hash : hashes) {
            DuplicateRows d = DuplicateRows.find(rows, List.of("layer"), hash);
            // a: v three times (ids 2, 5, 9: 2 kept) and 0 / -0 (7 kept); w differs from v in one coordinate.
            assertEquals(new DuplicateRows.Counts(3, 2), d.counts(layer("a")), hash.toString());
            assertEquals(DuplicateRows.Counts.NONE, d.counts(layer("b")), hash.toString());
            assertEquals(new DuplicateRows.Counts(1, 1), d.counts(layer(null)), hash.toString());
            assertEquals(expected, kept(d, rows), hash.toString());
        }
    }

    @Test
    void noDuplicatesNoSecondPass() {
        Dataset<Row> rows = rows().filter(col("id").leq(3L).and(col("layer").equalTo("a")));
        DuplicateRows d = DuplicateRows.find(rows, List.of("layer"), xxhash64(col("features")));
        assertEquals(DuplicateRows.Counts.NONE, d.counts(layer("a")));
        assertEquals(rows, d.withoutRedundant(rows));
    }
}
