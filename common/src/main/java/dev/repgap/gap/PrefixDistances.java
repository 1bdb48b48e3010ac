package dev.repgap.gap;

import dev.repgap.stats.Bootstrap;
import dev.repgap.stats.Quantiles;
import java.util.Arrays;

/**
 * What the gap scan produces: for each of Q test queries, each of R independent random rankings
 * of the training rows and each of G ascending prefix sizes {@code n[0] < ... < n[G-1]}, the
 * squared Euclidean distance from the query to its nearest training row among the first
 * {@code n[g]} rows of the ranking, at {@code squared[(q * R + r) * G + g]}.
 * Checked on construction; the arrays are held, not copied, so don't change them afterwards.
 */
public final class PrefixDistances {

    private static final int BLOCK_DOUBLES = 1 << 15;

    private final int queries;
    private final int rankings;
    private final long[] sizes;
    private final double[] squared;

    /**
     * @param sizes the prefix sizes n, strictly ascending, the first at least 1
     * @param squared Q * R * G squared distances, finite, >= 0 and non-increasing in g for each (q, r)
     */
    public PrefixDistances(int queries, int rankings, long[] sizes, double[] squared) {
        if (queries < 1 || rankings < 1) {
            throw new IllegalArgumentException("need at least one query and one ranking, got Q = " + queries + ", R = " + rankings);
        }
        int grid = sizes.length;
        if (grid < 1) throw new IllegalArgumentException("no prefix sizes");
        for (int g = 0; g < grid; g++) {
            if (g == 0 ? sizes[0] < 1 : sizes[g] <= sizes[g - 1]) {
                throw new IllegalArgumentException("prefix sizes must be ascending and >= 1: " + Arrays.toString(sizes));
            }
        }
        long expected = (long) queries * rankings * grid;
        if (squared.length != expected) {
            throw new IllegalArgumentException("expected Q * R * G = " + queries + " * " + rankings + " * " + grid + " = " + expected
                    + " squared distances, got " + squared.length);
        }
        for (int q = 0; q < queries; q++) {
            for (int r = 0; r < rankings; r++) {
                int base = (q * rankings + r) * grid;
                for (int g = 0; g < grid; g++) {
                    double s = squared[base + g];
                    if (!(s >= 0 && s < Double.POSITIVE_INFINITY) || (g > 0 && s > squared[base + g - 1])) {
                        throw new IllegalArgumentException("query " + q + ", ranking " + r + ", n = " + sizes[g] + ": squared distance " + s
                                + (g > 0 ? " after " + squared[base + g - 1] : "")
                                + "; distances must be finite, >= 0 and non-increasing in n");
                    }
                }
            }
        }
        this.queries = queries;
        this.rankings = rankings;
        this.sizes = sizes;
        this.squared = squared;
    }

    /** Q. */
    public int queries() {
        return queries;
    }

    /** R. */
    public int rankings() {
        return rankings;
    }

    /** G, the number of prefix sizes. */
    public int gridSize() {
        return sizes.length;
    }

    /** The prefix sizes n (a copy). */
    public long[] sizes() {
        return sizes.clone();
    }

    /** The squared distance from query q to its nearest row among the first n[g] of ranking r. */
    public double squared(int query, int ranking, int g) {
        return squared[(query * rankings + ranking) * sizes.length + g];
    }

    /** RG(n[g]) for every g: the mean squared distance over queries and rankings. */
    public double[] meanGap() {
        int grid = sizes.length;
        double[] sum = new double[grid];
        for (int i = 0; i < squared.length; i += grid) {
            for (int g = 0; g < grid; g++) sum[g] += squared[i + g];
        }
        double total = (double) queries * rankings;
        for (int g = 0; g < grid; g++) sum[g] /= total;
        return sum;
    }

    /** The mean gap of every bootstrap replicate, {@code [b][g]}. */
    double[][] meanGaps(Bootstrap.TwoWayResamples resamples) {
        if (resamples.rowCounts()[0].length != queries || resamples.columnCounts()[0].length != rankings) {
            throw new IllegalArgumentException("resamples of another shape");
        }
        int grid = sizes.length;
        int replicates = resamples.replicates();
        double[][] sum = new double[replicates][grid];
        double[] row = new double[grid];
        // a block of queries stays in cache while every replicate reads it: the data streams from memory once
        int block = Math.max(1, BLOCK_DOUBLES / (rankings * grid));
        for (int q0 = 0; q0 < queries; q0 += block) {
            int q1 = Math.min(queries, q0 + block);
            for (int b = 0; b < replicates; b++) {
                byte[] queryCounts = resamples.rowCounts()[b];
                byte[] rankingCounts = resamples.columnCounts()[b];
                double[] acc = sum[b];
                for (int q = q0; q < q1; q++) {
                    int cq = queryCounts[q];
                    if (cq == 0) continue;
                    Arrays.fill(row, 0);
                    for (int r = 0; r < rankings; r++) {
                        int cr = rankingCounts[r];
                        if (cr == 0) continue;
                        int base = (q * rankings + r) * grid;
                        for (int g = 0; g < grid; g++) row[g] += cr * squared[base + g];
                    }
                    for (int g = 0; g < grid; g++) acc[g] += cq * row[g];
                }
            }
        }
        double total = (double) queries * rankings;
        for (double[] acc : sum) {
            for (int g = 0; g < grid; g++) acc[g] /= total;
        }
        return sum;
    }

    /**
     * Quantiles of the nearest-neighbour distance (not squared) at each prefix size, pooled over
     * queries and rankings: {@code [g][j]} is quantile {@code probabilities[j]} at n[g] by the
     * {@link Quantiles} rule.
     */
    public double[][] distanceQuantiles(double... probabilities) {
        int grid = sizes.length;
        int count = queries * rankings;
        double[][] out = new double[grid][];
        double[] column = new double[count];
        for (int g = 0; g < grid; g++) {
            for (int i = 0; i < count; i++) column[i] = Math.sqrt(squared[i * grid + g]);
            out[g] = Quantiles.quantiles(column, probabilities);
        }
        return out;
    }
}
