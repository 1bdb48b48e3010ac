package dev.repgap.id;

import java.util.Arrays;
import java.util.Locale;
import org.apache.commons.math3.distribution.GammaDistribution;

/**
 * TwoNN (Facco et al. 2017): {@code mu = r_2 / r_1} is Pareto with {@code P(mu > m) = m^(-d)}.
 * Two forms over the same ratios: the maximum-likelihood one with an exact Gamma interval, and the
 * linear fit of the paper and scikit-dimension with a bootstrap interval. Both report the scale
 * as the median of {@code r_2} (the larger distance used) and n = all points.
 */
public final class TwoNN {

    public static final double DEFAULT_DISCARD = 0.1;

    private final double level;
    private final double discard;
    private final Bootstrap bootstrap;

    /**
     * @param discard fraction of the largest ratios left out of the linear fit, in [0, 1)
     * @param bootstrap resampling for the linear fit's interval
     */
    public TwoNN(double level, double discard, Bootstrap bootstrap) {
        Estimate.checkLevel(level);
        if (!(discard >= 0 && discard < 1)) throw new IllegalArgumentException("discard must be in [0, 1), got " + discard);
        this.level = level;
        this.discard = discard;
        this.bootstrap = bootstrap;
    }

    /** 90% intervals, discard 0.1, 200 bootstrap replicates with seed 0. */
    public TwoNN() {
        this(Estimate.DEFAULT_LEVEL, DEFAULT_DISCARD, new Bootstrap());
    }

    /**
     * {@code d = (N - 1) / sum log mu} (unbiased). Since {@code d * sum log mu ~ Gamma(N, 1)} for
     * independent points, {@code [g_lo, g_hi] / sum log mu} with Gamma(N, 1) quantiles is an exact
     * interval; neighbouring points share neighbours, so on real data it is somewhat optimistic.
     */
    public Estimate maximumLikelihood(NeighbourDistances distances) {
        double[] mu = distances.ratios(1, 2);
        int n = mu.length;
        if (n < 2) throw new IllegalArgumentException("TwoNN needs at least 2 points, got " + n);
        double sum = 0;
        for (double m : mu) sum += Math.log(m);
        GammaDistribution pivot = new GammaDistribution(null, n, 1.0);
        double low = pivot.inverseCumulativeProbability((1 - level) / 2) / sum;
        double high = pivot.inverseCumulativeProbability((1 + level) / 2) / sum;
        return new Estimate((n - 1) / sum, low, high, n, distances.medianDistance(2),
                String.format(Locale.ROOT, "TwoNN MLE (N-1)/sum log(r2/r1); exact Gamma(N) interval at %.2f; scale = median r2", level));
    }

    /**
     * Slope through the origin of {@code -log(1 - F_i)} against {@code log mu_(i)} over the smallest
     * {@code floor(N (1 - discard))} sorted ratios, {@code F_i = i / N} with i from 0 as in
     * scikit-dimension. Interval: bootstrap over points, percentile.
     */
    public Estimate linearFit(NeighbourDistances distances) {
        double[] logMu = distances.ratios(1, 2);
        int n = logMu.length;
        for (int i = 0; i < n; i++) logMu[i] = Math.log(logMu[i]);
        Arrays.sort(logMu);
        int kept = (int) (n * (1 - discard));
        if (kept < 2) throw new IllegalArgumentException("the fit keeps " + kept + " of " + n + " points; need at least 2");
        // The fit's ordinates depend on the rank alone: computed once, not once per bootstrap replicate.
        double[] y = new double[kept];
        for (int i = 0; i < kept; i++) y[i] = -Math.log1p(-(double) i / n);
        double slope = slope(logMu, null, y);
        Bootstrap.Interval ci = bootstrap.interval(n, counts -> slope(logMu, counts, y), level);
        return new Estimate(slope, ci.low(), ci.high(), n, distances.medianDistance(2),
                String.format(Locale.ROOT, "TwoNN linear fit through 0, discard %.2f (%d of %d ratios fitted); bootstrap %d x seed %d, level %.2f; scale = median r2",
                        discard, kept, n, bootstrap.replicates(), bootstrap.seed(), level));
    }

    /** The fit of the first {@code y.length} values of the sorted sample, each repeated {@code counts[j]} times (null: once). */
    private static double slope(double[] sortedLogMu, int[] counts, double[] y) {
        double xy = 0, xx = 0;
        int i = 0;
        for (int j = 0; j < sortedLogMu.length && i < y.length; j++) {
            double x = sortedLogMu[j];
            for (int c = counts == null ? 1 : counts[j]; c > 0 && i < y.length; c--, i++) {
                xy += x * y[i];
                xx += x * x;
            }
        }
        return xy / xx;
    }
}
