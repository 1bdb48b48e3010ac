package dev.repgap.cli;

import dev.repgap.results.MetricRow;
import dev.repgap.results.ResultPrinter;
import dev.repgap.results.ResultsRepository;
import dev.repgap.results.RunInfo;
import java.io.PrintWriter;
import java.util.List;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.SparkSession;
import picocli.CommandLine.Option;

/** Where results go: the results repository, and stdout as a table or as JSON lines. */
public final class OutputOptions {
    @Option(names = "--out", paramLabel = "DIR",
            description = "Results repository: rows are appended to DIR/metrics (Parquet, partitioned by run date).")
    String out;

    @Option(names = "--json", description = "Print each result row as one JSON line on stdout instead of a table.")
    boolean json;

    void publish(SparkSession spark, RunInfo run, List<MetricRow> rows, PrintWriter stdout, PrintWriter stderr) {
        publish(spark, out, json, run, rows, stdout, stderr);
    }

    /** Appends the rows to the repository at {@code results}, if any, and says where on stderr. */
    static void write(SparkSession spark, String results, RunInfo run, List<MetricRow> rows, PrintWriter stderr) {
        if (results != null) {
            Path file = new ResultsRepository(spark, results).append(run, rows);
            stderr.println("repgap: " + rows.size() + " result rows written to " + file);
            stderr.flush();
        }
    }

    /** Appends to the repository at {@code results} (if any), then prints a table or JSON lines. */
    static void publish(SparkSession spark, String results, boolean json, RunInfo run, List<MetricRow> rows,
                        PrintWriter stdout, PrintWriter stderr) {
        write(spark, results, run, rows, stderr);
        if (json) {
            ResultPrinter.json(run, rows, stdout);
        } else {
            ResultPrinter.table(rows, stdout);
        }
    }
}
