package dev.repgap.gap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class GapLawTest {

    @Test
    void uniformConstantsMatchTheTorusSimulationsOfMathMd() {
        double[] d = {1, 2, 3, 5, 8};
        double[] expected = {0.5000, 0.3183, 0.3474, 0.4566, 0.6386};
        for (int i = 0; i < d.length; i++) assertEquals(expected[i], GapLaw.uniformConstant(d[i]), 5e-5, "d = " + d[i]);
        // closed forms: d = 1 gives Gamma(3) / 2^2, d = 2 gives 1 / pi
        assertEquals(0.5, GapLaw.uniformConstant(1), 1e-14);
        assertEquals(1 / Math.PI, GapLaw.uniformConstant(2), 1e-14);
    }

    @Test
    void unitBallVolumesAreTheClosedForms() {
        assertEquals(2, GapLaw.unitBallVolume(1), 1e-13);
        assertEquals(Math.PI, GapLaw.unitBallVolume(2), 1e-13);
        assertEquals(4 * Math.PI / 3, GapLaw.unitBallVolume(3), 1e-13);
        assertEquals(Math.PI * Math.PI / 2, GapLaw.unitBallVolume(4), 1e-13);
    }

    @Test
    void fitRecoversAnExactLineAndItsInverse() {
        long[] n = {100, 1000, 10_000, 100_000};
        double[] gap = new double[n.length];
        for (int g = 0; g < n.length; g++) gap[g] = 0.7 * Math.pow(n[g], -2 / 3.0);
        GapLaw law = GapLaw.fit(n, gap, 0, n.length);
        assertEquals(3, law.dimension(), 1e-12);
        assertEquals(0.7, law.constant(), 1e-12);
        assertEquals(0.7 * Math.pow(2e6, -2 / 3.0), law.gapAt(2e6), 1e-12 * law.gapAt(2e6));
        for (double m : new double[] {2, 5e4, 2e6, 1e9}) assertEquals(m, law.sizeFor(law.gapAt(m)), 1e-9 * m);
        assertEquals(Math.pow(0.7 / 1e-3, 1.5), law.sizeFor(1e-3), 1e-6);
    }

    @Test
    void aFlatOrRisingCurveHasInfiniteDimensionAndNoReachableTarget() {
        GapLaw flat = new GapLaw(0, Math.log(0.2));
        assertEquals(Double.POSITIVE_INFINITY, flat.dimension());
        assertEquals(Double.POSITIVE_INFINITY, flat.sizeFor(0.1));
        assertEquals(Double.POSITIVE_INFINITY, new GapLaw(0.3, 0).dimension());
        assertThrows(IllegalArgumentException.class, () -> flat.sizeFor(0));
    }
}
