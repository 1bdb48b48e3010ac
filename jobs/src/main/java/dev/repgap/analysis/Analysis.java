package dev.repgap.analysis;

import dev.repgap.data.ColumnRole;
import dev.repgap.report.ReportSection;
import dev.repgap.results.ResultTable;
import java.util.List;
import java.util.Set;

/**
 * One analysis of repgap, everything about it in one place: its name (the command, and the prefix of its
 * metric rows), its options (a picocli-annotated object whose {@code @Option} fields carry the defaults, so
 * that its command line and a sweep spec's entry parse them the same way), how options become a configured
 * run ({@link #configure}: validation, the fingerprint of what changes results, the requirement on every
 * group, the run itself), the side tables it writes and the report sections it contributes.
 *
 * <p>The analyses are listed once, in {@code META-INF/services/dev.repgap.analysis.Analysis} (one class name
 * per line, read with {@link java.util.ServiceLoader}); that list feeds the command line, the sweep, {@code
 * export}, the group-column detection of the results tables and the report. Adding an analysis is a class
 * implementing this interface and one line in that file.
 *
 * @param <O> the options type: a class annotated {@code @Command} with picocli {@code @Option} fields
 */
public interface Analysis<O> {
    /** The command name, e.g. {@code id}; metric rows are named {@code <name>.<metric>}. */
    String name();

    /** The command's help text: what it computes. */
    String description();

    /** A new options object holding the defaults. */
    O options();

    /**
     * Checks the options (an {@link OptionException} naming the option when one is wrong) and fixes them into a
     * run. {@code groupBy} is the user's grouping, for checks that depend on it.
     */
    Configured configure(O options, List<String> groupBy);

    /**
     * The column roles beyond the core ones (features, id, split, label) that its runs may read: their
     * {@code --<role>-col} options appear on its command. Its {@link Configured#requirement()} says which it needs.
     */
    default Set<ColumnRole> roles() {
        return Set.of();
    }

    /** The side tables the analysis writes besides the metric rows (declared once, used to write and read them). */
    default List<ResultTable> tables() {
        return List.of();
    }

    /** Its headline metrics, drawn by layer in {@code repgap report} by default. */
    default List<String> profileMetrics() {
        return List.of();
    }

    /** The sections the analysis adds to {@code repgap report}, in order. */
    default List<ReportSection> reportSections() {
        return List.of();
    }
}
