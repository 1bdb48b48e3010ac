package dev.repgap.gap;

import dev.repgap.stats.Measured;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * A log-log chart of one or two representation gap curves as a self-contained SVG 1.1 document
 * (opens offline in a browser): the measured RG(n) as points with their interval band, the fitted
 * law as a solid line over the fit range, dashed on to the extrapolated sizes (hollow points with
 * their intervals), decade ticks, axis titles, a title and a legend under the plot.
 * Points at which the gap is 0 have no place on a log axis and are left out.
 */
public final class GapChart {

    /** One curve on the chart and its name in the legend. */
    public record Series(String label, Curve curve) {}

    /**
     * What the chart draws of a curve: a {@link RepresentationGapCurve} as measured, or a curve read
     * back from the results repository (grid, intervals, law and fit start as they were stored).
     */
    public interface Curve {
        int gridSize();

        long size(int g);

        Measured gap(int g);

        GapLaw law();

        int fitStartIndex();

        /** The level of the intervals; NaN when unknown. */
        double level();

        Measured dimension();

        Measured constant();

        boolean drifting();

        Measured drift();

        /** The law's prediction at n with its interval. */
        Measured gapAt(double n);
    }

    static final int WIDTH = 900;
    static final double LEFT = 100, RIGHT = 870, TOP = 60, BOTTOM = 450;
    /** Room beyond the data on each axis, as a fraction of its span in decades, so that no point sits on the frame. */
    private static final double MARGIN = 0.04;
    private static final double LEGEND_LINE = 20;
    // Okabe-Ito blue and vermillion: distinct for colour-blind readers too
    private static final String[] COLOURS = {"#0072B2", "#D55E00"};

    private final String title;
    private final double[] extrapolateTo;

    /** @param extrapolateTo sizes n' beyond the grid at which to draw the law's prediction (e.g. 2N and 10N); may be empty */
    public GapChart(String title, double... extrapolateTo) {
        for (double n : extrapolateTo) {
            if (!(n >= 1 && n < Double.POSITIVE_INFINITY)) throw new IllegalArgumentException("extrapolation sizes must be finite and >= 1, got " + n);
        }
        this.title = title;
        this.extrapolateTo = extrapolateTo.clone();
    }

    /** Plain and symmetric curves of a comparison on one chart. */
    public String svg(SymmetryComparison comparison) {
        RepresentationGapCurve plain = comparison.plain();
        Measured ratio = comparison.gapRatioAtLargest(), theory = comparison.theoreticalRatio();
        String note = f("RG / RG_G at n = %s: %.3g [%.3g, %.3g]; theory |G|^(2/d) at the plain d: %.3g [%.3g, %.3g]",
                sizeLabel(plain.size(plain.gridSize() - 1)), ratio.value(), ratio.low(), ratio.high(), theory.value(), theory.low(), theory.high());
        return svg(note, new Series("plain", plain), new Series("with symmetry, |G| = " + comparison.groupOrder(), comparison.symmetric()));
    }

    /** The chart of one or two curves. */
    public String svg(Series... series) {
        return svg(null, series);
    }

    private String svg(String note, Series... series) {
        if (series.length < 1 || series.length > 2) throw new IllegalArgumentException("one or two curves per chart, got " + series.length);
        Axes axes = axes(series);
        List<String> legend = new ArrayList<>();
        StringBuilder body = new StringBuilder();
        for (int i = 0; i < series.length; i++) drawSeries(body, axes, series[i], COLOURS[i], i, legend);
        int legendLines = legend.size() + (extrapolateTo.length > 0 ? 1 : 0) + (note == null ? 0 : 1);
        double height = BOTTOM + 80 + legendLines * LEGEND_LINE + 10;

        StringBuilder s = new StringBuilder();
        s.append("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
        s.append(f("<svg xmlns=\"http://www.w3.org/2000/svg\" version=\"1.1\" width=\"%d\" height=\"%.0f\" viewBox=\"0 0 %d %.0f\" font-family=\"Helvetica, Arial, sans-serif\" font-size=\"13\">\n",
                WIDTH, height, WIDTH, height));
        s.append("<title>").append(escape(title)).append("</title>\n");
        s.append(f("<rect x=\"0\" y=\"0\" width=\"%d\" height=\"%.0f\" fill=\"#ffffff\"/>\n", WIDTH, height));
        s.append(f("<text class=\"title\" x=\"%.1f\" y=\"34\" text-anchor=\"middle\" font-size=\"18\" font-weight=\"bold\">%s</text>\n",
                (LEFT + RIGHT) / 2, escape(title)));
        drawAxes(s, axes);
        s.append(body);
        drawLegend(s, series.length, legend, note);
        s.append("</svg>\n");
        return s.toString();
    }

    /** The log10 ranges of both axes. */
    private record Axes(double xLow, double xHigh, double yLow, double yHigh) {
        double x(double n) {
            return LEFT + (Math.log10(n) - xLow) / (xHigh - xLow) * (RIGHT - LEFT);
        }

        double y(double gap) {
            return BOTTOM - (Math.log10(gap) - yLow) / (yHigh - yLow) * (BOTTOM - TOP);
        }
    }

    /**
     * The data's log10 range with a small margin, never widened to whole decades: the points and their interval
     * band fill the plot, and {@link #logTicks} labels what lies inside.
     */
    private static double[] range(double min, double max) {
        double low = Math.log10(min), high = Math.log10(max);
        double margin = Math.max(MARGIN * (high - low), 0.02);
        return new double[] {low - margin, high + margin};
    }

    /**
     * The labelled ticks of a log axis spanning log10 {@code low..high}: the decades inside it; when fewer than two
     * decades fall inside, also 2x and 5x a power of ten; when that still gives fewer than three ticks, every whole
     * multiple of one (20, 30, 40, 50); and when more than 40% of the axis at either end is left without a tick,
     * every half multiple too (15, 20, 25, ..), so that the lowest and highest points can be read.
     */
    static List<Double> logTicks(double low, double high) {
        double[][] sets = {{1}, {1, 2, 5}, {1, 2, 3, 4, 5, 6, 7, 8, 9},
                {1, 1.5, 2, 2.5, 3, 3.5, 4, 4.5, 5, 5.5, 6, 6.5, 7, 7.5, 8, 8.5, 9, 9.5}};
        for (int set = 0; set < sets.length; set++) {
            List<Double> ticks = new ArrayList<>();
            for (int k = (int) Math.floor(low) - 1; k <= (int) Math.ceil(high); k++) {
                for (double m : sets[set]) {
                    double v = m * Math.pow(10, k);
                    if (Math.log10(v) >= low - 1e-9 && Math.log10(v) <= high + 1e-9) ticks.add(v);
                }
            }
            if (set == sets.length - 1) return ticks;
            double bare = 0.4 * (high - low);
            if (ticks.size() >= (set == 0 ? 2 : 3) && Math.log10(ticks.get(0)) - low <= bare
                    && high - Math.log10(ticks.get(ticks.size() - 1)) <= bare) {
                return ticks;
            }
        }
        throw new AssertionError();
    }

    /**
     * The labels of the y axis: plain numbers (20, 0.05, 5000) when every tick is between 0.001 and 10^5, else
     * powers of ten (10 with a superscript exponent, 2×10 with one for a multiple).
     */
    static List<String> tickLabels(List<Double> ticks) {
        return tickLabels(ticks, false);
    }

    /**
     * As {@link #tickLabels(List)}; {@code powers} asks for powers of ten whatever the range: the x axis (training-set
     * sizes), so that every gap chart of a report labels n alike, whether its sizes end below 10^5 or beyond.
     */
    static List<String> tickLabels(List<Double> ticks, boolean powers) {
        boolean plain = !powers && ticks.stream().allMatch(v -> v >= 1e-3 * (1 - 1e-9) && v < 1e5 * (1 - 1e-9));
        List<String> out = new ArrayList<>();
        for (double v : ticks) {
            if (plain) {
                out.add(new java.math.BigDecimal(v).round(new java.math.MathContext(3)).stripTrailingZeros().toPlainString());
            } else {
                int k = (int) Math.floor(Math.log10(v) + 1e-9);
                String m = java.math.BigDecimal.valueOf(Math.round(v / Math.pow(10, k) * 10) / 10.0).stripTrailingZeros()
                        .toPlainString();
                out.add((m.equals("1") ? "" : m + "\u00d7") + "10<tspan dy=\"-7\" font-size=\"10\">" + (k < 0 ? "\u2212" + (-k) : Integer.toString(k))
                        + "</tspan>");
            }
        }
        return out;
    }

    private Axes axes(Series[] series) {
        double xMin = Double.POSITIVE_INFINITY, xMax = 0, yMin = Double.POSITIVE_INFINITY, yMax = 0;
        for (Series one : series) {
            Curve c = one.curve();
            xMin = Math.min(xMin, c.size(0));
            xMax = Math.max(xMax, c.size(c.gridSize() - 1));
            List<Double> ys = new ArrayList<>();
            for (int g = 0; g < c.gridSize(); g++) {
                Measured m = c.gap(g);
                ys.add(m.value());
                ys.add(m.low());
                ys.add(m.high());
            }
            ys.add(c.law().gapAt(c.size(c.fitStartIndex())));
            for (double n : extrapolateTo) {
                xMax = Math.max(xMax, n);
                Measured m = c.gapAt(n);
                ys.add(m.value());
                ys.add(m.low());
                ys.add(m.high());
            }
            for (double y : ys) {
                if (y > 0 && y < Double.POSITIVE_INFINITY) {
                    yMin = Math.min(yMin, y);
                    yMax = Math.max(yMax, y);
                }
            }
        }
        if (!(yMax > 0)) throw new IllegalArgumentException("no positive gap to draw on a log axis");
        double[] x = range(xMin, xMax), y = range(yMin, yMax);
        return new Axes(x[0], x[1], y[0], y[1]);
    }

    private static void drawAxes(StringBuilder s, Axes a) {
        List<Double> xs = logTicks(a.xLow(), a.xHigh()), ys = logTicks(a.yLow(), a.yHigh());
        s.append("<g class=\"grid\" stroke=\"#e3e3e3\" stroke-width=\"1\">\n");
        for (double v : xs) s.append(f("<line x1=\"%.2f\" y1=\"%.2f\" x2=\"%.2f\" y2=\"%.2f\"/>\n", a.x(v), TOP, a.x(v), BOTTOM));
        for (double v : ys) s.append(f("<line x1=\"%.2f\" y1=\"%.2f\" x2=\"%.2f\" y2=\"%.2f\"/>\n", LEFT, a.y(v), RIGHT, a.y(v)));
        s.append("</g>\n");
        s.append(f("<rect class=\"frame\" x=\"%.2f\" y=\"%.2f\" width=\"%.2f\" height=\"%.2f\" fill=\"none\" stroke=\"#333333\" stroke-width=\"1\"/>\n",
                LEFT, TOP, RIGHT - LEFT, BOTTOM - TOP));
        s.append("<g class=\"ticks\" stroke=\"#333333\" stroke-width=\"1\">\n");
        // labelled ticks long (a decade's carries the id xtick_K / ytick_K), the other whole multiples short
        for (double v : xs) s.append(f("<line%s x1=\"%.2f\" y1=\"%.2f\" x2=\"%.2f\" y2=\"%.2f\"/>\n", id("xtick", v), a.x(v), BOTTOM, a.x(v), BOTTOM + 6));
        for (double v : ys) s.append(f("<line%s x1=\"%.2f\" y1=\"%.2f\" x2=\"%.2f\" y2=\"%.2f\"/>\n", id("ytick", v), LEFT - 6, a.y(v), LEFT, a.y(v)));
        for (int k = (int) Math.floor(a.xLow()); k <= (int) Math.ceil(a.xHigh()); k++) {
            for (int m = 1; m <= 9; m++) {
                double n = m * Math.pow(10, k);
                if (Math.log10(n) > a.xLow() && Math.log10(n) < a.xHigh() && !near(xs, n)) s.append(f("<line x1=\"%.2f\" y1=\"%.2f\" x2=\"%.2f\" y2=\"%.2f\"/>\n", a.x(n), BOTTOM, a.x(n), BOTTOM + 3));
            }
        }
        for (int k = (int) Math.floor(a.yLow()); k <= (int) Math.ceil(a.yHigh()); k++) {
            for (int m = 1; m <= 9; m++) {
                double v = m * Math.pow(10, k);
                if (Math.log10(v) > a.yLow() && Math.log10(v) < a.yHigh() && !near(ys, v)) s.append(f("<line x1=\"%.2f\" y1=\"%.2f\" x2=\"%.2f\" y2=\"%.2f\"/>\n", LEFT - 3, a.y(v), LEFT, a.y(v)));
            }
        }
        s.append("</g>\n");
        List<String> xl = tickLabels(xs, true), yl = tickLabels(ys);
        for (int i = 0; i < xs.size(); i++) {
            s.append(f("<text class=\"x-label\" x=\"%.2f\" y=\"%.2f\" text-anchor=\"middle\">%s</text>\n", a.x(xs.get(i)), BOTTOM + 22, xl.get(i)));
        }
        for (int i = 0; i < ys.size(); i++) {
            s.append(f("<text class=\"y-label\" x=\"%.2f\" y=\"%.2f\" text-anchor=\"end\">%s</text>\n", LEFT - 10, a.y(ys.get(i)) + 5, yl.get(i)));
        }
        s.append(f("<text class=\"axis-title\" x=\"%.2f\" y=\"%.2f\" text-anchor=\"middle\" font-size=\"14\">training-set size n (log scale)</text>\n",
                (LEFT + RIGHT) / 2, BOTTOM + 50));
        double yMid = (TOP + BOTTOM) / 2;
        s.append(f("<text class=\"axis-title\" x=\"30\" y=\"%.2f\" text-anchor=\"middle\" font-size=\"14\" transform=\"rotate(-90 30 %.2f)\">representation gap RG(n), mean squared NN distance (log scale)</text>\n",
                yMid, yMid));
    }

    private void drawSeries(StringBuilder s, Axes a, Series series, String colour, int index, List<String> legend) {
        Curve c = series.curve();
        int grid = c.gridSize();
        double floor = Math.pow(10, a.yLow());  // a lower bound of 0 runs the band to the bottom of the frame
        // the interval band: along the upper bounds, back along the lower ones
        StringBuilder upper = new StringBuilder(), lower = new StringBuilder();
        for (int g = 0; g < grid; g++) {
            Measured m = c.gap(g);
            if (!(m.high() > 0)) continue;
            upper.append(f("%.2f,%.2f ", a.x(c.size(g)), a.y(m.high())));
            lower.insert(0, f("%.2f,%.2f ", a.x(c.size(g)), a.y(Math.max(m.low(), floor))));
        }
        s.append(f("<polygon class=\"band\" points=\"%s\" fill=\"%s\" fill-opacity=\"0.2\" stroke=\"none\"/>\n", (upper.toString() + lower).trim(), colour));
        // the fitted law over the fit range, then dashed to the extrapolated sizes
        GapLaw law = c.law();
        double n0 = c.size(c.fitStartIndex()), n1 = c.size(grid - 1);
        s.append(f("<line class=\"fit\" x1=\"%.2f\" y1=\"%.2f\" x2=\"%.2f\" y2=\"%.2f\" stroke=\"%s\" stroke-width=\"2.2\"/>\n",
                a.x(n0), a.y(law.gapAt(n0)), a.x(n1), a.y(law.gapAt(n1)), colour));
        double far = n1;
        for (double n : extrapolateTo) far = Math.max(far, n);
        if (far > n1) {
            s.append(f("<line class=\"extrapolation\" x1=\"%.2f\" y1=\"%.2f\" x2=\"%.2f\" y2=\"%.2f\" stroke=\"%s\" stroke-width=\"2\" stroke-dasharray=\"7 5\"/>\n",
                    a.x(n1), a.y(law.gapAt(n1)), a.x(far), a.y(law.gapAt(far)), colour));
        }
        for (int g = 0; g < grid; g++) {
            double v = c.gap(g).value();
            if (v > 0) s.append(marker("point", a.x(c.size(g)), a.y(v), index, colour, colour));
        }
        for (double n : extrapolateTo) {
            Measured m = c.gapAt(n);
            if (!(m.value() > 0)) continue;
            double x = a.x(n);
            if (m.low() > 0 && m.high() < Double.POSITIVE_INFINITY) {
                double y0 = a.y(m.low()), y1 = a.y(m.high());
                s.append(f("<path class=\"extrapolation-interval\" d=\"M%.2f %.2f V%.2f M%.2f %.2f H%.2f M%.2f %.2f H%.2f\" stroke=\"%s\" stroke-width=\"1.5\" fill=\"none\"/>\n",
                        x, y0, y1, x - 4, y0, x + 4, x - 4, y1, x + 4, colour));
            }
            s.append(marker("extrapolated-point", x, a.y(m.value()), index, "#ffffff", colour));
        }
        Measured d = c.dimension(), constant = c.constant();
        legend.add(Double.isNaN(c.level()) ? f("%s: RG(n) measured, interval band", series.label())
                : f("%s: RG(n) measured, %.0f%% interval band", series.label(), 100 * c.level()));
        legend.add(f("%s: fit over n \u2265 %s, d = %.2f [%.2f, %.2f], C = %.3g [%.3g, %.3g]%s", series.label(), sizeLabel(n0),
                d.value(), d.low(), d.high(), constant.value(), constant.low(), constant.high(),
                c.drifting() ? f(", still drifting (d changes %+.0f%% across the fit)", 100 * c.drift().value()) : ""));
    }

    private void drawLegend(StringBuilder s, int seriesCount, List<String> legend, String note) {
        double y = BOTTOM + 80;
        s.append("<g class=\"legend\">\n");
        for (int i = 0; i < legend.size(); i++, y += LEGEND_LINE) {
            int series = i / 2;
            String colour = COLOURS[series];
            if (i % 2 == 0) {
                s.append(f("<rect x=\"%.2f\" y=\"%.2f\" width=\"28\" height=\"12\" fill=\"%s\" fill-opacity=\"0.2\"/>\n", LEFT, y - 10, colour));
                s.append(marker("legend-point", LEFT + 14, y - 4, series, colour, colour));
            } else {
                s.append(f("<line x1=\"%.2f\" y1=\"%.2f\" x2=\"%.2f\" y2=\"%.2f\" stroke=\"%s\" stroke-width=\"2.2\"/>\n", LEFT, y - 4, LEFT + 28, y - 4, colour));
            }
            s.append(f("<text x=\"%.2f\" y=\"%.2f\">%s</text>\n", LEFT + 38, y, escape(legend.get(i))));
        }
        if (extrapolateTo.length > 0) {
            s.append(f("<line x1=\"%.2f\" y1=\"%.2f\" x2=\"%.2f\" y2=\"%.2f\" stroke=\"#555555\" stroke-width=\"2\" stroke-dasharray=\"7 5\"/>\n", LEFT, y - 4, LEFT + 28, y - 4));
            StringBuilder sizes = new StringBuilder();
            for (double n : extrapolateTo) sizes.append(sizes.length() == 0 ? "" : ", ").append(sizeLabel(n));
            s.append(f("<text x=\"%.2f\" y=\"%.2f\">%s</text>\n", LEFT + 38, y,
                    escape("law extrapolated to n = " + sizes + " (hollow points, with " + (seriesCount > 1 ? "their" : "its") + " intervals)")));
            y += LEGEND_LINE;
        }
        if (note != null) s.append(f("<text class=\"note\" x=\"%.2f\" y=\"%.2f\">%s</text>\n", LEFT, y, escape(note)));
        s.append("</g>\n");
    }

    /** A filled circle for the first series, a square for the second. */
    private static String marker(String cls, double x, double y, int series, String fill, String stroke) {
        if (series == 0) {
            return f("<circle class=\"%s\" cx=\"%.2f\" cy=\"%.2f\" r=\"4\" fill=\"%s\" stroke=\"%s\" stroke-width=\"1.5\"/>\n", cls, x, y, fill, stroke);
        }
        return f("<rect class=\"%s\" x=\"%.2f\" y=\"%.2f\" width=\"8\" height=\"8\" fill=\"%s\" stroke=\"%s\" stroke-width=\"1.5\"/>\n", cls, x - 4, y - 4, fill, stroke);
    }

    /** The id of a decade's tick ({@code xtick_3}), none for other ticks. */
    private static String id(String axis, double v) {
        double k = Math.log10(v);
        return Math.abs(k - Math.rint(k)) < 1e-9 ? f(" id=\"%s_%d\"", axis, (int) Math.rint(k)) : "";
    }

    private static boolean near(List<Double> ticks, double v) {
        for (double t : ticks) if (Math.abs(t - v) <= 1e-9 * v) return true;
        return false;
    }

    /** 2e6, 1.5e7, 316: short and exact enough for a legend. */
    static String sizeLabel(double n) {
        if (n < 1e4) return f("%.0f", n);
        int k = (int) Math.floor(Math.log10(n));
        double m = n / Math.pow(10, k);
        String mantissa = Math.abs(m - Math.rint(m)) < 0.005 ? f("%.0f", m) : f("%.2g", m);
        return mantissa + "e" + k;
    }

    /** Text made safe for XML content and attribute values. */
    public static String escape(String text) {
        StringBuilder out = new StringBuilder(text.length());
        for (int i = 0; i < text.length(); i++) {
            char ch = text.charAt(i);
            switch (ch) {
                case '&' -> out.append("&amp;");
                case '<' -> out.append("&lt;");
                case '>' -> out.append("&gt;");
                case '"' -> out.append("&quot;");
                case '\'' -> out.append("&apos;");
                default -> {
                    // XML 1.0 forbids most control characters even escaped
                    if (ch >= 0x20 || ch == '\t' || ch == '\n' || ch == '\r') out.append(ch);
                }
            }
        }
        return out.toString();
    }

    private static String f(String format, Object... args) {
        return String.format(Locale.ROOT, format, args);
    }
}
