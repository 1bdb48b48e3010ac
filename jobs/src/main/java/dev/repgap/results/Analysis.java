package dev.repgap.results;

import dev.repgap.data.Activations;
import dev.repgap.data.Requirement;
import java.io.PrintWriter;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * One analysis with its options fixed ({@code describe}, {@code id}, {@code gap}, {@code audit}), as its own
 * command and a sweep both run it: on any validated set of groups, returning what to commit and what to print.
 *
 * @param name the command, written to the results' {@code command} column
 * @param requirement what every group must have, checked before it runs
 * @param options its options in a canonical text (record toString): what a sweep fingerprints
 */
public record Analysis(String name, Requirement requirement, String options, Runner runner) {

    /** Runs the analysis; {@code results} is the repository it will be committed to (null: none). */
    @FunctionalInterface
    public interface Runner {
        Output run(Activations data, RunInfo run, String results);
    }

    /**
     * What a run found: metric rows, the side tables to commit before them (table name to rows), and the
     * readable table for stdout.
     */
    public record Output(List<MetricRow> metrics, Map<String, Dataset<Row>> tables, Consumer<PrintWriter> table) {
        public static Output of(List<MetricRow> metrics) {
            return new Output(metrics, Map.of(), out -> ResultPrinter.table(metrics, out));
        }
    }

    public Output run(Activations data, RunInfo run, String results) {
        return runner.run(data, run, results);
    }
}
