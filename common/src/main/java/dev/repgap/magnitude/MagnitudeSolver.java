package dev.repgap.magnitude;

import dev.ludovic.netlib.blas.BLAS;
import dev.ludovic.netlib.lapack.LAPACK;
import java.util.Arrays;
import java.util.Locale;
import java.util.stream.IntStream;
import org.netlib.util.intW;

/**
 * The magnitude of a finite metric space at a scale t: the similarity matrix {@code Z_ij = exp(-t d_ij)},
 * the weighting w solving {@code Z w = 1}, and {@code Mag(t) = sum_i w_i}. One Cholesky factorisation per
 * t (LAPACK {@code dpotrf}/{@code dpotrs}, double). From {@link #MIXED_MIN_POINTS} points on, the factorisation
 * is first done in single precision ({@code spotrf}, about half the time of {@code dpotrf}) and the solution
 * refined in double against Z in double (residual {@code 1 - Z w} by {@code dsymv}, correction by
 * {@code spotrs}); the result is accepted only when the corrections contract and the last one changes Mag
 * by at most {@link #REFINED_TOLERANCE} of it (both methods solve the same double system: on the benchmark's
 * 64 scales the two values agree to 1e-14), otherwise (the single-precision factorisation fails, or the
 * refinement stalls: Z too ill-conditioned for single precision) the scale is solved by {@code dpotrf} as below. Z is positive definite for every subset of Euclidean
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
        /** Cholesky in single precision, the solution refined in double to {@link #REFINED_TOLERANCE}. */
        CHOLESKY_REFINED,
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

    /** From this many points on, a scale is first solved by the single-precision factorisation and refinement. */
    public static final int MIXED_MIN_POINTS = 256;

    /** The refinement's acceptance: the last correction's 1-norm at most this times |Mag|. */
    public static final double REFINED_TOLERANCE = 1e-13;

    /** Refinement steps before giving up on single precision. */
    private static final int MAX_REFINEMENTS = 12;

    /** Columns of Z per parallel task when it is built. */
    private static final int COLUMN_BLOCK = 32;

    private final int n;
    private final double[] distances;
    private final LAPACK lapack;
    private final BLAS blas;
    /** Reused between scales: Z in double (upper triangle, column-major) and its single-precision copy. */
    private double[] z;
    private float[] single;
    private int solves;

    /**
     * @param distances an n x n symmetric matrix of finite, non-negative distances (row-major; only the upper
     *                  triangle is read), zero on the diagonal
     */
    public MagnitudeSolver(double[] distances, int n) {
        this(distances, n, LAPACK.getInstance());
    }

    public MagnitudeSolver(double[] distances, int n, LAPACK lapack) {
        this(distances, n, lapack, BLAS.getInstance());
    }

    public MagnitudeSolver(double[] distances, int n, LAPACK lapack, BLAS blas) {
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
        this.blas = blas;
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
        return solve(t, null);
    }

    /**
     * The magnitude at scale t and its derivative with respect to log t, {@code t w^T (D o Z) w} (the weighting
     * w, D o Z the entrywise product; Mag' = -w^T Z' w with Z' = -D o Z): one O(N^2) pass more than a solve.
     * The derivative is NaN when the solve failed.
     */
    public double[] solveWithSlope(double t) {
        double[] w = new double[n];
        Solution s = solve(t, w);
        if (!s.ok()) throw new IllegalStateException(s.failure());
        return new double[] {s.magnitude(), t * weightedDistances(t, w)};
    }

    /** As {@link #solve(double)}; the weighting is copied into {@code weights} when it is not null. */
    private Solution solve(double t, double[] weights) {
        if (!(t > 0) || Double.isInfinite(t)) throw new IllegalArgumentException("scale t must be finite and > 0, got " + t);
        solves++;
        boolean mixed = n >= MIXED_MIN_POINTS;
        similarity(t, mixed);
        if (mixed) {
            double[] w = refined();
            if (w != null) {
                if (weights != null) System.arraycopy(w, 0, weights, 0, n);
                return new Solution(t, sum(w), Method.CHOLESKY_REFINED, Double.NaN, null);
            }
        }
        double[] w = ones();
        intW info = new intW(0);
        lapack.dpotrf("U", n, z, n, info);
        if (info.val == 0) {
            lapack.dpotrs("U", n, 1, z, n, w, n, info);
            if (info.val != 0) throw new IllegalStateException("dpotrs failed, info " + info.val);
            if (weights != null) System.arraycopy(w, 0, weights, 0, n);
            return new Solution(t, sum(w), Method.CHOLESKY, Double.NaN, null);
        }
        int failedPivot = info.val;
        similarity(t, false);
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
        if (weights != null) System.arraycopy(w, 0, weights, 0, n);
        return new Solution(t, sum(w), Method.PIVOTED_LDLT, error, null);
    }

    /**
     * Z w = 1 by the single-precision factorisation of Z and refinement in double: w = 0, r = 1; repeat dw = the
     * single-precision solve of Z dw = r, w += dw, r = 1 - Z w (Z in double). The correction's sum is the change
     * of Mag (and estimates the error Mag had before it); accepted when that change is at most
     * {@link #REFINED_TOLERANCE} |Mag| while the corrections still contract (1-norm at most half the one before,
     * so the error left is a fraction of it); null when the factorisation fails, a correction grows (Z too
     * ill-conditioned for single precision) or {@link #MAX_REFINEMENTS} pass. Z (double) is left as it was.
     */
    private double[] refined() {
        intW info = new intW(0);
        lapack.spotrf("U", n, single, n, info);
        if (info.val != 0) return null;
        double[] w = new double[n];
        double[] r = ones();
        float[] step = new float[n];
        double previous = Double.POSITIVE_INFINITY;
        for (int k = 0; k < MAX_REFINEMENTS; k++) {
            for (int i = 0; i < n; i++) step[i] = (float) r[i];
            lapack.spotrs("U", n, 1, single, n, step, n, info);
            if (info.val != 0) return null;
            double size = 0, change = 0, mag = 0;
            for (int i = 0; i < n; i++) {
                w[i] += step[i];
                size += Math.abs(step[i]);
                change += step[i];
                mag += w[i];
            }
            if (!Double.isFinite(size) || size > previous) return null;
            if (k > 0 && Math.abs(change) <= REFINED_TOLERANCE * Math.abs(mag) && size <= 0.5 * previous) return w;
            previous = size;
            Arrays.fill(r, 1);
            blas.dsymv("U", n, -1, z, n, w, 1, 1, r, 1);
        }
        return null;
    }

    /**
     * A lower bound on Mag(t) that needs no factorisation, and its derivative with respect to log t: for positive
     * definite Z, {@code 1^T Z^-1 1 >= N^2 / 1^T Z 1} (Cauchy-Schwarz), close to Mag where Z is near the identity
     * (around t_conv). Returns {bound, d bound / d log t}.
     */
    public double[] lowerBound(double t) {
        double[] sums = new double[n], slopes = new double[n];
        eachColumn(j -> {
            double s = 0, ds = 0;
            for (int i = 0; i < j; i++) {
                double d = distances[i * n + j], e = Math.exp(-t * d);
                s += e;
                ds += d * e;
            }
            sums[j] = s;
            slopes[j] = ds;
        });
        double total = n + 2 * sum(sums), derivative = -2 * sum(slopes);
        double bound = (double) n * n / total;
        return new double[] {bound, bound * (-t * derivative / total)};
    }

    /** {@code w^T (D o Z) w} at scale t: {@code 2 sum_{i<j} d_ij exp(-t d_ij) w_i w_j}, summed column by column. */
    private double weightedDistances(double t, double[] w) {
        double[] columns = new double[n];
        eachColumn(j -> {
            double s = 0;
            for (int i = 0; i < j; i++) {
                double d = distances[i * n + j];
                s += d * Math.exp(-t * d) * w[i];
            }
            columns[j] = 2 * s * w[j];
        });
        return sum(columns);
    }

    private Solution failed(double t, String why) {
        return new Solution(t, Double.NaN, Method.FAILED, Double.NaN, why);
    }

    /**
     * Z's upper triangle, column-major (Z is symmetric, so row-major distances read the same), into the reused
     * buffer; with {@code single}, also its single-precision copy. Columns are filled in parallel (each entry is
     * the same whatever the threads).
     */
    private void similarity(double t, boolean withSingle) {
        if (z == null) z = new double[n * n];
        if (withSingle && single == null) single = new float[n * n];
        double[] zz = z;
        float[] ss = withSingle ? single : null;
        eachColumn(j -> {
            int column = j * n;
            for (int i = 0; i < j; i++) zz[column + i] = Math.exp(-t * distances[i * n + j]);
            zz[column + j] = 1;
            if (ss != null) {
                for (int i = 0; i <= j; i++) ss[column + i] = (float) zz[column + i];
            }
        });
    }

    /** {@code column.accept(j)} for every column j, in parallel blocks of {@link #COLUMN_BLOCK} columns. */
    private void eachColumn(java.util.function.IntConsumer column) {
        IntStream.range(0, (n + COLUMN_BLOCK - 1) / COLUMN_BLOCK).parallel().forEach(b -> {
            for (int j = b * COLUMN_BLOCK; j < Math.min(n, (b + 1) * COLUMN_BLOCK); j++) column.accept(j);
        });
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
        Arrays.fill(w, 1);
        return w;
    }

    private static double sum(double[] w) {
        double s = 0;
        for (double v : w) s += v;
        return s;
    }
}
