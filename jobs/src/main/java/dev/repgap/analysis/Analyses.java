package dev.repgap.analysis;

import dev.repgap.results.RepositoryTables;
import dev.repgap.results.ResultTable;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.ServiceLoader;
import picocli.CommandLine;

/**
 * The list of all analyses: every {@link Analysis} named in a {@code META-INF/services/dev.repgap.analysis.Analysis}
 * file on the class path, in the order listed. The command line, the sweep, {@code export}, the report and the
 * library API all read it here.
 */
public final class Analyses {
    private static final Map<String, Analysis<?>> ALL = load();

    private Analyses() {}

    private static Map<String, Analysis<?>> load() {
        Map<String, Analysis<?>> out = new LinkedHashMap<>();
        for (Analysis<?> a : ServiceLoader.load(Analysis.class, Analyses.class.getClassLoader())) {
            Analysis<?> before = out.putIfAbsent(a.name(), a);
            if (before != null && before.getClass() != a.getClass()) {
                throw new IllegalStateException("two analyses named " + a.name() + ": " + before.getClass().getName()
                        + " and " + a.getClass().getName());
            }
        }
        return out;
    }

    public static List<Analysis<?>> all() {
        return List.copyOf(ALL.values());
    }

    public static List<String> names() {
        return List.copyOf(ALL.keySet());
    }

    public static Optional<Analysis<?>> byName(String name) {
        return Optional.ofNullable(ALL.get(name));
    }

    /** Every table a repository can hold: its own (metrics, runs, sweep units), then each analysis's side tables. */
    public static List<ResultTable> tables() {
        List<ResultTable> out = new ArrayList<>(RepositoryTables.ALL);
        for (Analysis<?> a : ALL.values()) out.addAll(a.tables());
        return out;
    }

    public static Optional<ResultTable> table(String name) {
        return tables().stream().filter(t -> t.name().equals(name)).findFirst();
    }

    /**
     * Fixes parsed options into a run, after checking that the grouping columns clash with no column of the tables
     * the analysis writes.
     */
    public static <O> Configured configure(Analysis<O> analysis, O options, List<String> groupBy) {
        RepositoryTables.METRICS.checkGroupColumns(groupBy);
        for (ResultTable t : analysis.tables()) t.checkGroupColumns(groupBy);
        return analysis.configure(options, groupBy);
    }

    /**
     * Parses {@code args} (as on the analysis's command line: {@code --k 10 --estimators twonn,mle}) into its options
     * and configures it; a wrong option is an {@link OptionException}.
     */
    public static <O> Configured configure(Analysis<O> analysis, List<String> args, List<String> groupBy) {
        O options = analysis.options();
        try {
            new CommandLine(options).parseArgs(args.toArray(new String[0]));
        } catch (CommandLine.ParameterException e) {
            throw new OptionException(e.getMessage(), e);
        }
        return configure(analysis, options, groupBy);
    }
}
