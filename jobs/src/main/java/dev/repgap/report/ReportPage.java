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

    /**
     * A histogram as an SVG bar chart: one bar per bin between its edges, a linear count axis from 0 with round
     * ticks, the first, middle and last edges labelled.
     */
    public static String histogram(String title, String xTitle, double[] edges, long[] counts) {
        if (edges.length != counts.length + 1 || counts.length == 0) {
            throw new IllegalArgumentException(counts.length + " counts need " + (counts.length + 1) + " edges, got " + edges.length);
        }
        double left = 70, right = 620, top = 40, bottom = 230, width = 640, height = 290;
        long max = 1;
        for (long c : counts) max = Math.max(max, c);
        double[] ticks = LineChart.ticks(List.of(new LineChart.Series("", List.of(new LineChart.Point(0, Double.NaN, Double.NaN),
                new LineChart.Point(max, Double.NaN, Double.NaN)))));
        double yMax = ticks[ticks.length - 1], lo = edges[0], hi = edges[edges.length - 1];
        java.util.function.DoubleUnaryOperator x = v -> left + (v - lo) / (hi - lo) * (right - left);
        java.util.function.DoubleUnaryOperator y = v -> bottom - v / yMax * (bottom - top);
        StringBuilder s = new StringBuilder();
        s.append(f("<svg xmlns=\"http://www.w3.org/2000/svg\" version=\"1.1\" class=\"histogram\" width=\"%.0f\" height=\"%.0f\" viewBox=\"0 0 %.0f %.0f\" font-family=\"Helvetica, Arial, sans-serif\" font-size=\"12\">\n",
                width, height, width, height));
        s.append("<title>").append(esc(title)).append("</title>\n");
        s.append(f("<rect x=\"0\" y=\"0\" width=\"%.0f\" height=\"%.0f\" fill=\"#ffffff\"/>\n", width, height));
        s.append(f("<text x=\"%.1f\" y=\"22\" text-anchor=\"middle\" font-size=\"14\" font-weight=\"bold\">%s</text>\n", (left + right) / 2, esc(title)));
        for (double t : ticks) {
            s.append(f("<line x1=\"%.2f\" y1=\"%.2f\" x2=\"%.2f\" y2=\"%.2f\" stroke=\"#e3e3e3\"/>\n", left, y.applyAsDouble(t), right, y.applyAsDouble(t)));
            s.append(f("<text class=\"y-label\" x=\"%.2f\" y=\"%.2f\" text-anchor=\"end\">%s</text>\n", left - 8, y.applyAsDouble(t) + 4, esc(LineChart.number(t))));
        }
        for (int i = 0; i < counts.length; i++) {
            double x0 = x.applyAsDouble(edges[i]), x1 = x.applyAsDouble(edges[i + 1]), y0 = y.applyAsDouble(counts[i]);
            s.append(f("<rect class=\"bar\" x=\"%.2f\" y=\"%.2f\" width=\"%.2f\" height=\"%.2f\" fill=\"#0072B2\" stroke=\"#ffffff\" stroke-width=\"0.5\"><title>%s</title></rect>\n",
                    x0, y0, Math.max(0, x1 - x0), bottom - y0, esc(LineChart.number(edges[i]) + ".." + LineChart.number(edges[i + 1]) + ": " + counts[i])));
        }
        s.append(f("<rect class=\"frame\" x=\"%.2f\" y=\"%.2f\" width=\"%.2f\" height=\"%.2f\" fill=\"none\" stroke=\"#333333\"/>\n", left, top, right - left, bottom - top));
        for (int i : new int[] {0, edges.length / 2, edges.length - 1}) {
            s.append(f("<text class=\"x-label\" x=\"%.2f\" y=\"%.2f\" text-anchor=\"middle\">%s</text>\n", x.applyAsDouble(edges[i]), bottom + 18, esc(LineChart.number(edges[i]))));
        }
        s.append(f("<text x=\"%.2f\" y=\"%.2f\" text-anchor=\"middle\" font-size=\"13\">%s</text>\n", (left + right) / 2, bottom + 42, esc(xTitle)));
        s.append(f("<text x=\"18\" y=\"%.2f\" text-anchor=\"middle\" font-size=\"13\" transform=\"rotate(-90 18 %.2f)\">rows</text>\n", (top + bottom) / 2, (top + bottom) / 2));
        return s.append("</svg>\n").toString();
    }

    private static String f(String format, Object... args) {
        return String.format(java.util.Locale.ROOT, format, args);
    }

    /** Text escaped for HTML and XML (null is empty). */
    public static String esc(String s) {
        return GapChart.escape(s == null ? "" : s);
    }
}
