package dev.repgap.correlate;

import dev.repgap.stats.Bootstrap;
import dev.repgap.stats.Measured;
import java.util.Arrays;
import java.util.Locale;
import java.util.SplittableRandom;
import org.apache.commons.math3.stat.correlation.KendallsCorrelation;
import org.apache.commons.math3.stat.correlation.PearsonsCorrelation;
import org.apache.commons.math3.stat.correlation.SpearmansCorrelation;

/**
 * How strongly one series of numbers tracks another over the same items (checkpoints, models): a correlation
 * coefficient with a seeded bootstrap interval over the items and a two-sided permutation p-value.
 *
 * <ul>
 *   <li>The coefficients are Commons Math's: Pearson's r, Spearman's rho (Pearson's r of the ranks, ties given their
 *       mean rank) and Kendall's tau-b (ties corrected), the definitions SciPy's {@code pearsonr}, {@code spearmanr} and
 *       {@code kendalltau} use.
 *   <li>The interval: percentile interval of the coefficient over bootstrap resamples of the pairs ({@link Bootstrap}).
 *       A resample whose values are all tied on one side has no coefficient; such resamples are left out and counted
 *       ({@link Result#undefinedResamples}). When more than half are undefined there is no interval.
 *   <li>The p-value: the share of random relabellings of the pairs (y shuffled against x, seeded) whose coefficient is
 *       at least as far from 0 as the observed one, counting the observed labelling: {@code (1 + hits) / (1 + P)}.
 *       It tests "no association" exactly for any sample size, with resolution 1 / (1 + P).
 * </ul>
 */
public final class Correlation {

    /** The coefficients. */
    public enum Method {
        SPEARMAN, KENDALL, PEARSON;

        public String id() {
            return name().toLowerCase(Locale.ROOT);
        }

        public static Method of(String name) {
            for (Method m : values()) if (m.id().equals(name.trim().toLowerCase(Locale.ROOT))) return m;
            throw new IllegalArgumentException("unknown correlation method '" + name + "': expected spearman, kendall or pearson");
        }

        /** The coefficient of the pairs (x[i], y[i]); NaN when x or y is constant. */
        public double of(double[] x, double[] y) {
            if (x.length < 2 || constant(x) || constant(y)) return Double.NaN;
            return switch (this) {
                case SPEARMAN -> new SpearmansCorrelation().correlation(x, y);
                case KENDALL -> new KendallsCorrelation().correlation(x, y);
                case PEARSON -> new PearsonsCorrelation().correlation(x, y);
            };
        }
    }

    /**
     * A coefficient with its interval (NaN ends when there is none) and permutation p-value, the number of pairs, and
     * how many bootstrap resamples had no coefficient.
     */
    public record Result(Method method, Measured coefficient, double pValue, int pairs, int undefinedResamples,
                         int replicates, int permutations) {}

    private final Bootstrap bootstrap;
    private final int permutations;
    private final double level;

    /**
     * @param replicates bootstrap resamples for the interval
     * @param permutations random relabellings for the p-value (0: none; the p-value is NaN)
     * @param level the interval's coverage, e.g. 0.95
     * @param seed seeds both the resamples and the relabellings
     */
    public Correlation(int replicates, int permutations, double level, long seed) {
        if (permutations < 0) throw new IllegalArgumentException("permutations must be >= 0, got " + permutations);
        Measured.checkLevel(level);
        this.bootstrap = new Bootstrap(replicates, seed);
        this.permutations = permutations;
        this.level = level;
    }

    /** The coefficient of the pairs with its interval and p-value. */
    public Result of(Method method, double[] x, double[] y) {
        if (x.length != y.length) throw new IllegalArgumentException(x.length + " x values for " + y.length + " y values");
        int n = x.length;
        for (int i = 0; i < n; i++) {
            if (!Double.isFinite(x[i]) || !Double.isFinite(y[i])) {
                throw new IllegalArgumentException("pair " + i + " is not finite: (" + x[i] + ", " + y[i] + ")");
            }
        }
        double value = method.of(x, y);
        double[] rx = new double[n], ry = new double[n];
        double[] replicates = bootstrap.replicates(1, n, counts -> {
            int k = 0;
            for (int i = 0; i < n; i++) {
                for (int c = 0; c < counts[i]; c++, k++) {
                    rx[k] = x[i];
                    ry[k] = y[i];
                }
            }
            return new double[] {method.of(rx, ry)};
        })[0];
        double[] defined = Arrays.stream(replicates).filter(Double::isFinite).toArray();
        int undefined = replicates.length - defined.length;
        Measured coefficient = Double.isNaN(value) || 2 * defined.length < replicates.length
                ? new Measured(value, Double.NaN, Double.NaN)
                : Bootstrap.percentile(value, defined, level);
        return new Result(method, coefficient, pValue(method, x, y, value), n, undefined, replicates.length, permutations);
    }

    private double pValue(Method method, double[] x, double[] y, double observed) {
        if (permutations == 0 || Double.isNaN(observed)) return Double.NaN;
        SplittableRandom rng = new SplittableRandom(bootstrap.seed() ^ 0x5DEECE66DL);
        double[] shuffled = y.clone();
        double threshold = Math.abs(observed) * (1 - 1e-12); // ties with the observed labelling count as hits
        int hits = 0;
        for (int p = 0; p < permutations; p++) {
            for (int i = shuffled.length - 1; i > 0; i--) {
                int j = rng.nextInt(i + 1);
                double t = shuffled[i];
                shuffled[i] = shuffled[j];
                shuffled[j] = t;
            }
            if (Math.abs(method.of(x, shuffled)) >= threshold) hits++;
        }
        return (1.0 + hits) / (1.0 + permutations);
    }

    /** True when every value equals the first (no coefficient can be formed with such a side). */
    public static boolean constant(double[] v) {
        for (double d : v) if (d != v[0]) return false;
        return true;
    }
}
