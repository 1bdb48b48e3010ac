package dev.repgap.chart;

import dev.repgap.gap.GapChart;
import java.util.List;
import java.util.Locale;

/**
 * A scatter plot as a self-contained SVG 1.1 element: numeric x and y axes with round ticks, one colour per series
 * (e.g. one per model, one point per checkpoint), a tooltip on every point naming it, optionally the identity line
 * y = x (a prediction against what it predicts), and a legend under the plot.
 */
public final class ScatterChart {

    /** A point: its coordinates and the name its tooltip gives (e.g. the checkpoint). */
    public record Point(double x, double y, String name) {}

    /** The points of one colour. */
    public record Series(String label, List<Point> points) {}

    private static final int WIDTH = 640;
    private static final double LEFT = 86, RIGHT = 610, TOP = 50, BOTTOM = 390, LEGEND_LINE = 20;

    private final String title;
    private final String xTitle;
    private final String yTitle;
    private boolean identity;

    public ScatterChart(String title, String xTitle, String yTitle) {
        this.title = title;
        this.xTitle = xTitle;
        this.yTitle = yTitle;
    }

    /** Draws y = x and gives both axes one range, so points above the line are those where y exceeds x. */
    public ScatterChart identityLine() {
        this.identity = true;
        return this;
    }

    public String svg(List<Series> series) {
        if (series.size() > LineChart.MAX_SERIES) {
            throw new IllegalArgumentException(series.size() + " series in one scatter plot: at most " + LineChart.MAX_SERIES
                    + " have distinct colours");
        }
        double xMin = Double.POSITIVE_INFINITY, xMax = Double.NEGATIVE_INFINITY;
        double yMin = Double.POSITIVE_INFINITY, yMax = Double.NEGATIVE_INFINITY;
        for (Series s : series) {
            for (Point p : s.points()) {
                if (!Double.isFinite(p.x()) || !Double.isFinite(p.y())) continue;
                xMin = Math.min(xMin, p.x());
                xMax = Math.max(xMax, p.x());
                yMin = Math.min(yMin, p.y());
                yMax = Math.max(yMax, p.y());
            }
        }
        if (identity) {
            xMin = yMin = Math.min(xMin, yMin);
            xMax = yMax = Math.max(xMax, yMax);
        }
        double[] xt = LineChart.ticks(xMin, xMax), yt = LineChart.ticks(yMin, yMax);
        double x0 = xt[0], x1 = xt[xt.length - 1], y0 = yt[0], y1 = yt[yt.length - 1];
        double legendTop = BOTTOM + 70, height = legendTop + series.size() * LEGEND_LINE + 10;
        StringBuilder s = new StringBuilder();
        s.append(f("<svg xmlns=\"http://www.w3.org/2000/svg\" version=\"1.1\" class=\"scatter-chart\" width=\"%d\" height=\"%.0f\" viewBox=\"0 0 %d %.0f\" font-family=\"Helvetica, Arial, sans-serif\" font-size=\"13\">\n",
                WIDTH, height, WIDTH, height));
        s.append("<title>").append(esc(title)).append("</title>\n");
        s.append(f("<rect x=\"0\" y=\"0\" width=\"%d\" height=\"%.0f\" fill=\"#ffffff\"/>\n", WIDTH, height));
        s.append(f("<text class=\"title\" x=\"%.1f\" y=\"30\" text-anchor=\"middle\" font-size=\"15\" font-weight=\"bold\">%s</text>\n",
                (LEFT + RIGHT) / 2, esc(title)));
        s.append("<g class=\"grid\" stroke=\"#e3e3e3\" stroke-width=\"1\">\n");
        for (double t : xt) s.append(f("<line x1=\"%.2f\" y1=\"%.2f\" x2=\"%.2f\" y2=\"%.2f\"/>\n", px(t, x0, x1), TOP, px(t, x0, x1), BOTTOM));
        for (double t : yt) s.append(f("<line x1=\"%.2f\" y1=\"%.2f\" x2=\"%.2f\" y2=\"%.2f\"/>\n", LEFT, py(t, y0, y1), RIGHT, py(t, y0, y1)));
        s.append("</g>\n");
        s.append(f("<rect class=\"frame\" x=\"%.2f\" y=\"%.2f\" width=\"%.2f\" height=\"%.2f\" fill=\"none\" stroke=\"#333333\"/>\n",
                LEFT, TOP, RIGHT - LEFT, BOTTOM - TOP));
        double xStep = xt.length > 1 ? xt[1] - xt[0] : 1, yStep = yt.length > 1 ? yt[1] - yt[0] : 1;
        for (double t : xt) {
            s.append(f("<text class=\"x-label\" x=\"%.2f\" y=\"%.2f\" text-anchor=\"middle\">%s</text>\n", px(t, x0, x1), BOTTOM + 20,
                    LineChart.tickLabel(t, xStep)));
        }
        for (double t : yt) {
            s.append(f("<text class=\"y-label\" x=\"%.2f\" y=\"%.2f\" text-anchor=\"end\">%s</text>\n", LEFT - 8, py(t, y0, y1) + 4,
                    LineChart.tickLabel(t, yStep)));
        }
        s.append(f("<text class=\"axis-title\" x=\"%.2f\" y=\"%.2f\" text-anchor=\"middle\" font-size=\"14\">%s</text>\n",
                (LEFT + RIGHT) / 2, BOTTOM + 46, esc(xTitle)));
        double yMid = (TOP + BOTTOM) / 2;
        s.append(f("<text class=\"axis-title\" x=\"20\" y=\"%.2f\" text-anchor=\"middle\" font-size=\"14\" transform=\"rotate(-90 20 %.2f)\">%s</text>\n",
                yMid, yMid, esc(yTitle)));
        if (identity) {
            s.append(f("<line class=\"identity\" x1=\"%.2f\" y1=\"%.2f\" x2=\"%.2f\" y2=\"%.2f\" stroke=\"#888888\" stroke-dasharray=\"6 4\"/>\n",
                    px(x0, x0, x1), py(x0, y0, y1), px(x1, x0, x1), py(x1, y0, y1)));
        }
        for (int k = 0; k < series.size(); k++) {
            String colour = LineChart.COLOURS[k];
            for (Point p : series.get(k).points()) {
                if (!Double.isFinite(p.x()) || !Double.isFinite(p.y())) continue;
                String tip = series.get(k).label() + (p.name() == null ? "" : ", " + p.name()) + ": " + LineChart.number(p.x())
                        + ", " + LineChart.number(p.y());
                s.append(f("<circle class=\"point\" cx=\"%.2f\" cy=\"%.2f\" r=\"4.5\" fill=\"%s\" fill-opacity=\"0.85\"><title>%s</title></circle>\n",
                        px(p.x(), x0, x1), py(p.y(), y0, y1), colour, esc(tip)));
            }
        }
        s.append("<g class=\"legend\">\n");
        for (int k = 0; k < series.size(); k++) {
            double y = legendTop + k * LEGEND_LINE;
            s.append(f("<circle cx=\"%.2f\" cy=\"%.2f\" r=\"4.5\" fill=\"%s\"/>\n", LEFT + 6, y - 4, LineChart.COLOURS[k]));
            s.append(f("<text x=\"%.2f\" y=\"%.2f\">%s</text>\n", LEFT + 18, y, esc(series.get(k).label())));
        }
        s.append("</g>\n</svg>\n");
        return s.toString();
    }

    private static double px(double v, double low, double high) {
        return LEFT + (v - low) / (high - low) * (RIGHT - LEFT);
    }

    private static double py(double v, double low, double high) {
        return BOTTOM - (v - low) / (high - low) * (BOTTOM - TOP);
    }

    private static String f(String format, Object... args) {
        return String.format(Locale.ROOT, format, args);
    }

    private static String esc(String text) {
        return GapChart.escape(text == null ? "" : text);
    }
}
