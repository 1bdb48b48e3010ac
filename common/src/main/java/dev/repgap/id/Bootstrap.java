package dev.repgap.id;

import java.util.Arrays;
import java.util.SplittableRandom;
import java.util.function.Function;
import java.util.function.ToDoubleFunction;

/**
 * Seeded nonparametric bootstrap over points with percentile intervals. A resample of n points is
 * handed to the statistic as counts: {@code counts[i]} = how many times point i was drawn (they sum
 * to n), so statistics that are weighted sums, or that read presorted values, need no copying.
 * Same replicates and seed give the same resamples and so the same interval.
 */
public final class Bootstrap {

    public static final int DEFAULT_REPLICATES = 200;

    /** A percentile interval. */
    public record Interval(double low, double high) {}

    private final int replicates;
    private final long seed;

    public Bootstrap(int replicates, long seed) {
        if (replicates < 2) throw new IllegalArgumentException("need at least 2 bootstrap replicates, got " + replicates);
        this.replicates = replicates;
        this.seed = seed;
    }

    /** {@link #DEFAULT_REPLICATES} replicates, seed 0. */
    public Bootstrap() {
        this(DEFAULT_REPLICATES, 0L);
    }

    public int replicates() {
        return replicates;
    }

    public long seed() {
        return seed;
    }

    /** Percentile interval at {@code level} of a scalar statistic of n points. */
    public Interval interval(int n, ToDoubleFunction<int[]> statistic, double level) {
        return intervals(n, counts -> new double[] {statistic.applyAsDouble(counts)}, level)[0];
    }

    /** Percentile intervals of several statistics computed on the same resamples (one per output slot). */
    public Interval[] intervals(int n, Function<int[], double[]> statistics, double level) {
        Estimate.checkLevel(level);
        if (n < 1) throw new IllegalArgumentException("nothing to resample");
        SplittableRandom root = new SplittableRandom(seed);
        double[][] values = null;
        int[] counts = new int[n];
        for (int b = 0; b < replicates; b++) {
            SplittableRandom rng = root.split();
            Arrays.fill(counts, 0);
            for (int i = 0; i < n; i++) counts[rng.nextInt(n)]++;
            double[] s = statistics.apply(counts);
            if (values == null) values = new double[s.length][replicates];
            for (int j = 0; j < s.length; j++) values[j][b] = s[j];
        }
        Interval[] out = new Interval[values.length];
        for (int j = 0; j < out.length; j++) {
            Arrays.sort(values[j]);
            out[j] = new Interval(quantile(values[j], (1 - level) / 2), quantile(values[j], (1 + level) / 2));
        }
        return out;
    }

    /** Linear interpolation between order statistics (type 7, as numpy's default). */
    static double quantile(double[] sorted, double p) {
        double h = p * (sorted.length - 1);
        int lo = (int) Math.floor(h);
        int hi = Math.min(lo + 1, sorted.length - 1);
        return sorted[lo] + (h - lo) * (sorted[hi] - sorted[lo]);
    }
}
