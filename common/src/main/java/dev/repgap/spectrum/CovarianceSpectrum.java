package dev.repgap.spectrum;

import dev.ludovic.netlib.lapack.LAPACK;
import java.util.Arrays;
import org.netlib.util.intW;

/**
 * Eigenvalues of a covariance matrix, largest first, and the linear dimensions read from them:
 * the participation ratio {@code (sum lambda)^2 / sum lambda^2} and the numerical rank.
 */
public final class CovarianceSpectrum {
    /** Eigenvalues below this fraction of the largest count as round-off, not as a direction. */
    public static final double RANK_TOLERANCE = 1e-6;

    private final double[] eigenvalues;

    private CovarianceSpectrum(double[] descending) {
        this.eigenvalues = descending;
    }

    /** From a symmetric d x d matrix (column-major, only the upper triangle is read), by LAPACK dsyev. */
    public static CovarianceSpectrum ofSymmetric(double[] matrix, int d) {
        if (matrix.length != (long) d * d) {
            throw new IllegalArgumentException("expected " + d + " x " + d + " values, got " + matrix.length);
        }
        if (d == 0) return new CovarianceSpectrum(new double[0]);
        double[] a = matrix.clone();
        double[] w = new double[d];
        double[] query = new double[1];
        intW info = new intW(0);
        LAPACK lapack = LAPACK.getInstance();
        lapack.dsyev("N", "U", d, a, d, w, query, -1, info);
        double[] work = new double[Math.max(1, (int) query[0])];
        lapack.dsyev("N", "U", d, a, d, w, work, work.length, info);
        if (info.val != 0) throw new ArithmeticException("dsyev did not converge (info = " + info.val + ")");
        double[] descending = new double[d];
        for (int i = 0; i < d; i++) descending[i] = w[d - 1 - i];
        return new CovarianceSpectrum(descending);
    }

    /** Eigenvalues, largest first. Tiny negative values from round-off are kept as they are. */
    public double[] eigenvalues() {
        return eigenvalues.clone();
    }

    /** The largest {@code count} eigenvalues (fewer when there are fewer). */
    public double[] top(int count) {
        return Arrays.copyOf(eigenvalues, Math.min(count, eigenvalues.length));
    }

    /** Total variance: the trace of the covariance. */
    public double total() {
        double s = 0;
        for (double l : eigenvalues) s += Math.max(l, 0);
        return s;
    }

    /** (sum lambda)^2 / sum lambda^2; NaN when all variance is zero. */
    public double participationRatio() {
        double sum = 0, squares = 0;
        for (double l : eigenvalues) {
            double v = Math.max(l, 0);
            sum += v;
            squares += v * v;
        }
        return squares == 0 ? Double.NaN : sum * sum / squares;
    }

    /** Number of eigenvalues above {@link #RANK_TOLERANCE} times the largest. */
    public int rank() {
        if (eigenvalues.length == 0 || eigenvalues[0] <= 0) return 0;
        double threshold = eigenvalues[0] * RANK_TOLERANCE;
        int r = 0;
        for (double l : eigenvalues) if (l > threshold) r++;
        return r;
    }
}
