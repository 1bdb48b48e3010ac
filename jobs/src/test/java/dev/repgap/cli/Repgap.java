package dev.repgap.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.apache.spark.sql.SparkSession;
import picocli.CommandLine;

/** Runs repgap commands in-process through the real entry point, on one shared local Spark session. */
final class Repgap {
    record Result(int code, String out, String err) {
        /** Each non-blank line of stdout parsed as JSON (the --json output). */
        List<JsonNode> jsonLines() {
            return Repgap.jsonLines(out);
        }

        @Override
        public String toString() {
            return "exit " + code + "\n--- stdout\n" + out + "\n--- stderr\n" + err;
        }
    }

    private Repgap() {}

    private static final ObjectMapper JSON = new ObjectMapper();

    /** Each non-blank line of {@code text} parsed as JSON. */
    static List<JsonNode> jsonLines(String text) {
        List<JsonNode> rows = new ArrayList<>();
        for (String line : text.split("\n")) {
            if (line.isBlank()) continue;
            try {
                rows.add(JSON.readTree(line));
            } catch (java.io.IOException e) {
                throw new AssertionError("not a JSON line: " + line, e);
            }
        }
        return rows;
    }

    static SparkSession spark() {
        return SparkSession.builder().master("local[2]").appName("repgap tests")
                .config("spark.ui.enabled", "false")
                .config("spark.driver.host", "127.0.0.1")
                .config("spark.driver.bindAddress", "127.0.0.1")
                .config("spark.sql.shuffle.partitions", "4")
                .config("spark.sql.sources.partitionColumnTypeInference.enabled", "false")
                .getOrCreate();
    }

    static Result run(String... args) {
        spark();
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cl = Main.commandLine();
        cl.setOut(new PrintWriter(out, true));
        cl.setErr(new PrintWriter(err, true));
        List<String> all = new ArrayList<>(Arrays.asList(args));
        int code = cl.execute(all.toArray(new String[0]));
        return new Result(code, out.toString(), err.toString());
    }
}
