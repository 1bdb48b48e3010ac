package dev.repgap.stats;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.SplittableRandom;
import java.util.function.ToDoubleFunction;
import org.junit.jupiter.api.Test;

class BootstrapTest {

    private static final double[] VALUES = new SplittableRandom(9).doubles(2000).toArray();

    private static final ToDoubleFunction<int[]> MEAN = counts -> {
        double s = 0;
        int n = 0;
        for (int i = 0; i < counts.length; i++) {
            s += counts[i] * VALUES[i];
            n += counts[i];
        }
        return s / n;
    };

    @Test
    void meanIsTheIntervalOfTheResampledMeans() {
        Measured m = new Bootstrap(300, 17).mean(VALUES, 0.9);
        Measured direct = new Bootstrap(300, 17).interval(java.util.Arrays.stream(VALUES).average().orElseThrow(),
                VALUES.length, MEAN, 0.9);
        assertEquals(direct.value(), m.value(), 1e-15);
        assertEquals(direct.low(), m.low(), 1e-15);
        assertEquals(direct.high(), m.high(), 1e-15);
        assertTrue(m.covers(0.5) && m.width() < 0.05, m.toString());
    }

    @Test
    void sameSeedSameInterval() {
        Measured a = new Bootstrap(300, 17).interval(0.5, VALUES.length, MEAN, 0.9);
        Measured b = new Bootstrap(300, 17).interval(0.5, VALUES.length, MEAN, 0.9);
        assertEquals(a, b);
        assertNotEquals(a, new Bootstrap(300, 18).interval(0.5, VALUES.length, MEAN, 0.9));
    }

    @Test
    void meanOfUniformsMatchesTheNormalInterval() {
        // Sample mean of 2000 U(0,1): sd 1/sqrt(12 * 2000); 90% half-width 1.645 sd = 0.01062.
        double mean = MEAN.applyAsDouble(ones(VALUES.length));
        Measured ci = new Bootstrap(2000, 3).interval(mean, VALUES.length, MEAN, 0.9);
        assertEquals(mean, ci.value(), 0);
        assertEquals(2 * 1.6449 / Math.sqrt(12 * 2000.0), ci.width(), 0.1 * 0.0212);
        assertEquals(mean, (ci.low() + ci.high()) / 2, 0.002);
    }

    @Test
    void resamplesHaveNPoints() {
        new Bootstrap(20, 1).interval(0, 37, counts -> {
            int n = 0;
            for (int c : counts) n += c;
            assertEquals(37, n);
            return 0;
        }, 0.5);
    }

    /** Replicate b resamples with the b-th split of a generator seeded with the seed: the same draws, written out here. */
    @Test
    void oneWayIntervalIsThePercentileIntervalOfTheSeededResamples() {
        int n = 50, replicates = 40;
        long seed = 12;
        double[] expected = new double[replicates];
        SplittableRandom root = new SplittableRandom(seed);
        for (int b = 0; b < replicates; b++) {
            SplittableRandom rng = root.split();
            double s = 0;
            for (int i = 0; i < n; i++) s += VALUES[rng.nextInt(n)];
            expected[b] = s / n;
        }
        Arrays.sort(expected);
        // 90%: quantiles 0.05 and 0.95 of 40 values, h = 1.95 and 37.05
        double low = expected[1] + 0.95 * (expected[2] - expected[1]);
        double high = expected[37] + 0.05 * (expected[38] - expected[37]);
        Measured m = new Bootstrap(replicates, seed).interval(7, n, counts -> {
            double s = 0;
            for (int i = 0; i < n; i++) s += counts[i] * VALUES[i];
            return s / n;
        }, 0.9);
        assertEquals(7, m.value(), 0);
        assertEquals(low, m.low(), 1e-14);
        assertEquals(high, m.high(), 1e-14);
    }

    @Test
    void severalStatisticsShareTheResamples() {
        Bootstrap bootstrap = new Bootstrap(100, 4);
        Measured[] both = bootstrap.intervals(new double[] {1, 2}, VALUES.length, counts -> {
            double m = MEAN.applyAsDouble(counts);
            return new double[] {m, 2 * m};
        }, 0.8);
        Measured alone = bootstrap.interval(1, VALUES.length, MEAN, 0.8);
        assertEquals(alone, both[0]);
        assertEquals(2 * alone.low(), both[1].low(), 1e-15);
        assertEquals(2 * alone.high(), both[1].high(), 1e-15);
        assertEquals(2, both[1].value(), 0);
        assertThrows(IllegalArgumentException.class, () -> bootstrap.intervals(new double[] {1}, 10, c -> new double[] {1, 2}, 0.8));
    }

    @Test
    void twoWayCountsSumToTheTableSidesAndFollowTheSeed() {
        Bootstrap.TwoWayResamples r = new Bootstrap(30, 5).twoWay(17, 4);
        assertEquals(30, r.replicates());
        for (int b = 0; b < 30; b++) {
            assertEquals(17, sum(r.rowCounts()[b]));
            assertEquals(4, sum(r.columnCounts()[b]));
        }
        Bootstrap.TwoWayResamples again = new Bootstrap(30, 5).twoWay(17, 4);
        assertTrue(Arrays.deepEquals(r.rowCounts(), again.rowCounts()) && Arrays.deepEquals(r.columnCounts(), again.columnCounts()));
        assertTrue(!Arrays.deepEquals(r.rowCounts(), new Bootstrap(30, 6).twoWay(17, 4).rowCounts()));
    }

    @Test
    void twoWayRowResamplesDoNotDependOnTheColumnCount() {
        Bootstrap.TwoWayResamples a = new Bootstrap(10, 8).twoWay(50, 1);
        Bootstrap.TwoWayResamples b = new Bootstrap(10, 8).twoWay(50, 8);
        assertTrue(Arrays.deepEquals(a.rowCounts(), b.rowCounts()));
        for (byte[] counts : a.columnCounts()) assertEquals(1, counts[0]);
    }

    /**
     * Over many resamples each row and each column is drawn Binomial(side, 1/side) times,
     * independently of each other: mean 1, variance 1 - 1/side, no correlation between a row's and a
     * column's count.
     */
    @Test
    void twoWayDrawsRowsAndColumnsUniformlyAndIndependently() {
        int rows = 6, columns = 5, replicates = 20000;
        Bootstrap.TwoWayResamples r = new Bootstrap(replicates, 2).twoWay(rows, columns);
        double rowSquares = 0, cross = 0;
        for (int b = 0; b < replicates; b++) {
            rowSquares += (r.rowCounts()[b][0] - 1.0) * (r.rowCounts()[b][0] - 1.0);
            cross += (r.rowCounts()[b][1] - 1.0) * (r.columnCounts()[b][2] - 1.0);
        }
        assertEquals(1 - 1.0 / rows, rowSquares / replicates, 0.03);
        assertEquals(0, cross / replicates, 0.03);
    }

    @Test
    void percentileIntervalIsTheQuantilesOfTheReplicates() {
        double[] replicates = {5, 1, 4, 2, 3}; // sorted 1..5; 0.9: quantiles 0.05 (h = 0.2) and 0.95 (h = 3.8)
        Measured m = Bootstrap.percentile(3.5, replicates, 0.9);
        assertEquals(new Measured(3.5, 1.2, 4.8), round(m));
        assertArrayEquals(new double[] {5, 1, 4, 2, 3}, replicates, 0);
        Measured nan = Bootstrap.percentile(2, new double[] {1, Double.NaN, 3}, 0.9);
        assertEquals(2, nan.value(), 0);
        assertTrue(Double.isNaN(nan.low()) && Double.isNaN(nan.high()), nan.toString());
        Measured unbounded = Bootstrap.percentile(2, new double[] {1, 2, Double.POSITIVE_INFINITY, Double.POSITIVE_INFINITY}, 0.5);
        assertEquals(Double.POSITIVE_INFINITY, unbounded.high());
        assertThrows(IllegalArgumentException.class, () -> Bootstrap.percentile(1, replicates, 1));
    }

    @Test
    void biasCorrectedBasicIntervalReflectsThePercentilesAroundTheValue() {
        // replicates 1..5: mean 3, quantiles 1.2 and 4.8 at 90%; value 2: corrected 2*2 - 3 = 1, [4 - 4.8, 4 - 1.2]
        Measured m = Bootstrap.biasCorrectedBasic(2, new double[] {3, 5, 1, 2, 4}, 0.9);
        assertEquals(new Measured(1, -0.8, 2.8), round(m));
    }

    private static Measured round(Measured m) {
        return new Measured(Math.round(m.value() * 1e12) / 1e12, Math.round(m.low() * 1e12) / 1e12, Math.round(m.high() * 1e12) / 1e12);
    }

    private static int sum(byte[] counts) {
        int n = 0;
        for (byte c : counts) n += c;
        return n;
    }

    private static int[] ones(int n) {
        int[] c = new int[n];
        Arrays.fill(c, 1);
        return c;
    }
}
