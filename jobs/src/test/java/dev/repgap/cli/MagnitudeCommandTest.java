package dev.repgap.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * repgap magnitude on points of a line, whose magnitude is {@code 1 + sum tanh(t g_i / 2)} over the gaps:
 * layer {@code axis} lies on the first axis (Euclidean gaps are the coordinates' differences), layer {@code slope}
 * on the line (x, 2x, 0) (l1 gaps 3 dx, Euclidean gaps sqrt(5) dx). One row of {@code axis} is planted twice.
 */
class MagnitudeCommandTest {
    @TempDir static Path tmp;
    private static String data;
    private static final float[] AXIS = sortedFloats(30, 1);
    private static final float[] SLOPE = sortedFloats(25, 2);
    private static final double[] T = {0.5, 2, 5};

    @BeforeAll
    static void write() {
        List<Row> rows = new ArrayList<>();
        long id = 0;
        for (float x : AXIS) rows.add(RowFactory.create(id++, new Float[] {x, 0f, 0f}, "axis"));
        rows.add(RowFactory.create(id++, new Float[] {AXIS[7], 0f, 0f}, "axis")); // the planted duplicate
        for (float x : SLOPE) rows.add(RowFactory.create(id++, new Float[] {x, 2 * x, 0f}, "slope"));
        StructType schema = new StructType().add("id", DataTypes.LongType)
                .add("features", DataTypes.createArrayType(DataTypes.FloatType)).add("layer", DataTypes.StringType);
        data = tmp.resolve("line").toString();
        Repgap.spark().createDataFrame(rows, schema).repartition(3).write().parquet(data);
    }

    private static float[] sortedFloats(int n, long seed) {
        SplittableRandom rng = new SplittableRandom(seed);
        float[] x = new float[n];
        for (int i = 0; i < n; i++) x[i] = (float) (rng.nextDouble() * 4);
        Arrays.sort(x);
        return x;
    }

    /** {@code 1 + sum tanh(t factor g_i / 2)} over the gaps of x. */
    private static double line(float[] x, double factor, double t) {
        double m = 1;
        for (int i = 0; i + 1 < x.length; i++) m += Math.tanh(t * factor * ((double) x[i + 1] - x[i]) / 2);
        return m;
    }

    private static List<JsonNode> magnitude(String... options) {
        List<String> args = new ArrayList<>(List.of("magnitude", "--input", data, "--group-by", "layer", "--json"));
        args.addAll(List.of(options));
        Repgap.Result r = Repgap.run(args.toArray(new String[0]));
        assertEquals(0, r.code(), r.toString());
        return r.jsonLines();
    }

    private static JsonNode find(List<JsonNode> rows, String layer, String metric, String param) {
        return rows.stream().filter(r -> layer.equals(r.path("layer").asText()))
                .filter(r -> r.get("metric").asText().equals(metric))
                .filter(r -> param == null || param.equals(r.get("param").asText()))
                .findFirst().orElseThrow(() -> new AssertionError("no " + metric + " " + param + " for " + layer));
    }

    private static String t(double t) {
        return "t=" + new java.math.BigDecimal(t).round(new java.math.MathContext(8)).stripTrailingZeros().toPlainString();
    }

    @Test
    void closedFormsForEveryPartitioningAndTheDuplicateCounted() {
        List<JsonNode> first = null;
        for (String partitions : List.of("1", "3", "7")) {
            List<JsonNode> rows = magnitude("--scales", "0.5,2,5", "--bootstrap", "0", "--partitions", partitions);
            for (double t : T) {
                assertEquals(line(AXIS, 1, t), find(rows, "axis", "magnitude.value", t(t)).get("value").asDouble(), 1e-10);
                assertEquals(line(SLOPE, Math.sqrt(5), t), find(rows, "slope", "magnitude.value", t(t)).get("value").asDouble(),
                        1e-10);
            }
            JsonNode dup = find(rows, "axis", "magnitude.duplicates", null);
            assertEquals(1, dup.get("value").asDouble());
            assertEquals(30, dup.get("n").asLong());
            assertEquals(0, find(rows, "slope", "magnitude.duplicates", null).get("value").asDouble());
            double profile = Math.log(line(AXIS, 1, 2) / line(AXIS, 1, 0.5)) / Math.log(4);
            assertEquals(profile, find(rows, "axis", "magnitude.profile", t(1)).get("value").asDouble(), 1e-10);
            if (first == null) first = rows;
            else assertEquals(values(first), values(rows), "partitions " + partitions);
        }
    }

    @Test
    void l1AndScaledDistances() {
        List<JsonNode> l1 = magnitude("--scales", "0.5,2,5", "--bootstrap", "0", "--metric", "l1", "--scale", "0.5");
        for (double t : T) {
            assertEquals(line(SLOPE, 3 * 0.5, t), find(l1, "slope", "magnitude.value", t(t)).get("value").asDouble(), 1e-10);
            assertEquals(line(AXIS, 0.5, t), find(l1, "axis", "magnitude.value", t(t)).get("value").asDouble(), 1e-10);
        }
        assertEquals(0.5, find(l1, "axis", "magnitude.value", t(2)).get("scale").asDouble());
    }

    /** A subsample of 20 of the 30 distinct rows, the grid up to t_conv and the bootstrap: the same for 1 and 7 partitions. */
    @Test
    void gridSubsampleAndBootstrapDoNotDependOnPartitioning() {
        List<JsonNode> one = magnitude("--max-points", "20", "--grid", "16", "--bootstrap", "5", "--partitions", "1");
        List<JsonNode> seven = magnitude("--max-points", "20", "--grid", "16", "--bootstrap", "5", "--partitions", "7");
        assertEquals(values(one), values(seven));
        JsonNode dim = find(one, "axis", "magnitude.dimension", null);
        assertEquals(20, dim.get("n").asLong());
        double d = dim.get("value").asDouble();
        assertTrue(d > 0.3 && d < 1, dim.toString());
        assertTrue(dim.get("ci_low").asDouble() <= dim.get("ci_high").asDouble(), dim.toString());
        assertTrue(dim.get("details").asText().contains("largest slope"), dim.toString());
        JsonNode tConv = find(one, "axis", "magnitude.t_conv", null);
        double last = find(one, "axis", "magnitude.value", t(tConv.get("value").asDouble())).get("value").asDouble();
        assertEquals(0.95 * 20, last, 1e-8);
        assertEquals(16, one.stream().filter(r -> r.path("layer").asText().equals("axis")
                && r.get("metric").asText().equals("magnitude.value")).count());
        double area = find(one, "axis", "magnitude.area", null).get("value").asDouble();
        assertTrue(area > 0 && area < 4 * Math.log(10), "area " + area);
    }

    @Test
    void badInputExitsTwoNamingTheGroupAndWritesNothing() throws Exception {
        Path results = tmp.resolve("bad-results");
        // a group with a single distinct row (two copies)
        List<Row> rows = List.of(RowFactory.create(1L, new Float[] {1f, 2f}, "lonely"), RowFactory.create(2L, new Float[] {1f, 2f}, "lonely"),
                RowFactory.create(3L, new Float[] {1f, 2f}, "fine"), RowFactory.create(4L, new Float[] {3f, 2f}, "fine"));
        StructType schema = new StructType().add("id", DataTypes.LongType)
                .add("features", DataTypes.createArrayType(DataTypes.FloatType)).add("layer", DataTypes.StringType);
        String single = tmp.resolve("single").toString();
        Repgap.spark().createDataFrame(rows, schema).write().parquet(single);
        Repgap.Result r = Repgap.run("magnitude", "--input", single, "--group-by", "layer", "--out", results.toString());
        assertEquals(2, r.code(), r.toString());
        assertTrue(r.err().contains("layer=lonely") && r.err().contains("1 distinct row"), r.err());
        assertFalse(Files.exists(results), "nothing written");

        Repgap.Result zero = Repgap.run("magnitude", "--input", data, "--scales", "0,1", "--out", results.toString());
        assertEquals(2, zero.code(), zero.toString());
        assertTrue(zero.err().contains("--scales"), zero.err());
        assertFalse(Files.exists(results), "nothing written");

        List<Row> nan = List.of(RowFactory.create(1L, new Float[] {1f, Float.NaN}, "nan"), RowFactory.create(2L, new Float[] {1f, 2f}, "nan"));
        String nanPath = tmp.resolve("nan").toString();
        Repgap.spark().createDataFrame(nan, schema).write().parquet(nanPath);
        Repgap.Result bad = Repgap.run("magnitude", "--input", nanPath, "--group-by", "layer", "--out", results.toString());
        assertEquals(2, bad.code(), bad.toString());
        assertTrue(bad.err().contains("nan"), bad.err());
        assertFalse(Files.exists(results), "nothing written");
    }

    @Test
    void sweepReportAndCheck() throws Exception {
        Path results = tmp.resolve("sweep-results");
        Path spec = tmp.resolve("magnitude.yaml");
        Files.writeString(spec, String.join("\n", "inputs: [" + data + "]", "results: " + results, "group_by: [layer]",
                "analyses:", "  magnitude: {max_points: 15, grid: 8, bootstrap: 0}", ""));
        Repgap.Result sweep = Repgap.run("sweep", "--spec", spec.toString(), "--quiet");
        assertEquals(0, sweep.code(), sweep.toString());
        Path html = tmp.resolve("report.html");
        Repgap.Result report = Repgap.run("report", "--results", results.toString(), "--out", html.toString());
        assertEquals(0, report.code(), report.toString());
        String page = Files.readString(html);
        assertTrue(page.contains("Magnitude functions") && page.contains("data-metric=\"magnitude.profile\""), "report");
        assertTrue(page.contains("layer=axis") && page.contains("layer=slope"));
        Repgap.Result check = Repgap.run("check", "--results", results.toString());
        assertEquals(0, check.code(), check.toString());
    }

    /** metric, param and value of every row, in order. */
    private static List<String> values(List<JsonNode> rows) {
        return rows.stream().map(r -> r.path("layer").asText() + " " + r.get("metric").asText() + " " + r.get("param").asText()
                + " " + r.get("value").asText() + " " + r.path("ci_low").asText() + " " + r.path("ci_high").asText()).toList();
    }
}
