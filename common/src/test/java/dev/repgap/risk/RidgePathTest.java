package dev.repgap.risk;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.repgap.stats.Bootstrap;
import dev.repgap.stats.Measured;
import dev.repgap.stats.Moments;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class RidgePathTest {

    @Test
    void handCase() {
        Moments m = Moments.of(2, 1);
        float r2 = (float) Math.sqrt(2);
        m.addRow(new float[] {r2, 0}, new double[] {1});
        m.addRow(new float[] {0, 1}, new double[] {1});
        m.addRow(new float[] {0, 0}, new double[] {1});
        // n lambda = 1 with the float-rounded sqrt 2: the closed form, recomputed with that value
        RidgePath path = RidgePath.fit(m, false, new double[] {1.0 / 3});
        double s = (double) r2 * r2;
        double rss = 3 - s * (s + 2) / ((s + 1) * (s + 1)) - 3.0 / 4;
        double df = s / (s + 1) + 0.5;
        assertEquals(rss / 3 / Math.pow(1 - df / 3, 2), path.gcv()[0], 1e-12);
        assertEquals(1.2148760331, path.gcv()[0], 1e-7); // float sqrt 2 moves it at 1e-8
        RidgeRows.Sums sums = path.looModel().sums(-1);
        sums.addTrain(new float[] {r2, 0}, new double[] {1});
        sums.addTrain(new float[] {0, 1}, new double[] {1});
        sums.addTrain(new float[] {0, 0}, new double[] {1});
        assertEquals(1.0, sums.loo()[0], 1e-12);
        assertEquals(df, path.df()[0], 1e-12);
    }

    /** GCV, LOO, train and test risk against the n x n smoother built and inverted directly. */
    @Test
    void agreesWithDirectSmoother() {
        for (int[] shape : new int[][] {{40, 6, 3}, {20, 30, 2}, {25, 5, 1}}) {
            for (boolean intercept : new boolean[] {true, false}) {
                Data d = Data.gaussian(shape[0], shape[1], shape[2], 11 + shape[0] + (intercept ? 1 : 0));
                Data t = Data.gaussian(17, shape[1], shape[2], 99 + shape[1]);
                double[] lambdas = {1e-3, 0.05, 0.7, 4};
                RidgePath path = RidgePath.fit(d.moments(), intercept, lambdas);
                RidgeRows.Sums sums = path.looModel().sums(-1);
                for (int i = 0; i < d.n; i++) sums.addTrain(d.x[i], d.y[i]);
                double[] gcv = path.gcv(), loo = sums.loo(), test = path.testRisk(t.moments()), train = path.trainRisk(),
                        df = path.df();
                for (int l = 0; l < lambdas.length; l++) {
                    double[] ref = Direct.risks(d, t, lambdas[l], intercept);
                    String at = "shape " + java.util.Arrays.toString(shape) + " intercept " + intercept + " lambda " + lambdas[l];
                    assertEquals(ref[0], gcv[l], 1e-9 * ref[0], "gcv " + at);
                    assertEquals(ref[1], loo[l], 1e-9 * ref[1], "loo " + at);
                    assertEquals(ref[2], test[l], 1e-9 * ref[2], "test " + at);
                    assertEquals(ref[3], train[l], 1e-9 * Math.max(ref[3], 1e-6), "train " + at);
                    assertEquals(ref[4], df[l], 1e-9 * ref[4], "df " + at);
                }
            }
        }
    }

    /**
     * Overparameterised Gaussian design (n = 1000, p = 2000, feature standard deviations k^-0.75, a linear target
     * with noise 0.3, 5000 test rows): GCV predicts the measured test risk within 10% for lambda in 1e-4..1e-1,
     * and its minimiser is within one grid step of the test risk's.
     */
    @Test
    void gcvPredictsTestRiskOverparameterised() {
        int n = 1000, p = 2000, nt = 5000;
        SplittableRandom rng = new SplittableRandom(7);
        double[] beta = new double[p];
        for (int k = 0; k < p; k++) beta[k] = rng.nextGaussian() / Math.sqrt(p) * 3;
        Moments train = Moments.of(p, 1), test = Moments.of(p, 1);
        fill(train, n, beta, rng);
        fill(test, nt, beta, rng);
        double[] lambdas = new double[25];
        for (int i = 0; i < lambdas.length; i++) lambdas[i] = Math.pow(10, -4 + 3.0 * i / (lambdas.length - 1));
        RidgePath path = RidgePath.fit(train, true, lambdas);
        double[] gcv = path.gcv(), risk = path.testRisk(test);
        int gcvBest = 0, testBest = 0;
        for (int l = 0; l < lambdas.length; l++) {
            assertEquals(risk[l], gcv[l], 0.1 * risk[l], "lambda " + lambdas[l]);
            if (gcv[l] < gcv[gcvBest]) gcvBest = l;
            if (risk[l] < risk[testBest]) testBest = l;
        }
        assertTrue(Math.abs(gcvBest - testBest) <= 1, "minimisers at grid points " + gcvBest + " and " + testBest);
    }

    private static void fill(Moments m, int rows, double[] beta, SplittableRandom rng) {
        int p = beta.length;
        float[] x = new float[p];
        for (int r = 0; r < rows; r++) {
            double y = 0;
            for (int k = 0; k < p; k++) {
                x[k] = (float) (rng.nextGaussian() * Math.pow(k + 1, -0.75));
                y += x[k] * beta[k];
            }
            m.addRow(x, new double[] {y + 0.3 * rng.nextGaussian()});
        }
    }

    /** Eigenvalues of a design with standard deviations k^-a decay as k^-2a: the exponent within 5%. */
    @Test
    void recoversEigenvalueExponent() {
        for (double a : new double[] {0.75, 1.5}) {
            int n = 2000, p = 200;
            SplittableRandom rng = new SplittableRandom(3);
            Moments m = Moments.of(p, 1);
            float[] x = new float[p];
            for (int r = 0; r < n; r++) {
                for (int k = 0; k < p; k++) x[k] = (float) (rng.nextGaussian() * Math.pow(k + 1, -a));
                m.addRow(x, new double[] {rng.nextGaussian()});
            }
            RidgePath path = RidgePath.fit(m, true, new double[] {1});
            double[] mu = path.gramEigenvalues();
            int rank = 0;
            for (double v : mu) if (v > mu[0] * 1e-6) rank++;
            Measured e = RankDecay.exponent(mu, 1, RankDecay.defaultTo(rank), 0.9, new Bootstrap(200, 1));
            assertEquals(2 * a, e.value(), 0.05 * 2 * a, "a = " + a);
            assertTrue(e.low() <= e.value() && e.value() <= e.high());
        }
    }

    @Test
    void exactPowerLawAndAlignment() {
        double[] v = new double[50];
        for (int k = 1; k <= 50; k++) v[k - 1] = 3 * Math.pow(k, -1.7);
        Measured e = RankDecay.exponent(v, 1, 50, 0.9, new Bootstrap(50, 1));
        assertEquals(1.7, e.value(), 1e-12);
        assertEquals(1.7, e.low(), 1e-9);
        // targets equal to the rows: K = Y Y^T, alignment 1
        Moments m = Moments.of(2, 2);
        m.addRow(new float[] {1, 2}, new double[] {1, 2});
        m.addRow(new float[] {-3, 0.5f}, new double[] {-3, 0.5});
        m.addRow(new float[] {0, 1}, new double[] {0, 1});
        assertEquals(1.0, RidgePath.fit(m, true, new double[] {1}).alignment(), 1e-12);
    }

    /** Seeded rows with a non-zero mean and correlated targets. */
    record Data(int n, int p, int q, float[][] x, double[][] y) {
        static Data gaussian(int n, int p, int q, long seed) {
            SplittableRandom rng = new SplittableRandom(seed);
            float[][] x = new float[n][p];
            double[][] y = new double[n][q];
            for (int i = 0; i < n; i++) {
                for (int j = 0; j < p; j++) x[i][j] = (float) (rng.nextGaussian() * (1 + j % 3) + 0.1 * j);
                for (int k = 0; k < q; k++) y[i][k] = x[i][k % p] * 0.7 - x[i][(k + 1) % p] * 0.2 + rng.nextGaussian() + k;
            }
            return new Data(n, p, q, x, y);
        }

        Moments moments() {
            Moments m = Moments.of(p, q);
            for (int i = 0; i < n; i++) m.addRow(x[i], y[i]);
            return m;
        }
    }

    /** The formulas with the n x n smoother, by Gauss-Jordan elimination, in double. */
    static final class Direct {
        /** {gcv, loo, test, train, df}. */
        static double[] risks(Data d, Data t, double lambda, boolean intercept) {
            int n = d.n, p = d.p, q = d.q;
            double[] mx = new double[p], my = new double[q];
            if (intercept) {
                for (int i = 0; i < n; i++) {
                    for (int j = 0; j < p; j++) mx[j] += d.x[i][j] / (double) n;
                    for (int k = 0; k < q; k++) my[k] += d.y[i][k] / n;
                }
            }
            double[][] a = new double[n][p], b = new double[n][q];
            for (int i = 0; i < n; i++) {
                for (int j = 0; j < p; j++) a[i][j] = d.x[i][j] - mx[j];
                for (int k = 0; k < q; k++) b[i][k] = d.y[i][k] - my[k];
            }
            double[][] k = new double[n][n];
            for (int i = 0; i < n; i++) for (int j = 0; j < n; j++) for (int c = 0; c < p; c++) k[i][j] += a[i][c] * a[j][c];
            double[][] reg = new double[n][n];
            for (int i = 0; i < n; i++) {
                reg[i] = k[i].clone();
                reg[i][i] += n * lambda;
            }
            double[][] inv = invert(reg);
            double[][] s = multiply(k, inv);
            if (intercept) for (int i = 0; i < n; i++) for (int j = 0; j < n; j++) s[i][j] += 1.0 / n;
            double tr = 0, rss = 0, loo = 0;
            for (int i = 0; i < n; i++) {
                tr += s[i][i];
                double row = 0;
                for (int c = 0; c < q; c++) {
                    double e = b[i][c] + my[c];
                    for (int j = 0; j < n; j++) e -= s[i][j] * (b[j][c] + my[c]);
                    rss += e * e;
                    row += e * e;
                }
                loo += row / ((1 - s[i][i]) * (1 - s[i][i]));
            }
            double gcv = rss / n / Math.pow(1 - tr / n, 2);
            // weights W = A^T (K + n lambda I)^-1 B
            double[][] alpha = multiply(inv, b);
            double[][] w = new double[p][q];
            for (int j = 0; j < p; j++) for (int c = 0; c < q; c++) for (int i = 0; i < n; i++) w[j][c] += a[i][j] * alpha[i][c];
            double test = 0;
            for (int i = 0; i < t.n; i++) {
                for (int c = 0; c < q; c++) {
                    double f = my[c];
                    for (int j = 0; j < p; j++) f += (t.x[i][j] - mx[j]) * w[j][c];
                    test += (t.y[i][c] - f) * (t.y[i][c] - f);
                }
            }
            return new double[] {gcv, loo / n, test / t.n, rss / n, tr};
        }

        static double[][] multiply(double[][] a, double[][] b) {
            int r = a.length, m = b.length, c = b[0].length;
            double[][] out = new double[r][c];
            for (int i = 0; i < r; i++) for (int k = 0; k < m; k++) for (int j = 0; j < c; j++) out[i][j] += a[i][k] * b[k][j];
            return out;
        }

        static double[][] invert(double[][] m) {
            int n = m.length;
            double[][] a = new double[n][2 * n];
            for (int i = 0; i < n; i++) {
                System.arraycopy(m[i], 0, a[i], 0, n);
                a[i][n + i] = 1;
            }
            for (int c = 0; c < n; c++) {
                int pivot = c;
                for (int r = c + 1; r < n; r++) if (Math.abs(a[r][c]) > Math.abs(a[pivot][c])) pivot = r;
                double[] tmp = a[c];
                a[c] = a[pivot];
                a[pivot] = tmp;
                double v = a[c][c];
                for (int j = 0; j < 2 * n; j++) a[c][j] /= v;
                for (int r = 0; r < n; r++) {
                    if (r == c) continue;
                    double f = a[r][c];
                    if (f != 0) for (int j = 0; j < 2 * n; j++) a[r][j] -= f * a[c][j];
                }
            }
            double[][] out = new double[n][n];
            for (int i = 0; i < n; i++) System.arraycopy(a[i], n, out[i], 0, n);
            return out;
        }
    }
}
