package dev.repgap.magnitude;

import dev.repgap.chart.LineChart;
import dev.repgap.report.ReportPage;
import dev.repgap.report.ReportSection;
import dev.repgap.results.StoredMetric;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The report's magnitude functions: each group's latest run, Mag/N and the slope profile against t (as a
 * fraction of the group's t_conv when the run searched it, so groups on their own grids line up).
 */
final class MagnitudeSection implements ReportSection {
    @Override
    public String id() {
        return "magnitude";
    }

    @Override
    public String title() {
        return "Magnitude functions";
    }

    @Override
    public String html(ReportPage page) {
        Map<String, List<StoredMetric>> latest = latestRuns(page.metrics());
        if (latest.isEmpty()) return null;
        boolean relative = latest.values().stream().allMatch(rows -> tConv(rows) != null);
        Map<String, TreeMap<Double, String>> xs = new LinkedHashMap<>(); // metric -> its x labels in order
        Map<String, Map<String, Map<String, Double>>> curves = new LinkedHashMap<>(); // metric -> group -> x label -> value
        for (String metric : List.of("magnitude.value", "magnitude.profile")) {
            curves.put(metric, new LinkedHashMap<>());
            xs.put(metric, new TreeMap<>());
        }
        for (Map.Entry<String, List<StoredMetric>> e : latest.entrySet()) {
            Double tConv = tConv(e.getValue());
            for (StoredMetric m : e.getValue()) {
                Map<String, Map<String, Double>> byGroup = curves.get(m.metric());
                if (byGroup == null || m.param() == null || !m.param().startsWith("t=") || m.n() == null) continue;
                double x = Double.parseDouble(m.param().substring(2)) / (relative ? tConv : 1);
                String label = MagnitudeJob.format(Double.parseDouble(MagnitudeJob.format(x)));
                xs.get(m.metric()).put(Double.parseDouble(label), label);
                double y = m.metric().equals("magnitude.value") ? m.value() / m.n() : m.value();
                byGroup.computeIfAbsent(e.getKey(), g -> new LinkedHashMap<>()).put(label, y);
            }
        }
        String xTitle = relative ? "t / t_conv" : "t";
        StringBuilder b = new StringBuilder("<p>Each group's latest magnitude run: Mag(t)/N, which rises from 1/N to 1,"
                + " and the slope of log Mag against log t between consecutive scales, whose maximum is the magnitude"
                + " dimension.</p>\n");
        String[][] charts = {{"magnitude.value", "Magnitude Mag(t) / N", "Mag / N"},
                {"magnitude.profile", "Magnitude dimension profile", "d log Mag / d log t"}};
        for (String[] c : charts) {
            Map<String, Map<String, Double>> byGroup = curves.get(c[0]);
            if (byGroup.isEmpty()) continue;
            List<String> categories = new ArrayList<>(xs.get(c[0]).values());
            List<LineChart.Series> series = new ArrayList<>();
            byGroup.forEach((group, values) -> {
                List<LineChart.Point> points = new ArrayList<>();
                for (String x : categories) {
                    Double v = values.get(x);
                    points.add(v == null ? LineChart.Point.MISSING : new LineChart.Point(v, Double.NaN, Double.NaN));
                }
                series.add(new LineChart.Series(group, points));
            });
            ReportPage.figure(b, "magnitude", c[0], c[1], new LineChart(c[1], xTitle, c[2], categories).svg(series),
                    latest.size() + " group(s), latest run of each");
        }
        return b.toString();
    }

    private static Double tConv(List<StoredMetric> rows) {
        return rows.stream().filter(m -> m.metric().equals("magnitude.t_conv")).map(StoredMetric::value).findFirst().orElse(null);
    }

    /** Per group label, the magnitude rows of its latest run. */
    private static Map<String, List<StoredMetric>> latestRuns(List<StoredMetric> metrics) {
        Map<String, StoredMetric> newest = new TreeMap<>();
        for (StoredMetric m : metrics) {
            if (!m.metric().startsWith("magnitude.")) continue;
            newest.merge(m.groupLabel(), m, (a, b) -> Comparator.comparing(StoredMetric::startTime,
                    Comparator.nullsFirst(Comparator.naturalOrder())).compare(a, b) >= 0 ? a : b);
        }
        Map<String, List<StoredMetric>> out = new TreeMap<>();
        newest.forEach((group, run) -> {
            List<StoredMetric> rows = metrics.stream()
                    .filter(m -> m.metric().startsWith("magnitude.") && m.groupLabel().equals(group)
                            && m.runId().equals(run.runId()))
                    .toList();
            out.put(group, rows);
        });
        return out;
    }
}
