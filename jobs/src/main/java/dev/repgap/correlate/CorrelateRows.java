package dev.repgap.correlate;

import dev.repgap.chart.LineChart;
import dev.repgap.data.GroupKey;
import dev.repgap.results.MetricRow;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The rows {@code repgap correlate} writes, and how the report reads them back: one row per series and method, metric
 * {@code correlate.METHOD}, param {@code measure ~ target} (the measure as {@code metric[param]}), group the series'
 * group columns outside the across columns, value the coefficient with its interval, n the pairs, and details starting
 * {@code across C1,C2; p=..; q=..}.
 */
public final class CorrelateRows {
    private static final Pattern P = Pattern.compile("; p=([^ ;]+)");
    private static final Pattern Q = Pattern.compile("; q=([^ ;]+)");

    private CorrelateRows() {}

    public static List<MetricRow> of(CorrelationStudy.Outcome outcome, List<Correlation.Method> methods, CorrelationStudy.Options o) {
        List<MetricRow> out = new ArrayList<>();
        for (CorrelationStudy.Finding f : outcome.findings()) {
            if (f.status() != null) continue;
            for (int i = 0; i < methods.size(); i++) {
                Correlation.Result r = f.results().get(i);
                String details = "across " + String.join(",", outcome.across()) + "; p=" + probability(r.pValue()) + " ("
                        + r.permutations() + " permutations); q=" + LineChart.number(f.qValues()[i]) + " (Benjamini-Hochberg over "
                        + f.target() + "); " + LineChart.number(100 * o.level()) + "% interval from " + r.replicates()
                        + " bootstrap resamples of the groups"
                        + (r.undefinedResamples() > 0 ? " (" + r.undefinedResamples() + " without a coefficient, left out)" : "")
                        + (f.missing() > 0 ? "; " + f.missing() + " groups with the measure or the target only, left out" : "");
                MetricRow row = MetricRow.of(new GroupKey(f.by()), CorrelationStudy.PREFIX + methods.get(i).id(), f.rowParam(),
                        r.coefficient().value(), (long) f.pairs().size()).withDetails(details);
                out.add(Double.isNaN(r.coefficient().low()) ? row : row.withInterval(r.coefficient().low(), r.coefficient().high()));
            }
        }
        return out;
    }

    /** A p- or q-value to three significant digits without trailing zeros ({@code 0.005}, {@code 0.0125}); NaN as such. */
    public static String probability(double p) {
        if (!Double.isFinite(p)) return "NaN";
        return new java.math.BigDecimal(p).round(new java.math.MathContext(3)).stripTrailingZeros().toPlainString();
    }

    /** {@code [measure, target]} from a row param {@code measure ~ target}. */
    public static String[] measureAndTarget(String param) {
        int at = param == null ? -1 : param.lastIndexOf(" ~ ");
        if (at < 0) return new String[] {String.valueOf(param), ""};
        return new String[] {param.substring(0, at), param.substring(at + 3)};
    }

    /** {@code [metric, param]} from {@code metric[param]} (param null when there is none). */
    public static String[] metricAndParam(String measure) {
        int open = measure.indexOf('[');
        if (open < 0 || !measure.endsWith("]")) return new String[] {measure, null};
        return new String[] {measure.substring(0, open), measure.substring(open + 1, measure.length() - 1)};
    }

    /** The across columns a row's details name; empty when they name none. */
    public static List<String> across(String details) {
        if (details == null || !details.startsWith("across ")) return List.of();
        int end = details.indexOf(';');
        return Arrays.asList(details.substring("across ".length(), end < 0 ? details.length() : end).split(","));
    }

    /** The p-value (or with {@code q}, the q-value) a row's details give, as written; empty when none. */
    public static String pOrQ(String details, boolean q) {
        if (details == null) return "";
        Matcher m = (q ? Q : P).matcher(details);
        return m.find() ? m.group(1) : "";
    }
}
