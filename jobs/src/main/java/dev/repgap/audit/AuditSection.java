package dev.repgap.audit;

import dev.repgap.report.NaturalOrder;
import dev.repgap.report.ReportPage;
import dev.repgap.report.ReportSection;
import dev.repgap.results.StoredMetric;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/** The report's audit section: the latest value of each audit metric per group. */
final class AuditSection implements ReportSection {
    @Override
    public String id() {
        return "audits";
    }

    @Override
    public String title() {
        return "Audits";
    }

    @Override
    public boolean showsAllMetrics() {
        return true;
    }

    @Override
    public String html(ReportPage page) {
        Map<List<Object>, StoredMetric> latest = new LinkedHashMap<>();
        for (StoredMetric m : page.metrics()) {
            if (m.metric().startsWith("audit.")) latest.put(List.of(m.group(), m.metric(), Objects.toString(m.param(), "")), m);
        }
        if (latest.isEmpty()) return null;
        List<StoredMetric> rows = new ArrayList<>(latest.values());
        rows.sort(Comparator.comparing(StoredMetric::groupLabel, NaturalOrder.INSTANCE).thenComparing(StoredMetric::metric)
                .thenComparing(m -> Objects.toString(m.param(), ""), NaturalOrder.INSTANCE));
        StringBuilder b = new StringBuilder("<p>The latest value of each audit metric per group.</p>\n");
        b.append("<div class=\"scroll\"><table class=\"audits\">\n<thead><tr><th>group</th><th>metric</th><th>param</th>"
                + "<th>value</th><th>n</th><th>details</th><th>run</th></tr></thead>\n<tbody>\n");
        for (StoredMetric m : rows) {
            b.append("<tr data-group=\"").append(ReportPage.esc(m.groupLabel())).append("\"><td>").append(ReportPage.esc(m.groupLabel()))
                    .append("</td><td>").append(ReportPage.esc(m.metric())).append("</td><td>").append(ReportPage.esc(Objects.toString(m.param(), "")))
                    .append("</td>").append(ReportPage.cell(m.value(), m.hasInterval() ? m.ciLow() : null, m.hasInterval() ? m.ciHigh() : null, null))
                    .append("<td class=\"num\">").append(m.n() == null ? "" : m.n()).append("</td><td>")
                    .append(ReportPage.esc(Objects.toString(m.details(), ""))).append("</td><td>").append(ReportPage.esc(ReportPage.time(m.startTime())))
                    .append("</td></tr>\n");
        }
        b.append("</tbody></table></div>\n");
        return b.toString();
    }
}
