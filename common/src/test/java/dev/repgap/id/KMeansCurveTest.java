package dev.repgap.id;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class KMeansCurveTest {
    @Test
    void gridStopsAtTwentyRowsPerCentre() {
        assertArrayEquals(new int[] {4, 8, 16, 32, 64, 128, 256}, KMeansCurve.grid(60000, 256));
        assertArrayEquals(new int[] {4, 8, 16}, KMeansCurve.grid(639, 256));
        assertArrayEquals(new int[] {}, KMeansCurve.grid(79, 256));
    }

    /** Uniform points in a unit square, embedded in R^5: the cost falls as K^-1 (d = 2). */
    @Test
    void squareGivesDimensionTwoAndTheSameCurveEveryTime() {
        int n = 4000, dim = 5;
        float[] rows = new float[n * dim];
        SplittableRandom rng = new SplittableRandom(8);
        for (int i = 0; i < n; i++) {
            double u = rng.nextDouble(), v = rng.nextDouble();
            rows[i * dim] = (float) (10 + 0.6 * u + 0.8 * v); // an orthonormal frame, off the origin
            rows[i * dim + 1] = (float) (0.8 * u - 0.6 * v);
        }
        int[] ks = KMeansCurve.grid(n, 128);
        KMeansCurve.Curve c = KMeansCurve.fit(rows, dim, ks, 3);
        // Zador for d = 2: K cost -> 5 / (18 sqrt 3) = 0.160 for the optimal (hexagonal) quantizer; the
        // cost on the 31 rows per centre it was fitted to reads a little lower (0.152 measured)
        double scaled = c.costPerPoint()[ks.length - 1] * ks[ks.length - 1];
        assertTrue(scaled > 0.14 && scaled < 0.19, "K x cost at K = 128: " + scaled);
        Estimate e = new QuantizationDimension().estimate(c.k(), c.costPerPoint());
        assertEquals(2, e.value(), 0.2, e.toString());
        KMeansCurve.Curve again = KMeansCurve.fit(rows, dim, ks, 3);
        assertArrayEquals(c.costPerPoint(), again.costPerPoint(), 0);
        assertArrayEquals(c.iterations(), again.iterations());
    }
}
