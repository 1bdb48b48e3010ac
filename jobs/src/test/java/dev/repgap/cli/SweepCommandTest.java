package dev.repgap.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import dev.repgap.generate.Manifold;
import dev.repgap.generate.ManifoldSampler;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.functions;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * repgap sweep over 3 models x 4 checkpoints x 5 layers (layer k: a torus of dimension k + 1, so the IDs are
 * known), with duplicates and leaks planted in one group: one application runs every group, a rerun
 * recomputes nothing, a rewritten group is recomputed alone and {@code check} flags it and nothing else, a
 * group that breaks the contract fails alone, and a sweep killed mid-run leaves only whole units and the
 * next run completes the rest.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class SweepCommandTest {
    @TempDir static Path tmp;

    private static final List<String> MODELS = List.of("m1", "m2", "m3");
    private static final List<String> CHECKPOINTS = List.of("0001", "0002", "0003", "0004");
    private static final int LAYERS = 5, TRAIN = 240, TEST = 40;
    /** The group with planted duplicates and leaks, and their ids: (copy, original). */
    private static final String PLANTED = "model=m2/checkpoint=0003/layer=l2";
    private static final long[][] DUPLICATES = {{5000, 3}, {5001, 17}, {5002, 101}};
    private static final long[][] LEAKS = {{6000, 42}, {6001, 200}};
    /** The group rewritten between two runs: layer 3, a 4-torus in R^8, becomes a 7-torus in R^14. */
    private static final String REWRITTEN = "model=m3/checkpoint=0004/layer=l3";

    private static Path data, results, spec;

    @BeforeAll
    static void generate() throws IOException {
        data = tmp.resolve("acts");
        results = tmp.resolve("results");
        SparkSession spark = Repgap.spark();
        List<Row> rows = new ArrayList<>();
        long seed = 1;
        for (String m : MODELS) {
            for (String c : CHECKPOINTS) {
                for (int l = 1; l <= LAYERS; l++) {
                    String group = "model=" + m + "/checkpoint=" + c + "/layer=l" + l;
                    for (Row r : layer(l + 1, 2 * (l + 1), seed++, group.equals(PLANTED))) {
                        rows.add(RowFactory.create(r.get(0), r.get(1), r.get(2), m, c, "l" + l));
                    }
                }
            }
        }
        StructType schema = layerSchema().add("model", DataTypes.StringType).add("checkpoint", DataTypes.StringType)
                .add("layer", DataTypes.StringType);
        spark.createDataFrame(rows, schema).write().partitionBy("model", "checkpoint", "layer", "split")
                .parquet(data.toString());
        spec = tmp.resolve("sweep.yaml");
        Files.writeString(spec, String.join("\n",
                "# 3 models x 4 checkpoints x 5 layers",
                "inputs: [" + data + "]",
                "results: " + results,
                "batch_groups: 20",
                "analyses:",
                "  describe: {}",
                "  id: {estimators: [twonn, mle], k: '5:10', queries: 0}",
                "  gap: {rankings: 2, grid_points: 8, smallest_n: 8}",
                "  audit: {k: 5, near_relative: 0.001, leak_relative: 0.001}",
                "spark: {conf: {spark.sql.shuffle.partitions: '4'}}", ""));
    }

    private static StructType layerSchema() {
        return new StructType().add("id", DataTypes.LongType)
                .add("features", DataTypes.createArrayType(DataTypes.FloatType)).add("split", DataTypes.StringType);
    }

    /** A torus of dimension d in R^ambient; with {@code plant}, exact copies of train rows as train and test rows. */
    private static List<Row> layer(int d, int ambient, long seed, boolean plant) {
        ManifoldSampler sampler = new ManifoldSampler(Manifold.TORUS, d, ambient, 0, seed);
        SplittableRandom rng = new SplittableRandom(seed);
        List<float[]> points = new ArrayList<>();
        List<Row> rows = new ArrayList<>();
        for (int i = 0; i < TRAIN + TEST; i++) {
            float[] x = new float[ambient];
            sampler.sample(rng, x, 0);
            points.add(x);
            rows.add(row(i, x, i < TRAIN ? "train" : "test"));
        }
        if (plant) {
            for (long[] p : DUPLICATES) rows.add(row(p[0], points.get((int) p[1]), "train"));
            for (long[] p : LEAKS) rows.add(row(p[0], points.get((int) p[1]), "test"));
        }
        return rows;
    }

    private static Row row(long id, float[] x, String split) {
        Float[] boxed = new Float[x.length];
        for (int i = 0; i < x.length; i++) boxed[i] = x[i];
        return RowFactory.create(id, boxed, split);
    }

    private static Repgap.Result sweep(String... extra) {
        List<String> args = new ArrayList<>(List.of("sweep", "--spec", spec.toString(), "--progress-interval", "5"));
        args.addAll(List.of(extra));
        return Repgap.run(args.toArray(new String[0]));
    }

    private static Dataset<Row> table(String name) {
        return Repgap.spark().read().option("mergeSchema", "true").parquet(results.resolve(name).toString());
    }

    private static List<Path> files(String table) throws IOException {
        Path dir = results.resolve(table);
        if (!Files.exists(dir)) return List.of();
        try (Stream<Path> s = Files.walk(dir)) {
            return s.filter(p -> p.getFileName().toString().endsWith(".parquet")).sorted().toList();
        }
    }

    /** Metric rows per (command, group), from the whole table. */
    private static Map<String, Long> rowsPerUnit() {
        Map<String, Long> out = new TreeMap<>();
        for (Row r : table("metrics").groupBy("command", "model", "checkpoint", "layer").count().collectAsList()) {
            out.put(r.getString(0) + " " + r.getString(1) + "/" + r.getString(2) + "/" + r.getString(3), r.getLong(4));
        }
        return out;
    }

    private static Map<String, Long> expectedRowsPerUnit;

    @Test
    @Order(1)
    void oneApplicationRunsEveryAnalysisOnEveryGroup() throws Exception {
        Repgap.Result r = sweep("--json");
        assertEquals(0, r.code(), r.toString());
        List<JsonNode> units = r.jsonLines();
        assertEquals(3 * 4 * 5 * 4, units.size(), r.toString());
        for (JsonNode u : units) {
            assertEquals("done", u.get("status").asText(), u.toString());
            assertEquals(20, u.get("groups_in_batch").asInt(), u.toString());
        }
        assertTrue(r.err().contains("repgap sweep: 240 units, 0 already computed, 240 to run"), r.err());

        // one run id on every row; each unit's rows carry the group's input fingerprint and the options' fingerprint
        assertEquals(1, table("metrics").select("run_id").distinct().count());
        Map<String, Long> perUnit = rowsPerUnit();
        assertEquals(240, perUnit.size());
        expectedRowsPerUnit = perUnit;
        assertEquals(0, table("metrics").filter("input_fingerprint IS NULL OR options_fingerprint IS NULL").count());
        assertEquals(60, table("metrics").filter("command = 'id'").select("input_fingerprint").distinct().count());
        assertEquals(1, table("metrics").filter("command = 'id'").select("options_fingerprint").distinct().count());

        // run metadata: versions, configuration, durations per group
        Row run = table("runs").first();
        assertEquals(240L, (Long) run.getAs("units_done"));
        assertEquals(0L, (Long) run.getAs("units_failed"));
        assertTrue(((String) run.getAs("spark_version")).startsWith("4."), run.toString());
        assertTrue(((String) run.getAs("spark_conf")).contains("\"spark.sql.shuffle.partitions\":\"4\""), run.toString());
        assertTrue(((String) run.getAs("spec")).contains("3 models x 4 checkpoints x 5 layers"));
        Dataset<Row> unitRows = table("sweep_units");
        assertEquals(240, unitRows.filter("status = 'done' AND seconds > 0").count());

        // the known dimensions: the median MLE over the 12 groups of each layer
        for (int l = 1; l <= 3; l++) {
            List<Double> mle = table("metrics").filter("metric = 'id.mle_mean' AND layer = 'l" + l + "'")
                    .select("value").as(org.apache.spark.sql.Encoders.DOUBLE()).collectAsList();
            double median = mle.stream().sorted().toList().get(mle.size() / 2);
            assertEquals(l + 1, median, 0.15 * (l + 1), "layer l" + l + ": " + mle);
        }

        // the audit finds the planted duplicates and leaks by id, and nothing in any other group
        Set<List<String>> dups = new HashSet<>(), leaks = new HashSet<>();
        for (Row d : table("audit/duplicates").collectAsList()) {
            assertEquals("m2/0003/l2", d.getAs("model") + "/" + d.getAs("checkpoint") + "/" + d.getAs("layer"), d.toString());
            assertEquals("exact", d.getAs("kind"), d.toString());
            dups.add(List.of(d.getAs("id"), d.getAs("other_id")));
        }
        for (Row d : table("audit/leaks").collectAsList()) {
            assertEquals("m2/0003/l2", d.getAs("model") + "/" + d.getAs("checkpoint") + "/" + d.getAs("layer"), d.toString());
            leaks.add(List.of(d.getAs("test_id"), d.getAs("train_id")));
        }
        assertEquals(pairs(DUPLICATES), dups);
        assertEquals(pairs(LEAKS), leaks);
        // every group's gap curve is there, and its chart
        assertEquals(60, table("gap_curves").select("model", "checkpoint", "layer").distinct().count());
        try (Stream<Path> charts = Files.list(results.resolve("charts"))) {
            assertEquals(60, charts.count());
        }
    }

    private static Set<List<String>> pairs(long[][] planted) {
        Set<List<String>> out = new HashSet<>();
        for (long[] p : planted) out.add(List.of(Long.toString(p[0]), Long.toString(p[1])));
        return out;
    }

    @Test
    @Order(2)
    void aRerunRecomputesNothing() throws Exception {
        List<Path> before = files("metrics");
        Repgap.Result r = sweep();
        assertEquals(0, r.code(), r.toString());
        assertTrue(r.err().contains("240 units, 240 already computed, 0 to run"), r.err());
        assertTrue(r.out().lines().anyMatch(l -> l.matches("id\\s+60\\s+0\\s+60\\s+0\\s+0\\.0")), r.out());
        assertEquals(before, files("metrics"));
        assertEquals(2, table("runs").count());
        // the same files written another way (a relative path, a detour): still nothing to compute
        Path relative = Path.of("").toAbsolutePath().relativize(data.resolve("../acts"));
        r = sweep("--input", relative.toString());
        assertEquals(0, r.code(), r.toString());
        assertTrue(r.err().contains("240 units, 240 already computed, 0 to run"), r.err());
    }

    @Test
    @Order(3)
    void aRewrittenGroupIsRecomputedAloneAndCheckFlagsItAndNothingElse() throws Exception {
        Path group = data.resolve(REWRITTEN);
        deleteTree(group);
        write(Repgap.spark(), layer(7, 14, 999, false), group);
        Repgap.Result plan = sweep("--dry-run");
        assertEquals(0, plan.code(), plan.toString());
        List<String> toRun = plan.out().lines().map(l -> l.split("\\s{2,}")).filter(c -> c.length == 3 && !c[1].equals("-"))
                .map(c -> c[0] + ": " + c[1]).toList();
        assertEquals(List.of("group: to run", "model=m3 checkpoint=0004 layer=l3: describe,id,gap,audit"), toRun, plan.out());

        Repgap.Result r = sweep("--json");
        assertEquals(0, r.code(), r.toString());
        assertEquals(4, r.out().lines().filter(l -> !l.isBlank()).count(), r.out());

        Repgap.Result check = Repgap.run("check", "--results", results.toString(), "--json");
        assertEquals(1, check.code(), check.toString());
        Set<String> metrics = new HashSet<>();
        for (JsonNode a : check.jsonLines()) {
            assertEquals("m3/0004/l3", a.get("model").asText() + "/" + a.get("checkpoint").asText() + "/"
                    + a.get("layer").asText(), a.toString());
            metrics.add(a.get("metric").asText());
        }
        assertTrue(metrics.contains("id.twonn") && metrics.contains("id.mle_mean") && metrics.contains("gap.dimension"),
                metrics.toString());
    }

    @Test
    @Order(4)
    void aGroupThatFailsDoesNotLoseTheOthers() throws Exception {
        Path bad = tmp.resolve("bad");
        SparkSession spark = Repgap.spark();
        write(spark, layer(2, 4, 7, false), bad.resolve("layer=good"));
        List<Row> nan = new ArrayList<>(layer(2, 4, 8, false));
        nan.set(5, RowFactory.create(5L, new Float[] {1f, Float.NaN, 0f, 0f}, "train"));
        write(spark, nan, bad.resolve("layer=nan"));
        write(spark, layer(2, 4, 9, false).subList(0, TRAIN), bad.resolve("layer=notest"));
        Path badSpec = tmp.resolve("bad.json");
        Path badResults = tmp.resolve("bad-results");
        Files.writeString(badSpec, "{\"inputs\": \"" + bad + "\", \"results\": \"" + badResults + "\", \"batch_groups\": 3,"
                + " \"analyses\": {\"describe\": null, \"gap\": {\"rankings\": 1, \"grid_points\": 8, \"smallest_n\": 8}}}");
        Repgap.Result r = Repgap.run("sweep", "--spec", badSpec.toString(), "--json", "--quiet");
        assertEquals(1, r.code(), r.toString());
        Map<String, String> status = new TreeMap<>();
        for (JsonNode u : r.jsonLines()) {
            String key = u.get("analysis").asText() + " " + u.get("group").get("layer").asText();
            status.put(key, u.get("status").asText());
            if (key.equals("describe nan")) {
                assertTrue(u.get("error").asText().contains("group layer=nan")
                        && u.get("error").asText().contains("NaN"), u.toString());
            }
            if (key.equals("gap notest")) assertTrue(u.get("error").asText().contains("needs rows with split"), u.toString());
        }
        assertEquals(Map.of("describe good", "done", "describe nan", "failed", "describe notest", "done",
                "gap good", "done", "gap nan", "failed", "gap notest", "failed"), status);
        assertTrue(r.err().contains("FAILED describe layer=nan"), r.err());
        Dataset<Row> metrics = spark.read().parquet(badResults.resolve("metrics").toString());
        assertEquals(Set.of("good", "notest"), new HashSet<>(metrics.filter("command = 'describe'").select("layer")
                .distinct().as(org.apache.spark.sql.Encoders.STRING()).collectAsList()));
        assertEquals(3, spark.read().parquet(badResults.resolve("sweep_units").toString()).filter("status = 'failed'").count());

        // a spec error names the file and the key
        Files.writeString(badSpec, "{\"inputs\": \"" + bad + "\", \"results\": \"" + badResults + "\","
                + " \"analyses\": {\"id\": {\"k\": \"9:3\"}}}");
        Repgap.Result e = Repgap.run("sweep", "--spec", badSpec.toString());
        assertEquals(2, e.code(), e.toString());
        assertTrue(e.err().contains("sweep spec " + badSpec + ": analyses.id: k needs 2 <= K1 <= K2"), e.err());
    }

    private static void write(SparkSession spark, List<Row> rows, Path dir) {
        spark.createDataFrame(rows, layerSchema()).coalesce(1).write().partitionBy("split").parquet(dir.toString());
    }

    @Test
    @Order(5)
    void aSweepKilledMidRunLeavesWholeUnitsAndTheNextRunCompletesIt() throws Exception {
        assertNotNull(expectedRowsPerUnit, "needs the first test's complete run");
        Path killedResults = tmp.resolve("killed-results");
        Path killedSpec = tmp.resolve("killed.yaml");
        // one group per unit, so that units are committed one by one while the sweep runs
        Files.writeString(killedSpec, Files.readString(spec).replace("results: " + results, "results: " + killedResults)
                .replace("batch_groups: 20", "batch_groups: 1"));
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.addAll(ManagementFactory.getRuntimeMXBean().getInputArguments().stream()
                .filter(a -> a.startsWith("--add-") || a.startsWith("-Xmx")).toList());
        cmd.addAll(List.of("-cp", System.getProperty("java.class.path"), "dev.repgap.cli.Main", "sweep", "--spec",
                killedSpec.toString(), "--progress-interval", "1"));
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(tmp.resolve("killed.log").toFile());
        pb.environment().put("SPARK_LOCAL_IP", "127.0.0.1");
        Process p = pb.start();
        Path metricsDir = killedResults.resolve("metrics");
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(4);
        while (count(metricsDir) < 6) {
            if (!p.isAlive()) fail("the sweep ended before it was killed:\n" + Files.readString(tmp.resolve("killed.log")));
            if (System.nanoTime() > deadline) {
                p.destroyForcibly();
                fail("no units committed in time:\n" + Files.readString(tmp.resolve("killed.log")));
            }
            Thread.sleep(50);
        }
        p.destroyForcibly().waitFor(); // SIGKILL: no shutdown hooks, no cleanup
        assertFalse(p.isAlive());

        // whatever was committed is whole: each unit present has all its rows, once
        Map<String, Long> partial = new TreeMap<>();
        Dataset<Row> killedMetrics = Repgap.spark().read().option("mergeSchema", "true").parquet(metricsDir.toString());
        for (Row r : killedMetrics.groupBy("command", "model", "checkpoint", "layer").count().collectAsList()) {
            partial.put(r.getString(0) + " " + r.getString(1) + "/" + r.getString(2) + "/" + r.getString(3), r.getLong(4));
        }
        assertTrue(partial.size() >= 6 && partial.size() < 240, partial.keySet().toString());
        for (Map.Entry<String, Long> e : partial.entrySet()) {
            String unit = e.getKey();
            // the rewritten group's describe rows may differ from the first run's: compare others exactly
            if (!unit.endsWith("m3/0004/l3")) assertEquals(expectedRowsPerUnit.get(unit), e.getValue(), unit);
        }

        // the next run computes exactly the rest (batching does not change what a unit computes or its fingerprints)
        Files.writeString(killedSpec, Files.readString(killedSpec).replace("batch_groups: 1", "batch_groups: 20"));
        Repgap.Result r = Repgap.run("sweep", "--spec", killedSpec.toString(), "--json", "--quiet");
        assertEquals(0, r.code(), r.toString());
        assertEquals(240 - partial.size(), r.out().lines().filter(l -> !l.isBlank()).count(), r.toString());
        Map<String, Long> units = new HashMap<>();
        Dataset<Row> all = Repgap.spark().read().option("mergeSchema", "true").parquet(metricsDir.toString());
        for (Row row : all.groupBy("command", "model", "checkpoint", "layer").agg(functions.countDistinct("run_id"))
                .collectAsList()) {
            units.put(row.getString(0) + " " + row.getString(1) + "/" + row.getString(2) + "/" + row.getString(3), row.getLong(4));
        }
        assertEquals(240, units.size());
        assertTrue(units.values().stream().allMatch(n -> n == 1), "a unit computed twice: " + units);
    }

    @Test
    @Order(6)
    void theReportOfTheSweepDrawsEveryChartInABrowser() throws Exception {
        Path report = tmp.resolve("sweep-report.html");
        Repgap.Result r = Repgap.run("report", "--results", results.toString(), "--out", report.toString());
        assertEquals(0, r.code(), r.toString());
        String html = Files.readString(report);
        int drawings = html.split("<svg").length - 1;
        // each group's gap curve; ID by layer for id.twonn, id.mle_mean and gap.dimension; trends of the rewritten group
        assertEquals(60, html.split("data-chart=\"gap\"").length - 1);
        assertTrue(html.split("data-chart=\"profile\"").length - 1 >= 3, html);
        assertTrue(html.split("data-chart=\"trend\"").length - 1 >= 1, "trend charts");
        assertEquals(drawings, html.split("<figure").length - 1, "one drawing per figure");
        assertTrue(html.contains("model=m3 checkpoint=0004 layer=l3"), "the rewritten group is named");
        Path chromium = Stream.of("/usr/bin/chromium", "/usr/bin/chromium-browser").map(Path::of).filter(Files::isExecutable)
                .findFirst().orElse(null);
        org.junit.jupiter.api.Assumptions.assumeTrue(chromium != null, "Chromium is not installed");
        Process p = new ProcessBuilder(chromium.toString(), "--headless", "--no-sandbox", "--disable-gpu",
                "--user-data-dir=" + tmp.resolve("chromium-profile"), "--dump-dom", report.toUri().toString())
                .redirectError(tmp.resolve("chromium.log").toFile()).start();
        String dom = new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        assertTrue(p.waitFor(120, TimeUnit.SECONDS), "chromium did not finish");
        assertEquals(0, p.exitValue(), Files.readString(tmp.resolve("chromium.log")));
        assertEquals(drawings, dom.split("<svg").length - 1, "drawings in the browser's DOM");
    }

    private static long count(Path dir) throws IOException {
        if (!Files.exists(dir)) return 0;
        try (Stream<Path> s = Files.walk(dir)) {
            return s.filter(f -> f.getFileName().toString().endsWith(".parquet")).count();
        }
    }

    private static void deleteTree(Path p) throws IOException {
        try (Stream<Path> s = Files.walk(p)) {
            for (Path f : s.sorted((a, b) -> b.compareTo(a)).collect(Collectors.toList())) Files.delete(f);
        }
    }
}
