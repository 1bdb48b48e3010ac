package dev.repgap.gap;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.repgap.stats.Bootstrap;
import java.util.Arrays;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class PrefixDistancesTest {

    private static final long[] GRID = {10, 100, 1000, 10_000};

    /** Q queries x R rankings with ties (values rounded to a coarse grid) and zeros. */
    private static PrefixDistances data(int queries, int rankings, long seed) {
        SplittableRandom rng = new SplittableRandom(seed);
        double[] squared = new double[queries * rankings * GRID.length];
        for (int i = 0; i < squared.length; i += GRID.length) {
            double s = Math.floor(rng.nextDouble() * 20) / 4;
            for (int g = 0; g < GRID.length; g++) {
                squared[i + g] = s;
                s = Math.floor(s * rng.nextDouble() * 8) / 8;
            }
        }
        return new PrefixDistances(queries, rankings, GRID, squared);
    }

    @Test
    void quantilesBySelectionMatchQuantilesOfTheSortedDistances() {
        for (int queries : new int[] {1, 2, 7, 300}) {
            PrefixDistances d = data(queries, 3, queries);
            double[] p = {0.9, 0.1, 0.5, 0, 1, 0.37};
            double[][] q = d.distanceQuantiles(p);
            for (int g = 0; g < GRID.length; g++) {
                double[] column = new double[queries * 3];
                for (int i = 0; i < column.length; i++) column[i] = Math.sqrt(d.squared(i / 3, i % 3, g));
                Arrays.sort(column);
                for (int j = 0; j < p.length; j++) {
                    double h = p[j] * (column.length - 1);
                    int lo = (int) Math.floor(h);
                    double expected = column[lo] + (h - lo) * (column[Math.min(lo + 1, column.length - 1)] - column[lo]);
                    assertEquals(expected, q[g][j], 1e-15, "Q = " + queries + ", g = " + g + ", p = " + p[j]);
                }
            }
        }
    }

    /** The counts-weighted means against the mean of the resampled table written out in full. */
    @Test
    void replicateMeansAreTheMeansOfTheResampledTables() {
        int queries = 37, rankings = 5;
        PrefixDistances d = data(queries, rankings, 11);
        Bootstrap.TwoWayResamples resamples = new Bootstrap(20, 3).twoWay(queries, rankings);
        double[][] means = d.meanGaps(resamples);
        for (int b = 0; b < 20; b++) {
            int[] qs = expand(resamples.rowCounts()[b]), rs = expand(resamples.columnCounts()[b]);
            assertEquals(queries, qs.length);
            assertEquals(rankings, rs.length);
            double[] expected = new double[GRID.length];
            for (int q : qs) {
                for (int r : rs) {
                    for (int g = 0; g < GRID.length; g++) expected[g] += d.squared(q, r, g) / (queries * rankings);
                }
            }
            assertArrayEquals(expected, means[b], 1e-12);
        }
        double[] plain = d.meanGap();
        for (int g = 0; g < GRID.length; g++) {
            double s = 0;
            for (int q = 0; q < queries; q++) for (int r = 0; r < rankings; r++) s += d.squared(q, r, g);
            assertEquals(s / (queries * rankings), plain[g], 1e-12);
        }
    }

    private static int[] expand(byte[] counts) {
        int n = 0;
        for (byte c : counts) n += c;
        int[] out = new int[n];
        int i = 0;
        for (int j = 0; j < counts.length; j++) for (int c = 0; c < counts[j]; c++) out[i++] = j;
        return out;
    }
}
