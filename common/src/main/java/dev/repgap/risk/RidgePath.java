package dev.repgap.risk;

import dev.ludovic.netlib.blas.BLAS;
import dev.repgap.linalg.SymmetricEigen;
import dev.repgap.stats.Moments;

/**
 * Ridge regression of targets y (q outputs) on rows x (p features) along a whole grid of ridge parameters from one
 * eigendecomposition of the training rows' second moment: the linear-kernel case of kernel ridge regression with
 * smoother {@code S = K (K + n lambda I)^-1}, {@code K = X X^T} (docs/formulas.md section 5). With an intercept the
 * rows and targets are centred with the training means (the intercept is not penalised, so the smoother gains
 * {@code 1 1^T / n}); without one they are taken as they are.
 *
 * <p>With {@code G = X^T X = V diag(mu) V^T}, {@code Z = V^T X^T Y} and {@code d_i = 1/(mu_i + n lambda)}: the
 * weights are {@code W = V diag(d) Z}; the residual sum of squares is
 * {@code tr(Y^T Y) - sum_i (mu_i + 2 n lambda) d_i^2 ||Z_i||^2}; {@code tr S = sum_i mu_i d_i} (+1 with an
 * intercept); {@code GCV = (RSS/n) / (1 - tr S / n)^2}. The test risk of the fit follows from the test rows'
 * moments. The grid's weights, in the eigenbasis, are kept for {@link #looModel} and for predictions.
 */
public final class RidgePath {
    private final long n;
    private final int p;
    private final int q;
    private final boolean intercept;
    private final double[] centreX;
    private final double[] centreY;
    private final SymmetricEigen eigen;
    private final double[] mu;        // clamped at 0
    private final double[] z;         // V^T X^T Y, p x q row-major
    private final double targetEnergy; // tr(Y^T Y) of the (centred) targets
    private final double[] targetGram; // Y^T Y, q x q
    private final double[] lambdas;
    private final double[] weights;   // p x (q L) column-major: column l*q + k is d(lambda_l) * Z[:, k]

    private RidgePath(Moments train, boolean intercept, double[] lambdas) {
        if (train.targets() < 1) throw new IllegalArgumentException("ridge regression needs targets");
        this.n = train.n();
        if (n < 1) throw new IllegalArgumentException("no training rows");
        this.p = train.dim();
        this.q = train.targets();
        this.intercept = intercept;
        this.lambdas = lambdas.clone();
        double[] mx = train.mean();
        double[] my = train.targetMean();
        double[] g;
        double[] xy;
        double[] yy;
        if (intercept) {
            centreX = mx;
            centreY = my;
            g = train.scatter();
            xy = train.crossScatter();
            yy = train.targetScatter();
        } else {
            centreX = new double[p];
            centreY = new double[q];
            g = train.secondMomentAbout(centreX);
            xy = train.crossMomentAboutZero();
            yy = train.targetMomentAboutZero();
        }
        targetGram = yy;
        double e = 0;
        for (int k = 0; k < q; k++) e += yy[k * q + k];
        targetEnergy = e;
        eigen = SymmetricEigen.of(g, p);
        mu = eigen.values();
        for (int i = 0; i < p; i++) mu[i] = Math.max(mu[i], 0);
        z = eigen.project(xy, q);
        int grid = lambdas.length;
        weights = new double[p * q * grid];
        for (int l = 0; l < grid; l++) {
            double a = n * lambdas[l];
            for (int k = 0; k < q; k++) {
                int c = (l * q + k) * p;
                for (int i = 0; i < p; i++) weights[c + i] = z[i * q + k] / (mu[i] + a);
            }
        }
    }

    /**
     * The path over {@code lambdas} (each > 0; scikit-learn's alpha is {@code n lambda}) from the training rows'
     * moments, with targets.
     */
    public static RidgePath fit(Moments train, boolean intercept, double[] lambdas) {
        for (double l : lambdas) {
            if (!(l > 0) || Double.isInfinite(l)) throw new IllegalArgumentException("a ridge parameter must be > 0, got " + l);
        }
        return new RidgePath(train, intercept, lambdas);
    }

    /**
     * A log grid of {@code points} ridge parameters relative to the rows' scale {@code s = tr(G)/n} (their mean
     * squared norm about the centre): from {@code s * 1e-7} to {@code s * 10}.
     */
    public static double[] automaticGrid(Moments train, boolean intercept, int points) {
        double[] g = intercept ? train.scatter() : train.secondMomentAbout(new double[train.dim()]);
        double trace = 0;
        for (int i = 0; i < train.dim(); i++) trace += g[i * train.dim() + i];
        return grid(trace / train.n(), points);
    }

    /** {@code points} values log-spaced from {@code s * 1e-7} to {@code s * 10} (s taken as 1 when not positive). */
    static double[] grid(double s, int points) {
        if (!(s > 0)) s = 1;
        double[] out = new double[points];
        for (int i = 0; i < points; i++) {
            double e = points == 1 ? 0 : -7 + 8.0 * i / (points - 1);
            out[i] = s * Math.pow(10, e);
        }
        return out;
    }

    public long n() {
        return n;
    }

    public int dim() {
        return p;
    }

    public int outputs() {
        return q;
    }

    public boolean intercept() {
        return intercept;
    }

    public double[] lambdas() {
        return lambdas.clone();
    }

    /** Eigenvalues {@code mu_i} of {@code X^T X} (centred with an intercept), largest first, clamped at 0. */
    public double[] gramEigenvalues() {
        return mu.clone();
    }

    /** The target energy along eigenvector i, {@code y~_i^2 = ||Z_i||^2 / mu_i} summed over outputs (NaN where mu_i = 0). */
    public double[] targetEnergy() {
        double[] out = new double[p];
        for (int i = 0; i < p; i++) {
            double s = 0;
            for (int k = 0; k < q; k++) s += z[i * q + k] * z[i * q + k];
            out[i] = mu[i] > 0 ? s / mu[i] : Double.NaN;
        }
        return out;
    }

    /**
     * Kernel-target alignment {@code <K, Y Y^T>_F / (||K||_F ||Y Y^T||_F)} of the linear kernel K = X X^T (centred
     * with an intercept): {@code ||X^T Y||_F^2 / (sqrt(sum mu^2) ||Y^T Y||_F)}.
     */
    public double alignment() {
        double num = 0, kk = 0, yy = 0;
        for (double v : z) num += v * v; // ||V^T X^T Y||_F = ||X^T Y||_F
        for (double m : mu) kk += m * m;
        for (double v : targetGram) yy += v * v;
        return num / Math.sqrt(kk * yy);
    }

    /** Effective degrees of freedom {@code tr S} per lambda (with an intercept, it counts 1). */
    public double[] df() {
        double[] out = new double[lambdas.length];
        for (int l = 0; l < lambdas.length; l++) {
            double a = n * lambdas[l], t = intercept ? 1 : 0;
            for (double m : mu) t += m / (m + a);
            out[l] = t;
        }
        return out;
    }

    /** Training risk {@code ||(I - S) y||^2 / n} per lambda (squared error summed over outputs, mean over rows). */
    public double[] trainRisk() {
        double[] energy = new double[p];
        for (int i = 0; i < p; i++) for (int k = 0; k < q; k++) energy[i] += z[i * q + k] * z[i * q + k];
        double[] out = new double[lambdas.length];
        for (int l = 0; l < lambdas.length; l++) {
            double a = n * lambdas[l], rss = targetEnergy;
            for (int i = 0; i < p; i++) {
                double d = 1 / (mu[i] + a);
                rss -= (mu[i] + 2 * a) * d * d * energy[i];
            }
            out[l] = Math.max(rss, 0) / n;
        }
        return out;
    }

    /** GCV per lambda: {@code (||(I - S) y||^2 / n) / (1 - tr S / n)^2}. */
    public double[] gcv() {
        double[] train = trainRisk();
        double[] df = df();
        double[] out = new double[lambdas.length];
        for (int l = 0; l < lambdas.length; l++) {
            double c = 1 - df[l] / n;
            out[l] = train[l] / (c * c);
        }
        return out;
    }

    /**
     * The measured risk of each fit on other rows (the test rows) from their moments alone: with
     * {@code A = X_test - centre}, {@code B = Y_test - centre_y}, {@code (tr B^T B - 2 tr W^T A^T B + tr W^T A^T A W) / n_test}.
     */
    public double[] testRisk(Moments test) {
        if (test.dim() != p || test.targets() != q) {
            throw new IllegalArgumentException("test rows of " + test.dim() + " features and " + test.targets()
                    + " targets against " + p + " and " + q);
        }
        long nt = test.n();
        if (nt < 1) throw new IllegalArgumentException("no test rows");
        double[] mxt = test.mean();
        double[] myt = test.targetMean();
        double[] ata = test.secondMomentAbout(centreX);
        double[] atb = test.crossScatter();
        double[] dy = new double[q];
        for (int k = 0; k < q; k++) dy[k] = myt[k] - centreY[k];
        for (int i = 0; i < p; i++) {
            double dx = mxt[i] - centreX[i];
            for (int k = 0; k < q; k++) atb[i * q + k] += nt * dx * dy[k];
        }
        double[] tyy = test.targetScatter();
        double btb = 0;
        for (int k = 0; k < q; k++) btb += tyy[k * q + k] + nt * dy[k] * dy[k];
        double[] m = eigen.rotate(ata);
        double[] r = eigen.project(atb, q);
        int cols = q * lambdas.length;
        double[] mw = new double[p * cols];
        BLAS.getInstance().dgemm("N", "N", p, cols, p, 1.0, m, p, weights, p, 0.0, mw, p);
        double[] out = new double[lambdas.length];
        for (int l = 0; l < lambdas.length; l++) {
            double s = btb;
            for (int k = 0; k < q; k++) {
                int c = (l * q + k) * p;
                double lin = 0, quad = 0;
                for (int i = 0; i < p; i++) {
                    lin += weights[c + i] * r[i * q + k];
                    quad += weights[c + i] * mw[c + i];
                }
                s += quad - 2 * lin;
            }
            out[l] = Math.max(s, 0) / nt;
        }
        return out;
    }

    /** What a pass over rows needs to compute exact leave-one-out residuals and predictions ({@link RidgeRows}). */
    public RidgeRows looModel() {
        double[] inverse = new double[p * lambdas.length];
        for (int l = 0; l < lambdas.length; l++) {
            double a = n * lambdas[l];
            for (int i = 0; i < p; i++) inverse[l * p + i] = 1 / (mu[i] + a);
        }
        return new RidgeRows(p, q, lambdas.length, centreX, centreY, eigen.vectors(), weights, inverse,
                intercept ? 1.0 / n : 0);
    }
}
