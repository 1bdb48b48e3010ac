package dev.repgap.analysis;

import dev.repgap.data.Activations;
import dev.repgap.data.Requirement;
import dev.repgap.results.MetricRow;
import dev.repgap.results.ResultPrinter;
import dev.repgap.results.RunInfo;
import java.io.PrintWriter;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * One analysis with its options fixed, as its command, a sweep and the library API all run it: on any
 * validated set of groups, returning what to commit and what to print.
 *
 * @param name the analysis, written to the results' {@code command} column
 * @param requirement what every group must have, checked before it runs
 * @param fingerprint the options that change results, in canonical form ({@link Fingerprint}): what a sweep
 *                    compares to decide whether a stored result is still valid
 * @param outputs files or directories the run writes besides the results repository, as pairs of option name
 *                and path (null paths are none), checked before any work starts
 */
public record Configured(String name, Requirement requirement, Fingerprint fingerprint, List<String> outputs,
                         Runner runner) {

    /** Runs the analysis; {@code results} is the repository it will be committed to (null: none). */
    @FunctionalInterface
    public interface Runner {
        Output run(Activations data, RunInfo run, String results);
    }

    /**
     * What a run found: metric rows, the side tables to commit before them (table name to rows), the readable
     * table for stdout with every row, and whether many groups may be shown in {@link ResultPrinter#compact} form
     * instead (one line per group) unless {@code --verbose} asks for every row.
     */
    public record Output(List<MetricRow> metrics, Map<String, Dataset<Row>> tables, Consumer<PrintWriter> table,
                         boolean compactable) {
        /** An output whose own readable form is kept whatever the number of groups. */
        public Output(List<MetricRow> metrics, Map<String, Dataset<Row>> tables, Consumer<PrintWriter> table) {
            this(metrics, tables, table, false);
        }

        public static Output of(List<MetricRow> metrics) {
            return new Output(metrics, Map.of(), out -> ResultPrinter.table(metrics, out), true);
        }

        /** Prints the readable form: compact above {@link ResultPrinter#COMPACT_ABOVE} groups unless verbose. */
        public void print(PrintWriter out, boolean verbose) {
            if (compactable && !verbose && ResultPrinter.groups(metrics) > ResultPrinter.COMPACT_ABOVE) {
                ResultPrinter.compact(metrics, out);
            } else {
                table.accept(out);
            }
        }
    }

    public Configured(String name, Requirement requirement, Fingerprint fingerprint, Runner runner) {
        this(name, requirement, fingerprint, List.of(), runner);
    }

    public Configured {
        outputs = java.util.Collections.unmodifiableList(new java.util.ArrayList<>(outputs)); // may hold nulls
    }

    public Output run(Activations data, RunInfo run, String results) {
        return runner.run(data, run, results);
    }
}
