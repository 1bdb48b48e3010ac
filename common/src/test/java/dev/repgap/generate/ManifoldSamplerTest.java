package dev.repgap.generate;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.repgap.spectrum.CovarianceSpectrum;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class ManifoldSamplerTest {

    private static float[] draw(ManifoldSampler s, int n, long seed) {
        float[] out = new float[n * s.ambient()];
        SplittableRandom rng = new SplittableRandom(seed);
        for (int i = 0; i < n; i++) s.sample(rng, out, i * s.ambient());
        return out;
    }

    /** Sample covariance of n rows of width d, column-major. */
    private static double[] covariance(float[] x, int n, int d) {
        double[] mean = new double[d];
        for (int i = 0; i < n; i++) for (int j = 0; j < d; j++) mean[j] += x[i * d + j] / (double) n;
        double[] c = new double[d * d];
        for (int i = 0; i < n; i++) {
            for (int a = 0; a < d; a++) {
                double xa = x[i * d + a] - mean[a];
                for (int b = 0; b < d; b++) c[b * d + a] += xa * (x[i * d + b] - mean[b]) / (n - 1);
            }
        }
        return c;
    }

    @Test
    void torusFactorsAreCirclesOfCircumferenceOne() {
        ManifoldSampler s = new ManifoldSampler(Manifold.TORUS, 3, 6, 0, 1);
        float[] x = draw(s, 200, 2);
        for (int i = 0; i < 200; i++) {
            for (int f = 0; f < 3; f++) {
                double a = x[i * 6 + 2 * f], b = x[i * 6 + 2 * f + 1];
                assertEquals(1 / (2 * Math.PI), Math.hypot(a, b), 1e-6);
            }
        }
    }

    @Test
    void rotatedTorusKeepsPairwiseDistances() {
        ManifoldSampler flat = new ManifoldSampler(Manifold.TORUS, 2, 4, 0, 1);
        ManifoldSampler rotated = new ManifoldSampler(Manifold.TORUS, 2, 30, 0, 1);
        float[] a = draw(flat, 50, 9);
        float[] b = draw(rotated, 50, 9);
        for (int i = 1; i < 50; i++) {
            double da = 0, db = 0;
            for (int j = 0; j < 4; j++) da += Math.pow(a[i * 4 + j] - a[j], 2);
            for (int j = 0; j < 30; j++) db += Math.pow(b[i * 30 + j] - b[j], 2);
            assertEquals(da, db, 1e-6);
        }
    }

    @Test
    void sphereIsUnitAndCentred() {
        ManifoldSampler s = new ManifoldSampler(Manifold.SPHERE, 2, 3, 0, 1);
        int n = 20000;
        float[] x = draw(s, n, 3);
        double[] mean = new double[3];
        for (int i = 0; i < n; i++) {
            double norm = 0;
            for (int j = 0; j < 3; j++) {
                norm += x[i * 3 + j] * (double) x[i * 3 + j];
                mean[j] += x[i * 3 + j] / (double) n;
            }
            assertEquals(1.0, Math.sqrt(norm), 1e-6);
        }
        // The mean of a uniform point on S^2 has standard deviation 1/sqrt(3n) per coordinate.
        for (double m : mean) assertTrue(Math.abs(m) < 5 / Math.sqrt(3.0 * n), "mean " + m);
    }

    @Test
    void affineCubeHasDEqualEigenvaluesOfOneTwelfth() {
        ManifoldSampler s = new ManifoldSampler(Manifold.AFFINE, 5, 50, 0, 7);
        int n = 20000;
        CovarianceSpectrum spectrum = CovarianceSpectrum.ofSymmetric(covariance(draw(s, n, 8), n, 50), 50);
        assertEquals(5, spectrum.rank());
        for (double l : spectrum.top(5)) assertEquals(1 / 12.0, l, 0.05 / 12);
        assertEquals(5, spectrum.participationRatio(), 0.05);
    }

    @Test
    void gaussianNoiseAddsVarianceInEveryDirection() {
        ManifoldSampler s = new ManifoldSampler(Manifold.GAUSSIAN, 2, 6, 0.1, 7);
        int n = 20000;
        double[] lambda = CovarianceSpectrum.ofSymmetric(covariance(draw(s, n, 8), n, 6), 6).eigenvalues();
        assertEquals(1.01, lambda[0], 0.05);
        assertEquals(1.01, lambda[1], 0.05);
        for (int i = 2; i < 6; i++) assertEquals(0.01, lambda[i], 0.001);
    }

    @Test
    void sameSeedSameBitsDifferentSeedDifferentPoints() {
        ManifoldSampler a = new ManifoldSampler(Manifold.SWISSROLL, 2, 10, 0.01, 5);
        ManifoldSampler b = new ManifoldSampler(Manifold.SWISSROLL, 2, 10, 0.01, 5);
        assertArrayEquals(draw(a, 100, 1), draw(b, 100, 1));
        float[] other = draw(new ManifoldSampler(Manifold.SWISSROLL, 2, 10, 0.01, 6), 100, 1);
        assertTrue(other[0] != draw(a, 100, 1)[0]);
    }

    @Test
    void rejectsImpossibleShapes() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new ManifoldSampler(Manifold.TORUS, 3, 5, 0, 1));
        assertTrue(e.getMessage().contains("at least 6"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new ManifoldSampler(Manifold.SWISSROLL, 3, 3, 0, 1));
        assertThrows(IllegalArgumentException.class, () -> new ManifoldSampler(Manifold.SPHERE, 0, 3, 0, 1));
        assertThrows(IllegalArgumentException.class, () -> new ManifoldSampler(Manifold.SPHERE, 2, 3, -1, 1));
        assertThrows(IllegalArgumentException.class, () -> Manifold.parse("klein"));
        assertEquals(Manifold.TORUS, Manifold.parse("Torus"));
    }
}
