package dev.repgap.alignment;

import dev.repgap.linalg.SymmetricEigen;
import dev.repgap.stats.Moments;

/**
 * Where a residual r (n rows, q outputs) lies in the spectrum of the Gram matrix {@code G = Phi Phi^T} of n feature
 * rows phi_i (docs/formulas.md section 7), from the p x p moments alone: {@code Phi^T Phi = V diag(mu) V^T}, whose
 * non-zero eigenvalues are those of G, with G's unit eigenvectors {@code u_k = Phi v_k / sqrt(mu_k)}. The energy of r
 * along u_k is {@code e_k = (u_k^T r)^2 = ||v_k^T Phi^T r||^2 / mu_k}, summed over the q outputs; what the span of
 * the u_k does not hold is the energy outside the span. Directions with {@code mu_k <= RANK_TOLERANCE * mu_1} count as
 * outside the span (numerically null).
 */
public final class GramAlignment {
    /** Eigenvalues at most this fraction of the largest are numerically zero. */
    public static final double RANK_TOLERANCE = 1e-10;

    private final long n;
    private final int p;
    private final int outputs;
    private final double[] mu;      // the span's eigenvalues of G, largest first
    private final double[] energy;  // e_k along them
    private final double total;     // ||r||^2 summed over outputs
    private final double outside;   // total - sum e_k, clamped at 0
    private final double gradient;  // ||Phi^T r||_F^2 = r^T G r summed over outputs
    private final double[] vectors; // Phi^T Phi's eigenvectors, column-major, largest eigenvalue first
    private final double[] z;       // V^T Phi^T r, p x q row-major

    private GramAlignment(long n, int p, int outputs, double[] mu, double[] energy, double total, double gradient,
                          double[] vectors, double[] z) {
        this.n = n;
        this.p = p;
        this.outputs = outputs;
        this.mu = mu;
        this.energy = energy;
        this.total = total;
        this.gradient = gradient;
        this.vectors = vectors;
        this.z = z;
        double in = 0;
        for (double e : energy) in += e;
        this.outside = Math.max(0, total - in);
    }

    /**
     * From {@code Phi^T Phi} (p x p, symmetric), {@code Phi^T r} (p x q, row-major), {@code ||r||^2} (summed over the q
     * outputs) and the number of rows n.
     */
    public static GramAlignment of(double[] gram, double[] cross, double residualEnergy, long n, int p, int q) {
        if (n < 1) throw new IllegalArgumentException("no rows");
        if (p < 1 || q < 1 || gram.length != (long) p * p || cross.length != (long) p * q) {
            throw new IllegalArgumentException("expected a " + p + " x " + p + " and a " + p + " x " + q + " matrix");
        }
        SymmetricEigen eigen = SymmetricEigen.of(gram, p);
        double[] values = eigen.values();
        double[] z = eigen.project(cross, q);
        double top = Math.max(values[0], 0);
        int rank = 0;
        while (rank < p && rank < n && values[rank] > RANK_TOLERANCE * top) rank++;
        double[] mu = new double[rank];
        double[] energy = new double[rank];
        double gradient = 0;
        for (int k = 0; k < p; k++) {
            double s = 0;
            for (int j = 0; j < q; j++) s += z[k * q + j] * z[k * q + j];
            gradient += s;
            if (k < rank) {
                mu[k] = values[k];
                energy[k] = s / values[k];
            }
        }
        return new GramAlignment(n, p, q, mu, energy, Math.max(residualEnergy, 0), gradient, eigen.vectors(), z);
    }

    /** From the uncentred moments of the rows with the residual as their targets. */
    public static GramAlignment of(Moments rows) {
        if (rows.targets() < 1) throw new IllegalArgumentException("the residual must be given as the targets");
        double[] yy = rows.targetMomentAboutZero();
        double e = 0;
        for (int j = 0; j < rows.targets(); j++) e += yy[j * rows.targets() + j];
        return of(rows.secondMomentAbout(new double[rows.dim()]), rows.crossMomentAboutZero(), e, rows.n(), rows.dim(), rows.targets());
    }

    public long n() {
        return n;
    }

    public int dim() {
        return p;
    }

    public int outputs() {
        return outputs;
    }

    /** Number of non-zero eigenvalues of G (the span's dimension). */
    public int rank() {
        return mu.length;
    }

    /** The non-zero eigenvalues mu_k of G, largest first. */
    public double[] eigenvalues() {
        return mu.clone();
    }

    /** The residual's energy {@code e_k = (u_k^T r)^2} along each of them (summed over outputs). */
    public double[] energy() {
        return energy.clone();
    }

    /** {@code ||r||^2}, summed over outputs. */
    public double residualEnergy() {
        return total;
    }

    /** The share of {@code ||r||^2} outside the span of the u_k (in G's null space). */
    public double outsideSpan() {
        return share(outside);
    }

    /** The alignment {@code a_k = e_k / ||r||^2}. */
    public double[] alignment() {
        double[] a = new double[mu.length];
        for (int k = 0; k < a.length; k++) a[k] = share(energy[k]);
        return a;
    }

    /** The share of {@code ||r||^2} along the eigenvectors of the k largest eigenvalues (k capped at the rank). */
    public double energyTop(int k) {
        if (k < 1) throw new IllegalArgumentException("k must be >= 1, got " + k);
        double s = 0;
        for (int i = 0; i < Math.min(k, mu.length); i++) s += energy[i];
        return share(s);
    }

    /**
     * The share of {@code ||r||^2} along the eigenvectors of the smallest {@code ceil(fraction * rank)} non-zero
     * eigenvalues (at least one).
     */
    public double energyBottom(double fraction) {
        if (!(fraction > 0 && fraction <= 1)) throw new IllegalArgumentException("fraction must be in (0, 1], got " + fraction);
        int b = bottomCount(fraction);
        double s = 0;
        for (int i = mu.length - b; i < mu.length; i++) s += energy[i];
        return share(s);
    }

    /** How many of the smallest non-zero eigenvalues {@link #energyBottom} counts. */
    public int bottomCount(double fraction) {
        return Math.min(mu.length, Math.max(1, (int) Math.ceil(fraction * mu.length - 1e-9)));
    }

    /** {@code r^T G r / (n ||r||^2)}: the eigenvalues of G/n weighted by the residual's energy (summed over outputs). */
    public double weightedEigenvalue() {
        return gradient / (n * total);
    }

    /**
     * The training loss {@code ||r(t)||^2 / (2n)} (summed over outputs) at flow time t under gradient flow on the
     * squared loss {@code (1/2n) sum ||f - y||^2} with the Gram fixed: {@code r(t) = exp(-G t / n) r(0)}, so
     * {@code (sum_k e_k exp(-2 mu_k t / n) + outside) / (2n)}.
     */
    public double trainLoss(double t) {
        if (!(t >= 0) || Double.isInfinite(t)) throw new IllegalArgumentException("t must be finite and >= 0, got " + t);
        double s = outside;
        for (int k = 0; k < mu.length; k++) s += energy[k] * Math.exp(-2 * mu[k] * t / n);
        return s / (2.0 * n);
    }

    /**
     * The predicted generalisation gap at the given flow times ({@link GapPredictor}, reconstructed): its row pass
     * needs the eigenvectors of the span scaled by {@code 1/sqrt(mu_k)} and the residual's coordinates {@code c_k}.
     */
    public GapPredictor gapPredictor(double[] times) {
        int rank = mu.length;
        double[] scaled = new double[p * rank];
        double[] coef = new double[outputs * rank];
        for (int k = 0; k < rank; k++) {
            double f = 1 / Math.sqrt(mu[k]);
            for (int i = 0; i < p; i++) scaled[k * p + i] = vectors[k * p + i] * f;
            for (int j = 0; j < outputs; j++) coef[k * outputs + j] = z[k * outputs + j] * f;
        }
        return new GapPredictor(p, outputs, n, mu.clone(), scaled, coef, times);
    }

    private double share(double e) {
        return total > 0 ? e / total : Double.NaN;
    }
}
