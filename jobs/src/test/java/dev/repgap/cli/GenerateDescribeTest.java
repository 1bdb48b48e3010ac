package dev.repgap.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.repgap.results.ResultsRepository;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.functions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class GenerateDescribeTest {
    @TempDir Path tmp;

    private static void ok(Repgap.Result r) {
        assertEquals(0, r.code(), r.toString());
    }

    /** Relative path -> bytes of every data file below dir (checksums and hidden files aside). */
    private static TreeMap<String, byte[]> files(Path dir) throws IOException {
        TreeMap<String, byte[]> m = new TreeMap<>();
        try (Stream<Path> s = Files.walk(dir)) {
            for (Path p : (Iterable<Path>) s.filter(Files::isRegularFile)::iterator) {
                if (!p.getFileName().toString().startsWith(".")) m.put(dir.relativize(p).toString(), Files.readAllBytes(p));
            }
        }
        return m;
    }

    private static double value(List<JsonNode> rows, String group, String metric, String param) {
        return rows.stream()
                .filter(r -> group == null || group.equals(r.path("layer").asText()))
                .filter(r -> r.get("metric").asText().equals(metric))
                .filter(r -> param == null ? r.get("param").isNull() : param.equals(r.get("param").asText()))
                .findFirst().orElseThrow(() -> new AssertionError("no " + metric + " " + param + " in " + rows))
                .get("value").asDouble();
    }

    @Test
    void sameSeedGivesSameBytes() throws Exception {
        String[] args = {"generate", "--manifold", "swissroll", "--dim", "2", "--ambient", "5", "--n", "1200",
            "--test", "300", "--noise", "0.01", "--seed", "42", "--set", "model=m1", "--out"};
        ok(Repgap.run(concat(args, tmp.resolve("a").toString())));
        ok(Repgap.run(concat(args, tmp.resolve("b").toString())));
        TreeMap<String, byte[]> a = files(tmp.resolve("a"));
        TreeMap<String, byte[]> b = files(tmp.resolve("b"));
        assertEquals(List.of("model=m1/split=test/part-00000.parquet", "model=m1/split=train/part-00000.parquet"),
                new ArrayList<>(a.keySet()));
        assertEquals(a.keySet(), b.keySet());
        for (String k : a.keySet()) assertArrayEquals(a.get(k), b.get(k), k);

        Dataset<Row> rows = Repgap.spark().read().parquet(tmp.resolve("a").toString());
        assertEquals(1500, rows.count());
        assertEquals(300, rows.filter("split = 'test'").count());
        assertEquals(1500, rows.select("id").distinct().count());
    }

    @Test
    void addingTheSameGroupTwiceOrOtherColumnsFailsAndChangesNothing() throws Exception {
        String out = tmp.resolve("d").toString();
        ok(Repgap.run("generate", "--manifold", "sphere", "--dim", "2", "--n", "100", "--seed", "1",
                "--set", "layer=1", "--out", out));
        TreeMap<String, byte[]> before = files(tmp.resolve("d"));
        Repgap.Result again = Repgap.run("generate", "--manifold", "sphere", "--dim", "2", "--n", "100", "--seed", "1",
                "--set", "layer=1", "--out", out);
        assertEquals(2, again.code(), again.toString());
        assertTrue(again.err().contains("already holds generated data for group {layer=1}"), again.toString());
        Repgap.Result otherKeys = Repgap.run("generate", "--manifold", "sphere", "--dim", "2", "--n", "100",
                "--seed", "1", "--set", "model=x", "--out", out);
        assertEquals(2, otherKeys.code(), otherKeys.toString());
        assertTrue(otherKeys.err().contains("give the same --set keys"), otherKeys.toString());
        assertEquals(before.keySet(), files(tmp.resolve("d")).keySet());
        try (Stream<Path> s = Files.list(tmp.resolve("d"))) {
            assertTrue(s.noneMatch(p -> p.getFileName().toString().startsWith("_staging")), "staging left behind");
        }
    }

    @Test
    void describeFindsTheDimensionAndDuplicatesOfAnAffineCube() throws Exception {
        String gen = tmp.resolve("cube").toString();
        ok(Repgap.run("generate", "--manifold", "affine", "--dim", "5", "--ambient", "50", "--n", "6000",
                "--seed", "3", "--out", gen));
        // Plant 7 exact copies of existing rows under new ids.
        SparkSession spark = Repgap.spark();
        Dataset<Row> rows = spark.read().parquet(gen);
        Dataset<Row> copies = rows.orderBy("id").limit(7).withColumn("id", functions.col("id").plus(1_000_000));
        String planted = tmp.resolve("planted").toString();
        rows.unionByName(copies).write().parquet(planted);

        String results = tmp.resolve("results").toString();
        Repgap.Result r = Repgap.run("describe", "--input", planted, "--out", results, "--json");
        ok(r);
        List<JsonNode> json = r.jsonLines();
        assertEquals(6007, value(json, null, "describe.rows", null));
        assertEquals(50, value(json, null, "describe.dim", null));
        assertEquals(7, value(json, null, "describe.duplicates", null));
        assertEquals(5, value(json, null, "describe.rank", null));
        assertEquals(5, value(json, null, "describe.pr", null), 0.1);
        assertEquals(1 / 12.0, value(json, null, "describe.eigenvalue", "i=1"), 0.01);
        assertEquals(0, value(json, null, "describe.eigenvalue", "i=6"), 1e-9);

        // The same rows are in the results repository, partitioned by run date.
        Dataset<Row> stored = new ResultsRepository(spark, results).read();
        assertEquals(json.size(), stored.count());
        assertEquals(1, stored.select("run_id").distinct().count());
        assertTrue(List.of(stored.columns()).containsAll(List.of("run_date", "run_id", "start_time", "input",
                "metric", "param", "value", "ci_low", "ci_high", "n", "scale", "details")));
        assertEquals(5.0, stored.filter("metric = 'describe.rank'").first().<Double>getAs("value"));
    }

    @Test
    void everyGroupInOneRunAndRunsAppendAtomically() throws Exception {
        String data = tmp.resolve("layers").toString();
        ok(Repgap.run("generate", "--manifold", "sphere", "--dim", "2", "--n", "2000", "--seed", "1",
                "--set", "layer=a", "--out", data));
        ok(Repgap.run("generate", "--manifold", "torus", "--dim", "3", "--n", "2000", "--test", "500", "--seed", "2",
                "--set", "layer=b", "--out", data));
        String results = tmp.resolve("results").toString();
        Repgap.Result r = Repgap.run("describe", "--input", data, "--group-by", "layer", "--out", results, "--json");
        ok(r);
        List<JsonNode> json = r.jsonLines();
        assertEquals(3, value(json, "a", "describe.rank", null));
        assertEquals(3, value(json, "a", "describe.dim", null));
        assertEquals(1.0, value(json, "a", "describe.norm_max", null), 1e-6);
        assertEquals(6, value(json, "b", "describe.rank", null));
        assertEquals(500, value(json, "b", "describe.rows", "split=test"));
        assertEquals(2500, value(json, "b", "describe.rows", null));

        // The readable table shows each group.
        Repgap.Result table = Repgap.run("describe", "--input", data, "--group-by", "layer", "--out", results);
        ok(table);
        assertTrue(table.out().contains("group layer=a") && table.out().contains("group layer=b"), table.out());
        assertTrue(table.out().contains("describe.pr"), table.out());

        // A run that died while writing leaves its rows in _staging, which readers never see.
        Path stray = Files.createDirectories(tmp.resolve("results/_staging/dead-run"));
        Path anyFile;
        try (Stream<Path> s = Files.walk(tmp.resolve("results/metrics"))) {
            anyFile = s.filter(p -> p.toString().endsWith(".parquet")).findFirst().orElseThrow();
        }
        Files.copy(anyFile, stray.resolve("part-00000.parquet"));
        Dataset<Row> stored = new ResultsRepository(Repgap.spark(), results).read();
        assertEquals(2, stored.select("run_id").distinct().count());
        assertEquals(2L * json.size(), stored.count());
    }

    private static String[] concat(String[] a, String b) {
        String[] out = java.util.Arrays.copyOf(a, a.length + 1);
        out[a.length] = b;
        return out;
    }
}
