package dev.repgap.correlate;

import dev.repgap.chart.LineChart;
import dev.repgap.chart.ScatterChart;
import dev.repgap.data.InputException;
import dev.repgap.report.ReportPage;
import dev.repgap.report.ReportSection;
import dev.repgap.results.StoredMetric;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The report's answer to "what predicts generalisation": the latest {@code repgap correlate} run's coefficients,
 * strongest first; a scatter plot of each of the strongest measures against its target (one colour per model, one point
 * per checkpoint); and the views the papers draw, each where its rows exist: the GCV prediction against the measured
 * test risk (with the identity line), MLS and local volume against sharpness, magnitude dimension and the
 * Representation Gap's fitted dimension and constant against the generalisation gap.
 */
public final class PredictorsSection implements ReportSection {
    /** Rows of the table and measures drawn. */
    static final int TABLE_ROWS = 25, SCATTERS = 6;
    /** Charts per paper view (one per layer). */
    static final int VIEW_CHARTS = 4;

    @Override
    public String id() {
        return "predictors";
    }

    @Override
    public String title() {
        return "What predicts generalisation";
    }

    @Override
    public String html(ReportPage page) {
        List<StoredMetric> metrics = page.metrics();
        List<StoredMetric> latestRun = latestCorrelateRun(metrics);
        StringBuilder b = new StringBuilder();
        List<String> targets = new ArrayList<>();
        if (!latestRun.isEmpty()) {
            List<StoredMetric> sorted = new ArrayList<>(latestRun);
            sorted.sort(Comparator.comparingDouble((StoredMetric m) -> Double.isNaN(m.value()) ? -1 : Math.abs(m.value())).reversed());
            StoredMetric first = sorted.get(0);
            b.append("<p>From <code>repgap correlate</code> run ").append(ReportPage.esc(first.runId())).append(" (")
                    .append(ReportPage.esc(ReportPage.time(first.startTime()))).append("): each measure's correlation with the target")
                    .append(" across ").append(ReportPage.esc(CorrelateRows.across(first.details()).isEmpty() ? "the groups" : String.join(", ", CorrelateRows.across(first.details()))))
                    .append(", strongest first: the coefficient with its bootstrap interval over groups, the permutation p-value and the"
                    + " Benjamini-Hochberg q-value (the false discovery rate at which the row would be called, over all measures of"
                    + " its target: with many measures some correlate by chance).</p>\n");
            b.append("<div class=\"scroll\"><table class=\"predictors\">\n<thead><tr><th>target</th><th>group</th><th>measure</th>"
                    + "<th>method</th><th>coefficient</th><th>p</th><th>q</th><th>pairs</th></tr></thead>\n<tbody>\n");
            for (StoredMetric m : sorted.subList(0, Math.min(TABLE_ROWS, sorted.size()))) {
                String[] mt = CorrelateRows.measureAndTarget(m.param());
                b.append("<tr><td>").append(ReportPage.esc(mt[1])).append("</td><td>").append(ReportPage.esc(m.groupLabel()))
                        .append("</td><td>").append(ReportPage.esc(mt[0])).append("</td><td>")
                        .append(ReportPage.esc(m.metric().substring(CorrelationStudy.PREFIX.length()))).append("</td>")
                        .append(ReportPage.cell(m.value(), m.hasInterval() ? m.ciLow() : null, m.hasInterval() ? m.ciHigh() : null, m.details()))
                        .append("<td class=\"num\">").append(ReportPage.esc(CorrelateRows.pOrQ(m.details(), false)))
                        .append("</td><td class=\"num\">").append(ReportPage.esc(CorrelateRows.pOrQ(m.details(), true)))
                        .append("</td><td class=\"num\">").append(m.n() == null ? "" : m.n()).append("</td></tr>\n");
            }
            b.append("</tbody></table></div>\n");
            if (sorted.size() > TABLE_ROWS) b.append("<p>").append(sorted.size() - TABLE_ROWS).append(" more in the repository's correlate rows.</p>\n");
            Set<String> drawn = new LinkedHashSet<>();
            for (StoredMetric m : sorted) {
                String[] mt = CorrelateRows.measureAndTarget(m.param());
                if (!targets.contains(mt[1])) targets.add(mt[1]);
                if (drawn.size() >= SCATTERS || !drawn.add(mt[0] + " ~ " + mt[1] + " @ " + m.groupLabel())) continue;
                String[] mp = CorrelateRows.metricAndParam(mt[0]);
                List<CorrelationStudy.Pair> pairs = CorrelationStudy.pairs(metrics, mp[0], mp[1], mt[1], CorrelateRows.across(m.details()))
                        .getOrDefault(new LinkedHashMap<>(m.group()), List.of());
                if (pairs.isEmpty()) continue;
                String title = mt[0] + (m.group().isEmpty() ? "" : " at " + m.groupLabel()) + " against " + mt[1];
                ReportPage.figure(b, "scatter", mp[0], title, chart(title, mt[0], mt[1], pairs, false),
                        m.metric().substring(CorrelationStudy.PREFIX.length()) + " " + LineChart.number(m.value())
                                + (m.hasInterval() ? " [" + LineChart.number(m.ciLow()) + ", " + LineChart.number(m.ciHigh()) + "]" : "")
                                + " over " + pairs.size() + " groups");
            }
        }
        String gap = firstMatching(targets, metrics, "gap");
        String sharpness = firstMatching(List.of(), metrics, "sharp");
        int views = 0;
        views += view(b, metrics, "risk.predicted", "risk.measured", true, "GCV's predicted risk against the measured test risk");
        if (sharpness != null) {
            views += view(b, metrics, "compression.mls", sharpness, false, "Maximum local sensitivity against sharpness");
            views += view(b, metrics, "compression.log_volume", sharpness, false, "Local volume against sharpness");
        }
        if (gap != null) {
            views += view(b, metrics, "magnitude.dimension", gap, false, "Magnitude dimension against the generalisation gap");
            views += view(b, metrics, "gap.dimension", gap, false, "Representation Gap's fitted dimension against the generalisation gap");
            views += view(b, metrics, "gap.constant", gap, false, "Representation Gap's fitted constant against the generalisation gap");
        }
        return latestRun.isEmpty() && views == 0 ? null : b.toString();
    }

    /** One view of the papers: the measure against the target, a chart per layer (at most {@link #VIEW_CHARTS}). */
    private static int view(StringBuilder b, List<StoredMetric> metrics, String metric, String target, boolean identity, String title) {
        if (metrics.stream().noneMatch(m -> m.metric().equals(metric) && m.param() == null)) return 0;
        Map<LinkedHashMap<String, String>, List<CorrelationStudy.Pair>> pairs;
        try {
            pairs = CorrelationStudy.pairs(metrics, metric, null, target, List.of());
        } catch (InputException noTarget) {
            return 0;
        }
        int drawn = 0;
        for (Map.Entry<LinkedHashMap<String, String>, List<CorrelationStudy.Pair>> e : pairs.entrySet()) {
            if (drawn == VIEW_CHARTS) {
                b.append("<p>").append(pairs.size() - VIEW_CHARTS).append(" more groups of ").append(ReportPage.esc(metric))
                        .append(" not drawn.</p>\n");
                break;
            }
            String t = title + (e.getKey().isEmpty() ? "" : " (" + StoredMetric.label(e.getKey()) + ")");
            ReportPage.figure(b, "scatter-view", metric, t, chart(t, metric, target, e.getValue(), identity),
                    e.getValue().size() + " groups" + (identity ? "; dashed: prediction = measurement" : ""));
            drawn++;
        }
        return drawn;
    }

    /** Colour by the first across column (the model), one point per group named by the others (the checkpoint). */
    private static String chart(String title, String x, String y, List<CorrelationStudy.Pair> pairs, boolean identity) {
        Map<String, List<ScatterChart.Point>> series = new LinkedHashMap<>();
        for (CorrelationStudy.Pair p : pairs) {
            LinkedHashMap<String, String> rest = new LinkedHashMap<>(p.across());
            String colour = "";
            if (!rest.isEmpty()) {
                String first = rest.keySet().iterator().next();
                colour = first + "=" + rest.remove(first);
            }
            String name = StoredMetric.label(rest);
            series.computeIfAbsent(colour, k -> new ArrayList<>()).add(new ScatterChart.Point(p.measure(), p.target(), name));
        }
        List<ScatterChart.Series> drawn = series.size() > LineChart.MAX_SERIES
                ? List.of(new ScatterChart.Series("all groups", series.values().stream().flatMap(List::stream).toList()))
                : series.entrySet().stream().map(e -> new ScatterChart.Series(e.getKey(), e.getValue())).toList();
        ScatterChart c = new ScatterChart(title, x, y);
        return (identity ? c.identityLine() : c).svg(drawn);
    }

    private static List<StoredMetric> latestCorrelateRun(List<StoredMetric> metrics) {
        String run = null;
        Instant at = null;
        for (StoredMetric m : metrics) {
            if (m.metric().startsWith(CorrelationStudy.PREFIX) && (at == null || !m.startTime().isBefore(at))) {
                run = m.runId();
                at = m.startTime();
            }
        }
        String chosen = run;
        return chosen == null ? List.of() : metrics.stream().filter(m -> chosen.equals(m.runId())).toList();
    }

    /** The first of {@code preferred}, else of the external metrics, whose name contains {@code word}; null if none. */
    private static String firstMatching(List<String> preferred, List<StoredMetric> metrics, String word) {
        for (String t : preferred) if (t.contains(word)) return t;
        return metrics.stream().map(StoredMetric::metric).filter(n -> n.startsWith("external.") && n.contains(word))
                .sorted().findFirst().orElse(null);
    }
}
