package dev.repgap.risk;

import dev.ludovic.netlib.blas.BLAS;
import dev.repgap.linalg.SymmetricEigen;
import java.io.Serializable;

/**
 * Kernel ridge regression of targets Y (n x q) on a kernel matrix K (n x n) along a grid of ridge parameters, from one
 * eigendecomposition of K (the dual of {@link RidgePath}, for kernels other than the linear one; docs/formulas.md
 * section 5). With an intercept the kernel is centred, {@code Kc = H K H} with {@code H = I - 1 1^T / n} (for the
 * linear kernel this is centring the rows), and the targets with their training mean; the intercept is not
 * penalised, so the smoother is {@code S = 1 1^T / n + Kc (Kc + n lambda I)^-1}.
 *
 * <p>With {@code Kc = U diag(mu) U^T}, {@code Yt = U^T Yc} and {@code s_i = mu_i / (mu_i + n lambda)}: the fitted
 * residuals are {@code U diag(1 - s) Yt}, {@code tr S = sum s_i} (+1), {@code S_ii = sum_k U_ik^2 s_k} (+1/n),
 * exact leave-one-out residuals {@code e_i / (1 - S_ii)}, and the dual weights {@code alpha = U diag(1/(mu + n lambda)) Yt}
 * predict a new row x as {@code ybar + kc(x)^T alpha} with the centred kernel row
 * {@code kc(x) = k(x) - mean(k(x)) - colmean(K) + mean(K)}.
 */
public final class KernelRidgePath {
    private final int n;
    private final int q;
    private final boolean intercept;
    private final double[] lambdas;
    private final double[] mu;          // eigenvalues of Kc, largest first, clamped at 0
    private final double[] yt;          // U^T Yc, n x q row-major
    private final double[] targetGram;  // Yc^T Yc, q x q
    private final double[] gcv;
    private final double[] loo;
    private final double[] train;
    private final double[] df;
    private final Predictor predictor;

    private KernelRidgePath(double[] k, int n, double[] y, int q, boolean intercept, double[] lambdas) {
        this.n = n;
        this.q = q;
        this.intercept = intercept;
        this.lambdas = lambdas.clone();
        int grid = lambdas.length;
        double[] columnMean = new double[n];
        double grand = 0;
        double[] yMean = new double[q];
        double[] yc = y.clone();
        double[] kc = k.clone();
        if (intercept) {
            for (int i = 0; i < n; i++) for (int j = 0; j < n; j++) columnMean[j] += k[i * n + j] / n;
            for (double v : columnMean) grand += v / n;
            for (int i = 0; i < n; i++) {
                for (int j = 0; j < n; j++) kc[i * n + j] += grand - columnMean[i] - columnMean[j];
            }
            for (int i = 0; i < n; i++) for (int c = 0; c < q; c++) yMean[c] += y[i * q + c] / n;
            for (int i = 0; i < n; i++) for (int c = 0; c < q; c++) yc[i * q + c] -= yMean[c];
        }
        targetGram = new double[q * q];
        for (int i = 0; i < n; i++) {
            for (int a = 0; a < q; a++) for (int b = 0; b < q; b++) targetGram[a * q + b] += yc[i * q + a] * yc[i * q + b];
        }
        SymmetricEigen eigen = SymmetricEigen.of(kc, n);
        kc = null; // only the eigenvectors are needed from here; n x n doubles each
        mu = eigen.values();
        for (int i = 0; i < n; i++) mu[i] = Math.max(mu[i], 0);
        yt = eigen.project(yc, q);
        double[] u = eigen.vectors(); // column-major: u[k * n + i] = U_ik
        BLAS blas = BLAS.getInstance();

        // Per lambda: s_k, the residual's coordinates (1 - s_k) Yt_k, and the dual weights Yt_k / (mu_k + n lambda).
        double[] s = new double[n * grid];                 // column-major n x grid
        double[] residualCoords = new double[n * q * grid]; // column-major n x (q grid)
        double[] alphaCoords = new double[n * q * grid];
        df = new double[grid];
        train = new double[grid];
        gcv = new double[grid];
        for (int l = 0; l < grid; l++) {
            double a = n * lambdas[l], trace = intercept ? 1 : 0, rss = 0;
            for (int i = 0; i < n; i++) {
                double si = mu[i] / (mu[i] + a);
                s[l * n + i] = si;
                trace += si;
                for (int c = 0; c < q; c++) {
                    double v = yt[i * q + c];
                    residualCoords[(l * q + c) * n + i] = (1 - si) * v;
                    alphaCoords[(l * q + c) * n + i] = v / (mu[i] + a);
                    rss += (1 - si) * (1 - si) * v * v;
                }
            }
            df[l] = trace;
            train[l] = rss / n;
            double shrink = 1 - trace / n;
            gcv[l] = train[l] / (shrink * shrink);
        }
        // Diagonal of the smoother and the residuals in the original basis: two products with U.
        double[] u2 = new double[n * n];
        for (int i = 0; i < u.length; i++) u2[i] = u[i] * u[i];
        double[] diag = new double[n * grid];
        blas.dgemm("N", "N", n, grid, n, 1.0, u2, n, s, n, 0.0, diag, n);
        u2 = null;
        double[] residuals = new double[n * q * grid];
        blas.dgemm("N", "N", n, q * grid, n, 1.0, u, n, residualCoords, n, 0.0, residuals, n);
        loo = new double[grid];
        for (int l = 0; l < grid; l++) {
            double sum = 0;
            for (int i = 0; i < n; i++) {
                double leverage = diag[l * n + i] + (intercept ? 1.0 / n : 0);
                double e2 = 0;
                for (int c = 0; c < q; c++) {
                    double e = residuals[(l * q + c) * n + i];
                    e2 += e * e;
                }
                sum += e2 / ((1 - leverage) * (1 - leverage));
            }
            loo[l] = sum / n;
        }
        double[] alpha = new double[n * q * grid];
        blas.dgemm("N", "N", n, q * grid, n, 1.0, u, n, alphaCoords, n, 0.0, alpha, n);
        predictor = new Predictor(n, q, grid, alpha, intercept ? columnMean : null, grand, yMean);
    }

    /**
     * The path over {@code lambdas} (each > 0; scikit-learn's alpha is {@code n lambda}) from the training rows' kernel
     * matrix {@code k} (n x n, symmetric) and targets {@code y} (n x q, row-major).
     */
    public static KernelRidgePath fit(double[] k, int n, double[] y, int q, boolean intercept, double[] lambdas) {
        if (n < 2) throw new IllegalArgumentException("kernel ridge regression needs at least 2 training rows, got " + n);
        if (k.length != (long) n * n) throw new IllegalArgumentException("expected " + n + " x " + n + " kernel values");
        if (q < 1 || y.length != (long) n * q) throw new IllegalArgumentException("expected " + n + " x " + q + " targets");
        for (double l : lambdas) {
            if (!(l > 0) || Double.isInfinite(l)) throw new IllegalArgumentException("a ridge parameter must be > 0, got " + l);
        }
        return new KernelRidgePath(k, n, y, q, intercept, lambdas);
    }

    /**
     * A log grid of {@code points} ridge parameters relative to the kernel's scale {@code s = tr(Kc)/n}, from
     * {@code s * 1e-7} to {@code s * 10}, as {@link RidgePath#automaticGrid} for the linear kernel.
     */
    public static double[] automaticGrid(double[] k, int n, boolean intercept, int points) {
        double trace = 0;
        for (int i = 0; i < n; i++) trace += k[i * n + i];
        if (intercept) { // tr(H K H) = tr K - sum(K) / n
            double sum = 0;
            for (double v : k) sum += v;
            trace -= sum / n;
        }
        return RidgePath.grid(trace / n, points);
    }

    public int n() {
        return n;
    }

    public int outputs() {
        return q;
    }

    public double[] lambdas() {
        return lambdas.clone();
    }

    /** Eigenvalues of the (centred) kernel matrix, largest first, clamped at 0. */
    public double[] gramEigenvalues() {
        return mu.clone();
    }

    /** The target energy along eigenvector i, {@code ||Yt_i||^2} summed over outputs (NaN where mu_i = 0). */
    public double[] targetEnergy() {
        double[] out = new double[n];
        for (int i = 0; i < n; i++) {
            double e = 0;
            for (int c = 0; c < q; c++) e += yt[i * q + c] * yt[i * q + c];
            out[i] = mu[i] > 0 ? e : Double.NaN;
        }
        return out;
    }

    /** Kernel-target alignment {@code <Kc, Yc Yc^T>_F / (||Kc||_F ||Yc Yc^T||_F) = sum mu_i ||Yt_i||^2 / (...)}. */
    public double alignment() {
        double num = 0, kk = 0, yy = 0;
        for (int i = 0; i < n; i++) {
            double e = 0;
            for (int c = 0; c < q; c++) e += yt[i * q + c] * yt[i * q + c];
            num += mu[i] * e;
            kk += mu[i] * mu[i];
        }
        for (double v : targetGram) yy += v * v;
        return num / Math.sqrt(kk * yy);
    }

    /** GCV per lambda: {@code (||(I - S) y||^2 / n) / (1 - tr S / n)^2}. */
    public double[] gcv() {
        return gcv.clone();
    }

    /** Exact leave-one-out risk per lambda: {@code mean_i ||e_i||^2 / (1 - S_ii)^2}. */
    public double[] loo() {
        return loo.clone();
    }

    /** Training risk {@code ||(I - S) y||^2 / n} per lambda. */
    public double[] trainRisk() {
        return train.clone();
    }

    /** Effective degrees of freedom {@code tr S} per lambda (with an intercept, it counts 1). */
    public double[] df() {
        return df.clone();
    }

    /** What predicting other rows needs: the dual weights of every lambda and the centring. */
    public Predictor predictor() {
        return predictor;
    }

    /**
     * Predictions for rows given by their kernel values against the training rows, for every lambda of the grid: the
     * dual weights of every lambda and, with an intercept, what centring a kernel row adds to them.
     */
    public static final class Predictor implements Serializable {
        private static final long serialVersionUID = 1L;
        private final int n;
        private final int outputs;
        private final int grid;
        private final double[] alpha;    // column-major n x (q grid): column l * q + c
        private final boolean centred;
        private final double[] sum;      // 1^T alpha per column
        private final double[] constant; // per column: mean(K) 1^T alpha - colmean(K)^T alpha + ybar_c

        Predictor(int n, int outputs, int grid, double[] alpha, double[] columnMean, double grandMean, double[] targetMean) {
            this.n = n;
            this.outputs = outputs;
            this.grid = grid;
            this.alpha = alpha;
            this.centred = columnMean != null;
            int cols = outputs * grid;
            sum = new double[cols];
            constant = new double[cols];
            if (centred) {
                for (int c = 0; c < cols; c++) {
                    double s = 0, m = 0;
                    for (int i = 0; i < n; i++) {
                        s += alpha[c * n + i];
                        m += columnMean[i] * alpha[c * n + i];
                    }
                    sum[c] = s;
                    constant[c] = grandMean * s - m + targetMean[c % outputs];
                }
            }
        }

        public int n() {
            return n;
        }

        public int outputs() {
            return outputs;
        }

        public int grid() {
            return grid;
        }

        /**
         * The predictions of {@code rows} rows whose kernel values against the n training rows are {@code kernel}
         * (row-major rows x n): column-major rows x (q grid), column {@code l * q + c}. With an intercept, row r's
         * centred kernel row is {@code k_r - mean(k_r) - colmean(K) + mean(K)}, plus the target mean.
         */
        public double[] predict(double[] kernel, int rows) {
            int cols = outputs * grid;
            double[] out = new double[rows * cols];
            BLAS.getInstance().dgemm("T", "N", rows, cols, n, 1.0, kernel, n, alpha, n, 0.0, out, rows);
            if (!centred) return out;
            for (int r = 0; r < rows; r++) {
                double rowMean = 0;
                for (int i = 0; i < n; i++) rowMean += kernel[r * n + i];
                rowMean /= n;
                for (int c = 0; c < cols; c++) out[c * rows + r] += constant[c] - rowMean * sum[c];
            }
            return out;
        }
    }
}
