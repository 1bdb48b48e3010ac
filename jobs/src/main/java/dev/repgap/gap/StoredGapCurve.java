package dev.repgap.gap;

import dev.repgap.results.StoredMetric;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * A gap curve read back from the results repository for {@link GapChart}: the grid, RG(n) with its
 * interval and the fitted law from {@code gap_curves}; d, C, the drift and the extrapolations with their
 * intervals from the same run's {@code gap.*} metric rows. The interval level is not stored (NaN).
 */
final class StoredGapCurve implements GapChart.Curve {
    /** One grid point of {@code gap_curves}. */
    record Point(long n, double rg, double low, double high, double lawRg, boolean inFit) {}

    private final long[] sizes;
    private final Measured[] gaps;
    private final int fitStart;
    private final GapLaw law;
    private final Measured dimension, constant, drift;
    private final boolean drifting;
    private final TreeMap<Double, Measured> extrapolated = new TreeMap<>();

    /**
     * @param points the curve's grid points, in increasing n
     * @param runMetrics the metric rows of the same run and group
     * @param variant {@code plain} or {@code symmetric}
     */
    StoredGapCurve(List<Point> points, List<StoredMetric> runMetrics, String variant) {
        int grid = points.size();
        if (grid < 2) throw new IllegalArgumentException("a stored gap curve needs at least 2 grid points, got " + grid);
        sizes = new long[grid];
        gaps = new Measured[grid];
        double[] lawRg = new double[grid];
        int first = -1;
        for (int g = 0; g < grid; g++) {
            Point p = points.get(g);
            sizes[g] = p.n();
            gaps[g] = new Measured(p.rg(), p.low(), p.high());
            lawRg[g] = p.lawRg();
            if (p.inFit() && first < 0) first = g;
        }
        fitStart = first < 0 || first > grid - 2 ? grid - 2 : first;
        law = GapLaw.fit(sizes, lawRg, fitStart, grid); // exact: the stored law's values lie on its line
        boolean symmetric = variant.equals("symmetric");
        String alone = symmetric ? "symmetric" : null;
        Measured d = null, c = null, dr = null;
        boolean drifts = false;
        for (StoredMetric m : runMetrics) {
            String param = m.param();
            if (m.metric().equals("gap.rg_extrapolated") && param != null && param.startsWith("n=")
                    && param.endsWith(";symmetric") == symmetric) {
                double n = Double.parseDouble(param.substring(2).replace(";symmetric", ""));
                extrapolated.put(n, measured(m));
            }
            if (!java.util.Objects.equals(param, alone)) continue;
            switch (m.metric()) {
                case "gap.dimension" -> d = measured(m);
                case "gap.constant" -> c = measured(m);
                case "gap.drift" -> {
                    dr = measured(m);
                    drifts = m.details() != null && m.details().startsWith("DRIFTING");
                }
                default -> { }
            }
        }
        dimension = d != null ? d : new Measured(law.dimension(), Double.NaN, Double.NaN);
        constant = c != null ? c : new Measured(law.constant(), Double.NaN, Double.NaN);
        drift = dr != null ? dr : new Measured(Double.NaN, Double.NaN, Double.NaN);
        drifting = drifts;
    }

    private static Measured measured(StoredMetric m) {
        return new Measured(m.value(), m.ciLow() == null ? Double.NaN : m.ciLow(), m.ciHigh() == null ? Double.NaN : m.ciHigh());
    }

    /** The sizes the run extrapolated to (2x and 10x the training set, as {@code repgap gap} records them). */
    double[] extrapolationSizes() {
        return extrapolated.keySet().stream().mapToDouble(Double::doubleValue).toArray();
    }

    Map<Double, Measured> extrapolations() {
        return extrapolated;
    }

    @Override public int gridSize() { return sizes.length; }
    @Override public long size(int g) { return sizes[g]; }
    @Override public Measured gap(int g) { return gaps[g]; }
    @Override public GapLaw law() { return law; }
    @Override public int fitStartIndex() { return fitStart; }
    @Override public double level() { return Double.NaN; }
    @Override public Measured dimension() { return dimension; }
    @Override public Measured constant() { return constant; }
    @Override public boolean drifting() { return drifting; }
    @Override public Measured drift() { return drift; }

    @Override
    public Measured gapAt(double n) {
        Measured m = extrapolated.get(n);
        return m != null ? m : new Measured(law.gapAt(n), Double.NaN, Double.NaN);
    }
}
