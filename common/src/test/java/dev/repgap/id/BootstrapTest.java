package dev.repgap.id;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

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
    void sameSeedSameInterval() {
        Bootstrap.Interval a = new Bootstrap(300, 17).interval(VALUES.length, MEAN, 0.9);
        Bootstrap.Interval b = new Bootstrap(300, 17).interval(VALUES.length, MEAN, 0.9);
        assertEquals(a, b);
        assertNotEquals(a, new Bootstrap(300, 18).interval(VALUES.length, MEAN, 0.9));
    }

    @Test
    void meanOfUniformsMatchesTheNormalInterval() {
        // Sample mean of 2000 U(0,1): sd 1/sqrt(12 * 2000); 90% half-width 1.645 sd = 0.01062.
        Bootstrap.Interval ci = new Bootstrap(2000, 3).interval(VALUES.length, MEAN, 0.9);
        assertEquals(2 * 1.6449 / Math.sqrt(12 * 2000.0), ci.high() - ci.low(), 0.1 * 0.0212);
        assertEquals(MEAN.applyAsDouble(ones()), (ci.low() + ci.high()) / 2, 0.002);
    }

    @Test
    void resamplesHaveNPoints() {
        new Bootstrap(20, 1).interval(37, counts -> {
            int n = 0;
            for (int c : counts) n += c;
            assertEquals(37, n);
            return 0;
        }, 0.5);
    }

    @Test
    void quantileInterpolatesLikeNumpy() {
        double[] sorted = {1, 2, 4, 8};
        assertEquals(1, Bootstrap.quantile(sorted, 0), 0);
        assertEquals(3, Bootstrap.quantile(sorted, 0.5), 1e-15);
        assertEquals(8, Bootstrap.quantile(sorted, 1), 0);
        assertEquals(6.8, Bootstrap.quantile(sorted, 0.9), 1e-12);
    }

    private static int[] ones() {
        int[] c = new int[VALUES.length];
        java.util.Arrays.fill(c, 1);
        return c;
    }
}
