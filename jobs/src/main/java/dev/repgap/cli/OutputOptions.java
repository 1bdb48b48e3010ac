package dev.repgap.cli;

import dev.repgap.analysis.Configured;
import dev.repgap.results.MetricRow;
import dev.repgap.results.ResultPrinter;
import dev.repgap.results.ResultsRepository;
import dev.repgap.results.RunInfo;
import java.io.PrintWriter;
import java.util.List;
import java.util.Map;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.SparkSession;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;

/** Where results go: the results repository, and stdout as a table or as JSON lines. */
public final class OutputOptions {
    @Option(names = "--out", paramLabel = "DIR",
            description = "Results repository: rows are appended to DIR/metrics (Parquet, partitioned by run date).")
    String out;

    @Option(names = "--json", description = "Print each result row as one JSON line on stdout instead of a table.")
    boolean json;

    @Option(names = {"-v", "--verbose"}, description = "Print every result row of every group. Default: with more than "
            + ResultPrinter.COMPACT_ABOVE + " groups, one line per group with its headline estimates and intervals.")
    boolean verbose;

    /**
     * Runs one analysis as its command does: loads and validates the input, runs, commits the side tables and
     * then the metric rows to {@code --out} (if given), and prints the readable table or JSON lines.
     */
    int run(Configured analysis, InputOptions input, SparkOptions sparkOptions, CommandSpec spec) {
        List<String> outputs = new java.util.ArrayList<>(java.util.Arrays.asList("--out", out));
        outputs.addAll(analysis.outputs());
        input.precheck(analysis.requirement(), outputs.toArray(new String[0]));
        RunInfo run = RunInfo.start(analysis.name(), input.input);
        SparkSession session = sparkOptions.session(analysis.name());
        PrintWriter stdout = spec.commandLine().getOut();
        PrintWriter stderr = spec.commandLine().getErr();
        input.analyse(session, analysis.requirement(), data -> {
            Configured.Output o = analysis.run(data, run, out);
            if (out != null) {
                Map<String, Path> files = new ResultsRepository(session, out).commit(run, null, o.tables(), o.metrics(), null);
                files.forEach((table, file) -> stderr.println("repgap: " + (table.equals(ResultsRepository.TABLE)
                        ? o.metrics().size() + " result rows" : table) + " written to " + file));
                stderr.flush();
            }
            if (json) {
                ResultPrinter.json(run, o.metrics(), stdout);
            } else {
                o.print(stdout, verbose);
            }
        });
        return 0;
    }

    /** Appends to the repository at {@code results} (if any), then prints a table or JSON lines. */
    static void publish(SparkSession spark, String results, boolean json, RunInfo run, List<MetricRow> rows,
                        PrintWriter stdout, PrintWriter stderr) {
        if (results != null) {
            Path file = new ResultsRepository(spark, results).append(run, rows);
            stderr.println("repgap: " + rows.size() + " result rows written to " + file);
            stderr.flush();
        }
        if (json) {
            ResultPrinter.json(run, rows, stdout);
        } else {
            ResultPrinter.table(rows, stdout);
        }
    }
}
