package dev.repgap.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.functions;
import org.apache.spark.sql.types.StructField;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Golden rows: the metric rows of every analysis on small seeded data, compared with the rows the code
 * wrote before (the files in {@code src/test/resources/golden/}, one JSON object per row), so that a
 * rewrite of the analyses that should not change their results is held to the rows they gave.
 *
 * <p>The data come from {@code repgap generate} (a 3-torus in R^6 and a 4-sphere in R^8, each with a test
 * split) plus a label {@code id % 3}. Each run ({@code describe}, {@code id} with all estimators, {@code gap}
 * plain and with a symmetry, {@code audit} with labels, {@code knn} self and cross, and a {@code sweep} with
 * all four analyses, whose rows are read back from the repository's {@code metrics} table) has its own file,
 * {@code golden/<run>.jsonl}. A row is identified by its command, group columns, metric and param; a
 * missing or extra row is reported by that key. Numbers must agree to a relative 1e-12 (absolute 1e-12
 * near zero; {@link #LOOSER} may loosen one metric, with the reason), and so must the numbers written in
 * {@code details}, whose words must be the same; every other field exactly (param and the group columns
 * are part of the key). Left out: run ids, start times, the sweep's {@code run_date}, {@code input_fingerprint}
 * (file paths and modification times) and {@code options_fingerprint} (its form changed on purpose with the
 * analysis registry; what it must and must not change is tested by {@code AnalysisRegistryTest}); the temporary directory in {@code input} is written {@code <tmp>}; in {@code details}
 * the seconds an estimator took ({@code time 0.3 s}) and the name of the distance kernel that ran (native
 * BLAS or the Vector API, a property of the machine; the results are exact either way) are masked.
 *
 * <p>To rewrite the expected files from the code as it is (only when a change of results is intended,
 * and say why in the commit):
 * {@code mvn -B -q -o verify -pl jobs -am -Dtest=GoldenRowsTest -Dsurefire.failIfNoSpecifiedTests=false
 * -Drepgap.golden.update=true}.
 */
class GoldenRowsTest {
    @TempDir static Path tmp;

    private static final Path GOLDEN = Path.of("src/test/resources/golden");
    private static final boolean UPDATE = Boolean.getBoolean("repgap.golden.update");
    private static final double RELATIVE = 1e-12, ABSOLUTE = 1e-12;
    /** Metric name -> tolerance (relative, and absolute near zero) where 1e-12 is too strict; none so far. */
    private static final Map<String, Double> LOOSER = Map.of(
            // one quantile rule for every bootstrap (linear interpolation between order statistics) since the
            // statistics package: the participation ratio's interval bounds moved by up to 3e-4 of themselves
            "id.pr", 1e-3);
    /** Fields that say which run wrote a row, not what it found. */
    private static final Set<String> IGNORED = Set.of("run_id", "start_time", "run_date", "input_fingerprint",
            "options_fingerprint");
    /** The fields of a metric row that are not group columns. */
    private static final Set<String> ROW_FIELDS = Set.of("command", "input", "metric", "param", "value", "ci_low",
            "ci_high", "n", "scale", "details", "options_fingerprint");

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern NUMBER = Pattern.compile("-?\\d+(?:\\.\\d+)?(?:[eE][-+]?\\d+)?");
    private static String acts;

    @BeforeAll
    static void generate() {
        String raw = tmp.resolve("raw").toString();
        String[][] layers = {{"t3", "torus", "3", "6", "2000", "300", "1"}, {"s4", "sphere", "4", "8", "1500", "300", "2"}};
        for (String[] l : layers) {
            Repgap.Result r = Repgap.run("generate", "--manifold", l[1], "--dim", l[2], "--ambient", l[3], "--n", l[4],
                    "--test", l[5], "--seed", l[6], "--set", "layer=" + l[0], "--out", raw);
            assertEquals(0, r.code(), r.toString());
        }
        acts = tmp.resolve("acts").toString();
        Repgap.spark().read().parquet(raw).withColumn("label", functions.col("id").mod(3).cast("int"))
                .write().partitionBy("layer", "split").parquet(acts);
    }

    @Test
    void describe() throws IOException {
        check("describe", run("describe", "--input", acts, "--group-by", "layer", "--json"));
    }

    @Test
    void idWithEveryEstimator() throws IOException {
        check("id", run("id", "--input", acts, "--group-by", "layer", "--estimators", "twonn,mle,gride,kmeans,pr",
                "--queries", "1500", "--kmeans-rows", "1000", "--seed", "5", "--json"));
    }

    @Test
    void gap() throws IOException {
        check("gap", run("gap", "--input", acts, "--group-by", "layer", "--target", "0.01", "--seed", "3", "--json"));
    }

    @Test
    void gapWithASymmetry() throws IOException {
        check("gap-symmetry", run("gap", "--input", acts + "/layer=t3", "--symmetry", "perm:(0 2 4)(1 3 5)",
                "--rankings", "4", "--seed", "4", "--json"));
    }

    @Test
    void auditWithLabels() throws IOException {
        // the thresholds the rows were made with (the default became the robust rule after them)
        check("audit", run("audit", "--input", acts, "--group-by", "layer", "--k", "10", "--seed", "6", "--near-relative", "0.01",
                "--leak-relative", "0.01", "--json"));
    }

    @Test
    void knn() throws IOException {
        List<JsonNode> rows = new ArrayList<>(run("knn", "--input", acts, "--group-by", "layer", "--k", "5",
                "--queries", "800", "--seed", "7", "--out", tmp.resolve("knn-self").toString(), "--json"));
        for (JsonNode r : run("knn", "--input", acts, "--group-by", "layer", "--k", "3", "--mode", "cross",
                "--out", tmp.resolve("knn-cross").toString(), "--json")) {
            ((ObjectNode) r).put("command", "knn --mode cross");
            rows.add(r);
        }
        check("knn", rows);
    }

    @Test
    void sweepWithEveryAnalysis() throws IOException {
        Path results = tmp.resolve("results");
        Path spec = tmp.resolve("sweep.yaml");
        Files.writeString(spec, String.join("\n",
                "inputs: [" + acts + "]",
                "results: " + results,
                "group_by: [layer]",
                "batch_groups: 2",
                "analyses:",
                "  describe: {}",
                "  id: {estimators: [twonn, mle, gride, kmeans, pr], queries: 1200, kmeans_rows: 800, seed: 2}",
                "  gap: {rankings: 4, grid_points: 16, target: [0.01], seed: 8}",
                "  audit: {k: 8, near_relative: 0.01, leak_relative: 0.01}",
                ""));
        Repgap.Result r = Repgap.run("sweep", "--spec", spec.toString(), "--quiet");
        assertEquals(0, r.code(), r.toString());
        List<JsonNode> rows = new ArrayList<>();
        for (Row row : Repgap.spark().read().option("mergeSchema", "true").parquet(results.resolve("metrics").toString())
                .collectAsList()) {
            rows.add(json(row));
        }
        check("sweep", rows);
    }

    private static List<JsonNode> run(String... args) {
        Repgap.Result r = Repgap.run(args);
        assertEquals(0, r.code(), r.toString());
        return r.jsonLines();
    }

    /** A row of the metrics table as the JSON object {@code --json} would print, non-finite numbers spelt out. */
    private static JsonNode json(Row row) {
        ObjectNode o = JsonNodeFactory.instance.objectNode();
        for (StructField f : row.schema().fields()) {
            Object v = row.getAs(f.name());
            if (v == null) o.putNull(f.name());
            else if (v instanceof Double d) {
                if (Double.isFinite(d)) o.put(f.name(), d);
                else o.put(f.name(), d.toString());
            } else if (v instanceof Long l) o.put(f.name(), l);
            else if (v instanceof Integer i) o.put(f.name(), i);
            else o.put(f.name(), v.toString());
        }
        return o;
    }

    /** The row as compared: sorted fields, run-specific fields left out, paths and timings masked. */
    private static ObjectNode normalise(JsonNode row) {
        ObjectNode o = JsonNodeFactory.instance.objectNode();
        for (String name : new TreeSet<>(fieldNames(row))) {
            if (IGNORED.contains(name)) continue;
            JsonNode v = row.get(name);
            if (name.equals("input") && v.isTextual()) {
                o.put(name, v.asText().replace(tmp.toString(), "<tmp>"));
            } else if (name.equals("details") && v.isTextual()) {
                o.put(name, v.asText().replaceAll("time \\d+(\\.\\d+)? s", "time # s").replaceAll("kernel=[^;]*", "kernel=#"));
            } else {
                o.set(name, v);
            }
        }
        return o;
    }

    private static List<String> fieldNames(JsonNode row) {
        List<String> names = new ArrayList<>();
        for (Iterator<String> i = row.fieldNames(); i.hasNext(); ) names.add(i.next());
        return names;
    }

    /** command | group columns | metric | param. */
    private static String key(JsonNode row) {
        StringBuilder group = new StringBuilder();
        for (String name : new TreeSet<>(fieldNames(row))) {
            if (ROW_FIELDS.contains(name) || IGNORED.contains(name)) continue;
            if (group.length() > 0) group.append(',');
            group.append(name).append('=').append(row.get(name).isNull() ? "null" : row.get(name).asText());
        }
        return row.path("command").asText() + " | " + group + " | " + row.path("metric").asText() + " | "
                + (row.path("param").isNull() ? "-" : row.path("param").asText());
    }

    private static Map<String, ObjectNode> byKey(String run, List<? extends JsonNode> rows) {
        Map<String, ObjectNode> out = new TreeMap<>();
        for (JsonNode r : rows) {
            ObjectNode n = normalise(r);
            if (out.put(key(n), n) != null) throw new AssertionError(run + ": two rows with the key " + key(n));
        }
        return out;
    }

    private static void check(String run, List<JsonNode> rows) throws IOException {
        Map<String, ObjectNode> actual = byKey(run, rows);
        Path file = GOLDEN.resolve(run + ".jsonl");
        if (UPDATE) {
            Files.createDirectories(GOLDEN);
            StringBuilder text = new StringBuilder();
            for (ObjectNode r : actual.values()) text.append(JSON.writeValueAsString(r)).append('\n');
            Files.writeString(file, text.toString(), StandardCharsets.UTF_8);
            return;
        }
        if (!Files.exists(file)) throw new AssertionError("no expected rows " + file.toAbsolutePath() + " (see the class comment)");
        Map<String, ObjectNode> expected = byKey(run, Repgap.jsonLines(Files.readString(file, StandardCharsets.UTF_8)));
        List<String> problems = new ArrayList<>();
        for (String k : expected.keySet()) if (!actual.containsKey(k)) problems.add("missing row: " + k);
        for (String k : actual.keySet()) if (!expected.containsKey(k)) problems.add("extra row: " + k);
        for (Map.Entry<String, ObjectNode> e : expected.entrySet()) {
            ObjectNode a = actual.get(e.getKey());
            if (a != null) compare(e.getKey(), e.getValue(), a, problems);
        }
        if (!problems.isEmpty()) {
            StringBuilder m = new StringBuilder(run + ": " + problems.size() + " difference(s) from " + file + ":");
            for (String p : problems.subList(0, Math.min(60, problems.size()))) m.append("\n  ").append(p);
            if (problems.size() > 60) m.append("\n  ...");
            throw new AssertionError(m.toString());
        }
    }

    private static void compare(String key, ObjectNode expected, ObjectNode actual, List<String> problems) {
        Set<String> names = new TreeSet<>(fieldNames(expected));
        names.addAll(fieldNames(actual));
        double tolerance = LOOSER.getOrDefault(expected.path("metric").asText(), RELATIVE);
        for (String name : names) {
            JsonNode e = expected.path(name), a = actual.path(name);
            String where = key + " [" + name + "]";
            if (e.isMissingNode() || a.isMissingNode()) {
                problems.add(where + ": " + (e.isMissingNode() ? "not expected" : "missing") + ", expected " + e + ", got " + a);
            } else if (e.isNumber() && a.isNumber()) {
                if (!close(e.asDouble(), a.asDouble(), tolerance)) {
                    problems.add(where + ": expected " + e.asDouble() + ", got " + a.asDouble() + " (relative difference "
                            + Math.abs(e.asDouble() - a.asDouble()) / Math.max(Math.abs(e.asDouble()), Math.abs(a.asDouble())) + ")");
                }
            } else if (name.equals("details") && e.isTextual() && a.isTextual()) {
                compareText(where, e.asText(), a.asText(), tolerance, problems);
            } else if (!e.equals(a)) {
                problems.add(where + ": expected " + e + ", got " + a);
            }
        }
    }

    private static boolean close(double x, double y, double tolerance) {
        return Math.abs(x - y) <= Math.max(tolerance * Math.max(Math.abs(x), Math.abs(y)), Math.max(ABSOLUTE, tolerance));
    }

    /**
     * A note with numbers in it (k-means costs, the plug-in participation ratio): the words exactly, the
     * numbers to the tolerance, so that a sum taken in another order does not fail on its last digit.
     */
    private static void compareText(String where, String expected, String actual, double tolerance, List<String> problems) {
        if (expected.equals(actual)) return;
        List<String> e = numbers(expected), a = numbers(actual);
        if (!NUMBER.matcher(expected).replaceAll("#").equals(NUMBER.matcher(actual).replaceAll("#")) || e.size() != a.size()) {
            problems.add(where + ": expected \"" + expected + "\", got \"" + actual + "\"");
            return;
        }
        for (int i = 0; i < e.size(); i++) {
            if (!close(Double.parseDouble(e.get(i)), Double.parseDouble(a.get(i)), tolerance)) {
                problems.add(where + ": number " + (i + 1) + " expected " + e.get(i) + ", got " + a.get(i) + " in \"" + actual + "\"");
            }
        }
    }

    private static List<String> numbers(String text) {
        List<String> out = new ArrayList<>();
        for (Matcher m = NUMBER.matcher(text); m.find(); ) out.add(m.group());
        return out;
    }
}
