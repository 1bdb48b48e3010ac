package dev.repgap.gap;

import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * Seeded two-way ("pigeonhole", Owen 2007) bootstrap over a queries x rankings table: each
 * replicate draws Q queries and, independently, R rankings with replacement, kept as counts, so
 * weighted sums need no copy of the data. The same seed gives the same resamples; resampling two
 * tables of the same shape with one {@link Resamples} pairs them.
 * It is never too narrow to first order; when the per-(query, ranking) noise dominates the query
 * and ranking effects its variance is up to 3 times the true one (intervals up to 1.7 times wide).
 */
final class TwoWayBootstrap {

    /**
     * All replicates: query q is drawn {@code queryCounts[b][q]} times in replicate b, ranking r
     * {@code rankingCounts[b][r]} times (bytes: a count above 127 has probability below 1e-200).
     */
    record Resamples(byte[][] queryCounts, byte[][] rankingCounts) {
        int replicates() {
            return queryCounts.length;
        }
    }

    private final int replicates;
    private final long seed;

    TwoWayBootstrap(int replicates, long seed) {
        if (replicates < 2) throw new IllegalArgumentException("need at least 2 bootstrap replicates, got " + replicates);
        this.replicates = replicates;
        this.seed = seed;
    }

    int replicates() {
        return replicates;
    }

    long seed() {
        return seed;
    }

    /** Draws every replicate's counts; queries first in each, so the query resamples do not depend on R. */
    Resamples resample(int queries, int rankings) {
        if (queries < 1 || rankings < 1) throw new IllegalArgumentException("nothing to resample");
        SplittableRandom root = new SplittableRandom(seed);
        byte[][] queryCounts = new byte[replicates][queries];
        byte[][] rankingCounts = new byte[replicates][rankings];
        for (int b = 0; b < replicates; b++) {
            SplittableRandom rng = root.split();
            draw(rng, queryCounts[b]);
            draw(rng, rankingCounts[b]);
        }
        return new Resamples(queryCounts, rankingCounts);
    }

    private static void draw(SplittableRandom rng, byte[] counts) {
        for (int i = 0; i < counts.length; i++) {
            int j = rng.nextInt(counts.length);
            if (counts[j]++ == Byte.MAX_VALUE) throw new IllegalStateException("a bootstrap count passed 127");
        }
    }

    /**
     * {@code value} with the percentile interval of its replicates at {@code level}
     * (NaN bounds if any replicate is NaN).
     */
    static Measured percentile(double value, double[] replicateValues, double level) {
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
