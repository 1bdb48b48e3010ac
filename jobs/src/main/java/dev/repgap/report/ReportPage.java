package dev.repgap.report;

import dev.repgap.chart.LineChart;
import dev.repgap.gap.GapChart;
import dev.repgap.results.StoredMetric;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import org.apache.spark.sql.SparkSession;

/**
 * What a {@link ReportSection} draws from: the repository (to read its side tables), its metric rows, and the
 * page's building blocks (figures, numbers with intervals, escaping) so that every section looks the same.
 */
public record ReportPage(SparkSession spark, String dir, List<StoredMetric> metrics) {
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss 'UTC'").withZone(ZoneOffset.UTC);

    /** A time as the report writes it. */
    public static String time(Instant t) {
        return TIME.format(t);
    }

    /** Appends an SVG chart with its caption; {@code kind} and {@code metric} are data attributes for readers. */
    public static void figure(StringBuilder b, String kind, String metric, String title, String svg, String caption) {
        b.append("<figure class=\"chart\" data-chart=\"").append(kind).append("\" data-metric=\"").append(esc(metric))
                .append("\" data-title=\"").append(esc(title)).append("\">\n")
                .append(svg.replaceFirst("^<\\?xml[^>]*\\?>\\s*", ""))
                .append("<figcaption>").append(esc(caption)).append("</figcaption>\n</figure>\n");
    }

    /** A numeric table cell, with its interval below the value when there is one. */
    public static String cell(double value, Double low, Double high, String tip) {
        StringBuilder b = new StringBuilder("<td class=\"num\"");
        if (tip != null) b.append(" title=\"").append(esc(tip)).append("\"");
        b.append(">").append(esc(LineChart.number(value)));
        if (low != null && high != null) {
            b.append("<span class=\"ci\">[").append(esc(LineChart.number(low))).append(", ").append(esc(LineChart.number(high))).append("]</span>");
        }
        return b.append("</td>").toString();
    }

    /** Text escaped for HTML and XML (null is empty). */
    public static String esc(String s) {
        return GapChart.escape(s == null ? "" : s);
    }
}
