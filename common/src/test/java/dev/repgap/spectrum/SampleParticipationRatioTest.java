package dev.repgap.spectrum;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.repgap.generate.Manifold;
import dev.repgap.generate.ManifoldSampler;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class SampleParticipationRatioTest {
    @Test
    void agreesWithTheEigenvaluesOfTheSampleCovariance() {
        // Rows (0,0), (2,0), (0,1), (2,1): covariance diag(4/3, 1/3): PR = (5/3)^2 / (16/9 + 1/9) = 25/17.
        float[] rows = {0, 0, 2, 0, 0, 1, 2, 1};
        double[] pr = SampleParticipationRatio.withInterval(rows, 2, 10, 0.9, 1);
        assertEquals(25.0 / 17, pr[3], 1e-12);
    }

    @Test
    void affineCubeGivesItsDimensionInsideTheInterval() {
        ManifoldSampler s = new ManifoldSampler(Manifold.AFFINE, 4, 12, 0, 3);
        int n = 3000;
        float[] rows = new float[n * 12];
        SplittableRandom rng = new SplittableRandom(4);
        for (int i = 0; i < n; i++) s.sample(rng, rows, i * 12);
        double[] a = SampleParticipationRatio.withInterval(rows, 12, 100, 0.9, 7);
        assertEquals(4, a[0], 0.1);
        assertTrue(a[1] < a[0] && a[0] < a[2] && a[2] - a[1] < 0.2, java.util.Arrays.toString(a));
        assertTrue(a[1] < 4 && 4 < a[2] + 0.02, "the interval should reach the true 4: " + java.util.Arrays.toString(a));
        assertTrue(a[0] > a[3], "the correction raises the plug-in value: " + java.util.Arrays.toString(a));
        assertArrayEquals(a, SampleParticipationRatio.withInterval(rows, 12, 100, 0.9, 7));
    }
}
