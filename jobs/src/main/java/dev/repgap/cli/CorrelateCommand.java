package dev.repgap.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.repgap.analysis.OptionException;
import dev.repgap.chart.LineChart;
import dev.repgap.correlate.Correlation;
import dev.repgap.correlate.CorrelateRows;
import dev.repgap.correlate.CorrelationStudy;
import dev.repgap.correlate.CorrelationStudy.Finding;
import dev.repgap.data.GroupKey;
import dev.repgap.results.MetricRow;
import dev.repgap.results.ResultsHistory;
import dev.repgap.results.ResultsRepository;
import dev.repgap.results.RunInfo;
import dev.repgap.results.StoredMetric;
import dev.repgap.results.TextTable;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import org.apache.spark.sql.SparkSession;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

@Command(name = "correlate", mixinStandardHelpOptions = true,
        description = "Which measures track generalisation? For every series of a results repository (a metric at one param"
                + " and one value of the group columns outside --across, e.g. one layer), its correlation with each --target"
                + " across the groups named by --across (checkpoints and models), with a seeded bootstrap interval over the"
                + " groups, a permutation p-value and a Benjamini-Hochberg q-value; strongest first. The coefficients are"
                + " written back to the repository as correlate.METHOD rows (param 'measure ~ target'), so check can watch them.")
final class CorrelateCommand implements Callable<Integer> {
    private static final ObjectMapper JSON = new ObjectMapper();

    @Mixin SparkOptions spark;
    @Spec CommandSpec spec;

    @Option(names = "--results", required = true, paramLabel = "DIR", description = "The results repository.")
    String results;

    @Option(names = "--target", required = true, paramLabel = "METRIC",
            description = "The metric to predict, e.g. external.test_loss (rows from repgap record), repeatable.")
    List<String> targets;

    @Option(names = "--across", split = ",", paramLabel = "C1,C2,..",
            description = "The group columns whose values are the points of a series (e.g. model,checkpoint)."
                    + " Default: the target rows' group columns.")
    List<String> across = new ArrayList<>();

    @Option(names = "--by", split = ",", paramLabel = "C1,..",
            description = "The other group columns a series is split by (e.g. layer); rows grouped by further columns are"
                    + " left out and counted. Default: every group column that is not an --across column.")
    List<String> by = new ArrayList<>();

    @Option(names = "--method", split = ",", defaultValue = "spearman", paramLabel = "M1,..",
            description = "spearman, kendall (tau-b), pearson; the first orders the table. Default: ${DEFAULT-VALUE}.")
    List<String> methods;

    @Option(names = "--metrics", split = ",", paramLabel = "M1,..",
            description = "Only these measures. Default: every metric with at most " + CorrelationStudy.MAX_PARAMS + " params"
                    + " (not spectra, curves or quantiles; name those here).")
    List<String> metrics = new ArrayList<>();

    @Option(names = "--min-groups", defaultValue = "5", paramLabel = "N",
            description = "Fewest pairs for a coefficient. Default: ${DEFAULT-VALUE}.")
    int minGroups;

    @Option(names = "--bootstrap", defaultValue = "1000", paramLabel = "B",
            description = "Bootstrap resamples of the groups for the interval. Default: ${DEFAULT-VALUE}.")
    int replicates;

    @Option(names = "--permutations", defaultValue = "999", paramLabel = "P",
            description = "Random relabellings for the p-value (resolution 1/(P+1)). Default: ${DEFAULT-VALUE}.")
    int permutations;

    @Option(names = "--level", defaultValue = "0.95", paramLabel = "L", description = "Interval coverage. Default: ${DEFAULT-VALUE}.")
    double level;

    @Option(names = "--seed", defaultValue = "0", paramLabel = "S", description = "Seed of resamples and relabellings. Default: ${DEFAULT-VALUE}.")
    long seed;

    @Option(names = "--top", defaultValue = "30", paramLabel = "N",
            description = "Rows of the printed table (all of them with --json). Default: ${DEFAULT-VALUE}.")
    int top;

    @Option(names = "--json", description = "One JSON line per series instead of the table.")
    boolean json;

    @Option(names = "--no-record", description = "Do not write correlate.* rows to the repository.")
    boolean noRecord;

    @Override
    public Integer call() {
        List<Correlation.Method> chosen = new ArrayList<>();
        for (String m : methods) {
            try {
                Correlation.Method method = Correlation.Method.of(m);
                if (!chosen.contains(method)) chosen.add(method);
            } catch (IllegalArgumentException e) {
                throw new OptionException("--method: " + e.getMessage());
            }
        }
        if (minGroups < 3) throw new OptionException("--min-groups must be at least 3, got " + minGroups);
        if (replicates < 2) throw new OptionException("--bootstrap must be at least 2, got " + replicates);
        if (permutations < 0) throw new OptionException("--permutations must be >= 0, got " + permutations);
        if (!(level > 0 && level < 1)) throw new OptionException("--level must be in (0, 1), got " + level);
        if (top < 1) throw new OptionException("--top must be at least 1, got " + top);
        for (String c : by) if (across.contains(c)) throw new OptionException("column " + c + " is in both --across and --by");
        SparkSession session = spark.session("correlate");
        List<StoredMetric> rows = ResultsHistory.metrics(session, results);
        CorrelationStudy.Options o = new CorrelationStudy.Options(targets, across, by, chosen, metrics, minGroups, replicates,
                permutations, level, seed);
        CorrelationStudy.Outcome outcome = CorrelationStudy.run(rows, o);
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        PrintWriter summary = json ? err : out;
        if (json) {
            for (Finding f : outcome.findings()) out.println(json(f, chosen));
        } else {
            table(outcome, chosen, out);
        }
        long measured = outcome.findings().stream().filter(f -> f.status() == null).count();
        summary.println("repgap correlate: " + measured + " series correlated across " + String.join(",", outcome.across())
                + ", " + (outcome.findings().size() - measured) + " without a coefficient (too few groups or constant)");
        if (!outcome.leftOutMetrics().isEmpty()) {
            summary.println("left out (more than " + CorrelationStudy.MAX_PARAMS + " params each; name them with --metrics): "
                    + String.join(", ", outcome.leftOutMetrics()));
        }
        if (outcome.rowsOutsideColumns() > 0) {
            summary.println(outcome.rowsOutsideColumns() + " rows left out: grouped by columns outside --across and --by");
        }
        if (!noRecord && measured > 0) {
            List<MetricRow> written = CorrelateRows.of(outcome, chosen, o);
            new ResultsRepository(session, results).append(RunInfo.start("correlate", results), written);
            summary.println("wrote " + written.size() + " correlate rows to " + results);
        }
        out.flush();
        err.flush();
        return 0;
    }

    private void table(CorrelationStudy.Outcome outcome, List<Correlation.Method> chosen, PrintWriter out) {
        List<String> header = new ArrayList<>(List.of("target", "group", "measure", "pairs", "missing"));
        for (Correlation.Method m : chosen) header.addAll(List.of(m.id(), "interval", "p", "q"));
        List<Integer> numeric = new ArrayList<>(List.of(3, 4));
        for (int i = 0; i < chosen.size(); i++) numeric.addAll(List.of(5 + 4 * i, 7 + 4 * i, 8 + 4 * i));
        TextTable t = new TextTable(header.toArray(new String[0]), numeric.stream().mapToInt(Integer::intValue).toArray());
        int shown = 0;
        List<Finding> without = new ArrayList<>();
        for (Finding f : outcome.findings()) {
            if (f.status() != null) {
                without.add(f);
                continue;
            }
            if (shown++ >= top) continue;
            List<String> cells = new ArrayList<>(List.of(f.target(), f.by().isEmpty() ? "-" : new GroupKey(f.by()).toString(), f.measure(),
                    Integer.toString(f.pairs().size()), Integer.toString(f.missing())));
            for (int i = 0; i < chosen.size(); i++) {
                Correlation.Result r = f.results().get(i);
                cells.add(fixed(r.coefficient().value()));
                cells.add(Double.isNaN(r.coefficient().low()) ? "" : "[" + fixed(r.coefficient().low()) + ", " + fixed(r.coefficient().high()) + "]");
                cells.add(CorrelateRows.probability(r.pValue()));
                cells.add(CorrelateRows.probability(f.qValues()[i]));
            }
            t.add(cells.toArray(new String[0]));
        }
        t.print(out);
        if (shown > top) out.println("(" + (shown - top) + " more series; --top N or --json shows them)");
        // the series without a coefficient, by reason: the measures, not a line per series
        Map<String, java.util.TreeSet<String>> byReason = new java.util.TreeMap<>();
        for (Finding f : without) byReason.computeIfAbsent(f.status().replaceAll("[0-9]+ pairs", "N pairs"), k -> new java.util.TreeSet<>()).add(f.measure());
        byReason.forEach((reason, measures) -> out.println(reason + ": " + String.join(", ", measures)));
    }

    private static String fixed(double v) {
        return Double.isNaN(v) ? "NaN" : String.format(Locale.ROOT, "%+.3f", v);
    }

    private static String json(Finding f, List<Correlation.Method> methods) {
        Map<String, Object> o = new LinkedHashMap<>();
        o.put("target", f.target());
        o.put("metric", f.metric());
        o.put("param", f.param());
        o.put("group", f.by());
        o.put("pairs", f.pairs().size());
        o.put("missing", f.missing());
        if (f.status() != null) o.put("status", f.status());
        for (int i = 0; i < f.results().size(); i++) {
            Correlation.Result r = f.results().get(i);
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("value", finite(r.coefficient().value()));
            m.put("ci_low", finite(r.coefficient().low()));
            m.put("ci_high", finite(r.coefficient().high()));
            m.put("p", finite(r.pValue()));
            m.put("q", finite(f.qValues()[i]));
            o.put(methods.get(i).id(), m);
        }
        try {
            return JSON.writeValueAsString(o);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static Double finite(double v) {
        return Double.isFinite(v) ? v : null;
    }
}
