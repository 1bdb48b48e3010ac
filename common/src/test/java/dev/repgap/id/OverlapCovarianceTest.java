package dev.repgap.id;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class OverlapCovarianceTest {

    @Test
    void handExampleCountsEachDependentPairOnce() {
        // c = (-2, -1, 1, 2), sum c^2 = 10. Points 0 and 1 share two rows (10 and 11): one pair, not two;
        // 2 and 3 share row 21; 1 and 2, 0 and 2, 0 and 3, 1 and 3 share nothing.
        double[] x = {1, 2, 4, 5};
        long[] supports = {10, 11, /**/ 11, 10, /**/ 20, 21, /**/ 21, 30};
        // 1 + 2 ((-2)(-1) + (1)(2)) / 10 = 1.8 (counting 0-1 twice would give 2.2).
        assertEquals(1.8, OverlapCovariance.inflation(x, supports, 2), 1e-15);
    }

    @Test
    void disjointSupportsGiveOne() {
        double[] x = {0.3, 1.7, 0.2, 0.9, 2.5};
        long[] supports = {0, 100, 1, 101, 2, 102, 3, 103, 4, 104};
        assertEquals(1.0, OverlapCovariance.inflation(x, supports, 2), 0.0);
    }

    @Test
    void identicalPairsDoubleTheVarianceAndOneSharedRowCancelsIt() {
        SplittableRandom rng = new SplittableRandom(3);
        int pairs = 500;
        double[] x = new double[2 * pairs];
        long[] supports = new long[3 * 2 * pairs];
        for (int k = 0; k < pairs; k++) {
            x[2 * k] = x[2 * k + 1] = rng.nextDouble();
            // Point 2k: itself, its twin, a row of its own; the twin likewise.
            supports[6 * k] = 2 * k;
            supports[6 * k + 1] = 2 * k + 1;
            supports[6 * k + 2] = 10_000 + 2 * k;
            supports[6 * k + 3] = 2 * k + 1;
            supports[6 * k + 4] = 2 * k;
            supports[6 * k + 5] = 10_000 + 2 * k + 1;
        }
        // Sum of N values in N/2 identical pairs: variance 2 x that of N independent ones.
        assertEquals(2.0, OverlapCovariance.inflation(x, supports, 3), 1e-12);
        // All points share row -1: every pair is dependent, and the centred values sum to 0.
        long[] shared = supports.clone();
        for (int p = 0; p < x.length; p++) shared[3 * p + 2] = -1;
        assertEquals(0.0, OverlapCovariance.inflation(x, shared, 3), 1e-12);
    }

    @Test
    void agreesWithAllPairsByDirectIntersection() {
        SplittableRandom rng = new SplittableRandom(7);
        for (int trial = 0; trial < 20; trial++) {
            int n = 2 + rng.nextInt(60);
            int width = 1 + rng.nextInt(4);
            double[] x = new double[n];
            long[] supports = new long[n * width];
            for (int p = 0; p < n; p++) x[p] = rng.nextDouble() * 3;
            // Rows from a small range, large negative ids included: many overlaps, some repeats within a support.
            for (int i = 0; i < supports.length; i++) supports[i] = (rng.nextInt(3 * n) - n) * 0x1_0000_0001L;
            double mean = 0;
            for (double v : x) mean += v / n;
            double own = 0, cross = 0;
            for (int p = 0; p < n; p++) {
                own += (x[p] - mean) * (x[p] - mean);
                for (int q = p + 1; q < n; q++) {
                    if (meet(supports, p, q, width)) cross += (x[p] - mean) * (x[q] - mean);
                }
            }
            assertEquals((own + 2 * cross) / own, OverlapCovariance.inflation(x, supports, width), 1e-9, "trial " + trial);
        }
    }

    private static boolean meet(long[] supports, int p, int q, int width) {
        for (int i = 0; i < width; i++) {
            for (int j = 0; j < width; j++) {
                if (supports[p * width + i] == supports[q * width + j]) return true;
            }
        }
        return false;
    }

    @Test
    void constantValuesHaveNothingToInflateAndShapesAreChecked() {
        assertEquals(1.0, OverlapCovariance.inflation(new double[] {2, 2, 2}, new long[] {1, 1, 1}, 1), 0.0);
        assertThrows(IllegalArgumentException.class, () -> OverlapCovariance.inflation(new double[] {1, 2}, new long[] {1, 2, 3}, 2));
    }
}
