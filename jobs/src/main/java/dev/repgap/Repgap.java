package dev.repgap;

import dev.repgap.analysis.Analyses;
import dev.repgap.analysis.Analysis;
import dev.repgap.analysis.Configured;
import dev.repgap.analysis.OptionException;
import dev.repgap.data.ActivationLoader;
import dev.repgap.data.Activations;
import dev.repgap.data.ColumnNames;
import dev.repgap.results.ResultsRepository;
import dev.repgap.results.RunInfo;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * repgap as a library, for Spark applications that already hold their activations as a DataFrame (spark-shell,
 * notebooks on a cluster): runs any registered analysis on it and returns the metric rows as a DataFrame, with
 * no command line and no results repository.
 *
 * <pre>{@code
 * Dataset<Row> metrics = Repgap.analysis("id")
 *         .option("estimators", "twonn,mle")      // the analysis's options, as on its command line
 *         .groupBy("layer")
 *         .run(activations)                       // columns: features (array<float> or vector), optional id, split, label
 *         .metrics();
 * }</pre>
 *
 * Options are parsed and checked as on the command line ({@code repgap id --help} lists them); a wrong option or
 * input is an {@link dev.repgap.data.InputException} naming it. The rows read are cached while the analysis runs
 * and released after.
 */
public final class Repgap {
    private final Analysis<?> analysis;
    private final List<String> args = new ArrayList<>();
    private final Map<String, String> columns = new LinkedHashMap<>();
    private final List<String> groupBy = new ArrayList<>();
    private boolean dropInvalid;

    private Repgap(Analysis<?> analysis) {
        this.analysis = analysis;
    }

    /** The analysis {@code name} ({@code describe}, {@code id}, {@code gap}, {@code audit}, ...). */
    public static Repgap analysis(String name) {
        return new Repgap(Analyses.byName(name).orElseThrow(() -> new OptionException("no analysis '" + name
                + "'; the analyses are " + Analyses.names())));
    }

    /** An option of the analysis, as on its command line without the dashes: {@code option("k", "10")}. */
    public Repgap option(String name, String value) {
        args.add("--" + name);
        args.add(value);
        return this;
    }

    /** A flag of the analysis, as on its command line without the dashes. */
    public Repgap flag(String name) {
        args.add("--" + name);
        return this;
    }

    /** Which column holds what: {@code column("features", "embedding")}; roles as the keys of a sweep spec's columns. */
    public Repgap column(String role, String column) {
        if (!ColumnNames.specKeys().contains(role)) {
            throw new OptionException("no column role '" + role + "'; the roles are " + String.join(", ", ColumnNames.specKeys()));
        }
        columns.put(role, column);
        return this;
    }

    /** Runs the analysis once per group of these columns. */
    public Repgap groupBy(String... columns) {
        groupBy.addAll(List.of(columns));
        return this;
    }

    /** Skips rows with missing, NaN or infinite values instead of failing. */
    public Repgap dropInvalid() {
        dropInvalid = true;
        return this;
    }

    /**
     * What a run found: its metric rows (the columns of a results repository's {@code metrics} table, without the
     * fingerprints' values) and its side tables by name.
     */
    public record Result(Dataset<Row> metrics, Map<String, Dataset<Row>> tables) {}

    /** Runs the analysis on {@code activations}. */
    public Result run(Dataset<Row> activations) {
        Configured configured = Analyses.configure(analysis, args, groupBy);
        ColumnNames names = ColumnNames.fromKeys(columns, groupBy);
        String input = "(DataFrame)";
        RunInfo run = RunInfo.start(configured.name(), input);
        Activations data = new ActivationLoader(activations.sparkSession())
                .load(activations, input, names, dropInvalid, configured.requirement(), null);
        try {
            Configured.Output out = configured.run(data, run, null);
            return new Result(ResultsRepository.toDataFrame(activations.sparkSession(), run, out.metrics(), null), out.tables());
        } finally {
            data.rows().unpersist();
        }
    }
}
