package dev.repgap.audit;

import dev.repgap.analysis.Analyses;
import dev.repgap.report.NaturalOrder;
import dev.repgap.report.ReportPage;
import dev.repgap.report.ReportSection;
import dev.repgap.results.ResultTable;
import dev.repgap.results.ResultsHistory;
import dev.repgap.results.StoredMetric;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.expressions.Window;
import org.apache.spark.sql.functions;

/**
 * The report's audit section, from each group's latest audit run: a summary table (one row per group, the
 * headline numbers with their intervals), the findings themselves from the audit's side tables (the closest
 * pairs with their ids and distances, leaks, the test rows farthest from training), and the local-ID
 * histogram as a chart.
 */
final class AuditSection implements ReportSection {
    /** Findings shown per group and table; the rest are in the export. */
    static final int SHOWN = 5;
    private static final Pattern HISTOGRAM = Pattern.compile("edges \\[([^\\]]*)\\] counts \\[([^\\]]*)\\] below (\\d+) above (\\d+)");

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
        // each group's latest audit run, and that run's rows
        Map<Map<String, String>, String> latestRun = new LinkedHashMap<>();
        for (StoredMetric m : page.metrics()) if (m.metric().startsWith("audit.")) latestRun.put(m.group(), m.runId());
        if (latestRun.isEmpty()) return null;
        Map<Map<String, String>, List<StoredMetric>> rows = new TreeMap<>((x, y) ->
                NaturalOrder.INSTANCE.compare(StoredMetric.label(x), StoredMetric.label(y)));
        for (StoredMetric m : page.metrics()) {
            if (m.metric().startsWith("audit.") && m.runId().equals(latestRun.get(m.group()))) {
                rows.computeIfAbsent(m.group(), k -> new ArrayList<>()).add(m);
            }
        }
        StringBuilder b = new StringBuilder("<p>Each group's latest audit run: the numbers, then the findings (at most "
                + SHOWN + " per group and kind, closest first; <code>repgap export --all</code> writes them all).</p>\n");
        summary(b, rows);
        for (ResultTable t : Analyses.byName("audit").map(a -> a.tables()).orElse(List.of())) findings(b, page, t, latestRun);
        histograms(b, rows);
        return b.toString();
    }

    /** One row per group, a column per metric with one row per group (param in the header), interval below. */
    private static void summary(StringBuilder b, Map<Map<String, String>, List<StoredMetric>> rows) {
        Map<String, Set<String>> params = new LinkedHashMap<>();
        Map<String, Integer> perGroup = new LinkedHashMap<>();
        for (List<StoredMetric> ms : rows.values()) {
            Map<String, Integer> count = new LinkedHashMap<>();
            for (StoredMetric m : ms) {
                params.computeIfAbsent(m.metric(), k -> new LinkedHashSet<>()).add(Objects.toString(m.param(), ""));
                perGroup.merge(m.metric(), count.merge(m.metric(), 1, Integer::sum), Math::max);
            }
        }
        List<String> columns = new ArrayList<>();
        for (String metric : params.keySet()) if (perGroup.get(metric) == 1) columns.add(metric);
        b.append("<h3>Summary</h3>\n<div class=\"scroll\"><table class=\"audits\">\n<thead><tr><th>group</th>");
        for (String c : columns) {
            String p = params.get(c).size() == 1 ? params.get(c).iterator().next() : "";
            b.append("<th>").append(ReportPage.esc(c.substring("audit.".length()) + (p.isEmpty() ? "" : " (" + p + ")"))).append("</th>");
        }
        b.append("</tr></thead>\n<tbody>\n");
        for (Map.Entry<Map<String, String>, List<StoredMetric>> g : rows.entrySet()) {
            b.append("<tr data-group=\"").append(ReportPage.esc(StoredMetric.label(g.getKey()))).append("\"><th>")
                    .append(ReportPage.esc(StoredMetric.label(g.getKey()))).append("</th>");
            for (String c : columns) {
                StoredMetric m = g.getValue().stream().filter(x -> x.metric().equals(c)).findFirst().orElse(null);
                if (m == null) {
                    b.append("<td></td>");
                } else {
                    b.append(ReportPage.cell(m.value(), m.hasInterval() ? m.ciLow() : null, m.hasInterval() ? m.ciHigh() : null,
                            (m.n() == null ? "" : "n = " + m.n() + "; ") + "run " + m.runId()
                                    + (m.details() == null ? "" : "; " + m.details())));
                }
            }
            b.append("</tr>\n");
        }
        b.append("</tbody></table></div>\n");
    }

    /** The first {@link #SHOWN} rows of a findings table per group of its latest run, closest (or by rank) first. */
    private static void findings(StringBuilder b, ReportPage page, ResultTable table, Map<Map<String, String>, String> latestRun) {
        if (!ResultsHistory.has(page.spark(), page.dir(), table.name())) return;
        Dataset<Row> all = ResultsHistory.table(page.spark(), page.dir(), table.name());
        List<String> groups = table.groupColumns(all.schema());
        Set<String> runs = new LinkedHashSet<>(latestRun.values());
        List<String> fields = Arrays.asList(all.columns());
        String order = fields.contains("rank") ? "rank" : fields.contains("distance") ? "distance" : null;
        Column[] partition = groups.stream().map(dev.repgap.data.ColumnNames::column).toArray(Column[]::new);
        Dataset<Row> latest = all.where(functions.col("run_id").isin(runs.toArray()));
        org.apache.spark.sql.expressions.WindowSpec w = Window.partitionBy(partition)
                .orderBy(order == null ? functions.lit(0) : functions.col(order).asc_nulls_last());
        List<Row> shown = latest.withColumn("_shown", functions.row_number().over(w))
                .withColumn("_total", functions.count(functions.lit(1)).over(Window.partitionBy(partition)))
                .where(functions.col("_shown").leq(SHOWN)).collectAsList();
        List<String> columns = new ArrayList<>();
        for (String f : fields) if (!groups.contains(f) && !f.equals("run_id") && !f.equals("run_date")) columns.add(f);
        Map<String, List<Row>> byGroup = new TreeMap<>(NaturalOrder.INSTANCE);
        for (Row r : shown) {
            Map<String, String> group = ResultsHistory.group(r, groups);
            if (!Objects.equals(latestRun.get(group), r.getAs("run_id"))) continue; // an older run of this group
            byGroup.computeIfAbsent(StoredMetric.label(group), k -> new ArrayList<>()).add(r);
        }
        String kind = table.name().substring(table.name().indexOf('/') + 1);
        b.append("<h3>").append(ReportPage.esc(kind.substring(0, 1).toUpperCase() + kind.substring(1))).append("</h3>\n");
        if (byGroup.isEmpty()) {
            b.append("<p class=\"ok\">None in the latest runs.</p>\n");
            return;
        }
        b.append("<div class=\"scroll\"><table class=\"findings\" data-table=\"").append(ReportPage.esc(table.name()))
                .append("\">\n<thead><tr><th>group</th>");
        for (String c : columns) b.append("<th>").append(ReportPage.esc(c.replace('_', ' '))).append("</th>");
        b.append("</tr></thead>\n<tbody>\n");
        for (Map.Entry<String, List<Row>> g : byGroup.entrySet()) {
            List<Row> rs = g.getValue();
            rs.sort((x, y) -> Integer.compare(x.<Integer>getAs("_shown"), y.<Integer>getAs("_shown")));
            long total = rs.get(0).<Long>getAs("_total");
            for (int i = 0; i < rs.size(); i++) {
                b.append("<tr data-group=\"").append(ReportPage.esc(g.getKey())).append("\">");
                if (i == 0) {
                    b.append("<th rowspan=\"").append(rs.size()).append("\">").append(ReportPage.esc(g.getKey()))
                            .append(total > rs.size() ? "<span class=\"ci\">" + rs.size() + " of " + total + "</span>" : "")
                            .append("</th>");
                }
                for (String c : columns) {
                    Object v = rs.get(i).getAs(c);
                    if (v instanceof Double d) {
                        b.append(ReportPage.cell(d, null, null, null));
                    } else {
                        b.append(v instanceof Number ? "<td class=\"num\">" : "<td>").append(ReportPage.esc(Objects.toString(v, "")))
                                .append("</td>");
                    }
                }
                b.append("</tr>\n");
            }
        }
        b.append("</tbody></table></div>\n");
    }

    /** The local-ID histogram of each group's latest run (carried in the details of its median row), as bars. */
    private static void histograms(StringBuilder b, Map<Map<String, String>, List<StoredMetric>> rows) {
        boolean first = true;
        for (Map.Entry<Map<String, String>, List<StoredMetric>> g : rows.entrySet()) {
            for (StoredMetric m : g.getValue()) {
                Matcher h = m.details() == null ? null : HISTOGRAM.matcher(m.details());
                if (h == null || !m.metric().equals("audit.local_id") || !h.find()) continue;
                double[] edges = Arrays.stream(h.group(1).split(",\\s*")).mapToDouble(Double::parseDouble).toArray();
                long[] counts = Arrays.stream(h.group(2).split(",\\s*")).mapToLong(Long::parseLong).toArray();
                if (edges.length != counts.length + 1) continue;
                if (first) b.append("<h3>Local intrinsic dimension</h3>\n");
                first = false;
                String title = "Local ID m_k(x) of the training rows, " + StoredMetric.label(g.getKey());
                ReportPage.figure(b, "histogram", m.metric(), title, ReportPage.histogram(title, "local intrinsic dimension m_k(x)",
                        edges, counts), "median " + dev.repgap.chart.LineChart.number(m.value()) + " (" + m.param() + "); "
                        + h.group(3) + " rows below the first bin, " + h.group(4) + " above the last");
            }
        }
    }
}
