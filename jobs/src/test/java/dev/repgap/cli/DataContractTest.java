package dev.repgap.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.apache.spark.ml.linalg.SQLDataTypes;
import org.apache.spark.ml.linalg.Vectors;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Every way input can break the data contract gets a clear error, exit code 2 and no output. */
class DataContractTest {
    @TempDir Path tmp;

    private static final DataType FLOATS = DataTypes.createArrayType(DataTypes.FloatType);

    private String parquet(String name, StructType schema, List<Row> rows) {
        SparkSession spark = Repgap.spark();
        String path = tmp.resolve(name).toString();
        spark.createDataFrame(rows, schema).coalesce(1).write().parquet(path);
        return path;
    }

    private static StructType schema(Object... nameAndType) {
        List<StructField> f = new ArrayList<>();
        for (int i = 0; i < nameAndType.length; i += 2) {
            f.add(DataTypes.createStructField((String) nameAndType[i], (DataType) nameAndType[i + 1], true));
        }
        return new StructType(f.toArray(new StructField[0]));
    }

    private static List<Row> vectors(float[]... rows) {
        List<Row> out = new ArrayList<>();
        for (int i = 0; i < rows.length; i++) out.add(RowFactory.create((long) i, rows[i], "train"));
        return out;
    }

    private static final StructType ID_FEATURES_SPLIT = schema("id", DataTypes.LongType, "features", FLOATS,
            "split", DataTypes.StringType);

    /** Runs describe with an output repository and checks it fails cleanly, naming what it should. */
    private Repgap.Result failsWith(String input, String... mustMention) throws Exception {
        Path out = tmp.resolve("results-" + System.nanoTime());
        List<String> args = new ArrayList<>(List.of("describe", "--input", input, "--out", out.toString()));
        Repgap.Result r = Repgap.run(args.toArray(new String[0]));
        assertEquals(2, r.code(), r.toString());
        for (String m : mustMention) assertTrue(r.err().contains(m), "error should mention '" + m + "': " + r);
        assertFalse(Files.exists(out.resolve("metrics")), "nothing may be written on bad input");
        assertTrue(r.out().isEmpty(), r.toString());
        return r;
    }

    @Test
    void missingInputPath() throws Exception {
        failsWith(tmp.resolve("nowhere").toString(), "nowhere", "no such file or directory");
    }

    @Test
    void directoryWithoutParquet() throws Exception {
        Path dir = Files.createDirectories(tmp.resolve("notparquet"));
        Files.writeString(dir.resolve("x.parquet"), "hello, not parquet");
        failsWith(dir.toString(), "notparquet", "Parquet");
    }

    @Test
    void missingFeaturesColumnListsTheColumns() throws Exception {
        String in = parquet("nofeatures", schema("id", DataTypes.LongType, "emb", FLOATS),
                List.of(RowFactory.create(1L, new float[] {1f})));
        failsWith(in, "nofeatures", "no column 'features'", "--features-col", "emb array<float>");
    }

    @Test
    void mistypedFeaturesAndIdColumns() throws Exception {
        String strings = parquet("strings", schema("features", DataTypes.StringType),
                List.of(RowFactory.create("1,2")));
        failsWith(strings, "column 'features' has type string", "expected array<float>, array<double> or an MLlib vector");
        String doubleIds = parquet("doubleids", schema("id", DataTypes.DoubleType, "features", FLOATS),
                List.of(RowFactory.create(1.5, new float[] {1f})));
        failsWith(doubleIds, "column 'id' has type double", "integer or string id");
    }

    @Test
    void vectorsOfDifferentLengthsNameBothRows() throws Exception {
        String in = parquet("ragged", ID_FEATURES_SPLIT,
                vectors(new float[] {1, 2, 3}, new float[] {1, 2, 3}, new float[] {1, 2}, new float[] {4, 5, 6}));
        failsWith(in, "ragged", "different lengths", "row id 2 has 2 values", "has 3");
    }

    @Test
    void nanFailsByDefaultAndIsDroppedOnRequest() throws Exception {
        String in = parquet("nan", ID_FEATURES_SPLIT, vectors(new float[] {1, 2}, new float[] {Float.NaN, 1},
                new float[] {3, 4}, new float[] {5, 7}, new float[] {1, Float.POSITIVE_INFINITY}));
        failsWith(in, "nan", "2 of 5 rows have a missing, NaN or infinite value", "row id 1", "--drop-invalid");

        Repgap.Result ok = Repgap.run("describe", "--input", in, "--drop-invalid", "--json");
        assertEquals(0, ok.code(), ok.toString());
        assertTrue(ok.out().contains("\"metric\":\"describe.invalid_dropped\"") && ok.out().contains("\"value\":2.0"), ok.out());
        assertTrue(ok.out().contains("\"metric\":\"describe.rows\",\"param\":null,\"value\":3.0"), ok.out());
    }

    @Test
    void everyKindOfInvalidValueIsFoundAndNothingElse() throws Exception {
        String in = parquet("kinds", ID_FEATURES_SPLIT, List.of(
                RowFactory.create(0L, new Float[] {1f, 2f}, "train"),
                RowFactory.create(1L, new Float[] {1f, null}, "train"),
                RowFactory.create(2L, new Float[] {Float.NEGATIVE_INFINITY, 0f}, "train"),
                RowFactory.create(3L, new Float[] {Float.MAX_VALUE, -Float.MAX_VALUE}, "train"),
                RowFactory.create(4L, new Float[] {-0f, Float.MIN_VALUE}, "train"),
                RowFactory.create(5L, new Float[] {3f, Float.NaN}, "train"),
                RowFactory.create(6L, new Float[] {Float.POSITIVE_INFINITY, null}, "train")));
        failsWith(in, "4 of 7 rows have a missing, NaN or infinite value", "row id 1");
        Repgap.Result ok = Repgap.run("describe", "--input", in, "--drop-invalid", "--json");
        assertEquals(0, ok.code(), ok.toString());
        assertTrue(ok.out().contains("\"metric\":\"describe.invalid_dropped\",\"param\":null,\"value\":4.0"), ok.out());
        assertTrue(ok.out().contains("\"metric\":\"describe.rows\",\"param\":null,\"value\":3.0"), ok.out());
    }

    @Test
    void nullVectorIsInvalid() throws Exception {
        String in = parquet("nullvec", ID_FEATURES_SPLIT,
                List.of(RowFactory.create(0L, new float[] {1}, "train"), RowFactory.create(7L, null, "train")));
        failsWith(in, "row id 7");
    }

    @Test
    void unknownSplitValue() throws Exception {
        String in = parquet("splits", ID_FEATURES_SPLIT, List.of(RowFactory.create(0L, new float[] {1}, "train"),
                RowFactory.create(1L, new float[] {2}, "val"), RowFactory.create(2L, new float[] {3}, "test")));
        failsWith(in, "column 'split'", "row id 1 has 'val'", "'train' or 'test'");
    }

    @Test
    void emptyInput() throws Exception {
        String in = parquet("empty", ID_FEATURES_SPLIT, List.of());
        failsWith(in, "empty", "no rows");
    }

    @Test
    void groupThatIsEmptyOrTooSmall() throws Exception {
        StructType s = schema("id", DataTypes.LongType, "features", FLOATS, "layer", DataTypes.StringType);
        String in = parquet("groups", s, List.of(RowFactory.create(0L, new float[] {1}, "a"),
                RowFactory.create(1L, new float[] {2}, "a"), RowFactory.create(2L, new float[] {3}, "b"),
                RowFactory.create(3L, new float[] {Float.NaN}, "c")));
        Repgap.Result small = Repgap.run("describe", "--input", in, "--group-by", "layer", "--drop-invalid");
        assertEquals(2, small.code(), small.toString());
        assertTrue(small.err().contains("group layer=b: only 1 rows; describe needs at least 2"), small.toString());

        String onlyInvalid = parquet("groups2", s, List.of(RowFactory.create(0L, new float[] {1}, "a"),
                RowFactory.create(1L, new float[] {2}, "a"), RowFactory.create(3L, new float[] {Float.NaN}, "c")));
        Repgap.Result empty = Repgap.run("describe", "--input", onlyInvalid, "--group-by", "layer", "--drop-invalid");
        assertEquals(2, empty.code(), empty.toString());
        assertTrue(empty.err().contains("group layer=c: the group is empty after dropping 1 invalid rows"), empty.toString());
    }

    @Test
    void duplicateIdsWithinAGroup() throws Exception {
        String in = parquet("dupids", ID_FEATURES_SPLIT, List.of(RowFactory.create(5L, new float[] {1}, "train"),
                RowFactory.create(5L, new float[] {2}, "test"), RowFactory.create(6L, new float[] {3}, "test")));
        failsWith(in, "column 'id': id 5 appears 2 times");
    }

    @Test
    void missingGroupByColumn() throws Exception {
        String in = parquet("nogroup", ID_FEATURES_SPLIT, vectors(new float[] {1}, new float[] {2}));
        Repgap.Result r = Repgap.run("describe", "--input", in, "--group-by", "layer");
        assertEquals(2, r.code(), r.toString());
        assertTrue(r.err().contains("no column 'layer' (a --group-by column)"), r.toString());
    }

    @Test
    void mllibVectorsDoublesAndStringIdsAreAccepted() throws Exception {
        StructType s = schema("name", DataTypes.StringType, "emb", SQLDataTypes.VectorType());
        String in = parquet("mlvec", s, Arrays.asList(
                RowFactory.create("a", Vectors.dense(1, 0)), RowFactory.create("b", Vectors.sparse(2, new int[] {1}, new double[] {1})),
                RowFactory.create("c", Vectors.dense(1, 0))));
        Repgap.Result r = Repgap.run("describe", "--input", in, "--features-col", "emb", "--id-col", "name", "--json");
        assertEquals(0, r.code(), r.toString());
        assertTrue(r.out().contains("\"metric\":\"describe.duplicates\",\"param\":null,\"value\":1.0"), r.out());
        assertTrue(r.out().contains("\"metric\":\"describe.dim\",\"param\":null,\"value\":2.0"), r.out());

        String doubles = parquet("doubles", schema("features", DataTypes.createArrayType(DataTypes.DoubleType)),
                List.of(RowFactory.create(new double[] {1, 2}), RowFactory.create(new double[] {3, 5})));
        Repgap.Result d = Repgap.run("describe", "--input", doubles, "--json");
        assertEquals(0, d.code(), d.toString());
        assertTrue(d.out().contains("\"metric\":\"describe.rank\",\"param\":null,\"value\":1.0"), d.out());
    }
}
