package dev.repgap.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.repgap.knn.ScanRows;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;

/** The training rows' classes, as the validation pass collects them into the summaries, against a query over the rows. */
class TrainingLabelsTest {
    private static final StructType SCHEMA = new StructType(new StructField[] {
        DataTypes.createStructField("id", DataTypes.LongType, false),
        DataTypes.createStructField("features", DataTypes.createArrayType(DataTypes.FloatType), true),
        DataTypes.createStructField("split", DataTypes.StringType, true),
        DataTypes.createStructField("label", DataTypes.IntegerType, true),
        DataTypes.createStructField("layer", DataTypes.StringType, true)});
    private static final ColumnNames NAMES = new ColumnNames("features", "id", true, "split", "label", List.of("layer"));
    private static final Requirement ANY = Requirement.rows("test", 1);

    private static Activations load(List<Row> rows, int partitions, boolean dropInvalid) {
        Dataset<Row> raw = ScanRows.spark().createDataFrame(rows, SCHEMA).repartition(partitions);
        return new ActivationLoader(ScanRows.spark()).load(raw, "in", NAMES, dropInvalid, ANY);
    }

    /** The same data with the summaries' classes unknown: TrainingLabels then queries the rows. */
    private static Map<GroupKey, TreeSet<String>> queried(Activations data) {
        List<GroupSummary> unknown = data.groups().stream().map(g -> g.withCounts(g.rows(), g.train(), g.test())).toList();
        unknown.forEach(g -> assertNull(g.trainingClasses()));
        return TrainingLabels.classes(new Activations(data.input(), data.rows(), data.names(), unknown, data.idsGenerated(),
                data.dropInvalid()), "need");
    }

    @Test
    void summariesHoldTheClassesOfTheValidTrainingRows() {
        List<Row> rows = new ArrayList<>();
        for (int i = 0; i < 300; i++) {
            String split = i % 3 == 0 ? "test" : i % 3 == 1 ? "train" : null;
            // layer a: labels 0..4 on every split; layer b: 10..12, and label 99 only on test rows
            String layer = i % 2 == 0 ? "a" : "b";
            int label = layer.equals("a") ? i % 5 : split != null && split.equals("test") && i % 7 == 0 ? 99 : 10 + (i / 6) % 3;
            rows.add(RowFactory.create((long) i, new float[] {i, 1}, split, label, layer));
        }
        // An invalid row, dropped, is the only one with label 42; a test-only layer has no training classes.
        rows.add(RowFactory.create(1000L, new float[] {Float.NaN, 1}, "train", 42, "a"));
        rows.add(RowFactory.create(1001L, new float[] {1, 1}, "test", 7, "c"));
        for (int partitions : new int[] {1, 3, 7}) {
            Activations data = load(rows, partitions, true);
            Map<GroupKey, TreeSet<String>> fromSummaries = TrainingLabels.classes(data, "need");
            assertEquals(queried(data), fromSummaries);
            assertEquals(Set.of("0", "1", "2", "3", "4"), fromSummaries.get(GroupKey.of(List.of("layer"), List.of("a"))));
            assertEquals(Set.of("10", "11", "12"), fromSummaries.get(GroupKey.of(List.of("layer"), List.of("b"))));
            assertEquals(2, fromSummaries.size(), "layer c has no training rows");
            data.rows().unpersist();
        }
    }

    @Test
    void manyClassesAreLeftToTheQuery() {
        List<Row> rows = new ArrayList<>();
        for (int i = 0; i <= GroupSummary.MAX_CLASSES + 10; i++) rows.add(RowFactory.create((long) i, new float[] {i, 1}, "train", i, "a"));
        Activations data = load(rows, 3, false);
        assertNull(data.groups().get(0).trainingClasses());
        assertEquals(GroupSummary.MAX_CLASSES + 11, TrainingLabels.classes(data, "need").values().iterator().next().size());
        data.rows().unpersist();
    }

    @Test
    void aTrainingRowWithoutLabelIsRefusedByName() {
        List<Row> rows = new ArrayList<>();
        for (int i = 0; i < 20; i++) rows.add(RowFactory.create((long) i, new float[] {i, 1}, i < 10 ? "train" : "test",
                i == 3 || i == 15 ? null : i % 2, "a"));
        Activations data = load(rows, 3, false);
        assertNotNull(data.groups().get(0).trainingClasses());
        InputException e = assertThrows(InputException.class, () -> TrainingLabels.classes(data, "risk needs labels"));
        assertTrue(e.getMessage().contains("input in, group layer=a: 1 training rows have no label in column 'label';"
                + " risk needs labels"), e.getMessage());
        e = assertThrows(InputException.class, () -> queried(data));
        assertTrue(e.getMessage().contains("1 training rows have no label"), e.getMessage());
        data.rows().unpersist();
    }
}
