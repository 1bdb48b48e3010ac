package dev.repgap.compression;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.repgap.generate.OrthonormalFrame;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class JacobianSpectrumTest {

    /** The closed forms at s = (3, 2, 1, 0.5). */
    @Test
    void quantitiesOfKnownSingularValues() {
        JacobianSpectrum.Quantities q = JacobianSpectrum.quantities(new double[] {9, 4, 1, 0.25}, 3);
        assertEquals(3, q.mls(), 1e-15);
        assertEquals(Math.log(6), q.logVolume(), 1e-15);
        assertEquals(3, q.volumeRank());
        assertEquals(14.25 * 14.25 / (81 + 16 + 1 + 0.0625), q.localDim(), 1e-14);
        assertEquals(2.070746, q.localDim(), 1e-6);
        assertEquals(14.25, q.frobenius2(), 1e-14);
        JacobianSpectrum.Quantities short2 = JacobianSpectrum.quantities(new double[] {4, 0}, 3);
        assertEquals(2, short2.volumeRank());
        assertEquals(Double.NEGATIVE_INFINITY, short2.logVolume());
        assertEquals(1, short2.localDim(), 0);
        assertEquals(Double.NaN, JacobianSpectrum.quantities(new double[] {0, 0}, 1).localDim());
    }

    /** Two copies: one direction, the squared half-difference times 2 over sigma^2. */
    @Test
    void twoCopiesHaveOneEigenvalue() {
        double[] copies = {1, 2, 3, 1.5, 1, 3};
        double[] s2 = JacobianSpectrum.squaredSingularValues(copies, 2, 3, 0.5);
        assertEquals(1, s2.length);
        assertEquals((0.25 + 1) / 2 / 0.25, s2[0], 1e-14);
    }

    /**
     * Both paths (M x M Gram when M <= D, D x D scatter otherwise) against the sample covariance computed here
     * entry by entry: the eigenvalues' sum is its trace and their squares' sum its squared Frobenius norm.
     */
    @Test
    void eigenvaluesMatchTheCovarianceTraceAndFrobeniusNorm() {
        for (int[] shape : new int[][] {{5, 8}, {8, 5}, {6, 6}, {40, 3}}) {
            int m = shape[0], d = shape[1];
            SplittableRandom rng = new SplittableRandom(m * 31L + d);
            double[] x = new double[m * d];
            for (int i = 0; i < x.length; i++) x[i] = 5 + rng.nextGaussian() * (1 + i % d);
            double sigma = 0.3;
            double[] s2 = JacobianSpectrum.squaredSingularValues(x, m, d, sigma);
            assertEquals(Math.min(m - 1, d), s2.length);
            double[][] cov = covariance(x, m, d);
            double trace = 0, frobenius = 0;
            for (int a = 0; a < d; a++) {
                trace += cov[a][a];
                for (int b = 0; b < d; b++) frobenius += cov[a][b] * cov[a][b];
            }
            double sum = 0, squares = 0;
            for (int k = 0; k < s2.length; k++) {
                if (k > 0) assertEquals(true, s2[k] <= s2[k - 1]);
                sum += s2[k] * sigma * sigma;
                squares += Math.pow(s2[k] * sigma * sigma, 2);
            }
            assertEquals(trace, sum, 1e-12 * trace, "trace, M = " + m + ", D = " + d);
            assertEquals(frobenius, squares, 1e-12 * frobenius, "Frobenius, M = " + m + ", D = " + d);
        }
    }

    /** Transposing the roles of M and D: the copies' Gram and scatter paths give the same eigenvalues. */
    @Test
    void gramAndScatterPathsAgree() {
        SplittableRandom rng = new SplittableRandom(3);
        int m = 7, d = 7;
        double[] x = new double[m * d];
        for (int i = 0; i < x.length; i++) x[i] = rng.nextGaussian();
        double[] square = JacobianSpectrum.squaredSingularValues(x, m, d, 1);
        // The same copies with one extra zero coordinate take the Gram path (M = 7 <= D = 8).
        double[] wider = new double[m * (d + 1)];
        for (int i = 0; i < m; i++) System.arraycopy(x, i * d, wider, i * (d + 1), d);
        double[] gram = JacobianSpectrum.squaredSingularValues(wider, m, d + 1, 1);
        assertArrayEquals(square, java.util.Arrays.copyOf(gram, square.length), 1e-12);
    }

    /** f(x) = A x, A = U diag(3, 2, 1, 0.5) V^T from R^10 to R^4, M = 5000 copies at sigma = 0.01 of 4 inputs. */
    @Test
    void linearMapRecoversItsSingularValues() {
        double[] a = OrthonormalFrame.withSingularValues(new double[] {3, 2, 1, 0.5}, 10, new SplittableRandom(11));
        SplittableRandom rng = new SplittableRandom(12);
        double mls = 0, volume = 0, dim = 0, fro = 0;
        int sources = 4, m = 5000;
        for (int s = 0; s < sources; s++) {
            double[] x = new double[10];
            for (int j = 0; j < 10; j++) x[j] = rng.nextGaussian();
            double[] copies = copiesOf(a, 4, x, m, 0.01, rng);
            JacobianSpectrum.Quantities q = JacobianSpectrum.quantities(JacobianSpectrum.squaredSingularValues(copies, m, 4, 0.01), 3);
            mls += q.mls() / sources;
            volume += q.logVolume() / sources;
            dim += q.localDim() / sources;
            fro += q.frobenius2() / sources;
        }
        assertEquals(3, mls, 0.01 * 3);
        assertEquals(Math.log(6), volume, 0.02 * Math.log(6));
        assertEquals(2.070746, dim, 0.01 * 2.070746);
        assertEquals(14.25, fro, 0.02 * 14.25);
    }

    @Test
    void refusesBadArguments() {
        assertThrows(IllegalArgumentException.class, () -> JacobianSpectrum.squaredSingularValues(new double[] {1, 2}, 1, 2, 1));
        assertThrows(IllegalArgumentException.class, () -> JacobianSpectrum.squaredSingularValues(new double[4], 2, 2, 0));
        assertThrows(IllegalArgumentException.class, () -> JacobianSpectrum.squaredSingularValues(new double[3], 2, 2, 1));
        assertThrows(IllegalArgumentException.class, () -> JacobianSpectrum.quantities(new double[] {1}, 0));
    }

    /** M rows A (x + sigma e_m), row-major M x q. */
    static double[] copiesOf(double[] a, int q, double[] x, int m, double sigma, SplittableRandom rng) {
        int p = x.length;
        double[] out = new double[m * q];
        double[] z = new double[p];
        for (int c = 0; c < m; c++) {
            for (int j = 0; j < p; j++) z[j] = x[j] + sigma * rng.nextGaussian();
            for (int i = 0; i < q; i++) {
                double sum = 0;
                for (int j = 0; j < p; j++) sum += a[i * p + j] * z[j];
                out[c * q + i] = sum;
            }
        }
        return out;
    }

    private static double[][] covariance(double[] x, int m, int d) {
        double[] mean = new double[d];
        for (int i = 0; i < m; i++) for (int j = 0; j < d; j++) mean[j] += x[i * d + j] / m;
        double[][] c = new double[d][d];
        for (int i = 0; i < m; i++) {
            for (int a = 0; a < d; a++) {
                for (int b = 0; b < d; b++) c[a][b] += (x[i * d + a] - mean[a]) * (x[i * d + b] - mean[b]) / (m - 1);
            }
        }
        return c;
    }
}
