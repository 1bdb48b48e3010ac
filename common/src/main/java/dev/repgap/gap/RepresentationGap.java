package dev.repgap.gap;

import dev.repgap.stats.Bootstrap;
import dev.repgap.stats.Measured;

/**
 * Turns the gap scan's {@link PrefixDistances} into a {@link RepresentationGapCurve} (the curve,
 * its power-law fit, local dimensions, drift and extrapolations, all with two-way bootstrap
 * intervals), or two of them into a {@link SymmetryComparison}. Immutable; deterministic given the seed.
 */
public final class RepresentationGap {

    public static final double DEFAULT_LEVEL = 0.90;
    public static final int DEFAULT_REPLICATES = 200;
    public static final double DEFAULT_DRIFT_TOLERANCE = 0.10;
    /** Fit from the geometric middle of the grid, {@code sqrt(n[0] * n[G-1])}: the upper half in log scale. */
    public static final double FIT_FROM_GEOMETRIC_MIDDLE = Double.NaN;

    private final double level;
    private final Bootstrap bootstrap;
    private final double fitFrom;
    private final double driftTolerance;

    /**
     * @param level confidence level of every interval, in (0, 1)
     * @param replicates bootstrap replicates (>= 2)
     * @param seed bootstrap seed
     * @param fitFrom smallest n in the law fit (grid points with n >= fitFrom are fitted), or
     *     {@link #FIT_FROM_GEOMETRIC_MIDDLE}
     * @param driftTolerance relative change of d across the fit range above which the curve counts
     *     as drifting (if the data resolve it), e.g. 0.1
     */
    public RepresentationGap(double level, int replicates, long seed, double fitFrom, double driftTolerance) {
        Measured.checkLevel(level);
        if (!Double.isNaN(fitFrom) && !(fitFrom > 0)) throw new IllegalArgumentException("fitFrom must be > 0 (or NaN for the default), got " + fitFrom);
        if (!(driftTolerance >= 0)) throw new IllegalArgumentException("drift tolerance must be >= 0, got " + driftTolerance);
        this.level = level;
        this.bootstrap = new Bootstrap(replicates, seed);
        this.fitFrom = fitFrom;
        this.driftTolerance = driftTolerance;
    }

    /** 90% intervals, 200 replicates with seed 0, fit on the upper half of the grid, drift tolerance 10%. */
    public RepresentationGap() {
        this(DEFAULT_LEVEL, DEFAULT_REPLICATES, 0L, FIT_FROM_GEOMETRIC_MIDDLE, DEFAULT_DRIFT_TOLERANCE);
    }

    /** The curve of one scan. Throws IllegalArgumentException if fewer than 3 grid points are in the fit range or the mean gap is 0 there. */
    public RepresentationGapCurve curve(PrefixDistances distances) {
        int from = fitStart(distances);
        double[][] replicates = distances.meanGaps(bootstrap.twoWay(distances.queries(), distances.rankings()));
        return new RepresentationGapCurve(distances, replicates, from, level, driftTolerance);
    }

    /**
     * Plain against symmetric: two scans over the same queries, rankings and prefix sizes, the
     * second with the distance minimised over a symmetry group of order {@code groupOrder}.
     * Both curves are resampled with the same queries and rankings (a paired bootstrap); each
     * curve equals what {@link #curve} gives for it alone.
     */
    public SymmetryComparison compare(PrefixDistances plain, PrefixDistances symmetric, int groupOrder) {
        if (groupOrder < 1) throw new IllegalArgumentException("group order must be >= 1, got " + groupOrder);
        if (plain.queries() != symmetric.queries() || plain.rankings() != symmetric.rankings()
                || !java.util.Arrays.equals(plain.sizes(), symmetric.sizes())) {
            throw new IllegalArgumentException("plain and symmetric scans must share queries, rankings and prefix sizes");
        }
        int from = fitStart(plain);
        Bootstrap.TwoWayResamples resamples = bootstrap.twoWay(plain.queries(), plain.rankings());
        return new SymmetryComparison(new RepresentationGapCurve(plain, plain.meanGaps(resamples), from, level, driftTolerance),
                new RepresentationGapCurve(symmetric, symmetric.meanGaps(resamples), from, level, driftTolerance), groupOrder);
    }

    /** Index of the first grid point of the fit range. */
    private int fitStart(PrefixDistances distances) {
        long[] n = distances.sizes();
        int grid = n.length;
        // compare in logs, with room for rounding: the geometric middle is often a grid point itself
        double edge = Double.isNaN(fitFrom) ? 0.5 * (Math.log(n[0]) + Math.log(n[grid - 1])) : Math.log(fitFrom);
        int from = 0;
        while (from < grid && Math.log(n[from]) < edge - 1e-9) from++;
        if (grid - from < 3) {
            throw new IllegalArgumentException("the law fit needs at least 3 prefix sizes n >= " + Math.exp(edge) + ", the grid has "
                    + (grid - from) + " (of " + grid + ", largest " + n[grid - 1] + "); lower fitFrom or use a finer grid");
        }
        return from;
    }
}
