package dev.repgap.stats;

import dev.repgap.knn.ScanRows;
import static org.apache.spark.sql.functions.col;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.repgap.data.Activations;
import dev.repgap.data.ColumnNames;
import dev.repgap.data.GroupKey;
import dev.repgap.data.GroupSummary;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Random;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;

/** One pass over shuffled, repartitioned rows of several groups gives each group's brute-force moments. */
class GroupMomentsTest {
    private static final StructType SCHEMA = new StructType()
            .add("id", DataTypes.LongType).add("features", DataTypes.createArrayType(DataTypes.FloatType))
            .add("split", DataTypes.StringType).add("layer", DataTypes.StringType)
            .add("y", DataTypes.createArrayType(DataTypes.DoubleType));
    private static final String[] LAYERS = {"a", "b", null, "skipped"};
    private static final int[] DIMS = {5, 12, 3, 4};
    private static final String[] SPLITS = {"train", "test", null};

    private static SparkSession spark() {
        return ScanRows.spark();
    }

    private record Generated(List<Row> rows, Activations data, List<GroupSummary> asked) {}

    private static Generated generate() {
        Random random = new Random(12);
        List<Row> rows = new ArrayList<>();
        long id = 0;
        for (int g = 0; g < LAYERS.length; g++) {
            for (int i = 0; i < 200 + 150 * g; i++) {
                float[] x = new float[DIMS[g]];
                double common = random.nextGaussian();
                for (int j = 0; j < x.length; j++) x[j] = (float) (100 * g + j + random.nextGaussian() + (j % 2) * common);
                double[] y = {x[0] - 2 * x[1] + random.nextGaussian(), random.nextInt(3)};
                rows.add(RowFactory.create(id++, x, SPLITS[random.nextInt(3)], LAYERS[g], y));
            }
        }
        Collections.shuffle(rows, random);
        List<GroupSummary> asked = new ArrayList<>();
        for (int g = 0; g < 3; g++) asked.add(new GroupSummary(layer(LAYERS[g]), 0, 0, 0, DIMS[g], 0));
        Activations data = new Activations("test", spark().createDataFrame(rows, SCHEMA).repartition(5),
                new ColumnNames("features", "id", true, "split", "label", List.of("layer")), asked, false);
        return new Generated(rows, data, asked);
    }

    private static GroupKey layer(String value) {
        LinkedHashMap<String, String> m = new LinkedHashMap<>();
        m.put("layer", value);
        return new GroupKey(m);
    }

    /** The brute-force double loops over the rows of group g on the given side (-1: both). */
    private static void assertMoments(List<Row> rows, int g, int side, Moments m, boolean targets) {
        List<double[]> xs = new ArrayList<>();
        List<double[]> ys = new ArrayList<>();
        for (Row r : rows) {
            if (!java.util.Objects.equals(r.getString(3), LAYERS[g])) continue;
            int s = "test".equals(r.getString(2)) ? 1 : 0;
            if (side >= 0 && s != side) continue;
            float[] f = (float[]) r.get(1); // the rows as generated, before Spark
            double[] x = new double[f.length];
            for (int j = 0; j < x.length; j++) x[j] = f[j];
            xs.add(x);
            ys.add((double[]) r.get(4));
        }
        String what = "group " + LAYERS[g] + " side " + side;
        assertEquals(xs.size(), m.n(), what);
        assertClose(scatter(xs, xs), m.scatter(), what + " scatter");
        assertClose(mean(xs), m.mean(), what + " mean");
        if (targets) {
            assertClose(scatter(xs, ys), m.crossScatter(), what + " cross");
            assertClose(scatter(ys, ys), m.targetScatter(), what + " targets");
        }
    }

    private static double[] mean(List<double[]> a) {
        double[] m = new double[a.get(0).length];
        for (double[] v : a) for (int j = 0; j < m.length; j++) m[j] += v[j] / a.size();
        return m;
    }

    private static double[] scatter(List<double[]> a, List<double[]> b) {
        double[] ma = mean(a), mb = mean(b);
        int p = ma.length, q = mb.length;
        double[] s = new double[p * q];
        for (int r = 0; r < a.size(); r++) {
            for (int i = 0; i < p; i++) {
                for (int k = 0; k < q; k++) s[i * q + k] += (a.get(r)[i] - ma[i]) * (b.get(r)[k] - mb[k]);
            }
        }
        return s;
    }

    private static void assertClose(double[] expected, double[] actual, String what) {
        double scale = 0;
        for (double v : expected) scale = Math.max(scale, Math.abs(v));
        for (int i = 0; i < expected.length; i++) {
            assertEquals(expected[i], actual[i], 1e-11 * scale, what + " entry " + i);
        }
    }

    @Test
    void oneStatePerGroupFromOnePass() {
        Generated d = generate();
        List<Moments> states = GroupMoments.byGroup(d.data(), d.asked());
        assertEquals(3, states.size());
        for (int g = 0; g < 3; g++) assertMoments(d.rows(), g, -1, states.get(g), false);
    }

    @Test
    void trainAndTestSidesWithTargetsAlsoWhenTasksHandStatesOnEarly() {
        Generated d = generate();
        // 1 byte: every new state makes the task hand on the states it holds, so keys arrive in many pieces.
        for (long budget : new long[] {GroupMoments.TASK_BYTES, 1}) {
            Moments[][] states = GroupMoments.compute(d.data(), d.asked(), GroupMoments.TRAIN_TEST, 2, col("y"), 2, budget);
            for (int g = 0; g < 3; g++) {
                for (int side = 0; side < 2; side++) assertMoments(d.rows(), g, side, states[g][side], true);
            }
        }
        List<Moments[]> viaHelper = GroupMoments.trainTest(d.data(), d.asked(), col("y"), 2);
        assertMoments(d.rows(), 1, 1, viaHelper.get(1)[1], true);
    }

    @Test
    void aGroupWithoutRowsOnASideGetsAnEmptyState() {
        Generated d = generate();
        Moments[][] states = GroupMoments.compute(d.data(), d.asked(), split -> "test".equals(split) ? -1 : 0, 2,
                null, 0);
        assertEquals(0, states[0][1].n());
        assertEquals(DIMS[0], states[0][1].dim());
        assertMoments(d.rows(), 2, 0, states[2][0], false);
    }
}
