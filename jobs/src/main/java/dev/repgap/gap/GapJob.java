package dev.repgap.gap;

import dev.repgap.data.Activations;
import dev.repgap.data.GroupKey;
import dev.repgap.data.GroupSummary;
import dev.repgap.data.InputException;
import dev.repgap.knn.KnnJob;
import dev.repgap.results.MetricRow;
import dev.repgap.results.ResultPrinter;
import dev.repgap.stats.Measured;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * {@code repgap gap}: the Representation Gap per group. One cross scan (test against train) gives every
 * test row's nearest-neighbour distance among the first n training rows of R random orders, for the
 * whole grid of n; the estimators in {@code common} turn that into the curve, its law and
 * extrapolations, and, under a symmetry group, the comparison with and without it.
 */
public final class GapJob {

    /** {@code fitFrom} null: the upper half of the grid; {@code symmetries} empty: none. */
    public record Options(GapScan.Options scan, Long fitFrom, List<Double> targets, List<String> symmetries,
                          String imageShape, int maxOrder, double level, int bootstrap) {}

    /** One group's outcome: its curves (the comparison when a symmetry was given) and the symmetry itself. */
    public record GroupGap(GroupKey key, long trainRows, long queries, RepresentationGapCurve plain,
                           SymmetryComparison comparison, SymmetryGroup symmetry) {}

    private GapJob() {}

    /** Every group in the same scan passes; each group's curves are the same as when it is scanned alone. */
    public static List<GroupGap> run(Activations data, Options o) {
        KnnJob.IdMapping ids = KnnJob.IdMapping.of(data);
        Dataset<Row> keyed = ids.keyed(data.rows(), data.names().groupBy());
        RepresentationGap estimator = new RepresentationGap(o.level(), o.bootstrap(), o.scan().seed(),
                o.fitFrom() == null ? RepresentationGap.FIT_FROM_GEOMETRIC_MIDDLE : o.fitFrom(),
                RepresentationGap.DEFAULT_DRIFT_TOLERANCE);
        List<GroupSummary> groups = data.groups();
        List<SymmetryGroup> symmetries = new ArrayList<>();
        List<long[]> grids = new ArrayList<>();
        for (GroupSummary g : groups) {
            symmetries.add(symmetry(data, g, o));
            try {
                grids.add(PrefixGrid.geometric(g.train(), o.scan().points(), Math.min(o.scan().smallest(), g.train() - 1)));
            } catch (IllegalArgumentException e) {
                throw failed(data, g, e);
            }
        }
        List<GapScan.Scanned> scans = GapScan.run(keyed, data.names().groupBy(), groups, grids, symmetries, o.scan());
        List<GroupGap> out = new ArrayList<>();
        for (int i = 0; i < groups.size(); i++) {
            GroupSummary g = groups.get(i);
            GapScan.Scanned s = scans.get(i);
            SymmetryGroup symmetry = symmetries.get(i);
            try {
                int queries = s.queryIds().length;
                int rankings = o.scan().rankings();
                PrefixDistances plain = new PrefixDistances(queries, rankings, s.grid(), s.variants().get(0));
                if (symmetry == null) {
                    out.add(new GroupGap(g.key(), g.train(), queries, estimator.curve(plain), null, null));
                } else {
                    PrefixDistances symmetric = new PrefixDistances(queries, rankings, s.grid(), s.variants().get(1));
                    SymmetryComparison c = estimator.compare(plain, symmetric, symmetry.order());
                    out.add(new GroupGap(g.key(), g.train(), queries, c.plain(), c, symmetry));
                }
            } catch (IllegalArgumentException e) {
                throw failed(data, g, e);
            }
        }
        return out;
    }

    private static InputException failed(Activations data, GroupSummary g, IllegalArgumentException e) {
        return new InputException("input " + data.input() + ", group " + g.key() + " (" + g.train()
                + " training rows): " + e.getMessage(), e);
    }

    private static SymmetryGroup symmetry(Activations data, GroupSummary g, Options o) {
        if (o.symmetries().isEmpty()) return null;
        try {
            int[] shape = o.imageShape() == null ? null : SymmetryGroup.parseImageShape(o.imageShape());
            return SymmetryGroup.parse(o.symmetries(), g.dim(), shape, o.maxOrder());
        } catch (IllegalArgumentException e) {
            throw new InputException("input " + data.input() + ", group " + g.key() + " (vectors of length " + g.dim()
                    + "): " + e.getMessage(), e);
        }
    }

    /** The tidy result rows of all groups. */
    public static List<MetricRow> metrics(List<GroupGap> gaps, List<Double> targets) {
        List<MetricRow> rows = new ArrayList<>();
        for (GroupGap g : gaps) {
            rows.addAll(curveRows(g, g.plain(), "", targets));
            if (g.comparison() != null) {
                SymmetryComparison c = g.comparison();
                rows.addAll(curveRows(g, c.symmetric(), "symmetric", targets));
                long queries = g.queries();
                rows.add(MetricRow.of(g.key(), "gap.symmetry_order", null, c.groupOrder(), null)
                        .withDetails(g.symmetry().description()));
                Measured theory = c.theoreticalRatio();
                rows.add(measured(g.key(), "gap.symmetry_ratio", "n=" + g.trainRows(), c.gapRatioAtLargest(), queries)
                        .withDetails("RG / RG_G at the whole training set; theory |G|^(2/d) = " + number(theory.value())
                                + " [" + number(theory.low()) + ", " + number(theory.high()) + "] at the plain d"));
                rows.add(measured(g.key(), "gap.constant_ratio", null, c.constantRatio(), queries)
                        .withDetails("C / C_G of the fitted laws; comparable when both d agree"));
            }
        }
        return rows;
    }

    private static List<MetricRow> curveRows(GroupGap g, RepresentationGapCurve curve, String variant, List<Double> targets) {
        GroupKey key = g.key();
        String suffix = variant.isEmpty() ? "" : ";" + variant;
        String alone = variant.isEmpty() ? null : variant;
        long queries = g.queries();
        List<MetricRow> rows = new ArrayList<>();
        int last = curve.gridSize() - 1;
        for (int i = 0; i <= last; i++) {
            rows.add(measured(key, "gap.rg", "n=" + curve.size(i) + suffix, curve.gap(i), queries)
                    .withScale(curve.medianDistance(i))
                    .withDetails("mean squared distance to the nearest of the first n training rows; nearest distance"
                            + " median " + number(curve.medianDistance(i)) + ", 10%-90% " + number(curve.lowerDecileDistance(i))
                            + ".." + number(curve.upperDecileDistance(i))));
        }
        String range = "n = " + curve.size(curve.fitStartIndex()) + ".." + curve.size(last) + " (" + (last - curve.fitStartIndex() + 1)
                + " grid points)";
        double scale = curve.medianDistance(last);
        rows.add(measured(key, "gap.dimension", alone, curve.dimension(), queries).withScale(scale)
                .withDetails("-2 / slope of log RG on log n over " + range));
        rows.add(measured(key, "gap.constant", alone, curve.constant(), queries).withScale(scale)
                .withDetails("C of RG(n) = C n^(-2/d) over " + range));
        rows.add(measured(key, "gap.constant_theory", alone, curve.uniformConstant(), queries)
                .withDetails("applies to volume-1 data only (a uniform law on a manifold of volume 1; any other volume V scales"
                        + " C by V^(2/d)): Gamma(1 + 2/d) omega_d^(-2/d) at the fitted d"));
        rows.add(measured(key, "gap.drift", alone, curve.drift(), queries)
                .withDetails((curve.drifting() ? "DRIFTING, not yet asymptotic: " : "asymptotic within "
                        + Math.round(100 * curve.driftTolerance()) + "%: ") + "d on the lower / upper half of the fit range = "
                        + number(curve.lowerHalfDimension()) + " / " + number(curve.upperHalfDimension())));
        for (long factor : new long[] {2, 10}) {
            long n = factor * curve.size(last);
            rows.add(measured(key, "gap.rg_extrapolated", "n=" + n + suffix, curve.gapAt(n), queries)
                    .withDetails("C n^(-2/d) at " + factor + "x the training set"));
        }
        for (double t : targets) {
            rows.add(measured(key, "gap.n_for_target", "target=" + java.math.BigDecimal.valueOf(t).stripTrailingZeros() + suffix, curve.sizeFor(t), queries)
                    .withDetails("(C / target)^(d/2): training rows the law needs to reach the target gap"));
        }
        return rows;
    }

    private static MetricRow measured(GroupKey key, String metric, String param, Measured m, long n) {
        return MetricRow.of(key, metric, param, m.value(), n).withInterval(m.low(), m.high());
    }

    private static String number(double v) {
        return String.format(Locale.ROOT, "%.4g", v);
    }

    /** A table per group for a person: the law, then the curve one grid point a line. */
    public static void print(List<GroupGap> gaps, List<Double> targets, PrintWriter out) {
        for (GroupGap g : gaps) {
            List<MetricRow> summary = metrics(List.of(g), targets).stream()
                    .filter(r -> !r.metric().equals("gap.rg")).toList();
            ResultPrinter.table(summary, out);
            RepresentationGapCurve curve = g.plain();
            SymmetryComparison c = g.comparison();
            out.printf(Locale.ROOT, "  %10s  %12s  %27s  %11s  %21s  %8s%s%n", "n", "RG", "interval", "NN median",
                    "NN 10%-90%", "local d", c == null ? "" : String.format("  %12s  %8s", "RG with G", "ratio"));
            for (int i = 0; i < curve.gridSize(); i++) {
                Measured rg = curve.gap(i);
                String local = i == 0 ? "" : number(curve.localDimension(i - 1).value()); // between n[i-1] and n[i]
                out.printf(Locale.ROOT, "  %10d  %12s  %27s  %11s  %21s  %8s%s%s%n", curve.size(i), number(rg.value()),
                        "[" + number(rg.low()) + ", " + number(rg.high()) + "]", number(curve.medianDistance(i)),
                        number(curve.lowerDecileDistance(i)) + ".." + number(curve.upperDecileDistance(i)), local,
                        c == null ? "" : String.format(Locale.ROOT, "  %12s  %8s", number(c.symmetric().gap(i).value()),
                                number(c.gapRatio(i).value())),
                        i == curve.fitStartIndex() ? "   <- fit from here" : "");
            }
            out.println();
        }
        out.flush();
    }

    /** The group's chart, SVG: log RG against log n with the fitted law, extended to 2x and 10x the training set. */
    static String chart(GroupGap g) {
        GapChart chart = new GapChart("Representation Gap, " + g.key(), 2.0 * g.trainRows(), 10.0 * g.trainRows());
        return g.comparison() != null ? chart.svg(g.comparison())
                : chart.svg(new GapChart.Series("RG(n), " + g.queries() + " test rows", g.plain()));
    }
}
