package dev.repgap.magnitude;

import dev.ludovic.netlib.lapack.LAPACK;
import java.util.Locale;
import org.netlib.util.intW;

/**
 * The magnitude of a finite metric space at a scale t: the similarity matrix {@code Z_ij = exp(-t d_ij)},
 * the weighting w solving {@code Z w = 1}, and {@code Mag(t) = sum_i w_i}. One Cholesky factorisation per
 * t (LAPACK {@code dpotrf}/{@code dpotrs}, double). Z is positive definite for every subset of Euclidean
 * space and l1 space in exact arithmetic, but rounding (or a metric that is not of negative type) can make
 * the factorisation fail. Z is then never perturbed: the same system is solved by the pivoted symmetric
 * indefinite factorisation ({@code dsysv}, Bunch-Kaufman LDL^T), whose result is accepted only if its
 * backward error {@code ||Z w - 1||_inf / (||Z||_inf ||w||_inf + 1)} is at most {@link #MAX_BACKWARD_ERROR};
 * otherwise that t fails with a message (Z is numerically singular there, e.g. duplicate points).
 *
 * <p>LAPACK is dev.ludovic.netlib's: native (OpenBLAS) when it loads, else its pure-Java translation, which
 * gives the same answers slowly.
 */
public final class MagnitudeSolver {
    /** The largest backward error accepted from the pivoted fallback. */
    public static final double MAX_BACKWARD_ERROR = 1e-10;

    /** How a scale's system was solved. */
    public enum Method {
        /** Cholesky: Z was numerically positive definite. */
        CHOLESKY,
        /** Pivoted LDL^T after Cholesky failed, accepted by its backward error. */
        PIVOTED_LDLT,
        /** Neither: Z is numerically singular at this t, no value. */
        FAILED
    }

    /**
     * One scale: the magnitude (NaN when the solve failed), how it was solved, the backward error (NaN when
     * Cholesky succeeded: not computed), and why it failed (null otherwise).
     */
    public record Solution(double t, double magnitude, Method method, double backwardError, String failure) {
        public boolean ok() {
            return method != Method.FAILED;
        }
    }

    private final int n;
    private final double[] distances;
    private final LAPACK lapack;
    private int solves;

    /**
     * @param distances an n x n symmetric matrix of finite, non-negative distances (row-major; only the upper
     *                  triangle is read), zero on the diagonal
     */
    public MagnitudeSolver(double[] distances, int n) {
        this(distances, n, LAPACK.getInstance());
    }

    public MagnitudeSolver(double[] distances, int n, LAPACK lapack) {
        if (n < 1 || distances.length != (long) n * n) {
            throw new IllegalArgumentException("need an n x n distance matrix, got " + distances.length + " values for n = " + n);
        }
        for (int i = 0; i < n; i++) {
            for (int j = i; j < n; j++) {
                double d = distances[i * n + j];
                if (!(d >= 0) || Double.isInfinite(d) || (i == j && d != 0)) {
                    throw new IllegalArgumentException(String.format(Locale.ROOT,
                            "distance (%d, %d) is %s: need finite distances >= 0, 0 on the diagonal", i, j, d));
                }
            }
        }
        this.n = n;
        this.distances = distances;
        this.lapack = lapack;
    }

    public int points() {
        return n;
    }

    /** How many scales this solver has solved so far (each one factorisation, two after a failed Cholesky). */
    public int solves() {
        return solves;
    }

    /** The magnitude at scale {@code t > 0}. */
    public Solution solve(double t) {
        if (!(t > 0) || Double.isInfinite(t)) throw new IllegalArgumentException("scale t must be finite and > 0, got " + t);
        solves++;
        double[] z = similarity(t);
        double[] w = ones();
        intW info = new intW(0);
        lapack.dpotrf("U", n, z, n, info);
        if (info.val == 0) {
            lapack.dpotrs("U", n, 1, z, n, w, n, info);
            if (info.val != 0) throw new IllegalStateException("dpotrs failed, info " + info.val);
            return new Solution(t, sum(w), Method.CHOLESKY, Double.NaN, null);
        }
        int failedPivot = info.val;
        z = similarity(t);
        w = ones();
        int[] pivots = new int[n];
        double[] query = new double[1];
        lapack.dsysv("U", n, 1, z, n, pivots, w, n, query, -1, info);
        double[] work = new double[Math.max(1, (int) query[0])];
        lapack.dsysv("U", n, 1, z, n, pivots, w, n, work, work.length, info);
        if (info.val != 0) {
            return failed(t, String.format(Locale.ROOT, "Z = exp(-t d) is singular at t = %s: Cholesky failed at pivot %d"
                    + " and the pivoted LDL^T factorisation has an exact zero pivot (%d); duplicate points?", t,
                    failedPivot, info.val));
        }
        double error = backwardError(t, w);
        if (!(error <= MAX_BACKWARD_ERROR)) {
            return failed(t, String.format(Locale.ROOT, "Z = exp(-t d) is numerically singular at t = %s: Cholesky failed at"
                    + " pivot %d and the pivoted LDL^T solution has backward error %.3g > %.0e", t, failedPivot, error,
                    MAX_BACKWARD_ERROR));
        }
        return new Solution(t, sum(w), Method.PIVOTED_LDLT, error, null);
    }

    private Solution failed(double t, String why) {
        return new Solution(t, Double.NaN, Method.FAILED, Double.NaN, why);
    }

    /** Z's upper triangle, column-major (Z is symmetric, so row-major distances read the same). */
    private double[] similarity(double t) {
        double[] z = new double[n * n];
        for (int j = 0; j < n; j++) {
            int column = j * n;
            for (int i = 0; i < j; i++) z[column + i] = Math.exp(-t * distances[i * n + j]);
            z[column + j] = 1;
        }
        return z;
    }

    /** {@code ||Z w - 1||_inf / (||Z||_inf ||w||_inf + 1)}, Z recomputed from the distances. */
    private double backwardError(double t, double[] w) {
        double residual = 0, normZ = 0, normW = 0;
        for (double v : w) normW = Math.max(normW, Math.abs(v));
        for (int i = 0; i < n; i++) {
            double r = -1, row = 0;
            for (int j = 0; j < n; j++) {
                double zij = Math.exp(-t * distances[Math.min(i, j) * n + Math.max(i, j)]);
                r += zij * w[j];
                row += zij;
            }
            residual = Math.max(residual, Math.abs(r));
            normZ = Math.max(normZ, row);
        }
        if (!Double.isFinite(normW)) return Double.POSITIVE_INFINITY;
        return residual / (normZ * normW + 1);
    }

    private double[] ones() {
        double[] w = new double[n];
        java.util.Arrays.fill(w, 1);
        return w;
    }

    private static double sum(double[] w) {
        double s = 0;
        for (double v : w) s += v;
        return s;
    }
}
