package dev.repgap.risk;

import dev.repgap.chart.LineChart;
import dev.repgap.report.ReportPage;
import dev.repgap.report.ReportSection;
import dev.repgap.results.StoredMetric;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** The report's risk curves: per group, its latest risk run's GCV, leave-one-out and test risk against lambda. */
final class RiskCurvesSection implements ReportSection {
    private static final String[] SERIES = {"risk.gcv", "risk.loo", "risk.test"};
    private static final String[] LABELS = {"GCV (predicted)", "leave-one-out", "test (measured)"};

    @Override
    public String id() {
        return "risk-curves";
    }

    @Override
    public String title() {
        return "Ridge risk against lambda";
    }

    @Override
    public String html(ReportPage page) {
        Map<String, StoredMetric> latest = new LinkedHashMap<>(); // group label -> a row of its latest run
        for (StoredMetric m : page.metrics()) {
            if (!"risk.gcv".equals(m.metric())) continue;
            StoredMetric seen = latest.get(m.groupLabel());
            if (seen == null || (m.startTime() != null && seen.startTime() != null && m.startTime().isAfter(seen.startTime()))) {
                latest.put(m.groupLabel(), m);
            }
        }
        if (latest.isEmpty()) return null;
        StringBuilder b = new StringBuilder("<p>Each group's latest risk run: GCV, the exact leave-one-out risk and the"
                + " risk measured on the test rows, for every ridge parameter lambda (log grid, equal steps).</p>\n");
        for (Map.Entry<String, StoredMetric> g : latest.entrySet()) {
            String run = g.getValue().runId();
            TreeMap<Double, double[]> byLambda = new TreeMap<>();
            for (StoredMetric m : page.metrics()) {
                if (!run.equals(m.runId()) || !g.getKey().equals(m.groupLabel()) || m.param() == null
                        || !m.param().startsWith("lambda=")) continue;
                for (int s = 0; s < SERIES.length; s++) {
                    if (!SERIES[s].equals(m.metric())) continue;
                    double lambda = Double.parseDouble(m.param().substring("lambda=".length()));
                    byLambda.computeIfAbsent(lambda, k -> new double[] {Double.NaN, Double.NaN, Double.NaN})[s] = m.value();
                }
            }
            List<String> categories = new ArrayList<>();
            List<List<LineChart.Point>> points = new ArrayList<>();
            for (int s = 0; s < SERIES.length; s++) points.add(new ArrayList<>());
            byLambda.forEach((lambda, v) -> {
                categories.add(LineChart.number(lambda));
                for (int s = 0; s < SERIES.length; s++) points.get(s).add(new LineChart.Point(v[s], Double.NaN, Double.NaN));
            });
            List<LineChart.Series> series = new ArrayList<>();
            for (int s = 0; s < SERIES.length; s++) series.add(new LineChart.Series(LABELS[s], points.get(s)));
            String title = "Ridge risk, " + g.getKey();
            String svg = new LineChart(title, "lambda", "risk", categories).svg(series);
            StoredMetric m = g.getValue();
            ReportPage.figure(b, "risk", "risk.gcv", title, svg,
                    "run " + run + (m.startTime() == null ? "" : ", " + ReportPage.time(m.startTime())));
        }
        return b.toString();
    }
}
