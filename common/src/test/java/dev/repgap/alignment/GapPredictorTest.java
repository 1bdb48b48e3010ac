package dev.repgap.alignment;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.repgap.linalg.SymmetricEigen;
import java.util.SplittableRandom;
import org.apache.commons.math3.distribution.BinomialDistribution;
import org.junit.jupiter.api.Test;

class GapPredictorTest {

    /** The predictor of rows phi_i (n x p, row-major) with residuals r_i(0) (n x q), through the moments and one pass. */
    private static double[] predict(double[] phi, double[] r, int n, int p, int q, double[] times, int split) {
        double[] gram = new double[p * p], cross = new double[p * q];
        double energy = 0;
        for (int i = 0; i < n; i++) {
            for (int a = 0; a < p; a++) {
                for (int b = 0; b < p; b++) gram[a * p + b] += phi[i * p + a] * phi[i * p + b];
                for (int j = 0; j < q; j++) cross[a * q + j] += phi[i * p + a] * r[i * q + j];
            }
            for (int j = 0; j < q; j++) energy += r[i * q + j] * r[i * q + j];
        }
        GapPredictor g = GramAlignment.of(gram, cross, energy, n, p, q).gapPredictor(times);
        GapPredictor.Sums first = g.sums(), second = g.sums();
        for (int i = 0; i < n; i++) {
            float[] x = new float[p];
            for (int a = 0; a < p; a++) x[a] = (float) phi[i * p + a];
            double[] ri = java.util.Arrays.copyOfRange(r, i * q, (i + 1) * q);
            (i < split ? first : second).add(x, ri);
        }
        return g.predict(first.merge(second));
    }

    /** n rows: n1 copies of e_1 with residual a0, the rest copies of e_2 with residual b0. */
    private static double[] twoInputs(int n, int n1, double a0, double b0, double[] times) {
        double[] phi = new double[n * 2], r = new double[n];
        for (int i = 0; i < n; i++) {
            phi[i * 2 + (i < n1 ? 0 : 1)] = 1;
            r[i] = i < n1 ? a0 : b0;
        }
        return predict(phi, r, n, 2, 1, times, n / 3);
    }

    /** The predictor averaged over datasets of n uniform draws from {x_1, x_2}: exactly, over the binomial counts. */
    private static double[] expectedOverDatasets(int n, double a0, double b0, double[] times) {
        BinomialDistribution counts = new BinomialDistribution(null, n, 0.5);
        double[] mean = new double[times.length];
        for (int n1 = 0; n1 <= n; n1++) {
            double[] g = twoInputs(n, n1, a0, b0, times);
            for (int i = 0; i < times.length; i++) mean[i] += counts.probability(n1) * g[i];
        }
        return mean;
    }

    /**
     * Two orthonormal inputs drawn uniformly, n draws, gradient flow from residuals a0, b0: the expected gap of the loss
     * (1/2) r^2 is (1/8)(a0^2 + b0^2)(1 - e^(-2t/n)) m^(n-1) with m = (1 + e^(-2t/n)) / 2.
     */
    @Test
    void twoOrthonormalInputsMatchTheExpectedGap() {
        double a0 = 1, b0 = -0.5;
        double[] times = {0, 0.5, 1, 3};
        double[][] byN = new double[2][];
        int[] ns = {100, 200};
        for (int c = 0; c < ns.length; c++) {
            int n = ns[c];
            byN[c] = expectedOverDatasets(n, a0, b0, times);
            assertEquals(0, byN[c][0], 0, "gap(0) = 0");
            for (int i = 1; i < times.length; i++) {
                double z = Math.exp(-2 * times[i] / n), m = (1 + z) / 2;
                double truth = (a0 * a0 + b0 * b0) / 8 * (1 - z) * Math.pow(m, n - 1);
                assertEquals(1, byN[c][i] / truth, 0.02, "n = " + n + ", t = " + times[i]);
            }
        }
        for (int i = 1; i < times.length; i++) {
            assertEquals(0.5, byN[1][i] / byN[0][i], 0.025, "doubling n halves the gap at t = " + times[i]);
        }
    }

    /**
     * Against the formula computed independently: G's full n x n eigendecomposition and the s-integral in closed form,
     * {@code int_0^t exp(-mu_k s/n) exp(-mu_l (t-s)/n) ds}, on random rows, two outputs, times up to stiff ones.
     */
    @Test
    void quadratureEqualsTheClosedFormIntegral() {
        int n = 40, p = 6, q = 2;
        SplittableRandom rng = new SplittableRandom(5);
        double[] phi = new double[n * p], r = new double[n * q];
        for (int i = 0; i < phi.length; i++) phi[i] = rng.nextDouble() * 2 - 1;
        for (int i = 0; i < r.length; i++) r[i] = rng.nextDouble() * 2 - 1;
        double[] times = {0.3, 5, 200, 5000};
        double[] got = predict(phi, r, n, p, q, times, 17);
        double[] gram = new double[n * n];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
                double s = 0;
                for (int a = 0; a < p; a++) s += phi[i * p + a] * phi[j * p + a];
                gram[i * n + j] = s;
            }
        }
        SymmetricEigen e = SymmetricEigen.of(gram, n);
        double[] mu = e.values(), u = e.vectors(); // u[k * n + i]
        for (int k = 0; k < n; k++) mu[k] = Math.max(mu[k], 0);
        double[] c = e.project(r, q); // c[k * q + j] = u_k . r_j
        for (int ti = 0; ti < times.length; ti++) {
            double t = times[ti];
            double first = 0, second = 0;
            for (int i = 0; i < n; i++) {
                double[] rt = new double[q];
                for (int k = 0; k < n; k++) {
                    for (int j = 0; j < q; j++) rt[j] += Math.exp(-mu[k] * t / n) * c[k * q + j] * u[k * n + i];
                }
                for (int k = 0; k < n; k++) {
                    double ck = 0;
                    for (int j = 0; j < q; j++) ck += c[k * q + j] * rt[j];
                    for (int l = 0; l < n; l++) {
                        first += ck * u[k * n + i] * mu[l] * u[l * n + i] * u[l * n + i] * integral(mu[k], mu[l], t, n);
                    }
                }
            }
            for (int k = 0; k < n; k++) {
                double c2 = 0;
                for (int j = 0; j < q; j++) c2 += c[k * q + j] * c[k * q + j];
                second += mu[k] * c2 * Math.exp(-2 * mu[k] * t / n);
            }
            double expected = (first - t / n * second) / ((double) n * n);
            assertEquals(expected, got[ti], 1e-8 * Math.abs(expected) + 1e-15, "t = " + t);
        }
    }

    /** {@code int_0^t exp(-a s) exp(-b (t - s)) ds} with a = mu_k/n, b = mu_l/n, stably. */
    private static double integral(double muK, double muL, double t, int n) {
        double a = muK * t / n, b = muL * t / n, lo = Math.min(a, b), d = Math.abs(a - b);
        return t * Math.exp(-lo) * (d < 1e-12 ? 1 - d / 2 : -Math.expm1(-d) / d);
    }

    /**
     * Gaussian-design linear regression, n >> p: y = w* . x + noise, f(0) = 0, gradient flow on (1/2n) sum (f - y)^2.
     * The exact gap (test risk minus training risk at time t, the test risk exact over x) averaged over datasets, and
     * the predictor averaged over the same datasets, agree within Monte Carlo error.
     */
    @Test
    void gaussianDesignLinearRegressionAgreesWithinMonteCarloError() {
        int n = 200, p = 5, datasets = 400;
        double sigma = 0.5;
        double[] times = {1, 10, 100};
        SplittableRandom rng = new SplittableRandom(11);
        double[] sum = new double[times.length], sumSq = new double[times.length], exactSum = new double[times.length];
        for (int d = 0; d < datasets; d++) {
            double[] w = new double[p];
            for (int a = 0; a < p; a++) w[a] = gaussian(rng) / Math.sqrt(p);
            double[] phi = new double[n * p], y = new double[n], r = new double[n];
            for (int i = 0; i < n; i++) {
                double s = 0;
                for (int a = 0; a < p; a++) {
                    phi[i * p + a] = (float) gaussian(rng); // as the rows are read: float32
                    s += phi[i * p + a] * w[a];
                }
                y[i] = s + sigma * gaussian(rng);
                r[i] = -y[i];
            }
            double[] predicted = predict(phi, r, n, p, 1, times, n / 2);
            double[] exact = exactGap(phi, y, w, sigma, n, p, times);
            for (int i = 0; i < times.length; i++) {
                double diff = exact[i] - predicted[i];
                sum[i] += diff;
                sumSq[i] += diff * diff;
                exactSum[i] += exact[i];
            }
        }
        for (int i = 0; i < times.length; i++) {
            double mean = sum[i] / datasets, se = Math.sqrt((sumSq[i] / datasets - mean * mean) / (datasets - 1));
            assertTrue(Math.abs(mean) < 3 * se, "t = " + times[i] + ": exact - predicted = " + mean + " +- " + se
                    + " (exact " + exactSum[i] / datasets + ")");
        }
    }

    /** Test minus training risk of the loss (1/2)(f - y)^2 at each time, the test risk in closed form over x ~ N(0, I). */
    private static double[] exactGap(double[] phi, double[] y, double[] wStar, double sigma, int n, int p, double[] times) {
        double[] h = new double[p * p], b = new double[p];
        for (int i = 0; i < n; i++) {
            for (int a = 0; a < p; a++) {
                for (int c = 0; c < p; c++) h[a * p + c] += phi[i * p + a] * phi[i * p + c] / n;
                b[a] += phi[i * p + a] * y[i] / n;
            }
        }
        SymmetricEigen e = SymmetricEigen.of(h, p);
        double[] lambda = e.values(), v = e.vectors(), vb = e.project(b, 1);
        double[] out = new double[times.length];
        for (int ti = 0; ti < times.length; ti++) {
            double t = times[ti];
            double[] w = new double[p]; // w(t) = sum_k v_k (1 - e^{-lambda_k t}) / lambda_k (v_k . b)
            for (int k = 0; k < p; k++) {
                double f = -Math.expm1(-lambda[k] * t) / lambda[k] * vb[k];
                for (int a = 0; a < p; a++) w[a] += v[k * p + a] * f;
            }
            double train = 0;
            for (int i = 0; i < n; i++) {
                double f = 0;
                for (int a = 0; a < p; a++) f += phi[i * p + a] * w[a];
                train += 0.5 * (f - y[i]) * (f - y[i]) / n;
            }
            double test = 0.5 * sigma * sigma;
            for (int a = 0; a < p; a++) test += 0.5 * (w[a] - wStar[a]) * (w[a] - wStar[a]);
            out[ti] = test - train;
        }
        return out;
    }

    private static double gaussian(SplittableRandom rng) {
        double u = 1 - rng.nextDouble(), v = rng.nextDouble();
        return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
    }
}
