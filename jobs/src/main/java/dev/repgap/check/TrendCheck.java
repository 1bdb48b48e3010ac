package dev.repgap.check;

import dev.repgap.results.StoredMetric;
import dev.repgap.stats.Quantiles;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * Compares each series (group, metric, param) of a results repository, latest run against its
 * history, as Deequ's anomaly checks compare today's metrics with earlier runs. The history of a series
 * is its rows ordered by run start time; series with a single run have no history and pass.
 */
public final class TrendCheck {

    /** What a check found: the anomalies, and how much it looked at. */
    public record Outcome(List<Anomaly> anomalies, int seriesChecked, int seriesWithoutHistory, int seriesIgnored, int runs) {}

    private record SeriesKey(Map<String, String> group, String metric, String param) {}

    private TrendCheck() {}

    /** @param rows every row of the repository, oldest run first (as {@code ResultsHistory.metrics} gives them) */
    public static Outcome run(List<StoredMetric> rows, CheckRules rules) {
        Map<SeriesKey, List<StoredMetric>> series = new LinkedHashMap<>();
        java.util.Set<String> runs = new java.util.HashSet<>();
        int ignored = 0;
        for (StoredMetric m : rows) {
            runs.add(m.runId());
            List<StoredMetric> s = series.computeIfAbsent(new SeriesKey(m.group(), m.metric(), m.param()), k -> new ArrayList<>());
            // one row per run: a run that wrote a series twice counts once (its first row)
            if (s.isEmpty() || !s.get(s.size() - 1).runId().equals(m.runId())) s.add(m);
        }
        List<Anomaly> anomalies = new ArrayList<>();
        int checked = 0, alone = 0;
        for (List<StoredMetric> history : series.values()) {
            StoredMetric latest = history.get(history.size() - 1);
            if (rules.ignored(latest)) {
                ignored++;
                continue;
            }
            if (history.size() < 2) {
                alone++;
                continue;
            }
            checked++;
            Anomaly a = compare(history, rules.ruleFor(latest.metric()));
            if (a != null) anomalies.add(a);
        }
        return new Outcome(anomalies, checked, alone, ignored, runs.size());
    }

    /** The anomaly of the last row of {@code history} against the rows before it, or null. */
    static Anomaly compare(List<StoredMetric> history, CheckRule rule) {
        StoredMetric latest = history.get(history.size() - 1);
        List<StoredMetric> before = history.subList(0, history.size() - 1);
        double base;
        Double low, high;
        String baseRun;
        if (rule.baseline() == CheckRule.Baseline.PREVIOUS) {
            StoredMetric previous = before.get(before.size() - 1);
            base = previous.value();
            low = previous.hasInterval() ? previous.ciLow() : null;
            high = previous.hasInterval() ? previous.ciHigh() : null;
            baseRun = "previous run " + previous.runId();
        } else {
            List<StoredMetric> window = before.subList(Math.max(0, before.size() - rule.window()), before.size());
            base = Quantiles.median(window.stream().mapToDouble(StoredMetric::value).toArray());
            double[] lows = window.stream().filter(StoredMetric::hasInterval).mapToDouble(StoredMetric::ciLow).toArray();
            double[] highs = window.stream().filter(StoredMetric::hasInterval).mapToDouble(StoredMetric::ciHigh).toArray();
            low = lows.length == 0 ? null : Quantiles.median(lows);
            high = highs.length == 0 ? null : Quantiles.median(highs);
            baseRun = "median of " + window.size() + " run" + (window.size() == 1 ? "" : "s");
        }
        double value = latest.value();
        if (Double.isNaN(base)) return null; // nothing to compare with
        if (Double.isNaN(value)) return new Anomaly(latest, baseRun, base, low, high, Double.NaN, "became NaN (was " + num(base) + ")");
        if (Objects.equals(value, base)) return null;
        double change = base == 0 ? Math.copySign(Double.POSITIVE_INFINITY, value) : (value - base) / Math.abs(base);
        if (!rule.direction().watches(change)) return null;
        if (!(Math.abs(change) > rule.relativeChange())) return null;
        if (!(Math.abs(value - base) > rule.minAbsoluteChange())) return null;
        String why = f("%s vs the %s (limit %s%s)", percent(change), baseRun, percent(rule.relativeChange()).substring(1),
                rule.direction() == CheckRule.Direction.BOTH ? "" : ", " + rule.direction());
        if (rule.outsideInterval()) {
            boolean baseInterval = low != null, latestInterval = latest.hasInterval();
            if (baseInterval && value >= low && value <= high) return null;
            if (latestInterval && base >= latest.ciLow() && base <= latest.ciHigh()) return null;
            if (baseInterval) why += f("; %s outside the baseline interval [%s, %s]", num(value), num(low), num(high));
            if (latestInterval) why += f("; %s outside the latest interval [%s, %s]", num(base), num(latest.ciLow()), num(latest.ciHigh()));
            if (!baseInterval && !latestInterval) why += "; no intervals recorded";
        }
        return new Anomaly(latest, baseRun, base, low, high, change, why);
    }

    static String percent(double change) {
        if (Double.isInfinite(change)) return change > 0 ? "+\u221e%" : "\u2212\u221e%";
        return f("%+.1f%%", 100 * change);
    }

    static String num(double v) {
        return dev.repgap.chart.LineChart.number(v);
    }

    private static String f(String format, Object... args) {
        return String.format(Locale.ROOT, format, args);
    }
}
