package dev.repgap.compression;

import dev.repgap.report.ReportPage;
import dev.repgap.report.ReportSection;
import dev.repgap.results.StoredMetric;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The report's compression table: per group, its latest run's means over sources of the four quantities, with their
 * intervals (the cell's tip gives the number of sources, M, sigma and any warning).
 */
final class CompressionSection implements ReportSection {
    private static final List<String> METRICS = List.of("compression.mls", "compression.log_volume",
            "compression.local_dim", "compression.jacobian_fro2");

    @Override
    public String id() {
        return "compression";
    }

    @Override
    public String title() {
        return "Compression from noisy copies";
    }

    @Override
    public String html(ReportPage page) {
        Map<String, StoredMetric> newest = new TreeMap<>();
        for (StoredMetric m : page.metrics()) {
            if (!METRICS.contains(m.metric()) || m.param() != null) continue;
            newest.merge(m.groupLabel(), m, (a, b) -> Comparator.comparing(StoredMetric::startTime,
                    Comparator.nullsFirst(Comparator.naturalOrder())).compare(a, b) >= 0 ? a : b);
        }
        if (newest.isEmpty()) return null;
        StringBuilder b = new StringBuilder("<p>Each group's latest compression run: the means over sources of the"
                + " Jacobian's largest singular value (MLS), the log volume, the local dimensionality and ||J||_F^2,"
                + " estimated from the covariance of each source's noise-perturbed copies, with bootstrap intervals"
                + " over sources.</p>\n<div class=\"scroll\"><table class=\"compression\">\n<thead><tr><th>group</th>");
        for (String metric : METRICS) b.append("<th>").append(ReportPage.esc(metric.substring("compression.".length()))).append("</th>");
        b.append("</tr></thead>\n<tbody>\n");
        for (Map.Entry<String, StoredMetric> g : newest.entrySet()) {
            String run = g.getValue().runId();
            Map<String, StoredMetric> rows = new LinkedHashMap<>();
            for (StoredMetric m : page.metrics()) {
                if (m.param() == null && m.runId().equals(run) && m.groupLabel().equals(g.getKey()) && METRICS.contains(m.metric())) {
                    rows.put(m.metric(), m);
                }
            }
            b.append("<tr data-group=\"").append(ReportPage.esc(g.getKey())).append("\"><th>")
                    .append(ReportPage.esc(g.getKey())).append("</th>");
            for (String metric : METRICS) {
                StoredMetric m = rows.get(metric);
                if (m == null) {
                    b.append("<td></td>");
                } else {
                    b.append(ReportPage.cell(m.value(), m.hasInterval() ? m.ciLow() : null, m.hasInterval() ? m.ciHigh() : null,
                            (m.n() == null ? "" : m.n() + " sources; ") + "run " + run
                                    + (m.details() == null ? "" : "; " + m.details())));
                }
            }
            b.append("</tr>\n");
        }
        return b.append("</tbody></table></div>\n").toString();
    }
}
