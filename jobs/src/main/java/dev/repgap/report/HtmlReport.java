package dev.repgap.report;

import dev.repgap.chart.LineChart;
import dev.repgap.check.Anomaly;
import dev.repgap.check.TrendCheck;
import dev.repgap.results.StoredMetric;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;

/**
 * One self-contained HTML page over a results repository: inline CSS and inline SVG, no scripts and
 * no external resources, so it opens offline and in a mail attachment. Sections appear only when their
 * data exist: the trend check, the latest values per group, intrinsic dimension by layer per
 * checkpoint, gap curves with their fits, trends of each metric across runs, audits, and the runs.
 * The markup is well-formed XML as well as HTML, so tests parse it with an XML parser.
 */
public final class HtmlReport {

    /** What to show and how to read the group columns. */
    public record Options(String title, String source, String layerColumn, String checkpointColumn, List<String> profileMetrics,
                          List<String> layerOrder, List<String> trendMetrics) {}

    private static final DateTimeFormatter SHORT_TIME = DateTimeFormatter.ofPattern("MM-dd HH:mm:ss").withZone(ZoneOffset.UTC);

    private static final String CSS = """
            body{font-family:Helvetica,Arial,sans-serif;color:#222;margin:24px auto;max-width:1040px;padding:0 16px;line-height:1.4}
            h1{font-size:26px;margin-bottom:4px}h2{font-size:20px;border-bottom:2px solid #0072B2;padding-bottom:4px;margin-top:36px}
            h3{font-size:16px;margin-top:22px}p.meta{color:#555;margin-top:0}nav a{margin-right:14px;color:#0072B2}
            table{border-collapse:collapse;font-size:13px;margin:8px 0}th,td{border:1px solid #d0d0d0;padding:4px 8px;vertical-align:top}
            thead th{background:#eef3f8;text-align:left}tbody tr:nth-child(even){background:#fafafa}
            td.num{text-align:right;font-variant-numeric:tabular-nums;white-space:nowrap}
            span.ci{display:block;color:#666;font-size:11px}div.scroll{overflow-x:auto}
            p.ok{color:#006d44;font-weight:bold}p.bad{color:#b00020;font-weight:bold}
            table.anomalies td.why{max-width:420px}figure{margin:18px 0}figure svg{max-width:100%;height:auto;border:1px solid #e3e3e3}
            figcaption{color:#555;font-size:13px}footer{margin-top:40px;color:#777;font-size:12px}
            """;

    private final Options options;
    private final List<StoredMetric> metrics;
    private final ReportPage page;
    private final List<ReportSection> analysisSections;
    /** Metric prefixes ({@code audit.}) whose rows an analysis's own section shows, left out of the general ones. */
    private final Set<String> shownElsewhere = new java.util.HashSet<>();
    private final TrendCheck.Outcome check;
    private final ReportSection predictors = new dev.repgap.correlate.PredictorsSection();
    private final Instant generated;
    /** The one param of each metric that is always written with the same one (id.mle_mean's k=5:20), or null. */
    private final Map<String, String> headlineParam = new java.util.HashMap<>();

    HtmlReport(Options options, ReportPage page, TrendCheck.Outcome check, Instant generated) {
        this.options = options;
        this.page = page;
        this.metrics = page.metrics();
        this.analysisSections = new ArrayList<>();
        for (dev.repgap.analysis.Analysis<?> a : dev.repgap.analysis.Analyses.all()) {
            for (ReportSection s : a.reportSections()) {
                analysisSections.add(s);
                if (s.showsAllMetrics()) shownElsewhere.add(a.name() + ".");
            }
        }
        shownElsewhere.add(dev.repgap.correlate.CorrelationStudy.PREFIX);
        this.check = check;
        this.generated = generated;
        Map<String, Set<String>> params = new java.util.HashMap<>();
        for (StoredMetric m : metrics) params.computeIfAbsent(m.metric(), k -> new java.util.HashSet<>()).add(Objects.toString(m.param(), ""));
        params.forEach((metric, ps) -> {
            if (ps.size() == 1 && !ps.contains("")) headlineParam.put(metric, ps.iterator().next());
        });
    }

    /** A metric's one number per group and run: its row without a param, or with the param it always has. */
    private boolean headline(StoredMetric m) {
        return m.param() == null || m.param().equals(headlineParam.get(m.metric()));
    }

    private String withParam(String name, String metric) {
        String p = headlineParam.get(metric);
        return p == null ? name : name + " (" + p + ")";
    }

    /** The report of the repository at {@code dir}; {@code rules} null leaves the trend check out. */
    public static String build(org.apache.spark.sql.SparkSession spark, String dir, Options options, dev.repgap.check.CheckRules rules) {
        List<StoredMetric> metrics = dev.repgap.results.ResultsHistory.metrics(spark, dir);
        TrendCheck.Outcome check = rules == null ? null : TrendCheck.run(metrics, rules);
        return new HtmlReport(options, new ReportPage(spark, dir, metrics), check, Instant.now()).html();
    }

    String html() {
        Map<String, String> sections = new LinkedHashMap<>(), titles = new LinkedHashMap<>();
        put(sections, titles, "check", "Trend check", checkSection());
        put(sections, titles, predictors.id(), predictors.title(), predictors.html(page));
        put(sections, titles, "latest", "Latest values per group", latestSection());
        put(sections, titles, "profiles", "Intrinsic dimension by layer", profileSection());
        put(sections, titles, "categories", "Intrinsic dimension per group", categorySection());
        for (ReportSection a : analysisSections) put(sections, titles, a.id(), a.title(), a.html(page));
        put(sections, titles, "trends", "Trends across runs", trendSection());
        put(sections, titles, "runs", "Runs", runsSection());

        StringBuilder b = new StringBuilder();
        b.append("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\"/>\n");
        b.append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\"/>\n");
        b.append("<title>").append(esc(options.title())).append("</title>\n<style>\n").append(CSS).append("</style>\n</head>\n<body>\n");
        b.append("<header>\n<h1>").append(esc(options.title())).append("</h1>\n");
        Set<String> runs = new LinkedHashSet<>();
        Set<Map<String, String>> groups = new LinkedHashSet<>();
        for (StoredMetric m : metrics) {
            runs.add(m.runId());
            groups.add(m.group());
        }
        b.append("<p class=\"meta\">Results repository <code>").append(esc(options.source())).append("</code>: ")
                .append(runs.size()).append(" runs, ").append(groups.size()).append(" groups, ").append(metrics.size())
                .append(" result rows");
        if (!metrics.isEmpty()) {
            b.append(", from ").append(ReportPage.time(metrics.get(0).startTime())).append(" to ")
                    .append(ReportPage.time(metrics.get(metrics.size() - 1).startTime()));
        }
        b.append(". Generated ").append(ReportPage.time(generated)).append(".</p>\n<nav>");
        for (Map.Entry<String, String> e : sections.entrySet()) {
            b.append("<a href=\"#").append(e.getKey()).append("\">").append(esc(titles.get(e.getKey()))).append("</a>");
        }
        b.append("</nav>\n</header>\n");
        for (Map.Entry<String, String> e : sections.entrySet()) {
            b.append("<section id=\"").append(e.getKey()).append("\">\n").append(e.getValue()).append("</section>\n");
        }
        b.append("<footer>repgap report: charts drawn by repgap as SVG; intervals as recorded by each run.</footer>\n");
        b.append("</body>\n</html>\n");
        return b.toString();
    }

    private static void put(Map<String, String> sections, Map<String, String> titles, String id, String title, String body) {
        if (body == null) return;
        sections.put(id, "<h2>" + esc(title) + "</h2>\n" + body);
        titles.put(id, title);
    }

    // ---- trend check

    private String checkSection() {
        if (check == null) return null;
        StringBuilder b = new StringBuilder();
        List<Anomaly> anomalies = check.anomalies();
        String counts = check.seriesChecked() + " series with history checked (" + check.seriesWithoutHistory()
                + " with a single run, " + check.seriesIgnored() + " ignored)";
        if (anomalies.isEmpty()) {
            b.append("<p class=\"ok\">No anomalies: ").append(esc(counts)).append(".</p>\n");
            return b.toString();
        }
        b.append("<p class=\"bad\">").append(anomalies.size()).append(anomalies.size() == 1 ? " anomaly" : " anomalies")
                .append(" in ").append(esc(counts)).append(".</p>\n");
        b.append("<div class=\"scroll\"><table class=\"anomalies\">\n<thead><tr><th>group</th><th>metric</th><th>param</th>"
                + "<th>baseline</th><th>latest</th><th>change</th><th>why</th></tr></thead>\n<tbody>\n");
        for (Anomaly a : anomalies) {
            StoredMetric m = a.latest();
            b.append("<tr class=\"anomaly\"><td>").append(esc(m.groupLabel())).append("</td><td>").append(esc(m.metric()))
                    .append("</td><td>").append(esc(Objects.toString(m.param(), ""))).append("</td>")
                    .append(cell(a.baseline(), a.baselineLow(), a.baselineHigh(), null))
                    .append(cell(m.value(), m.hasInterval() ? m.ciLow() : null, m.hasInterval() ? m.ciHigh() : null, null))
                    .append("<td class=\"num\">").append(esc(Double.isFinite(a.change())
                            ? String.format(java.util.Locale.ROOT, "%+.1f%%", 100 * a.change()) : Double.toString(a.change())))
                    .append("</td><td class=\"why\">").append(esc(a.why())).append("</td></tr>\n");
        }
        b.append("</tbody></table></div>\n");
        return b.toString();
    }

    // ---- latest values

    /** The latest row of each (group, metric) without a param, per command (the metric's prefix); audits aside. */
    private String latestSection() {
        Map<String, Map<Map<String, String>, Map<String, StoredMetric>>> byCommand = new TreeMap<>();
        for (StoredMetric m : metrics) {
            if (!headline(m) || shownElsewhere(m)) continue;
            byCommand.computeIfAbsent(prefix(m.metric()), k -> new LinkedHashMap<>())
                    .computeIfAbsent(m.group(), k -> new TreeMap<>()).put(m.metric(), m); // later runs overwrite
        }
        if (byCommand.isEmpty()) return null;
        StringBuilder b = new StringBuilder("<p>The latest run's value of each metric, with its interval where one was recorded."
                + " Metrics measured at several parameters (curves, spectra, quantiles) are in the charts and the exports.</p>\n");
        for (Map.Entry<String, Map<Map<String, String>, Map<String, StoredMetric>>> c : byCommand.entrySet()) {
            Map<Map<String, String>, Map<String, StoredMetric>> groups = c.getValue();
            Set<String> columns = new LinkedHashSet<>();
            Set<String> names = new java.util.TreeSet<>();
            for (Map.Entry<Map<String, String>, Map<String, StoredMetric>> g : groups.entrySet()) {
                columns.addAll(g.getKey().keySet());
                names.addAll(g.getValue().keySet());
            }
            b.append("<h3>").append(esc(c.getKey())).append("</h3>\n<div class=\"scroll\"><table class=\"latest\" data-command=\"")
                    .append(esc(c.getKey())).append("\">\n<thead><tr>");
            for (String col : columns) b.append("<th>").append(esc(col)).append("</th>");
            if (columns.isEmpty()) b.append("<th>group</th>");
            for (String n : names) b.append("<th title=\"").append(esc(n)).append("\">").append(esc(withParam(n.length() > c.getKey().length() ? n.substring(c.getKey().length() + 1) : n, n))).append("</th>");
            b.append("</tr></thead>\n<tbody>\n");
            List<Map<String, String>> order = new ArrayList<>(groups.keySet());
            order.sort(Comparator.comparing(StoredMetric::label, NaturalOrder.INSTANCE));
            for (Map<String, String> g : order) {
                b.append("<tr data-group=\"").append(esc(StoredMetric.label(g))).append("\">");
                // a run over all rows (no group columns) beside grouped runs: named in the first column, not left blank
                boolean first = true;
                for (String col : columns) {
                    String v = g.isEmpty() && first ? "(all rows)" : Objects.toString(g.get(col), "");
                    b.append("<th>").append(esc(v)).append("</th>");
                    first = false;
                }
                if (columns.isEmpty()) b.append("<th>(all rows)</th>");
                for (String n : names) {
                    StoredMetric m = groups.get(g).get(n);
                    if (m == null) {
                        b.append("<td></td>");
                    } else {
                        String tip = (m.n() == null ? "" : "n = " + m.n() + "; ") + "run " + m.runId()
                                + (m.details() == null ? "" : "; " + m.details());
                        b.append(cell(m.value(), m.hasInterval() ? m.ciLow() : null, m.hasInterval() ? m.ciHigh() : null, tip));
                    }
                }
                b.append("</tr>\n");
            }
            b.append("</tbody></table></div>\n");
        }
        return b.toString();
    }

    // ---- intrinsic dimension by layer

    private String profileSection() {
        String layer = options.layerColumn(), checkpoint = options.checkpointColumn();
        StringBuilder b = new StringBuilder();
        int charts = 0;
        for (String metric : options.profileMetrics()) {
            // latest value per group, the groups split by their columns other than layer and checkpoint
            Map<Map<String, String>, StoredMetric> latest = new LinkedHashMap<>();
            for (StoredMetric m : metrics) {
                if (m.metric().equals(metric) && headline(m) && m.group().containsKey(layer)) latest.put(m.group(), m);
            }
            Map<String, List<StoredMetric>> byOther = new TreeMap<>(NaturalOrder.INSTANCE);
            for (StoredMetric m : latest.values()) {
                Map<String, String> other = new LinkedHashMap<>(m.group());
                other.remove(layer);
                other.remove(checkpoint);
                byOther.computeIfAbsent(other.isEmpty() ? "" : StoredMetric.label(other), k -> new ArrayList<>()).add(m);
            }
            for (Map.Entry<String, List<StoredMetric>> e : byOther.entrySet()) {
                List<String> layers = layers(e.getValue());
                Map<String, Map<String, StoredMetric>> bySeries = new TreeMap<>(NaturalOrder.INSTANCE);
                for (StoredMetric m : e.getValue()) {
                    String series = m.group().containsKey(checkpoint) ? checkpoint + " " + m.group().get(checkpoint) : "latest run";
                    bySeries.computeIfAbsent(series, k -> new LinkedHashMap<>()).put(m.group().get(layer), m);
                }
                List<LineChart.Series> series = new ArrayList<>();
                for (Map.Entry<String, Map<String, StoredMetric>> s : bySeries.entrySet()) {
                    List<LineChart.Point> points = new ArrayList<>();
                    for (String l : layers) points.add(point(s.getValue().get(l)));
                    series.add(new LineChart.Series(s.getKey(), points));
                }
                String title = withParam(metric, metric) + " by " + layer + (e.getKey().isEmpty() ? "" : ", " + e.getKey());
                String svg = new LineChart(title, layer, metric + " (intrinsic dimension)", layers).svg(series);
                figure(b, "profile", metric, title, svg, series.size() + (series.size() == 1 ? " line" : " lines")
                        + " (one per " + (bySeries.containsKey("latest run") ? "run" : checkpoint) + "), bars: recorded intervals");
                charts++;
            }
        }
        return charts == 0 ? null : b.toString();
    }

    /** The layers in the order given by --layers, the rest in natural order after them. */
    private List<String> layers(List<StoredMetric> rows) {
        Set<String> present = new java.util.TreeSet<>(NaturalOrder.INSTANCE);
        for (StoredMetric m : rows) present.add(m.group().get(options.layerColumn()));
        List<String> out = new ArrayList<>();
        for (String l : options.layerOrder()) if (present.remove(l)) out.add(l);
        out.addAll(present);
        return out;
    }

    // ---- trends

    /**
     * One chart per metric over the runs, with a line only for series that are series: a group with the metric in
     * at least two runs and a value that changes. More groups than distinct colours go to small multiples.
     */
    private String trendSection() {
        Map<String, List<StoredMetric>> byMetric = new TreeMap<>();
        for (StoredMetric m : metrics) {
            if (!headline(m) || shownElsewhere(m)) continue;
            if (options.trendMetrics() != null && !options.trendMetrics().contains(m.metric())) continue;
            byMetric.computeIfAbsent(m.metric(), k -> new ArrayList<>()).add(m);
        }
        StringBuilder b = new StringBuilder();
        int charts = 0;
        for (Map.Entry<String, List<StoredMetric>> e : byMetric.entrySet()) {
            Map<String, Map<String, StoredMetric>> byGroup = new TreeMap<>(NaturalOrder.INSTANCE);
            for (StoredMetric m : e.getValue()) byGroup.computeIfAbsent(m.groupLabel(), k -> new LinkedHashMap<>()).putIfAbsent(m.runId(), m);
            byGroup.values().removeIf(runs -> runs.size() < 2
                    || runs.values().stream().map(StoredMetric::value).distinct().count() < 2);
            if (byGroup.isEmpty()) continue;
            List<String> runs = new ArrayList<>();
            Map<String, Instant> startOf = new LinkedHashMap<>();
            for (StoredMetric m : e.getValue()) {
                if (byGroup.containsKey(m.groupLabel()) && startOf.putIfAbsent(m.runId(), m.startTime()) == null) runs.add(m.runId());
            }
            List<String> labels = new ArrayList<>();
            for (String r : runs) labels.add(SHORT_TIME.format(startOf.get(r)));
            List<LineChart.Series> series = new ArrayList<>();
            for (Map.Entry<String, Map<String, StoredMetric>> g : byGroup.entrySet()) {
                List<LineChart.Point> points = new ArrayList<>();
                for (String r : runs) points.add(point(g.getValue().get(r)));
                series.add(new LineChart.Series(g.getKey(), points));
            }
            List<List<LineChart.Series>> panels = LineChart.panels(series, 8);
            for (int p = 0; p < panels.size(); p++) {
                String title = withParam(e.getKey(), e.getKey()) + " across runs"
                        + (panels.size() == 1 ? "" : " (" + (p + 1) + " of " + panels.size() + ")");
                String svg = new LineChart(title, "run start (UTC)", e.getKey(), labels).scaledTo(series).svg(panels.get(p));
                figure(b, "trend", e.getKey(), title, svg, runs.size() + " runs, one line per group that has the metric in"
                        + " two runs or more with a value that changed" + (panels.size() == 1 ? ""
                        : "; " + series.size() + " groups in " + panels.size() + " panels on one scale"));
                charts++;
            }
        }
        return charts == 0 ? null : b.toString();
    }

    // ---- groups without a layer

    /**
     * The profile metrics of groups without a layer column (classes, datasets: categories without an order), the
     * latest value of each group as a dot with its interval, one chart per metric and set of group columns.
     */
    private String categorySection() {
        String layer = options.layerColumn();
        StringBuilder b = new StringBuilder();
        int charts = 0;
        for (String metric : options.profileMetrics()) {
            Map<String, Map<String, StoredMetric>> byColumns = new TreeMap<>();
            for (StoredMetric m : metrics) {
                if (!m.metric().equals(metric) || !headline(m) || m.group().containsKey(layer) || m.group().isEmpty()) continue;
                byColumns.computeIfAbsent(String.join(", ", m.group().keySet()), k -> new TreeMap<>(NaturalOrder.INSTANCE))
                        .put(m.groupLabel(), m); // later runs overwrite
            }
            for (Map.Entry<String, Map<String, StoredMetric>> c : byColumns.entrySet()) {
                if (c.getValue().size() < 2) continue;
                List<String> groups = new ArrayList<>(c.getValue().keySet());
                List<LineChart.Point> points = new ArrayList<>();
                for (String g : groups) points.add(point(c.getValue().get(g)));
                String title = withParam(metric, metric) + " by " + c.getKey();
                String svg = new LineChart(title, c.getKey(), metric, groups).dots()
                        .svg(List.of(new LineChart.Series("latest run", points)));
                figure(b, "category", metric, title, svg, groups.size() + " groups, each its latest run; bars: recorded intervals");
                charts++;
            }
        }
        return charts == 0 ? null : b.toString();
    }

    // ---- runs

    private String runsSection() {
        if (metrics.isEmpty()) return null;
        Map<String, List<StoredMetric>> byRun = new LinkedHashMap<>();
        for (StoredMetric m : metrics) byRun.computeIfAbsent(m.runId(), k -> new ArrayList<>()).add(m);
        StringBuilder b = new StringBuilder("<div class=\"scroll\"><table class=\"runs\">\n<thead><tr><th>run</th><th>started</th>"
                + "<th>command</th><th>input</th><th>groups</th><th>rows</th></tr></thead>\n<tbody>\n");
        for (Map.Entry<String, List<StoredMetric>> e : byRun.entrySet()) {
            StoredMetric first = e.getValue().get(0);
            long groups = e.getValue().stream().map(StoredMetric::group).distinct().count();
            b.append("<tr><td><code>").append(esc(e.getKey())).append("</code></td><td>").append(esc(ReportPage.time(first.startTime())))
                    .append("</td><td>").append(esc(first.command())).append("</td><td>").append(esc(Objects.toString(first.input(), "")))
                    .append("</td><td class=\"num\">").append(groups).append("</td><td class=\"num\">").append(e.getValue().size())
                    .append("</td></tr>\n");
        }
        b.append("</tbody></table></div>\n");
        return b.toString();
    }

    // ---- pieces

    private static void figure(StringBuilder b, String kind, String metric, String title, String svg, String caption) {
        ReportPage.figure(b, kind, metric, title, svg, caption);
    }

    private static LineChart.Point point(StoredMetric m) {
        if (m == null) return LineChart.Point.MISSING;
        return m.hasInterval() ? new LineChart.Point(m.value(), m.ciLow(), m.ciHigh()) : new LineChart.Point(m.value(), Double.NaN, Double.NaN);
    }

    private static String cell(double value, Double low, Double high, String tip) {
        return ReportPage.cell(value, low, high, tip);
    }

    private boolean shownElsewhere(StoredMetric m) {
        return shownElsewhere.contains(prefix(m.metric()) + ".");
    }

    private static String prefix(String metric) {
        int dot = metric.indexOf('.');
        return dot < 0 ? metric : metric.substring(0, dot);
    }

    static String esc(String s) {
        return ReportPage.esc(s);
    }
}
