package dev.repgap.spectrum;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.repgap.generate.Manifold;
import dev.repgap.generate.ManifoldSampler;
import dev.repgap.stats.Measured;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class SampleParticipationRatioTest {
    @Test
    void agreesWithTheEigenvaluesOfTheSampleCovariance() {
        // Rows (0,0), (2,0), (0,1), (2,1): covariance diag(4/3, 1/3): PR = (5/3)^2 / (16/9 + 1/9) = 25/17.
        float[] rows = {0, 0, 2, 0, 0, 1, 2, 1};
        SampleParticipationRatio.Result pr = SampleParticipationRatio.withInterval(rows, ids(4), 2, 10, 0.9, 1);
        assertEquals(25.0 / 17, pr.plugIn(), 1e-12);
    }

    @Test
    void affineCubeGivesItsDimensionInsideTheInterval() {
        ManifoldSampler s = new ManifoldSampler(Manifold.AFFINE, 4, 12, 0, 3);
        int n = 3000;
        float[] rows = new float[n * 12];
        SplittableRandom rng = new SplittableRandom(4);
        for (int i = 0; i < n; i++) s.sample(rng, rows, i * 12);
        SampleParticipationRatio.Result a = SampleParticipationRatio.withInterval(rows, ids(n), 12, 100, 0.9, 7);
        Measured pr = a.pr();
        assertEquals(4, pr.value(), 0.1);
        assertTrue(pr.low() < pr.value() && pr.value() < pr.high() && pr.width() < 0.2, a.toString());
        assertTrue(pr.low() < 4 && 4 < pr.high() + 0.02, "the interval should reach the true 4: " + a);
        assertTrue(pr.value() > a.plugIn(), "the correction raises the plug-in value: " + a);
        assertEquals(a, SampleParticipationRatio.withInterval(rows, ids(n), 12, 100, 0.9, 7));
    }

    /** Ids 0 .. n-1. */
    private static long[] ids(int n) {
        return java.util.stream.LongStream.range(0, n).toArray();
    }
}
