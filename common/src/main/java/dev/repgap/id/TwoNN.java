package dev.repgap.id;

import dev.repgap.stats.Bootstrap;
import dev.repgap.stats.Measured;
import java.util.Arrays;
import java.util.Locale;
import org.apache.commons.math3.distribution.GammaDistribution;

/**
 * TwoNN (Facco et al. 2017): {@code mu = r_2 / r_1} is Pareto with {@code P(mu > m) = m^(-d)}.
 * Two forms over the same ratios: the maximum-likelihood one with a Gamma interval (widened for
 * points that share neighbours, see {@link #maximumLikelihood}), and the
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
        Measured.checkLevel(level);
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
     * {@code d = (N - 1) / sum log mu} (unbiased for independent points). For independent points
     * {@code d * sum log mu ~ Gamma(N, 1)}, and {@code [g_lo, g_hi] / sum log mu} with Gamma(N, 1)
     * quantiles is an exact interval. On a kNN graph the ratios are not independent: points that
     * share a neighbour (mutual nearest neighbours share r_1, say) have positively correlated
     * {@code log mu}, {@code sum log mu} varies more than Gamma(N) says and that interval is too
     * narrow (it covered the true d in about 80% of seeded tori at the 90% level).
     *
     * <p>When the distances carry ids, the interval allows for this: {@code f} is the
     * {@link OverlapCovariance#inflation variance inflation} of {@code sum log mu}, estimated from the
     * covariance of {@code log mu} between points whose supports (the point, its r_1 and its r_2
     * neighbour) share a row; {@code d * sum log mu} is taken as Gamma with the same mean N and variance
     * {@code f N}, i.e. shape {@code N / f} (an effective sample size) and scale f, and the interval is
     * {@code f [q_lo, q_hi] / sum log mu} with Gamma(N / f, 1) quantiles. The interval is never narrower
     * than the exact Gamma(N) one, which is used as it is when {@code f <= 1} or without ids. The
     * details string says which interval was used and the f it found.
     */
    public Estimate maximumLikelihood(NeighbourDistances distances) {
        double[] mu = distances.ratios(1, 2);
        int n = mu.length;
        if (n < 2) throw new IllegalArgumentException("TwoNN needs at least 2 points, got " + n);
        double[] logMu = new double[n];
        double sum = 0;
        for (int p = 0; p < n; p++) {
            logMu[p] = Math.log(mu[p]);
            sum += logMu[p];
        }
        String interval;
        Measured ci;
        if (distances.hasIds()) {
            long[] supports = new long[3 * n];
            for (int p = 0; p < n; p++) {
                supports[3 * p] = distances.pointId(p);
                supports[3 * p + 1] = distances.neighbourId(p, 1);
                supports[3 * p + 2] = distances.neighbourId(p, 2);
            }
            double f = OverlapCovariance.inflation(logMu, supports, 3);
            ci = interval(sum, n, f, level);
            interval = f > 1
                    ? String.format(Locale.ROOT, "interval at %.2f widened for shared neighbours: f [q_lo, q_hi] / sum log mu"
                            + " with Gamma(N/f, 1) quantiles, f = %.3f the variance inflation of sum log mu from the covariance"
                            + " of log mu between points whose (point, r1, r2 neighbour) triples share a row, effective N = N/f = %.0f",
                            level, f, n / f)
                    : String.format(Locale.ROOT, "exact Gamma(N) interval at %.2f (variance inflation f = %.3f <= 1 from points"
                            + " whose (point, r1, r2 neighbour) triples share a row)", level, f);
        } else {
            ci = interval(sum, n, 1, level);
            interval = String.format(Locale.ROOT, "exact Gamma(N) interval at %.2f, for independent ratios (no neighbour ids"
                    + " to correct for shared neighbours)", level);
        }
        return new Estimate(ci, n, distances.medianDistance(2),
                "TwoNN MLE (N-1)/sum log(r2/r1); " + interval + "; scale = median r2");
    }

    /**
     * {@code d = (n - 1) / sum} with its interval, from {@code sum log mu} over n points with variance
     * inflation f: the exact {@code [q_lo, q_hi] / sum} with Gamma(n, 1) quantiles, widened (never narrowed) to
     * {@code f [q_lo, q_hi] / sum} with Gamma(n / f, 1) quantiles when {@code f > 1}.
     */
    static Measured interval(double sum, int n, double f, double level) {
        Measured.checkLevel(level);
        if (n < 1) throw new IllegalArgumentException("need at least 1 point, got " + n);
        GammaDistribution exact = new GammaDistribution(null, n, 1.0);
        double low = exact.inverseCumulativeProbability((1 - level) / 2);
        double high = exact.inverseCumulativeProbability((1 + level) / 2);
        if (f > 1) {
            GammaDistribution effective = new GammaDistribution(null, n / f, 1.0);
            low = Math.min(low, f * effective.inverseCumulativeProbability((1 - level) / 2));
            high = Math.max(high, f * effective.inverseCumulativeProbability((1 + level) / 2));
        }
        return new Measured((n - 1) / sum, low / sum, high / sum);
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
        Measured ci = bootstrap.interval(slope, n, counts -> slope(logMu, counts, y), level);
        return new Estimate(ci, n, distances.medianDistance(2),
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
