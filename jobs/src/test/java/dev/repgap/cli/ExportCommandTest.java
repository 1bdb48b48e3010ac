package dev.repgap.cli;

import static dev.repgap.results.HistoryBuilder.group;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.repgap.results.HistoryBuilder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.stream.Stream;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** repgap export: every row and value of the Parquet table comes back from the CSV (read by Spark's CSV reader) and the JSON lines. */
class ExportCommandTest {
    @TempDir static Path tmp;

    private static final ObjectMapper JSON = new ObjectMapper();
    private static String results;

    @BeforeAll
    static void repository() {
        results = tmp.resolve("results").toString();
        HistoryBuilder.run(Repgap.spark(), results, "id", Instant.parse("2026-11-01T02:00:00Z"))
                .add(group("layer", "a"), "id.twonn", null, 5.25, 4.75, 5.5)
                .add(group("layer", "b, \"quoted\"\nand a new line"), "id.mle", "k=10", 1e-7, null, null)
                .add(group("layer", "c"), "id.pr", null, Double.NaN, null, null)
                .append();
        HistoryBuilder.run(Repgap.spark(), results, "describe", Instant.parse("2026-11-02T02:00:00Z"))
                .add(group("model", "m1", "layer", "a"), "describe.pr", null, 3.5, null, null)
                .append();
    }

    /** The Parquet table's rows as strings in the export's column order, sorted, NaN and null spelt alike. */
    private static List<String> expected(List<String> columns) {
        List<String> out = new ArrayList<>();
        for (Row r : Repgap.spark().read().option("mergeSchema", "true").parquet(results + "/metrics").collectAsList()) {
            List<String> cells = new ArrayList<>();
            for (String c : columns) cells.add(text(r.getAs(c)));
            out.add(String.join("|", cells));
        }
        return out.stream().sorted().toList();
    }

    private static String text(Object v) {
        if (v instanceof java.sql.Timestamp t) return t.toInstant().toString();
        if (v instanceof Number n && !(v instanceof Double)) return Long.toString(n.longValue());
        if (v instanceof Double d) return d.isNaN() ? "null" : Double.toString(d);
        return Objects.toString(v, "null");
    }

    @Test
    void csvRoundTrips() throws Exception {
        Path csv = tmp.resolve("out/metrics.csv");
        Repgap.Result r = Repgap.run("export", "--results", results, "--out", csv.toString());
        assertEquals(0, r.code(), r.toString());
        assertTrue(r.err().contains("4 rows of metrics written to"), r.err());
        String header = Files.readAllLines(csv).get(0);
        List<String> columns = List.of(header.split(","));
        assertEquals(new java.util.TreeSet<>(List.of("run_id", "start_time", "command", "input", "layer", "metric", "param", "value",
                "ci_low", "ci_high", "n", "scale", "details", "model", "run_date", "input_fingerprint", "options_fingerprint")),
                new java.util.TreeSet<>(columns));
        List<String> back = new ArrayList<>();
        for (Row row : Repgap.spark().read().option("header", "true").option("multiLine", "true").option("escape", "\"")
                .option("nanValue", "NaN").csv(csv.toString()).collectAsList()) {
            List<String> cells = new ArrayList<>();
            for (String c : columns) {
                String v = row.getAs(c);
                boolean number = List.of("value", "ci_low", "ci_high", "scale").contains(c);
                cells.add(v == null || (number && v.equals("NaN")) ? "null" : number ? Double.toString(Double.parseDouble(v)) : v);
            }
            back.add(String.join("|", cells));
        }
        assertEquals(expected(columns), back.stream().sorted().toList());
        // the file is ordered by run start, then group
        List<String> lines = Files.readAllLines(csv);
        assertTrue(lines.get(1).contains("id.twonn") && lines.get(lines.size() - 1).contains("describe.pr"), lines.toString());
    }

    @Test
    void jsonLinesRoundTripAndNothingIsLeftAside() throws Exception {
        Path jsonl = tmp.resolve("out/metrics.jsonl");
        Repgap.Result r = Repgap.run("export", "--results", results, "--out", jsonl.toString());
        assertEquals(0, r.code(), r.toString());
        List<String> lines = Files.readAllLines(jsonl);
        assertEquals(4, lines.size());
        List<String> columns = new ArrayList<>();
        JSON.readTree(lines.get(0)).fieldNames().forEachRemaining(columns::add);
        List<String> back = new ArrayList<>();
        for (String line : lines) {
            JsonNode o = JSON.readTree(line);
            List<String> cells = new ArrayList<>();
            for (String c : columns) {
                JsonNode v = o.get(c);
                cells.add(v == null || v.isNull() ? "null" : v.isFloatingPointNumber() ? Double.toString(v.asDouble()) : v.asText());
            }
            back.add(String.join("|", cells));
        }
        assertEquals(expected(columns), back.stream().sorted().toList());
        try (Stream<Path> files = Files.list(jsonl.getParent())) {
            assertTrue(files.noneMatch(p -> p.getFileName().toString().startsWith(".")), "no file left aside");
        }
    }

    @Test
    void badOptionsAndMissingTablesExitWithTwo() {
        Repgap.Result table = Repgap.run("export", "--results", results, "--table", "nope", "--out", tmp.resolve("x.csv").toString());
        assertEquals(2, table.code(), table.toString());
        assertTrue(table.err().contains("--table must be one of [metrics, runs, sweep_units") && table.err().contains("gap_curves, audit/duplicates"), table.err());
        Repgap.Result curves = Repgap.run("export", "--results", results, "--table", "gap_curves", "--out", tmp.resolve("x.csv").toString());
        assertEquals(2, curves.code(), curves.toString());
        assertTrue(curves.err().contains("no table gap_curves"), curves.err());
        assertTrue(!Files.exists(tmp.resolve("x.csv")));
    }

    @Test
    void allWritesEveryTableTheRepositoryHoldsAsTheSingleExportDoes() throws Exception {
        Path dir = tmp.resolve("all");
        Repgap.Result r = Repgap.run("export", "--results", results, "--all", dir.toString());
        assertEquals(0, r.code(), r.toString());
        Path single = tmp.resolve("single/metrics.csv");
        assertEquals(0, Repgap.run("export", "--results", results, "--out", single.toString()).code());
        assertEquals(Files.readString(single), Files.readString(dir.resolve("metrics.csv")));
        List<String> written;
        try (Stream<Path> files = Files.list(dir)) {
            written = files.map(p -> p.getFileName().toString()).sorted().toList();
        }
        List<String> held = new ArrayList<>();
        for (dev.repgap.results.ResultTable t : dev.repgap.analysis.Analyses.tables()) {
            if (Files.isDirectory(Path.of(results, t.name()))) held.add(t.name() + ".csv");
        }
        assertEquals(held.stream().sorted().toList(), written, r.err());
        assertTrue(r.err().contains("not in " + results + ": ") && r.err().contains("gap_curves"), r.err());
        // the tables are checked before anything is written: a second run refuses, --force overwrites
        Repgap.Result again = Repgap.run("export", "--results", results, "--all", dir.toString());
        assertEquals(2, again.code(), again.toString());
        assertTrue(again.err().contains("the file exists"), again.err());
        Repgap.Result jsonl = Repgap.run("export", "--results", results, "--all", dir.toString(), "--format", "jsonl");
        assertEquals(0, jsonl.code(), jsonl.toString());
        assertEquals(4, Files.readAllLines(dir.resolve("metrics.jsonl")).size());
        assertEquals(2, Repgap.run("export", "--results", results, "--all", dir.toString(), "--out", single.toString()).code());
        assertEquals(2, Repgap.run("export", "--results", results).code());
    }
}
