package dev.repgap.chart;

import dev.repgap.gap.GapChart;
import java.util.List;
import java.util.Locale;

/**
 * A line chart over named categories (layers along a network, runs along time) as a self-contained
 * SVG 1.1 element: one line per series with a point per category it has a value at, the point's
 * interval as an error bar, a linear y axis with round ticks, and a legend under the plot. A
 * missing value (NaN) breaks the line. Every point carries a tooltip with its numbers.
 */
public final class LineChart {

    /** A value with its interval; low and high are NaN when there is none, value is NaN when there is no point. */
    public record Point(double value, double low, double high) {
        public static final Point MISSING = new Point(Double.NaN, Double.NaN, Double.NaN);

        public boolean present() {
            return Double.isFinite(value);
        }

        boolean hasInterval() {
            return Double.isFinite(low) && Double.isFinite(high);
        }
    }

    /** A named line: one point per category, in the chart's category order. */
    public record Series(String label, List<Point> points) {}

    static final int WIDTH = 900;
    static final double LEFT = 90, RIGHT = 870, TOP = 56, BOTTOM = 360;
    private static final double LEGEND_LINE = 20;
    /**
     * Distinct colours for up to {@link #MAX_SERIES} lines: Okabe-Ito's (distinct for colour-blind readers too, its
     * yellow left out: too light on white), then Kelly's colours of maximum contrast. More lines than this go to
     * small multiples ({@link #panels}), not to repeated colours.
     */
    static final String[] COLOURS = {"#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00", "#56B4E9", "#000000",
            "#882D17", "#8DB600", "#604E97", "#BE0032", "#848482", "#C2B280", "#2B3D26", "#F99379", "#A1CAF1",
            "#B3446C", "#DCD300", "#654522", "#875692"};
    /** The most series one chart draws. */
    public static final int MAX_SERIES = COLOURS.length;

    private final String title;
    private final String xTitle;
    private final String yTitle;
    private final List<String> categories;
    private boolean dots;
    private List<Series> scale;

    public LineChart(String title, String xTitle, String yTitle, List<String> categories) {
        if (categories.isEmpty()) throw new IllegalArgumentException("a line chart needs at least one category");
        this.title = title;
        this.xTitle = xTitle;
        this.yTitle = yTitle;
        this.categories = List.copyOf(categories);
    }

    /** Points with their intervals and no connecting lines: for categories without an order (classes, datasets). */
    public LineChart dots() {
        this.dots = true;
        return this;
    }

    /** The y axis spans these series instead of the drawn ones: one scale for every panel of a small multiple. */
    public LineChart scaledTo(List<Series> all) {
        this.scale = List.copyOf(all);
        return this;
    }

    /**
     * Series in panels of at most {@code perPanel} (at most {@link #MAX_SERIES}), for small multiples when there are
     * more series than distinct colours; one panel when they fit.
     */
    public static List<List<Series>> panels(List<Series> series, int perPanel) {
        int size = series.size() <= MAX_SERIES ? Math.max(1, series.size()) : Math.min(perPanel, MAX_SERIES);
        List<List<Series>> out = new java.util.ArrayList<>();
        for (int i = 0; i < series.size(); i += size) out.add(series.subList(i, Math.min(series.size(), i + size)));
        return out;
    }

    /** The x position of category i: equal steps, half a step from each side of the frame. */
    double x(int i) {
        return LEFT + (i + 0.5) / categories.size() * (RIGHT - LEFT);
    }

    public String svg(List<Series> series) {
        for (Series s : series) {
            if (s.points().size() != categories.size()) {
                throw new IllegalArgumentException("series " + s.label() + " has " + s.points().size() + " points for "
                        + categories.size() + " categories");
            }
        }
        if (series.size() > MAX_SERIES) {
            throw new IllegalArgumentException(series.size() + " series in one chart: at most " + MAX_SERIES
                    + " have distinct colours; draw panels (LineChart.panels)");
        }
        double[] ticks = ticks(scale != null ? scale : series);
        double yLow = ticks[0], yHigh = ticks[ticks.length - 1];
        boolean slanted = slanted();
        double legendTop = BOTTOM + (slanted ? 110 : 70);
        double height = legendTop + series.size() * LEGEND_LINE + 10;

        StringBuilder s = new StringBuilder();
        s.append(f("<svg xmlns=\"http://www.w3.org/2000/svg\" version=\"1.1\" class=\"line-chart\" width=\"%d\" height=\"%.0f\" viewBox=\"0 0 %d %.0f\" font-family=\"Helvetica, Arial, sans-serif\" font-size=\"13\">\n",
                WIDTH, height, WIDTH, height));
        s.append("<title>").append(esc(title)).append("</title>\n");
        s.append(f("<rect x=\"0\" y=\"0\" width=\"%d\" height=\"%.0f\" fill=\"#ffffff\"/>\n", WIDTH, height));
        s.append(f("<text class=\"title\" x=\"%.1f\" y=\"32\" text-anchor=\"middle\" font-size=\"17\" font-weight=\"bold\">%s</text>\n",
                (LEFT + RIGHT) / 2, esc(title)));
        // grid and y ticks
        s.append("<g class=\"grid\" stroke=\"#e3e3e3\" stroke-width=\"1\">\n");
        for (double t : ticks) s.append(f("<line x1=\"%.2f\" y1=\"%.2f\" x2=\"%.2f\" y2=\"%.2f\"/>\n", LEFT, y(t, yLow, yHigh), RIGHT, y(t, yLow, yHigh)));
        for (int i = 0; i < categories.size(); i++) s.append(f("<line x1=\"%.2f\" y1=\"%.2f\" x2=\"%.2f\" y2=\"%.2f\"/>\n", x(i), TOP, x(i), BOTTOM));
        s.append("</g>\n");
        s.append(f("<rect class=\"frame\" x=\"%.2f\" y=\"%.2f\" width=\"%.2f\" height=\"%.2f\" fill=\"none\" stroke=\"#333333\" stroke-width=\"1\"/>\n",
                LEFT, TOP, RIGHT - LEFT, BOTTOM - TOP));
        double step = ticks.length > 1 ? ticks[1] - ticks[0] : 1;
        for (double t : ticks) {
            double y = y(t, yLow, yHigh);
            s.append(f("<line class=\"y-tick\" x1=\"%.2f\" y1=\"%.2f\" x2=\"%.2f\" y2=\"%.2f\" stroke=\"#333333\"/>\n", LEFT - 6, y, LEFT, y));
            s.append(f("<text class=\"y-label\" x=\"%.2f\" y=\"%.2f\" text-anchor=\"end\">%s</text>\n", LEFT - 10, y + 4, tickLabel(t, step)));
        }
        for (int i = 0; i < categories.size(); i++) {
            double x = x(i);
            s.append(f("<line class=\"x-tick\" x1=\"%.2f\" y1=\"%.2f\" x2=\"%.2f\" y2=\"%.2f\" stroke=\"#333333\"/>\n", x, BOTTOM, x, BOTTOM + 6));
            if (slanted) {
                s.append(f("<text class=\"x-label\" x=\"%.2f\" y=\"%.2f\" text-anchor=\"end\" transform=\"rotate(-35 %.2f %.2f)\">%s</text>\n",
                        x, BOTTOM + 18, x, BOTTOM + 18, esc(shorten(categories.get(i)))));
            } else {
                s.append(f("<text class=\"x-label\" x=\"%.2f\" y=\"%.2f\" text-anchor=\"middle\">%s</text>\n", x, BOTTOM + 22, esc(categories.get(i))));
            }
        }
        s.append(f("<text class=\"axis-title\" x=\"%.2f\" y=\"%.2f\" text-anchor=\"middle\" font-size=\"14\">%s</text>\n",
                (LEFT + RIGHT) / 2, legendTop - 22, esc(xTitle)));
        double yMid = (TOP + BOTTOM) / 2;
        s.append(f("<text class=\"axis-title\" x=\"22\" y=\"%.2f\" text-anchor=\"middle\" font-size=\"14\" transform=\"rotate(-90 22 %.2f)\">%s</text>\n",
                yMid, yMid, esc(yTitle)));
        for (int k = 0; k < series.size(); k++) {
            // dots of several series at one category side by side, not on top of each other
            double dx = dots ? (k - (series.size() - 1) / 2.0) * Math.min(8, 0.6 * (x(1 % categories.size()) - x(0)) / series.size()) : 0;
            drawSeries(s, series.get(k), COLOURS[k], yLow, yHigh, dx);
        }
        s.append("<g class=\"legend\">\n");
        for (int k = 0; k < series.size(); k++) {
            double y = legendTop + k * LEGEND_LINE;
            String colour = COLOURS[k];
            s.append(f("<line x1=\"%.2f\" y1=\"%.2f\" x2=\"%.2f\" y2=\"%.2f\" stroke=\"%s\" stroke-width=\"2.2\"/>\n", LEFT, y - 4, LEFT + 28, y - 4, colour));
            s.append(f("<circle cx=\"%.2f\" cy=\"%.2f\" r=\"4\" fill=\"%s\"/>\n", LEFT + 14, y - 4, colour));
            s.append(f("<text x=\"%.2f\" y=\"%.2f\">%s</text>\n", LEFT + 38, y, esc(series.get(k).label())));
        }
        s.append("</g>\n");
        s.append("</svg>\n");
        return s.toString();
    }

    private void drawSeries(StringBuilder s, Series series, String colour, double yLow, double yHigh, double dx) {
        StringBuilder path = new StringBuilder();
        boolean pen = false;
        for (int i = 0; i < categories.size(); i++) {
            Point p = series.points().get(i);
            if (!p.present()) {
                pen = false;
                continue;
            }
            path.append(pen ? "L" : "M").append(f("%.2f %.2f ", x(i), y(p.value(), yLow, yHigh)));
            pen = true;
        }
        if (!dots) s.append(f("<path class=\"line\" d=\"%s\" fill=\"none\" stroke=\"%s\" stroke-width=\"2\"/>\n", path.toString().trim(), colour));
        for (int i = 0; i < categories.size(); i++) {
            Point p = series.points().get(i);
            if (!p.present()) continue;
            double x = x(i) + dx;
            if (p.hasInterval()) {
                double y0 = y(p.low(), yLow, yHigh), y1 = y(p.high(), yLow, yHigh);
                s.append(f("<path class=\"error-bar\" d=\"M%.2f %.2f V%.2f M%.2f %.2f H%.2f M%.2f %.2f H%.2f\" stroke=\"%s\" stroke-width=\"1.4\" fill=\"none\"/>\n",
                        x, y0, y1, x - 4, y0, x + 4, x - 4, y1, x + 4, colour));
            }
            String tip = series.label() + ", " + categories.get(i) + ": " + number(p.value())
                    + (p.hasInterval() ? " [" + number(p.low()) + ", " + number(p.high()) + "]" : "");
            s.append(f("<circle class=\"point\" cx=\"%.2f\" cy=\"%.2f\" r=\"4\" fill=\"%s\"><title>%s</title></circle>\n",
                    x, y(p.value(), yLow, yHigh), colour, esc(tip)));
        }
    }

    private static double y(double v, double low, double high) {
        return BOTTOM - (v - low) / (high - low) * (BOTTOM - TOP);
    }

    private boolean slanted() {
        int longest = 0;
        for (String c : categories) longest = Math.max(longest, c.length());
        return longest * 7.5 > (RIGHT - LEFT) / categories.size();
    }

    private static String shorten(String label) {
        return label.length() <= 24 ? label : label.substring(0, 23) + "\u2026";
    }

    /** Round ticks (1, 2 or 5 times a power of ten apart) spanning every value and interval; first and last bound the axis. */
    public static double[] ticks(List<Series> series) {
        double min = Double.POSITIVE_INFINITY, max = Double.NEGATIVE_INFINITY;
        for (Series s : series) {
            for (Point p : s.points()) {
                if (!p.present()) continue;
                min = Math.min(min, p.value());
                max = Math.max(max, p.value());
                if (p.hasInterval()) {
                    min = Math.min(min, p.low());
                    max = Math.max(max, p.high());
                }
            }
        }
        return ticks(min, max);
    }

    /** Round ticks spanning [min, max] (0..1 when there are no values: min infinite). */
    static double[] ticks(double min, double max) {
        if (min == Double.POSITIVE_INFINITY) {
            min = 0;
            max = 1;
        }
        if (max - min < 1e-12 * Math.max(1, Math.abs(max))) {
            double pad = max == 0 ? 1 : Math.abs(max) * 0.1;
            min -= pad;
            max += pad;
        }
        double raw = (max - min) / 5;
        double magnitude = Math.pow(10, Math.floor(Math.log10(raw)));
        double step = magnitude;
        for (double m : new double[] {1, 2, 5, 10}) {
            if (m * magnitude >= raw) {
                step = m * magnitude;
                break;
            }
        }
        double first = Math.floor(min / step) * step, last = Math.ceil(max / step) * step;
        int count = (int) Math.round((last - first) / step) + 1;
        double[] t = new double[count];
        for (int i = 0; i < count; i++) t[i] = first + i * step;
        return t;
    }

    static String tickLabel(double t, double step) {
        if (Math.abs(t) < step * 1e-9) return "0";
        int decimals = Math.max(0, (int) -Math.floor(Math.log10(step) + 1e-9));
        if (Math.abs(t) >= 1e6 || Math.abs(t) < 1e-4) return f("%.2g", t);
        return f("%." + decimals + "f", t);
    }

    /** Four significant digits, as the tables show. */
    public static String number(double v) {
        if (Double.isNaN(v)) return "NaN";
        if (Double.isInfinite(v)) return v > 0 ? "\u221e" : "\u2212\u221e";
        if (v == Math.rint(v) && Math.abs(v) < 1e15) return Long.toString((long) v);
        double a = Math.abs(v);
        if (a >= 1e-3 && a < 1e6) return f("%.4g", v);
        return f("%.3e", v);
    }

    private static String esc(String text) {
        return GapChart.escape(text);
    }

    private static String f(String format, Object... args) {
        return String.format(Locale.ROOT, format, args);
    }
}
