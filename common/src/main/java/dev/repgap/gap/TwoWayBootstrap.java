package dev.repgap.gap;

import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * Seeded two-way ("pigeonhole", Owen 2007) bootstrap over a queries x rankings table: each
 * replicate draws Q queries and, independently, R rankings with replacement, and hands them to the
 * statistic as counts, so weighted sums need no copy of the data. The same seed gives the same
 * resamples, so two tables of the same shape resampled with one seed are paired.
 * It is never too narrow to first order; when the per-(query, ranking) noise dominates the query
 * and ranking effects its variance is up to 3 times the true one (intervals up to 1.7 times wide).
 */
public final class TwoWayBootstrap {

    /** One resample: query q drawn {@code queryCounts[q]} times, ranking r {@code rankingCounts[r]} times. */
    @FunctionalInterface
    public interface Replicate {
        void accept(int replicate, int[] queryCounts, int[] rankingCounts);
    }

    private final int replicates;
    private final long seed;

    public TwoWayBootstrap(int replicates, long seed) {
        if (replicates < 2) throw new IllegalArgumentException("need at least 2 bootstrap replicates, got " + replicates);
        this.replicates = replicates;
        this.seed = seed;
    }

    public int replicates() {
        return replicates;
    }

    public long seed() {
        return seed;
    }

    /** Calls {@code replicate} once per replicate, in order; the count arrays are reused between calls. */
    public void run(int queries, int rankings, Replicate replicate) {
        if (queries < 1 || rankings < 1) throw new IllegalArgumentException("nothing to resample");
        SplittableRandom root = new SplittableRandom(seed);
        int[] queryCounts = new int[queries];
        int[] rankingCounts = new int[rankings];
        for (int b = 0; b < replicates; b++) {
            SplittableRandom rng = root.split();
            Arrays.fill(queryCounts, 0);
            Arrays.fill(rankingCounts, 0);
            // queries first: the query resamples do not depend on R
            for (int i = 0; i < queries; i++) queryCounts[rng.nextInt(queries)]++;
            for (int i = 0; i < rankings; i++) rankingCounts[rng.nextInt(rankings)]++;
            replicate.accept(b, queryCounts, rankingCounts);
        }
    }

    /**
     * {@code value} with the percentile interval of its replicates at {@code level}
     * (NaN bounds if any replicate is NaN).
     */
    public static Measured percentile(double value, double[] replicateValues, double level) {
        checkLevel(level);
        double[] sorted = replicateValues.clone();
        Arrays.sort(sorted);
        if (sorted.length == 0 || Double.isNaN(sorted[sorted.length - 1])) return new Measured(value, Double.NaN, Double.NaN);
        return new Measured(value, quantile(sorted, (1 - level) / 2), quantile(sorted, (1 + level) / 2));
    }

    static void checkLevel(double level) {
        if (!(level > 0 && level < 1)) throw new IllegalArgumentException("confidence level must be in (0, 1), got " + level);
    }

    /** Linear interpolation between order statistics (type 7, numpy's default); exact at infinite order statistics. */
    static double quantile(double[] sorted, double p) {
        double h = p * (sorted.length - 1);
        int lo = (int) Math.floor(h);
        int hi = Math.min(lo + 1, sorted.length - 1);
        if (h == lo || sorted[lo] == sorted[hi]) return sorted[lo];
        return sorted[lo] + (h - lo) * (sorted[hi] - sorted[lo]);
    }
}
