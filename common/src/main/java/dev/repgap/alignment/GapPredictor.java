package dev.repgap.alignment;

import dev.ludovic.netlib.blas.BLAS;
import java.io.Serializable;
import org.apache.commons.math3.analysis.integration.gauss.GaussIntegrator;
import org.apache.commons.math3.analysis.integration.gauss.GaussIntegratorFactory;

/**
 * The kernel-regime generalisation gap predicted from the Gram matrix and the residual, <b>reconstructed</b> from a
 * first-order replace-one stability argument (docs/formulas.md section 7.4):
 * {@code gap(t) = (1/n^2) int_0^t r(t)^T [Diag A(t-s) - A(t-s)/n] r(s) ds} with {@code A(tau) = exp(-G tau/n) G} and
 * {@code r(s) = exp(-G s/n) r(0)}, for the loss {@code (1/2) ||f - y||^2} under gradient flow with G fixed.
 *
 * <p>In G's eigenbasis ({@code u_k}, {@code mu_k}; {@code c_k = u_k^T r(0)}, one entry per output):
 * <ul>
 *   <li>{@code r(t)^T A(t-s) r(s) = sum_k mu_k |c_k|^2 exp(-2 mu_k t/n)} does not depend on s, so the second term is
 *       {@code (t/n) sum_k mu_k |c_k|^2 exp(-2 mu_k t/n)} (driver);
 *   <li>the first is a sum over rows i of {@code int_0^t r_i(t) . r_i(s) A_ii(t-s) ds}, with
 *       {@code r_i(s) = r_i^perp + sum_k exp(-mu_k s/n) c_k u_ki} and {@code A_ii(tau) = sum_k mu_k exp(-mu_k tau/n) u_ki^2},
 *       {@code u_ki = v_k . phi_i / sqrt(mu_k)}: one pass over the training rows with the eigenvectors broadcast, the
 *       integral by composite Gauss-Legendre quadrature on panels halving towards both ends (the integrand's boundary
 *       layers are {@code n / mu_max} wide), accurate to about 1e-10 relative on the tests' data.
 * </ul>
 * The whole formula sits behind {@link #predict}, so an exact kernel can replace it.
 */
public final class GapPredictor implements Serializable {
    private static final long serialVersionUID = 1L;
    static final int BLOCK = 256;
    /** Gauss-Legendre nodes per panel. */
    static final int NODES = 8;

    private final int p;
    private final int q;
    private final int rank;
    private final long n;
    private final double[] mu;       // rank
    private final double[] vectors;  // p x rank column-major: v_k / sqrt(mu_k)
    private final double[] coef;     // q x rank column-major: c_k
    private final double[] times;
    private transient volatile Nodes[] nodes;

    GapPredictor(int p, int q, long n, double[] mu, double[] vectors, double[] coef, double[] times) {
        this.p = p;
        this.q = q;
        this.rank = mu.length;
        this.n = n;
        this.mu = mu;
        this.vectors = vectors;
        this.coef = coef;
        this.times = times.clone();
        for (double t : times) {
            if (!(t >= 0) || Double.isInfinite(t)) throw new IllegalArgumentException("t must be finite and >= 0, got " + t);
        }
    }

    public double[] times() {
        return times.clone();
    }

    public int dim() {
        return p;
    }

    public int outputs() {
        return q;
    }

    /** Empty sums of a pass over training rows. */
    public Sums sums() {
        return new Sums(this);
    }

    /** The predicted gap at each time, from the sums of every training row (all n of them). */
    public double[] predict(Sums s) {
        s.flush();
        if (s.rows != n) throw new IllegalArgumentException("the sums hold " + s.rows + " rows of the " + n + " the Gram was built from");
        double[] out = new double[times.length];
        for (int i = 0; i < times.length; i++) {
            double t = times[i];
            if (t == 0) continue;
            double second = 0;
            for (int k = 0; k < rank; k++) {
                double c2 = 0;
                for (int j = 0; j < q; j++) c2 += coef[k * q + j] * coef[k * q + j];
                second += mu[k] * c2 * Math.exp(-2 * mu[k] * t / n);
            }
            second *= t / n;
            out[i] = (s.first[i] - second) / ((double) n * n);
        }
        return out;
    }

    /** The quadrature of one time: per node, exp(-mu_k s_j / n) and weight x mu_k exp(-mu_k (t - s_j) / n). */
    private record Nodes(int count, double[] decay, double[] kernel, double[] coefAtT) {}

    private Nodes[] nodes() {
        Nodes[] all = nodes;
        if (all == null) {
            all = new Nodes[times.length];
            GaussIntegrator rule = new GaussIntegratorFactory().legendre(NODES);
            for (int i = 0; i < times.length; i++) all[i] = nodes(times[i], rule);
            nodes = all;
        }
        return all;
    }

    private Nodes nodes(double t, GaussIntegrator rule) {
        double aMax = rank == 0 ? 0 : mu[0] * t / n;
        int halvings = Math.max(2, (int) Math.ceil(Math.log(Math.max(1, aMax)) / Math.log(2)) + 3);
        // breakpoints 0, t/2^J, .., t/4, t/2, t - t/4, .., t - t/2^J, t
        double[] edges = new double[2 * halvings + 1];
        for (int j = 0; j < halvings; j++) {
            edges[j + 1] = t * Math.pow(0.5, halvings - j);
            edges[2 * halvings - 1 - j] = t - edges[j + 1];
        }
        edges[halvings] = t / 2;
        edges[2 * halvings] = t;
        int count = (edges.length - 1) * NODES;
        double[] s = new double[count], w = new double[count];
        for (int panel = 0; panel < edges.length - 1; panel++) {
            double lo = edges[panel], hi = edges[panel + 1];
            for (int j = 0; j < NODES; j++) {
                s[panel * NODES + j] = lo + (rule.getPoint(j) + 1) / 2 * (hi - lo);
                w[panel * NODES + j] = rule.getWeight(j) / 2 * (hi - lo);
            }
        }
        double[] decay = new double[rank * count], kernel = new double[rank * count]; // rank x count column-major
        for (int j = 0; j < count; j++) {
            for (int k = 0; k < rank; k++) {
                decay[j * rank + k] = Math.exp(-mu[k] * s[j] / n);
                kernel[j * rank + k] = w[j] * mu[k] * Math.exp(-mu[k] * (t - s[j]) / n);
            }
        }
        double[] coefAtT = new double[q * rank];
        for (int k = 0; k < rank; k++) {
            double e = Math.exp(-mu[k] * t / n);
            for (int j = 0; j < q; j++) coefAtT[k * q + j] = coef[k * q + j] * e;
        }
        return new Nodes(count, decay, kernel, coefAtT);
    }

    /**
     * Mergeable sums of the first term over training rows, one per time. Rows are buffered and added a block at a
     * time (matrix products through BLAS).
     */
    public static final class Sums implements Serializable {
        private static final long serialVersionUID = 1L;
        private final double[] first;
        private long rows;
        private transient GapPredictor model;
        private transient double[] blockX;
        private transient double[] blockR;
        private transient int pending;

        Sums(GapPredictor model) {
            this.model = model;
            this.first = new double[model.times.length];
        }

        /** One training row: its vector and its residual at time 0 (q values). */
        public void add(float[] x, double[] r0) {
            GapPredictor m = model;
            if (x.length != m.p || r0.length != m.q) {
                throw new IllegalArgumentException("a row of " + x.length + " values and " + r0.length + " residuals where "
                        + m.p + " and " + m.q + " are expected");
            }
            if (blockX == null) {
                blockX = new double[BLOCK * m.p];
                blockR = new double[BLOCK * m.q];
            }
            for (int i = 0; i < m.p; i++) blockX[pending * m.p + i] = x[i];
            System.arraycopy(r0, 0, blockR, pending * m.q, m.q);
            if (++pending == BLOCK) flush();
        }

        /** Adds the buffered rows. */
        public void flush() {
            if (pending == 0 || model == null) return;
            GapPredictor m = model;
            int b = pending, rank = m.rank, q = m.q;
            rows += b;
            pending = 0;
            if (rank == 0) return; // G = 0: nothing moves, A = 0
            BLAS blas = BLAS.getInstance();
            double[] u = new double[rank * b]; // column r: u_k of row r
            blas.dgemm("T", "N", rank, b, m.p, 1.0, m.vectors, m.p, blockX, m.p, 0.0, u, rank);
            double[] inSpan = new double[q * b]; // column r: sum_k c_k u_kr
            blas.dgemm("N", "N", q, b, rank, 1.0, m.coef, q, u, rank, 0.0, inSpan, q);
            double[] u2 = new double[rank * b];
            for (int i = 0; i < u2.length; i++) u2[i] = u[i] * u[i];
            Nodes[] all = m.nodes();
            for (int ti = 0; ti < all.length; ti++) {
                if (m.times[ti] == 0) continue;
                Nodes nd = all[ti];
                double[] rt = new double[q * b]; // r_i(t) = r_i(0) - inSpan + sum_k e^{-a_k} c_k u_k
                blas.dgemm("N", "N", q, b, rank, 1.0, nd.coefAtT(), q, u, rank, 0.0, rt, q);
                double[] perpDot = new double[b];
                for (int r = 0; r < b; r++) {
                    double s = 0;
                    for (int j = 0; j < q; j++) {
                        double perp = blockR[r * q + j] - inSpan[r * q + j];
                        rt[r * q + j] += perp;
                        s += perp * rt[r * q + j];
                    }
                    perpDot[r] = s;
                }
                double[] weighted = new double[rank * b]; // u_kr (c_k . r_r(t))
                blas.dgemm("T", "N", rank, b, q, 1.0, m.coef, q, rt, q, 0.0, weighted, rank);
                for (int i = 0; i < weighted.length; i++) weighted[i] *= u[i];
                double[] along = new double[nd.count() * b]; // sum_k e^{-mu_k s_j/n} u_kr (c_k . r_r(t))
                blas.dgemm("T", "N", nd.count(), b, rank, 1.0, nd.decay(), rank, weighted, rank, 0.0, along, nd.count());
                double[] diag = new double[nd.count() * b]; // w_j A_rr(t - s_j)
                blas.dgemm("T", "N", nd.count(), b, rank, 1.0, nd.kernel(), rank, u2, rank, 0.0, diag, nd.count());
                double sum = 0;
                for (int r = 0; r < b; r++) {
                    for (int j = 0; j < nd.count(); j++) {
                        sum += (perpDot[r] + along[r * nd.count() + j]) * diag[r * nd.count() + j];
                    }
                }
                first[ti] += sum;
            }
        }

        private void writeObject(java.io.ObjectOutputStream out) throws java.io.IOException {
            flush(); // buffered rows are added before the state leaves
            out.defaultWriteObject();
        }

        /** This state with the other's sums added (both flushed). */
        public Sums merge(Sums other) {
            flush();
            other.flush();
            if (other.first.length != first.length) throw new IllegalArgumentException("sums of different times");
            for (int i = 0; i < first.length; i++) first[i] += other.first[i];
            rows += other.rows;
            return this;
        }

        public long rows() {
            return rows;
        }
    }
}
