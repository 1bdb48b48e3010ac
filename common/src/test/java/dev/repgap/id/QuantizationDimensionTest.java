package dev.repgap.id;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class QuantizationDimensionTest {

    private static final int[] SIZES = {2, 4, 8, 16, 32, 64, 128, 256, 512, 1024};

    @Test
    void exactPowerLawGivesTheDimensionExactly() {
        for (double d : new double[] {1, 2.5, 7, 30}) {
            double[] costs = new double[SIZES.length];
            for (int i = 0; i < SIZES.length; i++) costs[i] = 0.37 * Math.pow(SIZES[i], -2 / d);
            Estimate e = new QuantizationDimension().estimate(SIZES, costs);
            assertEquals(d, e.value(), 1e-9 * d);
            assertEquals(d, e.ciLow(), 1e-6 * d);
            assertEquals(d, e.ciHigh(), 1e-6 * d);
            assertTrue(e.details().contains("R^2 1.000000"), e.details());
            assertEquals(SIZES.length, e.n());
        }
    }

    /** Zador with d = 1: K equal cells on [0, 1] cost 1/(12 K^2); scale = sqrt of that at K = 1024. */
    @Test
    void uniformSegment() {
        double[] costs = new double[SIZES.length];
        for (int i = 0; i < SIZES.length; i++) costs[i] = 1.0 / (12.0 * SIZES[i] * SIZES[i]);
        Estimate e = new QuantizationDimension().estimate(SIZES, costs);
        assertEquals(1, e.value(), 1e-12);
        assertEquals(1 / (Math.sqrt(12) * 1024), e.scale(), 1e-15);
    }

    @Test
    void noisyPowerLawWithinTolerance() {
        SplittableRandom rng = new SplittableRandom(5);
        int covered = 0;
        for (int rep = 0; rep < 20; rep++) {
            double[] costs = new double[SIZES.length];
            for (int i = 0; i < SIZES.length; i++) {
                double noise = Math.sqrt(-2 * Math.log(1 - rng.nextDouble())) * Math.cos(2 * Math.PI * rng.nextDouble());
                costs[i] = 2 * Math.pow(SIZES[i], -2 / 4.0) * Math.exp(0.03 * noise);
            }
            Estimate e = new QuantizationDimension().estimate(SIZES, costs);
            assertEquals(4, e.value(), 0.1 * 4, e.toString());
            assertTrue(e.ciLow() < e.value() && e.value() < e.ciHigh());
            if (e.covers(4)) covered++;
        }
        assertTrue(covered >= 15, "covered in " + covered + " of 20");
    }

    @Test
    void flatCostHasNoUpperBound() {
        Estimate e = new QuantizationDimension().estimate(new int[] {1, 2, 4, 8}, new double[] {1, 0.9, 1.0, 0.95});
        assertEquals(Double.POSITIVE_INFINITY, e.ciHigh());
    }
}
