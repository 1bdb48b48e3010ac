package dev.repgap.risk;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import org.junit.jupiter.api.Test;

class KernelRidgePathTest {

    /**
     * The linear kernel X X^T through the dual path gives what the direct smoother gives, to 1e-8 relative: with p > n
     * and a small lambda, 1 - tr S / n is about 0.05 and GCV's division by its square amplifies round-off to ~1e-9.
     */
    @Test
    void linearKernelEqualsTheDirectSmoother() {
        for (int[] shape : new int[][] {{40, 6, 3}, {20, 30, 2}, {25, 5, 1}}) {
            for (boolean intercept : new boolean[] {true, false}) {
                RidgePathTest.Data d = RidgePathTest.Data.gaussian(shape[0], shape[1], shape[2], 11 + shape[0] + (intercept ? 1 : 0));
                RidgePathTest.Data t = RidgePathTest.Data.gaussian(17, shape[1], shape[2], 99 + shape[1]);
                double[] lambdas = {1e-3, 0.05, 0.7, 4};
                Kernel linear = Kernel.LINEAR;
                KernelRidgePath path = KernelRidgePath.fit(gram(linear, d, d), d.n(), targets(d), d.q(), intercept, lambdas);
                double[] test = testRisk(path, linear, d, t);
                for (int l = 0; l < lambdas.length; l++) {
                    double[] ref = RidgePathTest.Direct.risks(d, t, lambdas[l], intercept);
                    String at = "shape " + Arrays.toString(shape) + " intercept " + intercept + " lambda " + lambdas[l];
                    assertEquals(ref[0], path.gcv()[l], 1e-8 * ref[0], "gcv " + at);
                    assertEquals(ref[1], path.loo()[l], 1e-8 * ref[1], "loo " + at);
                    assertEquals(ref[2], test[l], 1e-8 * ref[2], "test " + at);
                    assertEquals(ref[3], path.trainRisk()[l], 1e-9 * Math.max(ref[3], 1e-6), "train " + at);
                    assertEquals(ref[4], path.df()[l], 1e-9 * ref[4], "df " + at);
                }
            }
        }
    }

    /**
     * RBF, Laplace and cosine kernels: GCV and df against the n x n smoother built directly, the leave-one-out risk
     * against n refits each without one row (same penalty n lambda), and the test risk against the direct
     * prediction.
     */
    @Test
    void otherKernelsAgreeWithRefits() {
        RidgePathTest.Data d = RidgePathTest.Data.gaussian(30, 4, 2, 5);
        RidgePathTest.Data t = RidgePathTest.Data.gaussian(12, 4, 2, 6);
        for (Kernel kernel : new Kernel[] {Kernel.parse("rbf:0.05"), Kernel.parse("laplace:0.1"), Kernel.parse("cosine")}) {
            for (boolean intercept : new boolean[] {true, false}) {
                double[] lambdas = {1e-3, 0.02, 0.5};
                KernelRidgePath path = KernelRidgePath.fit(gram(kernel, d, d), d.n(), targets(d), d.q(), intercept, lambdas);
                double[] test = testRisk(path, kernel, d, t);
                for (int l = 0; l < lambdas.length; l++) {
                    String at = kernel.describe() + " intercept " + intercept + " lambda " + lambdas[l];
                    double penalty = d.n() * lambdas[l];
                    Fit all = Fit.of(kernel, d, all(d.n()), penalty, intercept);
                    double[][] s = all.smoother(kernel, d);
                    double rss = 0, tr = 0;
                    for (int i = 0; i < d.n(); i++) {
                        tr += s[i][i];
                        for (int c = 0; c < d.q(); c++) {
                            double f = 0;
                            for (int j = 0; j < d.n(); j++) f += s[i][j] * d.y()[j][c];
                            rss += (d.y()[i][c] - f) * (d.y()[i][c] - f);
                        }
                    }
                    assertEquals(tr, path.df()[l], 1e-9 * tr, "df " + at);
                    assertEquals(rss / d.n(), path.trainRisk()[l], 1e-9 * rss / d.n() + 1e-12, "train " + at);
                    assertEquals(rss / d.n() / Math.pow(1 - tr / d.n(), 2), path.gcv()[l], 1e-8 * path.gcv()[l], "gcv " + at);
                    double loo = 0;
                    for (int i = 0; i < d.n(); i++) {
                        int[] others = new int[d.n() - 1];
                        for (int j = 0, o = 0; j < d.n(); j++) if (j != i) others[o++] = j;
                        double[] f = Fit.of(kernel, d, others, penalty, intercept).predict(kernel, d, d.x()[i]);
                        for (int c = 0; c < d.q(); c++) loo += Math.pow(d.y()[i][c] - f[c], 2);
                    }
                    assertEquals(loo / d.n(), path.loo()[l], 1e-7 * loo / d.n(), "loo " + at);
                    double risk = 0;
                    for (int i = 0; i < t.n(); i++) {
                        double[] f = all.predict(kernel, d, t.x()[i]);
                        for (int c = 0; c < d.q(); c++) risk += Math.pow(t.y()[i][c] - f[c], 2);
                    }
                    assertEquals(risk / t.n(), test[l], 1e-8 * risk / t.n(), "test " + at);
                }
            }
        }
    }

    /** The test pass gives the same sums whatever blocks and merge order the rows come in. */
    @Test
    void testSumsMergeInAnyOrder() {
        RidgePathTest.Data d = RidgePathTest.Data.gaussian(50, 3, 3, 8);
        RidgePathTest.Data t = RidgePathTest.Data.gaussian(300, 3, 3, 9);
        Kernel kernel = Kernel.parse("rbf").scaledTo(rows(d), d.n(), d.p());
        KernelRidgePath path = KernelRidgePath.fit(gram(kernel, d, d), d.n(), targets(d), d.q(), true, new double[] {0.01, 0.1});
        KernelTestSums.Model model = new KernelTestSums.Model(rows(d), d.p(), kernel, path.predictor());
        KernelTestSums one = new KernelTestSums(model, 1);
        for (int i = 0; i < t.n(); i++) one.add(t.x()[i], t.y()[i]);
        KernelTestSums a = new KernelTestSums(model, 1), b = new KernelTestSums(model, 1), c = new KernelTestSums(model, 1);
        for (int i = 0; i < t.n(); i++) (i % 3 == 0 ? a : i % 3 == 1 ? b : c).add(t.x()[i], t.y()[i]);
        KernelTestSums merged = c.merge(a).merge(b);
        assertEquals(t.n(), merged.rows());
        for (int l = 0; l < 2; l++) assertEquals(one.risk()[l], merged.risk()[l], 1e-12 * one.risk()[l]);
        assertEquals(one.errorRate(), merged.errorRate());
        assertEquals(testRisk(path, kernel, d, t)[1], one.risk()[1], 1e-12 * one.risk()[1]);
    }

    @Test
    void kernelsByHand() {
        float[] a = {1, 0, 0, 2};
        float[] b = {1, 1};
        double[] out = new double[2];
        Kernel.parse("rbf:0.5").block(a, 0, 2, b, 0, 1, 2, out);
        assertEquals(Math.exp(-0.5), out[0], 1e-15);
        assertEquals(Math.exp(-0.5 * 2), out[1], 1e-15);
        Kernel.parse("laplace:2").block(a, 0, 2, b, 0, 1, 2, out);
        assertEquals(Math.exp(-2), out[0], 1e-15);
        assertEquals(Math.exp(-2 * 2), out[1], 1e-15);
        Kernel.parse("cosine").block(a, 0, 2, b, 0, 1, 2, out);
        assertEquals(1 / Math.sqrt(2), out[0], 1e-15);
        assertEquals(2 / (2 * Math.sqrt(2)), out[1], 1e-15);
        // scikit-learn's gamma="scale": 1 / (p var(X)) over all entries
        Kernel scaled = Kernel.parse("rbf").scaledTo(new float[] {0, 2, 4, 6}, 2, 2);
        assertEquals(1 / (2 * 5.0), scaled.gamma(), 1e-15);
        assertThrows(IllegalArgumentException.class, () -> Kernel.parse("poly"));
        assertThrows(IllegalArgumentException.class, () -> Kernel.parse("rbf:-1"));
        assertThrows(IllegalArgumentException.class, () -> Kernel.parse("cosine:2"));
        assertTrue(Kernel.parse("RBF:0.25").describe().startsWith("rbf (gamma=0.25"));
    }

    // ---- helpers: the kernel matrices, and a direct fit by Gauss-Jordan elimination

    static float[] rows(RidgePathTest.Data d) {
        float[] out = new float[d.n() * d.p()];
        for (int i = 0; i < d.n(); i++) System.arraycopy(d.x()[i], 0, out, i * d.p(), d.p());
        return out;
    }

    static double[] gram(Kernel k, RidgePathTest.Data a, RidgePathTest.Data b) {
        double[] out = new double[a.n() * b.n()];
        k.block(rows(a), 0, a.n(), rows(b), 0, b.n(), a.p(), out);
        return out;
    }

    static double[] targets(RidgePathTest.Data d) {
        double[] out = new double[d.n() * d.q()];
        for (int i = 0; i < d.n(); i++) System.arraycopy(d.y()[i], 0, out, i * d.q(), d.q());
        return out;
    }

    /** The test risk per lambda through the predictor, as the test pass computes it. */
    static double[] testRisk(KernelRidgePath path, Kernel kernel, RidgePathTest.Data d, RidgePathTest.Data t) {
        KernelTestSums sums = new KernelTestSums(new KernelTestSums.Model(rows(d), d.p(), kernel, path.predictor()), -1);
        for (int i = 0; i < t.n(); i++) sums.add(t.x()[i], t.y()[i]);
        return sums.risk();
    }

    private static int[] all(int n) {
        int[] out = new int[n];
        for (int i = 0; i < n; i++) out[i] = i;
        return out;
    }

    /**
     * min over b, c of ||y - b - K c||^2 + penalty c^T K c on the rows {@code use} (b = 0 without an intercept):
     * c = (Kc + penalty I)^-1 (y - ybar) with the centred kernel, b = ybar - colmean(K)^T c.
     */
    record Fit(int[] use, double[][] c, double[] b, double[][] inverse, boolean intercept) {
        static Fit of(Kernel kernel, RidgePathTest.Data d, int[] use, double penalty, boolean intercept) {
            int m = use.length, q = d.q();
            double[][] k = new double[m][m];
            for (int i = 0; i < m; i++) for (int j = 0; j < m; j++) k[i][j] = value(kernel, d.x()[use[i]], d.x()[use[j]]);
            double[] colMean = new double[m];
            double grand = 0;
            if (intercept) {
                for (int i = 0; i < m; i++) for (int j = 0; j < m; j++) colMean[j] += k[i][j] / m;
                for (double v : colMean) grand += v / m;
            }
            double[] ybar = new double[q];
            if (intercept) for (int i : use) for (int c = 0; c < q; c++) ybar[c] += d.y()[i][c] / m;
            double[][] reg = new double[m][m];
            for (int i = 0; i < m; i++) {
                for (int j = 0; j < m; j++) reg[i][j] = k[i][j] - colMean[i] - colMean[j] + grand;
                reg[i][i] += penalty;
            }
            double[][] inverse = RidgePathTest.Direct.invert(reg);
            double[][] yc = new double[m][q];
            for (int i = 0; i < m; i++) for (int c = 0; c < q; c++) yc[i][c] = d.y()[use[i]][c] - ybar[c];
            double[][] coef = RidgePathTest.Direct.multiply(inverse, yc);
            double[] b = new double[q];
            for (int c = 0; c < q; c++) {
                b[c] = ybar[c];
                for (int j = 0; j < m; j++) b[c] -= colMean[j] * coef[j][c];
            }
            return new Fit(use, coef, b, inverse, intercept);
        }

        double[] predict(Kernel kernel, RidgePathTest.Data d, float[] x) {
            double[] out = b.clone();
            for (int j = 0; j < use.length; j++) {
                double kv = value(kernel, x, d.x()[use[j]]);
                for (int c = 0; c < out.length; c++) out[c] += kv * this.c[j][c];
            }
            return out;
        }

        /** The smoother S (training rows' fitted values = S y), column by column from unit targets. */
        double[][] smoother(Kernel kernel, RidgePathTest.Data d) {
            int m = use.length;
            double[][] s = new double[m][m];
            for (int j = 0; j < m; j++) {
                // fitted values for y = e_j: b + K c, with c = inverse (e_j - 1/m), b = 1/m - colmean^T c
                double[] e = new double[m];
                for (int i = 0; i < m; i++) e[i] = (i == j ? 1 : 0) - (intercept ? 1.0 / m : 0);
                double[] coef = new double[m];
                for (int i = 0; i < m; i++) for (int l = 0; l < m; l++) coef[i] += inverse[i][l] * e[l];
                for (int i = 0; i < m; i++) {
                    double f = intercept ? 1.0 / m : 0;
                    for (int l = 0; l < m; l++) {
                        double kil = value(kernel, d.x()[use[i]], d.x()[use[l]]);
                        double mean = 0;
                        if (intercept) for (int r = 0; r < m; r++) mean += value(kernel, d.x()[use[r]], d.x()[use[l]]) / m;
                        f += (kil - mean) * coef[l];
                    }
                    s[i][j] = f;
                }
            }
            return s;
        }

        private static double value(Kernel k, float[] x, float[] y) {
            double[] out = new double[1];
            float[] both = new float[x.length + y.length];
            System.arraycopy(x, 0, both, 0, x.length);
            System.arraycopy(y, 0, both, x.length, y.length);
            k.block(both, 0, 1, both, 1, 2, x.length, out);
            return out[0];
        }
    }
}
