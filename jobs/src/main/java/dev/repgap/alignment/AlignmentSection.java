package dev.repgap.alignment;

import dev.repgap.chart.LineChart;
import dev.repgap.data.ColumnNames;
import dev.repgap.report.ReportPage;
import dev.repgap.report.ReportSection;
import dev.repgap.results.ResultsHistory;
import dev.repgap.results.StoredMetric;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.functions;

/**
 * The report's Gram alignment: per group's latest run, the share of the residual's energy along the largest eigenvalues
 * of the Gram matrix (from the side table {@code alignment_profile}, read at fixed fractions of the rank so groups of
 * any rank line up), and the kernel-regime training loss and predicted gap against flow time.
 */
final class AlignmentSection implements ReportSection {
    /** Fractions of the rank the cumulative energy is read at. */
    static final double[] FRACTIONS = {0.001, 0.002, 0.005, 0.01, 0.02, 0.05, 0.1, 0.2, 0.5, 1};

    @Override
    public String id() {
        return "alignment";
    }

    @Override
    public String title() {
        return "Gram alignment";
    }

    @Override
    public String html(ReportPage page) {
        Map<String, String> latestRun = new TreeMap<>(); // group label -> run id of its newest alignment rows
        Map<String, java.time.Instant> at = new TreeMap<>();
        for (StoredMetric m : page.metrics()) {
            if (!m.metric().startsWith("alignment.")) continue;
            java.time.Instant seen = at.get(m.groupLabel());
            if (seen == null || !m.startTime().isBefore(seen)) {
                at.put(m.groupLabel(), m.startTime());
                latestRun.put(m.groupLabel(), m.runId());
            }
        }
        if (latestRun.isEmpty()) return null;
        StringBuilder b = new StringBuilder("<p>Each group's latest alignment run. First, the share of the residual's energy"
                + " along the eigenvectors of the largest eigenvalues of the Gram matrix, against that share of its rank (a"
                + " residual along the top of the spectrum is learnt fast in the kernel regime). Then the kernel regime's"
                + " training loss and its predicted generalisation gap (reconstructed) against flow time t.</p>\n");
        profile(b, page, latestRun);
        for (String[] c : new String[][] {{"alignment.train_loss_predicted", "Kernel-regime training loss", "||r(t)||^2 / (2n)"},
                {"alignment.gap_predicted", "Predicted generalisation gap (reconstructed)", "test - train loss"}}) {
            Map<String, Map<Double, Double>> byGroup = new TreeMap<>();
            TreeSet<Double> times = new TreeSet<>();
            for (StoredMetric m : page.metrics()) {
                if (!m.metric().equals(c[0]) || m.param() == null || !m.param().startsWith("t=")
                        || !m.runId().equals(latestRun.get(m.groupLabel()))) continue;
                double t = Double.parseDouble(m.param().substring(2));
                times.add(t);
                byGroup.computeIfAbsent(m.groupLabel(), g -> new TreeMap<>()).put(t, m.value());
            }
            if (byGroup.isEmpty()) continue;
            List<String> categories = times.stream().map(LineChart::number).toList();
            List<LineChart.Series> series = new ArrayList<>();
            byGroup.forEach((group, values) -> series.add(new LineChart.Series(group, times.stream()
                    .map(t -> values.containsKey(t) ? new LineChart.Point(values.get(t), Double.NaN, Double.NaN) : LineChart.Point.MISSING)
                    .toList())));
            draw(b, c[0], c[1], "flow time t (learning rate x steps)", c[2], categories, series);
        }
        return b.toString();
    }

    private static void profile(StringBuilder b, ReportPage page, Map<String, String> latestRun) {
        if (!ResultsHistory.has(page.spark(), page.dir(), AlignmentJob.PROFILE.name())) return;
        Dataset<Row> all = ResultsHistory.committed(page.spark(), page.dir(), AlignmentJob.PROFILE,
                ResultsHistory.table(page.spark(), page.dir(), AlignmentJob.PROFILE.name()));
        List<String> groups = AlignmentJob.PROFILE.groupColumns(all.schema());
        Map<String, TreeMap<Integer, Double>> cumulative = new TreeMap<>();
        for (Row r : all.where(functions.col("run_id").isin(latestRun.values().toArray()))
                .select(functions.col("run_id"), functions.col("rank"), functions.col("cumulative_energy"),
                        functions.array(groups.stream().map(ColumnNames::column).toArray(org.apache.spark.sql.Column[]::new)).as("_g"))
                .collectAsList()) {
            List<Object> values = r.getList(3);
            LinkedHashMap<String, String> g = new LinkedHashMap<>();
            for (int i = 0; i < groups.size(); i++) if (values.get(i) != null) g.put(groups.get(i), values.get(i).toString());
            String label = StoredMetric.label(g);
            if (!r.getString(0).equals(latestRun.get(label))) continue;
            cumulative.computeIfAbsent(label, k -> new TreeMap<>()).put(r.getInt(1), r.getDouble(2));
        }
        if (cumulative.isEmpty()) return;
        List<String> categories = new ArrayList<>();
        for (double f : FRACTIONS) categories.add(new java.math.BigDecimal(100 * f).round(new java.math.MathContext(3)).stripTrailingZeros().toPlainString() + "%");
        List<LineChart.Series> series = new ArrayList<>();
        cumulative.forEach((group, byRank) -> {
            int rank = byRank.lastKey();
            List<LineChart.Point> points = new ArrayList<>();
            for (double f : FRACTIONS) {
                Map.Entry<Integer, Double> e = byRank.floorEntry((int) Math.ceil(f * rank - 1e-9));
                points.add(e == null ? LineChart.Point.MISSING : new LineChart.Point(e.getValue(), Double.NaN, Double.NaN));
            }
            series.add(new LineChart.Series(group, points));
        });
        draw(b, "alignment.energy_top", "Residual energy along the largest eigenvalues",
                "share of the rank, largest eigenvalues first", "cumulative share of ||r||^2", categories, series);
    }

    /** One chart, or panels of at most {@link LineChart#MAX_SERIES} groups on one scale. */
    private static void draw(StringBuilder b, String metric, String title, String xTitle, String yTitle, List<String> categories,
                             List<LineChart.Series> series) {
        for (List<LineChart.Series> panel : LineChart.panels(series, LineChart.MAX_SERIES)) {
            ReportPage.figure(b, "alignment", metric, title, new LineChart(title, xTitle, yTitle, categories).scaledTo(series)
                    .svg(panel), panel.size() + " group(s), latest run of each");
        }
    }
}
