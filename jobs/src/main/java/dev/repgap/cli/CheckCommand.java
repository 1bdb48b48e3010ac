package dev.repgap.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.repgap.check.Anomaly;
import dev.repgap.check.CheckRules;
import dev.repgap.check.TrendCheck;
import dev.repgap.data.InputException;
import dev.repgap.results.ResultsHistory;
import dev.repgap.results.StoredMetric;
import dev.repgap.results.TextTable;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import org.apache.spark.sql.SparkSession;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

@Command(name = "check", mixinStandardHelpOptions = true,
        description = "Trend check: compares each series (group, metric, param) of a results repository, its latest run"
                + " against its history, and lists the anomalies: a relative change beyond a threshold (default 10%%) that"
                + " also leaves the recorded intervals. Exit code 0 when there are none, 1 when there are some, 2 on bad"
                + " input (no repository, malformed rules), so a scheduler can alert.")
final class CheckCommand implements Callable<Integer> {
    /** Exit code when anomalies were found. */
    static final int ANOMALIES = 1;

    private static final ObjectMapper JSON = new ObjectMapper();

    @Mixin SparkOptions spark;
    @Spec CommandSpec spec;

    @Option(names = "--results", required = true, paramLabel = "DIR", description = "The results repository to check.")
    String results;

    @Option(names = "--rules", paramLabel = "FILE",
            description = "YAML or JSON: defaults, per-metric thresholds, directions and baselines, and rows to ignore"
                    + " (see the README). Default: 10%% relative change against the previous run, outside the intervals.")
    Path rulesFile;

    @Option(names = "--json", description = "Print each anomaly as one JSON line instead of the table.")
    boolean json;

    @Override
    public Integer call() {
        CheckRules rules = rules(rulesFile);
        SparkSession session = spark.session("check");
        TrendCheck.Outcome outcome = TrendCheck.run(ResultsHistory.metrics(session, results), rules);
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        if (json) {
            for (Anomaly a : outcome.anomalies()) out.println(json(a));
        } else if (!outcome.anomalies().isEmpty()) {
            table(outcome, out);
        }
        // the summary belongs to the table a person reads; beside JSON lines it goes to stderr
        PrintWriter summary = json ? err : out;
        summary.println("repgap check: " + outcome.anomalies().size() + " anomal" + (outcome.anomalies().size() == 1 ? "y" : "ies")
                + " in " + outcome.seriesChecked() + " series with history (" + outcome.runs() + " runs; "
                + outcome.seriesWithoutHistory() + " series with one run, " + outcome.seriesIgnored() + " ignored)");
        out.flush();
        err.flush();
        return outcome.anomalies().isEmpty() ? 0 : ANOMALIES;
    }

    static CheckRules rules(Path file) {
        if (file == null) return CheckRules.defaults();
        if (!Files.isRegularFile(file)) throw new InputException("rules file " + file + ": no such file");
        return CheckRules.read(file);
    }

    static void table(TrendCheck.Outcome outcome, PrintWriter out) {
        TextTable t = new TextTable(new String[] {"group", "metric", "param", "baseline", "latest", "change", "why"}, 3, 4, 5);
        for (Anomaly a : outcome.anomalies()) {
            StoredMetric m = a.latest();
            t.add(m.groupLabel(), m.metric(), m.param() == null ? "" : m.param(), number(a.baseline()), number(m.value()),
                    percent(a.change()), a.why());
        }
        t.print(out);
    }

    static String json(Anomaly a) {
        StoredMetric m = a.latest();
        Map<String, Object> o = new LinkedHashMap<>();
        o.putAll(m.group());
        o.put("metric", m.metric());
        o.put("param", m.param());
        o.put("baseline", finite(a.baseline()));
        o.put("baseline_ci_low", a.baselineLow());
        o.put("baseline_ci_high", a.baselineHigh());
        o.put("baseline_run", a.baselineRun());
        o.put("latest", finite(m.value()));
        o.put("latest_ci_low", m.hasInterval() ? m.ciLow() : null);
        o.put("latest_ci_high", m.hasInterval() ? m.ciHigh() : null);
        o.put("latest_run", m.runId());
        o.put("latest_start_time", m.startTime().toString());
        o.put("change", Double.isFinite(a.change()) ? a.change() : a.change() > 0 ? "+inf" : a.change() < 0 ? "-inf" : null);
        o.put("why", a.why());
        try {
            return JSON.writeValueAsString(o);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static Double finite(double v) {
        return Double.isFinite(v) ? v : null;
    }

    private static String number(double v) {
        return dev.repgap.chart.LineChart.number(v);
    }

    private static String percent(double change) {
        if (Double.isNaN(change)) return "NaN";
        if (Double.isInfinite(change)) return change > 0 ? "+inf" : "-inf";
        return String.format(java.util.Locale.ROOT, "%+.1f%%", 100 * change);
    }
}
