package dev.repgap.alignment;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.repgap.linalg.SymmetricEigen;
import dev.repgap.stats.Moments;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class GramAlignmentTest {

    /** n rows of p features, float-valued (as rows arrive), and q residual outputs. */
    private record Data(int n, int p, int q, float[][] x, double[][] r) {
        static Data gaussian(int n, int p, int q, long seed) {
            SplittableRandom rnd = new SplittableRandom(seed);
            float[][] x = new float[n][p];
            double[][] r = new double[n][q];
            for (int i = 0; i < n; i++) {
                for (int j = 0; j < p; j++) x[i][j] = (float) rnd.nextGaussian();
                for (int k = 0; k < q; k++) r[i][k] = rnd.nextGaussian() + 0.5;
            }
            return new Data(n, p, q, x, r);
        }

        /** Moments filled in {@code parts} pieces and merged. */
        Moments moments(int parts) {
            Moments all = null;
            for (int part = 0; part < parts; part++) {
                Moments m = Moments.of(p, q);
                for (int i = part; i < n; i += parts) m.addRow(x[i], r[i]);
                all = all == null ? m : all.addAll(m);
            }
            return all;
        }

        /** The n x n Gram {@code Phi Phi^T}. */
        double[] gram() {
            double[] g = new double[n * n];
            for (int i = 0; i < n; i++) {
                for (int j = 0; j < n; j++) {
                    double s = 0;
                    for (int k = 0; k < p; k++) s += (double) x[i][k] * x[j][k];
                    g[i * n + j] = s;
                }
            }
            return g;
        }
    }

    @Test
    void residualOnTheTopAndBottomEigenvectors() {
        Data d = Data.gaussian(6, 9, 1, 3);
        SymmetricEigen e = SymmetricEigen.of(d.gram(), d.n);
        double[] u = e.vectors();
        double[][] r = new double[d.n][1];
        for (int i = 0; i < d.n; i++) r[i][0] = u[i] + 2 * u[(d.n - 1) * d.n + i]; // u_1 + 2 u_n
        Data withR = new Data(d.n, d.p, 1, d.x, r);
        GramAlignment a = GramAlignment.of(withR.moments(1));
        assertEquals(d.n, a.rank());
        assertEquals(0.2, a.energyTop(1), 1e-12);
        assertEquals(0.8, a.energyBottom(1.0 / d.n), 1e-12);
        assertEquals(1, a.bottomCount(1.0 / d.n));
        assertEquals(0.0, a.outsideSpan(), 1e-12);
        assertEquals(1.0, a.energyTop(d.n), 1e-12);
        double[] mu = e.values();
        assertEquals((mu[0] + 4 * mu[d.n - 1]) / (5.0 * d.n), a.weightedEigenvalue(), 1e-12 * mu[0]);
    }

    /** The p x p route against the n x n Gram decomposed directly, for p below, equal to and above n, moments in parts. */
    @Test
    void equalsDirectGramDecomposition() {
        for (int[] shape : new int[][] {{14, 5, 1}, {9, 9, 3}, {7, 12, 2}}) {
            Data d = Data.gaussian(shape[0], shape[1], shape[2], 17 + shape[1]);
            int n = d.n;
            SymmetricEigen e = SymmetricEigen.of(d.gram(), n);
            double[] values = e.values(), u = e.vectors();
            double total = 0;
            for (double[] row : d.r) for (double v : row) total += v * v;
            int rank = Math.min(n, d.p);
            double[] energy = new double[rank];
            double inSpan = 0, rgr = 0;
            for (int k = 0; k < rank; k++) {
                for (int j = 0; j < d.q; j++) {
                    double s = 0;
                    for (int i = 0; i < n; i++) s += u[k * n + i] * d.r[i][j];
                    energy[k] += s * s;
                    rgr += values[k] * s * s;
                }
                inSpan += energy[k];
            }
            for (int parts : new int[] {1, 3, 7}) {
                GramAlignment a = GramAlignment.of(d.moments(parts));
                String at = "shape " + java.util.Arrays.toString(shape) + " parts " + parts;
                assertEquals(rank, a.rank(), at);
                double[] mu = a.eigenvalues(), en = a.energy(), al = a.alignment();
                for (int k = 0; k < rank; k++) {
                    assertEquals(values[k], mu[k], 1e-9 * values[0], "eigenvalue " + k + " " + at);
                    assertEquals(energy[k], en[k], 1e-9 * total, "energy " + k + " " + at);
                    assertEquals(energy[k] / total, al[k], 1e-9, "alignment " + k + " " + at);
                }
                assertEquals(total, a.residualEnergy(), 1e-9 * total, at);
                assertEquals((total - inSpan) / total, a.outsideSpan(), 1e-9, at);
                assertEquals(rgr / (n * total), a.weightedEigenvalue(), 1e-9 * values[0] / n, at);
                double bottom = 0;
                int b = a.bottomCount(0.3);
                for (int k = rank - b; k < rank; k++) bottom += energy[k];
                assertEquals(bottom / total, a.energyBottom(0.3), 1e-9, at);
                assertEquals((energy[0] + energy[1]) / total, a.energyTop(2), 1e-9, at);
            }
        }
    }

    /** Gradient descent with a small step on the linear model f = Phi w against the predicted loss at t = step x steps. */
    @Test
    void trainLossMatchesGradientDescent() {
        int n = 10, p = 4, q = 2;
        Data d = Data.gaussian(n, p, q, 5);
        float[][] x = new float[n][p];
        for (int i = 0; i < n; i++) for (int k = 0; k < p; k++) x[i][k] = d.x[i][k] * 0.35f; // mu / n about 1 at most
        Data s = new Data(n, p, q, x, d.r);
        GramAlignment a = GramAlignment.of(s.moments(1));
        double eta = 1e-6;
        double[][] res = new double[n][q];
        for (int i = 0; i < n; i++) res[i] = d.r[i].clone();
        double[] grad = new double[p];
        int steps = 0;
        for (double t : new double[] {0.5, 2, 6}) {
            int until = (int) Math.round(t / eta);
            for (; steps < until; steps++) {
                for (int j = 0; j < q; j++) {
                    // w -= eta Phi^T r / n, so r -= eta Phi Phi^T r / n
                    java.util.Arrays.fill(grad, 0);
                    for (int i = 0; i < n; i++) for (int k = 0; k < p; k++) grad[k] += x[i][k] * res[i][j];
                    for (int i = 0; i < n; i++) {
                        double g = 0;
                        for (int k = 0; k < p; k++) g += x[i][k] * grad[k];
                        res[i][j] -= eta * g / n;
                    }
                }
            }
            double loss = 0;
            for (double[] row : res) for (double v : row) loss += v * v;
            loss /= 2.0 * n;
            assertEquals(loss, a.trainLoss(t), 1e-6 * loss, "t = " + t);
        }
        assertEquals(a.residualEnergy() / (2.0 * n), a.trainLoss(0), 1e-12);
        // p < n: the loss falls to the part outside the span, not to 0
        assertEquals(a.outsideSpan() * a.residualEnergy() / (2.0 * n), a.trainLoss(1e9), 1e-12);
    }

    @Test
    void refusesBadArguments() {
        GramAlignment a = GramAlignment.of(Data.gaussian(5, 3, 1, 1).moments(1));
        assertThrows(IllegalArgumentException.class, () -> a.energyBottom(0));
        assertThrows(IllegalArgumentException.class, () -> a.energyTop(0));
        assertThrows(IllegalArgumentException.class, () -> a.trainLoss(-1));
        assertThrows(IllegalArgumentException.class, () -> GramAlignment.of(Moments.of(3)));
    }
}
