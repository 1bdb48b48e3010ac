package dev.repgap.gap;

import dev.repgap.stats.Bootstrap;
import dev.repgap.stats.Measured;

/**
 * The representation gap curve of one scan: at each prefix size n, RG(n) (mean squared distance
 * to the nearest training row) with its interval and the 10% / 50% / 90% quantiles of the
 * nearest-neighbour distance; the law {@code RG = C n^(-2/d)} fitted on the upper part of the grid;
 * the local dimension between neighbouring sizes; a drift check; extrapolations. Every interval is
 * a two-way bootstrap percentile interval (queries and rankings resampled), from refitting each
 * replicate curve. That bootstrap errs wide: on simulated nearest-neighbour distances (no ranking
 * effect) the interval of d was 1.6 times the spread of d over repeats, close to the sqrt(3) its
 * theory gives when per-(query, ranking) noise dominates; intervals of RG(n) at large n were near
 * nominal. Made by {@link RepresentationGap#curve}.
 */
public final class RepresentationGapCurve implements GapChart.Curve {

    private final long[] sizes;
    private final double level;
    private final int fitStart;
    private final double driftTolerance;
    private final double[] mean;
    private final double[][] replicates;
    private final double[][] distanceQuantiles;
    private final GapLaw law;
    private final GapLaw[] replicateLaws;
    private final GapLaw lowerLaw;
    private final GapLaw upperLaw;
    private final Measured drift;

    RepresentationGapCurve(PrefixDistances distances, double[][] replicates, int fitStart, double level, double driftTolerance) {
        this.sizes = distances.sizes();
        this.level = level;
        this.fitStart = fitStart;
        this.driftTolerance = driftTolerance;
        this.mean = distances.meanGap();
        this.replicates = replicates;
        this.distanceQuantiles = distances.distanceQuantiles(0.1, 0.5, 0.9);
        int grid = sizes.length;
        for (int g = fitStart; g < grid; g++) {
            if (!(mean[g] > 0)) {
                throw new IllegalArgumentException("the mean gap is 0 at n = " + sizes[g] + " (every query has an exact copy among the first n rows of every ranking); no law to fit");
            }
        }
        // the drift halves: k points split in two, sharing the middle one when k is odd
        int k = grid - fitStart;
        int lowerTo = fitStart + (k - 1) / 2 + 1;
        int upperFrom = fitStart + k / 2;
        this.law = GapLaw.fit(sizes, mean, fitStart, grid);
        this.lowerLaw = GapLaw.fit(sizes, mean, fitStart, lowerTo);
        this.upperLaw = GapLaw.fit(sizes, mean, upperFrom, grid);
        this.replicateLaws = new GapLaw[replicates.length];
        double[] driftReplicates = new double[replicates.length];
        for (int b = 0; b < replicates.length; b++) {
            replicateLaws[b] = GapLaw.fit(sizes, replicates[b], fitStart, grid);
            driftReplicates[b] = drift(GapLaw.fit(sizes, replicates[b], fitStart, lowerTo), GapLaw.fit(sizes, replicates[b], upperFrom, grid));
        }
        this.drift = Bootstrap.percentile(drift(lowerLaw, upperLaw), driftReplicates, level);
    }

    private static double drift(GapLaw lower, GapLaw upper) {
        return upper.dimension() / lower.dimension() - 1;
    }

    /** The confidence level of the intervals. */
    public double level() {
        return level;
    }

    /** The number of prefix sizes G. */
    public int gridSize() {
        return sizes.length;
    }

    /** The prefix size n[g]. */
    public long size(int g) {
        return sizes[g];
    }

    /** RG(n[g]): the mean over queries and rankings of the squared nearest-neighbour distance. */
    public Measured gap(int g) {
        return Bootstrap.percentile(mean[g], column(g), level);
    }

    /** The median nearest-neighbour distance (not squared) at n[g], pooled over queries and rankings. */
    public double medianDistance(int g) {
        return distanceQuantiles[g][1];
    }

    /** The 10% quantile of the nearest-neighbour distance at n[g], pooled over queries and rankings. */
    public double lowerDecileDistance(int g) {
        return distanceQuantiles[g][0];
    }

    /** The 90% quantile of the nearest-neighbour distance at n[g], pooled over queries and rankings. */
    public double upperDecileDistance(int g) {
        return distanceQuantiles[g][2];
    }

    /**
     * The local dimension between n[g] and n[g+1], {@code -2 / (Δ log RG / Δ log n)}, for
     * g in 0..G-2; +Infinity where the curve does not decrease.
     */
    public Measured localDimension(int g) {
        if (g < 0 || g >= sizes.length - 1) throw new IndexOutOfBoundsException("local dimension " + g + " not in 0.." + (sizes.length - 2));
        double[] values = new double[replicates.length];
        for (int b = 0; b < values.length; b++) values[b] = localDimension(replicates[b], g);
        return Bootstrap.percentile(localDimension(mean, g), values, level);
    }

    private double localDimension(double[] gap, int g) {
        double slope = (Math.log(gap[g + 1]) - Math.log(gap[g])) / (Math.log(sizes[g + 1]) - Math.log(sizes[g]));
        return GapLaw.dimensionOfSlope(slope);
    }

    /** Index of the first grid point in the law fit; the fit runs to the last one, G-1. */
    public int fitStartIndex() {
        return fitStart;
    }

    /** The law fitted to the mean curve over the fit range. */
    public GapLaw law() {
        return law;
    }

    /** d of the fitted law, {@code -2 / slope}. */
    public Measured dimension() {
        return over(law, GapLaw::dimension);
    }

    /** C of the fitted law, {@code exp(intercept)}: the law's gap at n = 1. */
    public Measured constant() {
        return over(law, GapLaw::constant);
    }

    /**
     * The constant a uniform law on a volume-1 manifold of the fitted dimension would have,
     * {@code Gamma(1 + 2/d) omega_d^(-2/d)}; {@code C} over it is {@code integral f^(1 - 2/d)}.
     */
    public Measured uniformConstant() {
        return over(law, l -> GapLaw.uniformConstant(l.dimension()));
    }

    /** The law's gap at n (an extrapolation beyond the largest n[G-1]): {@code C n^(-2/d)}. */
    public Measured gapAt(double n) {
        return over(law, l -> l.gapAt(n));
    }

    /** The n the law needs to reach {@code targetGap}: {@code (C / RG*)^(d/2)}; +Infinity where it does not decrease. */
    public Measured sizeFor(double targetGap) {
        return over(law, l -> l.sizeFor(targetGap));
    }

    /** d fitted on the lower half of the fit range (the halves share the middle point when it has an odd count). */
    public double lowerHalfDimension() {
        return lowerLaw.dimension();
    }

    /** d fitted on the upper half of the fit range. */
    public double upperHalfDimension() {
        return upperLaw.dimension();
    }

    /**
     * How much the dimension still changes across the fit range: d of the upper half over d of the
     * lower half, minus 1 (0 for an exact power law; > 0 when the curve flattens, as with a noise floor).
     */
    public Measured drift() {
        return drift;
    }

    /**
     * True when the curve is not yet asymptotic over the fit range: the drift is larger than the
     * tolerance in size and its interval excludes 0 (the data resolve it).
     */
    public boolean drifting() {
        return Math.abs(drift.value()) > driftTolerance && (drift.low() > 0 || drift.high() < 0);
    }

    /** The drift tolerance {@link #drifting} uses. */
    public double driftTolerance() {
        return driftTolerance;
    }

    /** Replicate b's mean curve (shared with the paired curve of a comparison). */
    double[] replicate(int b) {
        return replicates[b];
    }

    GapLaw replicateLaw(int b) {
        return replicateLaws[b];
    }

    int replicates() {
        return replicates.length;
    }

    double meanGap(int g) {
        return mean[g];
    }

    private double[] column(int g) {
        double[] values = new double[replicates.length];
        for (int b = 0; b < values.length; b++) values[b] = replicates[b][g];
        return values;
    }

    private Measured over(GapLaw point, java.util.function.ToDoubleFunction<GapLaw> statistic) {
        double[] values = new double[replicateLaws.length];
        for (int b = 0; b < values.length; b++) values[b] = statistic.applyAsDouble(replicateLaws[b]);
        return Bootstrap.percentile(statistic.applyAsDouble(point), values, level);
    }
}
