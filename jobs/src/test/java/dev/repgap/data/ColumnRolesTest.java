package dev.repgap.data;

import dev.repgap.knn.ScanRows;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Roles beyond the core ones, exercised through one no analysis uses yet (the numeric target): read by their kind,
 * validated, dropped with --drop-invalid, required or left unread.
 */
class ColumnRolesTest {
    @TempDir Path tmp;

    private static final DataType FLOATS = DataTypes.createArrayType(DataTypes.FloatType);
    private static final DataType DOUBLES = DataTypes.createArrayType(DataTypes.DoubleType);
    private static final Requirement NEEDS_TARGET = Requirement.rows("krr", 1).needing(ColumnRole.TARGET);

    private static SparkSession spark() {
        return ScanRows.spark();
    }

    private static StructType schema(String targetName, DataType targetType) {
        return new StructType(new StructField[] {
            DataTypes.createStructField("id", DataTypes.LongType, true),
            DataTypes.createStructField("features", FLOATS, true),
            DataTypes.createStructField(targetName, targetType, true)});
    }

    private String parquet(String name, StructType schema, List<Row> rows) {
        String path = tmp.resolve(name).toString();
        spark().createDataFrame(rows, schema).coalesce(1).write().parquet(path);
        return path;
    }

    /** Rows 0..n-1 with features (i, 1) and the given targets. */
    private static List<Row> rows(Object... targets) {
        List<Row> out = new ArrayList<>();
        for (int i = 0; i < targets.length; i++) out.add(RowFactory.create((long) i, new float[] {i, 1}, targets[i]));
        return out;
    }

    private static Activations load(String input, ColumnNames names, boolean dropInvalid, Requirement need) {
        return new ActivationLoader(spark()).load(input, names, dropInvalid, need);
    }

    /** The canonical target of each row, by id. */
    private static Map<Long, List<Double>> targets(Activations a) {
        Map<Long, List<Double>> out = new TreeMap<>();
        for (Row r : a.rows().select("id", "target").collectAsList()) out.put(r.getLong(0), r.getList(1));
        return out;
    }

    @Test
    void aScalarTargetIsAVectorOfOne() {
        String in = parquet("scalar", schema("target", DataTypes.DoubleType), rows(0.5, -2.0, 3.0));
        Activations a = load(in, ColumnNames.defaults(List.of()), false, NEEDS_TARGET);
        try {
            assertEquals(DOUBLES, a.rows().schema().apply("target").dataType());
            assertEquals(Map.of(0L, List.of(0.5), 1L, List.of(-2.0), 2L, List.of(3.0)), targets(a));
            GroupSummary g = a.groups().get(0);
            assertEquals(1, g.length(ColumnRole.TARGET));
            assertEquals(2, g.length(ColumnRole.FEATURES));
            assertTrue(a.has(ColumnRole.TARGET));
        } finally {
            a.rows().unpersist();
        }
    }

    @Test
    void aFloatArrayTargetFromAChosenColumnIsADoubleArray() {
        String in = parquet("floats", schema("y", FLOATS),
                rows(new float[] {1, 0.25f, -3}, new float[] {0, 0, 1e30f}, new float[] {2, 2, 2}));
        ColumnNames names = ColumnNames.defaults(List.of()).with(ColumnRole.TARGET, "y", true);
        Activations a = load(in, names, false, NEEDS_TARGET);
        try {
            assertEquals(DOUBLES, a.rows().schema().apply("target").dataType());
            assertEquals(List.of(1.0, 0.25, -3.0), targets(a).get(0L));
            assertEquals((double) 1e30f, targets(a).get(1L).get(2));
            assertEquals(3, a.groups().get(0).length(ColumnRole.TARGET));
        } finally {
            a.rows().unpersist();
        }
    }

    @Test
    void aRoleTheAnalysisDoesNotUseIsNotRead() {
        // A target column of a type no target may have: not an error, since nothing reads it.
        String in = parquet("unused", schema("target", DataTypes.StringType), rows("a", "b"));
        Activations a = load(in, ColumnNames.defaults(List.of()), false, Requirement.rows("describe", 1));
        try {
            assertFalse(List.of(a.rows().columns()).contains("target"), String.join(",", a.rows().columns()));
            assertFalse(a.has(ColumnRole.TARGET));
        } finally {
            a.rows().unpersist();
        }
        InputException e = assertThrows(InputException.class,
                () -> load(in, ColumnNames.defaults(List.of()), false, NEEDS_TARGET));
        assertTrue(e.getMessage().contains("column 'target' has type string; expected a number, an array of numbers"),
                e.getMessage());
    }

    @Test
    void aNaNOrMissingTargetFailsNamingColumnAndRowUnlessDropped() {
        String in = parquet("nan", schema("y", DOUBLES),
                rows(new double[] {1, 2}, new double[] {Double.NaN, 0}, new double[] {3, 4}, null));
        ColumnNames names = ColumnNames.defaults(List.of()).with(ColumnRole.TARGET, "y", true);
        InputException e = assertThrows(InputException.class, () -> load(in, names, false, NEEDS_TARGET));
        assertTrue(e.getMessage().contains("column 'y': 2 of 4 rows have a missing, NaN or infinite value (first: row id 1)"),
                e.getMessage());
        assertTrue(e.getMessage().contains("--drop-invalid"), e.getMessage());
        assertFalse(e.getMessage().contains("float32"), e.getMessage());

        Activations a = load(in, names, true, NEEDS_TARGET);
        try {
            assertEquals(Set.of(0L, 2L), targets(a).keySet());
            assertEquals(2, a.groups().get(0).rows());
            assertEquals(2, a.droppedInvalid());
            assertEquals(2, a.rows().count());
        } finally {
            a.rows().unpersist();
        }
    }

    @Test
    void targetsOfDifferentLengthsInAGroupFail() {
        String in = parquet("ragged", schema("target", DOUBLES), rows(new double[] {1, 2}, new double[] {3}));
        InputException e = assertThrows(InputException.class,
                () -> load(in, ColumnNames.defaults(List.of()), false, NEEDS_TARGET));
        assertTrue(e.getMessage().contains("column 'target': vectors of different lengths: row id 1 has 1 values, row id 0"
                + " has 2"), e.getMessage());
    }

    @Test
    void aMissingRequiredRoleNamesColumnOptionAndTheColumnsThereAre() {
        String in = parquet("notarget", schema("label", DataTypes.StringType), rows("a", "b"));
        InputException e = assertThrows(InputException.class,
                () -> load(in, ColumnNames.defaults(List.of()), false, NEEDS_TARGET));
        assertTrue(e.getMessage().startsWith("input " + in + ": no column 'target' (the numeric targets; choose it with"
                + " --target-col); its columns are: id bigint, features array<float>, label string"), e.getMessage());

        // Read only if present: absent is fine, unless its column was chosen explicitly.
        Requirement reads = Requirement.rows("krr", 1).reading(ColumnRole.TARGET);
        Activations a = load(in, ColumnNames.defaults(List.of()), false, reads);
        try {
            assertFalse(a.has(ColumnRole.TARGET));
            assertEquals(2, a.groups().get(0).rows());
        } finally {
            a.rows().unpersist();
        }
        ColumnNames chosen = ColumnNames.defaults(List.of()).with(ColumnRole.TARGET, "y", true);
        InputException given = assertThrows(InputException.class, () -> load(in, chosen, false, reads));
        assertTrue(given.getMessage().contains("no column 'y' (the numeric targets given by --target-col)"),
                given.getMessage());
    }

    @Test
    void aTableTheCallerHoldsIsLoadedUnderItsName() {
        Dataset<Row> raw = spark().createDataFrame(rows(1, 2, 3), schema("t", DataTypes.IntegerType));
        ColumnNames names = ColumnNames.defaults(List.of()).with(ColumnRole.TARGET, "t", true);
        Activations a = new ActivationLoader(spark()).load(raw, "my table", names, false, NEEDS_TARGET);
        try {
            assertEquals("my table", a.input());
            assertEquals(Map.of(0L, List.of(1.0), 1L, List.of(2.0), 2L, List.of(3.0)), targets(a));
        } finally {
            a.rows().unpersist();
        }
        InputException e = assertThrows(InputException.class, () -> new ActivationLoader(spark())
                .load(raw, "my table", ColumnNames.defaults(List.of()), false, NEEDS_TARGET));
        assertTrue(e.getMessage().startsWith("input my table: no column 'target'"), e.getMessage());
    }

    @Test
    void sourceIdsKeepTheirTypeAndMayBeNull() {
        StructType schema = schema("source", DataTypes.StringType);
        String in = parquet("source", schema, rows("a", null, "a"));
        Requirement need = Requirement.rows("perturbation", 1).needing(ColumnRole.SOURCE);
        Activations a = load(in, ColumnNames.defaults(List.of()), false, need);
        try {
            assertEquals(DataTypes.StringType, a.rows().schema().apply("source").dataType());
            assertEquals(3, a.groups().get(0).rows());
        } finally {
            a.rows().unpersist();
        }
        String ints = parquet("intsource", schema("source", DataTypes.IntegerType), rows(7, 7, null));
        a = load(ints, ColumnNames.defaults(List.of()), false, need);
        try {
            assertEquals(DataTypes.LongType, a.rows().schema().apply("source").dataType());
        } finally {
            a.rows().unpersist();
        }
    }

    @Test
    void aGroupColumnMayNotTakeTheNameOfARoleRead() {
        String in = parquet("grouptarget", schema("target", DataTypes.StringType), rows("a", "b"));
        ColumnNames byTarget = ColumnNames.defaults(List.of("target")).with(ColumnRole.TARGET, "y", false);
        InputException e = assertThrows(InputException.class, () -> load(in, byTarget, false,
                Requirement.rows("krr", 1).reading(ColumnRole.TARGET)));
        assertTrue(e.getMessage().contains("--group-by column 'target' clashes with a column name repgap uses"
                + " (features, id, split, label, target)"), e.getMessage());
        Activations a = load(in, byTarget, false, Requirement.rows("describe", 1));
        try {
            assertEquals(2, a.groups().size());
        } finally {
            a.rows().unpersist();
        }
    }

    @Test
    void aSweepNeedsWhatAllItsAnalysesNeedAndReadsWhatAnyUses() {
        Requirement describe = Requirement.rows("describe", 2);
        Requirement krr = Requirement.rows("krr", 5).needing(ColumnRole.TARGET).reading(ColumnRole.INITIAL);
        Requirement both = Requirement.weakest("the sweep", List.of(describe, krr));
        assertEquals(Set.of(), both.needs());
        assertEquals(Set.of(ColumnRole.TARGET, ColumnRole.INITIAL), both.reads());
        assertEquals(2, both.minRows());
        Requirement two = Requirement.weakest("the sweep", List.of(krr, krr.needing(ColumnRole.SOURCE)));
        assertEquals(Set.of(ColumnRole.TARGET), two.needs());
        assertEquals(Set.of(ColumnRole.INITIAL, ColumnRole.SOURCE), two.reads());
        // unique ids are checked when any analysis of the sweep relies on them
        Requirement sums = krr.idsUnused();
        assertTrue(both.uniqueIds());
        assertFalse(Requirement.weakest("the sweep", List.of(sums, sums)).uniqueIds());
        assertTrue(Requirement.weakest("the sweep", List.of(sums, describe)).uniqueIds());

        // Each analysis is then checked against the group: the one that needs the targets fails, by name.
        GroupSummary noTarget = new GroupSummary(GroupKey.ALL, 10, 0, 0, 4, 0);
        describe.check("in", ColumnNames.defaults(List.of()), noTarget);
        InputException e = assertThrows(InputException.class,
                () -> krr.check("in", ColumnNames.defaults(List.of()).with(ColumnRole.TARGET, "y", true), noTarget));
        assertTrue(e.getMessage().contains("krr needs the numeric targets, column 'y', which the input has not (choose the"
                + " column with --target-col, or in a sweep spec with columns: {target: NAME})"),
                e.getMessage());
        krr.check("in", ColumnNames.defaults(List.of()), new GroupSummary(GroupKey.ALL, 10, 0, 0, 4, 0,
                Set.of(ColumnRole.FEATURES, ColumnRole.TARGET), Map.of(ColumnRole.FEATURES, 4, ColumnRole.TARGET, 1)));
    }

    @Test
    void columnNamesKeepTheCoreAccessorsAndFillDefaults() {
        ColumnNames n = new ColumnNames("emb", "key", true, "part", "cls", List.of("layer"));
        assertEquals("emb", n.column(ColumnRole.FEATURES));
        assertEquals("key", n.id());
        assertTrue(n.idGiven());
        assertEquals("target", n.column(ColumnRole.TARGET));
        assertFalse(n.given(ColumnRole.TARGET));
        ColumnNames fromSpec = ColumnNames.fromKeys(Map.of("target", "y", "split", "s"), List.of());
        assertEquals("y", fromSpec.column(ColumnRole.TARGET));
        assertTrue(fromSpec.given(ColumnRole.TARGET));
        assertEquals("s", fromSpec.split());
        assertFalse(fromSpec.idGiven());
        assertThrows(InputException.class, () -> ColumnNames.fromKeys(Map.of("targte", "y"), List.of()));
        assertEquals(Set.of("features", "id", "split", "label", "target", "source", "initial", "residual", "noise"),
                ColumnNames.RESERVED);
    }
}
