package dev.repgap.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.repgap.Repgap.Result;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The analysis registry end to end: a test analysis ({@code norms}, registered by one line in the test class path's
 * services file) is a command, runs under a sweep, is exported and shown in the report; a sweep's fingerprints
 * ignore memory and partitioning settings but not the options that change results; the README's library example
 * runs.
 */
class AnalysisRegistryTest {
    @TempDir static Path tmp;
    private static Path data;

    @BeforeAll
    static void generate() {
        data = tmp.resolve("acts");
        for (String[] layer : new String[][] {{"cube", "affine", "4", "1"}, {"torus", "torus", "2", "2"}}) {
            Repgap.Result r = Repgap.run("generate", "--manifold", layer[1], "--dim", layer[2], "--ambient", "8", "--n", "600",
                    "--test", "200", "--seed", layer[3], "--set", "layer=" + layer[0], "--out", data.toString(), "--quiet");
            assertEquals(0, r.code(), r.toString());
        }
    }

    @Test
    void aRegisteredAnalysisIsACommand() {
        Repgap.Result help = Repgap.run("--help");
        assertTrue(help.out().contains("norms"), help.out());
        Repgap.Result own = Repgap.run("norms", "--help");
        assertEquals(0, own.code(), own.toString());
        assertTrue(own.out().contains("--scale") && own.out().contains("--input"), own.out());
        Repgap.Result bad = Repgap.run("norms", "--input", data.toString(), "--scale", "-1");
        assertEquals(Main.BAD_INPUT, bad.code(), bad.toString());
        assertTrue(bad.err().contains("--scale must be > 0"), bad.err());
    }

    @Test
    void aRegisteredAnalysisRunsInASweepIsExportedAndReported() throws IOException {
        Path results = tmp.resolve("results");
        Path spec = spec("norms-sweep.yaml", results, "  norms: {scale: 2}");
        Repgap.Result sweep = Repgap.run("sweep", "--spec", spec.toString(), "--quiet");
        assertEquals(0, sweep.code(), sweep.toString());

        Path csv = tmp.resolve("largest.csv");
        Repgap.Result export = Repgap.run("export", "--results", results.toString(), "--table", "norms/largest", "--out",
                csv.toString());
        assertEquals(0, export.code(), export.toString());
        List<String> lines = Files.readAllLines(csv);
        assertEquals(3, lines.size(), String.join("\n", lines)); // a header and one row per layer
        assertTrue(lines.get(0).startsWith("run_id,layer,norm,rows"), lines.get(0));

        Path html = tmp.resolve("report.html");
        Repgap.Result report = Repgap.run("report", "--results", results.toString(), "--out", html.toString());
        assertEquals(0, report.code(), report.toString());
        String page = Files.readString(html);
        assertTrue(page.contains("<section id=\"norms\">") && page.contains("2 mean norms."), page);
    }

    @Test
    void memoryPartitioningAndOrderRecomputeNothingButAnotherKRecomputesItsAnalysis() throws IOException {
        Path results = tmp.resolve("fingerprints");
        String id = "  id: {estimators: [twonn, mle], k: '5:8', queries: 200%s}";
        String gap = "  gap: {rankings: 2, grid_points: 8, smallest_n: 8, bootstrap: 20%s}";
        Path spec = spec("first.yaml", results, String.format(id, "") + "\n" + String.format(gap, ""));
        Repgap.Result first = Repgap.run("sweep", "--spec", spec.toString(), "--quiet");
        assertEquals(0, first.code(), first.toString());

        // the estimators asked in another order are the same run
        Path memory = spec("memory.yaml", results, String.format(id, ", partitions: 3").replace("[twonn, mle]", "[mle, twonn]") + "\n"
                + String.format(gap, ", partitions: 3, block_rows: 64, round_mb: 1"));
        assertEquals(Map.of("layer=cube", "-", "layer=torus", "-"), toRun(memory));

        Path otherK = spec("other-k.yaml", results, String.format(id, ", partitions: 3").replace("5:8", "5:9") + "\n"
                + String.format(gap, ", round_mb: 1"));
        assertEquals(Map.of("layer=cube", "id", "layer=torus", "id"), toRun(otherK));
    }

    /** The README's example of the library API, as printed there. */
    @Test
    void theLibraryExampleOfTheReadmeRuns() throws IOException {
        String readme = Files.readString(Path.of(System.getProperty("user.dir")).resolveSibling("README.md"));
        String example = """
                Dataset<Row> activations = spark.read().parquet("demo/activations");
                Dataset<Row> metrics = Repgap.analysis("id")
                        .option("estimators", "twonn,mle")
                        .groupBy("layer")
                        .run(activations)
                        .metrics();
                """;
        assertTrue(readme.contains(example), "README.md no longer holds the example this test runs:\n" + example);
        SparkSession spark = Repgap.spark();
        Dataset<Row> activations = spark.read().parquet(data.toString());
        Result result = dev.repgap.Repgap.analysis("id")
                .option("estimators", "twonn,mle")
                .groupBy("layer")
                .run(activations);
        Dataset<Row> metrics = result.metrics();
        List<Row> twonn = metrics.filter("metric = 'id.twonn'").select("layer", "value").orderBy("layer").collectAsList();
        assertEquals(2, twonn.size(), twonn.toString());
        assertEquals(4, twonn.get(0).getDouble(1), 1.0, twonn.toString()); // the 4-cube
        assertEquals(2, twonn.get(1).getDouble(1), 0.6, twonn.toString()); // the flat 2-torus
    }

    private static Path spec(String name, Path results, String analyses) throws IOException {
        Path spec = tmp.resolve(name);
        Files.writeString(spec, String.join("\n", "inputs: [" + data + "]", "results: " + results, "group_by: [layer]",
                "analyses:", analyses, ""));
        return spec;
    }

    /** The analyses a dry run of the spec would run, per group ("-": none). */
    private static Map<String, String> toRun(Path spec) {
        Repgap.Result plan = Repgap.run("sweep", "--spec", spec.toString(), "--dry-run", "--quiet");
        assertEquals(0, plan.code(), plan.toString());
        Map<String, String> out = new LinkedHashMap<>();
        for (String line : plan.out().split("\n")) {
            String[] cells = line.trim().split("\\s+");
            if (cells.length == 3 && cells[0].startsWith("layer=")) out.put(cells[0], cells[1]);
        }
        return out;
    }
}
