package dev.repgap.knn;

/**
 * A rigorous bound on the float32 error of the Gram trick, so that the fast path can discard a
 * reference only when it provably is not among the exact k nearest.
 *
 * <p>Let x, y be the original float rows, d their exact squared distance, a = fl(x - c) and
 * b = fl(y - c) the centred float rows, A = |a|^2, B = |b|^2, M = (|a| + |b|)^2 <= 2(A + B), and
 * u = 2^-24. A kernel returns T = fl(lA + lB - 2 a.b) summed in any order (any GEMM, with or
 * without FMA), where lX = fl32(A) - wX rounded down and wX = 2 kappa fl32(X). Then
 * <ul>
 *   <li>centring: |a - b|^2 <= d + 2.1 u M (each coordinate has relative error <= u);
 *   <li>summation of the D + 2 terms: error <= gamma(D + 2) (lA + lB + 2 sum|a_i b_i|) <= gamma(D + 2)(1 + u) M,
 *       gamma(n) = n u / (1 - n u) (Higham, Accuracy and Stability, 3.1);
 *   <li>norm rounding: <= u (A + B) <= u M; the double reference sum: <= (D + 1) 2^-53 d.
 * </ul>
 * With kappa = 1.01 (gamma(D + 2) + 6u + (D + 1) 2^-52) the margins wA + wB >= kappa (1 - u) M cover
 * the sum, so T <= ExactDistance.squared(x, y): a reference is skipped only if T exceeds the k-th
 * exact distance, which then proves it is farther.
 *
 * <p>The same terms bound T from the other side: ExactDistance.squared(x, y) <= T + 2 (wA + wB),
 * so {@code T + gap(q) + gap(r)} with gap = 2w is an upper bound that lets the scan know its k-th
 * distance before computing any distance exactly.
 *
 * <p>Two limits of float32 are outside that model. Underflow: a product below 2^-126 loses its
 * relative precision, each costs at most an absolute 2^-150, so a kernel value also carries an
 * absolute error of at most (D + 3) 1.01 2^-149; every row's margin adds {@link #absolute}(D) =
 * (D + 4) 2^-149, which covers it for any pair. Overflow: a row whose centred squared norm exceeds
 * {@link #SAFE_NORM} = 2^124 could overflow the sum or its parts (for rows below it every partial
 * sum stays under 2^126, by Cauchy-Schwarz); such a row gets a NaN norm, so every kernel value with
 * it is NaN, and a NaN value is never a proof: {@link #cannotRuleOut} takes it as a candidate, and the
 * exact double recompute decides (double holds every squared distance of float32 values).
 */
final class CancellationBound {

    private static final double U = 0x1p-24;

    /** Rows whose centred squared norm exceeds this are not bounded by the kernel (see above). */
    static final double SAFE_NORM = 0x1p124;

    private CancellationBound() {}

    /** kappa above: the relative margin per unit of squared norm. */
    static double kappa(int dim) {
        double n = dim + 2.0;
        double gamma = n * U / (1.0 - n * U);
        return 1.01 * (gamma + 6.0 * U + (dim + 1.0) * 0x1p-52);
    }

    /** The absolute margin per row against underflow: (D + 4) 2^-149. */
    static double absolute(int dim) {
        return (dim + 4.0) * 0x1p-149;
    }

    /**
     * fl32(norm) minus its margin, rounded down: the norm a kernel uses so that its output is a lower
     * bound; NaN beyond {@link #SAFE_NORM}, so that every kernel value with this row is NaN.
     */
    static float lowerNorm(double squaredNorm, double kappa, double absolute) {
        if (!(squaredNorm <= SAFE_NORM)) {
            return Float.NaN;
        }
        float norm = (float) squaredNorm;
        return roundDown(norm - 2.0 * kappa * norm - absolute);
    }

    /** 2w for this norm, rounded up with a little slack: the width between lower and upper bound; infinite beyond {@link #SAFE_NORM}. */
    static float gap(double squaredNorm, double kappa, double absolute) {
        if (!(squaredNorm <= SAFE_NORM)) {
            return Float.POSITIVE_INFINITY;
        }
        return roundUp(4.0 * kappa * (float) squaredNorm * 1.001 + 2.0 * absolute);
    }

    /**
     * True unless the kernel value proves the pair is beyond the threshold: {@code !(value > threshold)},
     * so a NaN value (a row beyond {@link #SAFE_NORM}) is always a candidate.
     */
    static boolean cannotRuleOut(float value, float threshold) {
        return !(value > threshold);
    }

    static float roundDown(double v) {
        float f = (float) v;
        return f > v ? Math.nextDown(f) : f;
    }

    static float roundUp(double v) {
        float f = (float) v;
        return f < v ? Math.nextUp(f) : f;
    }
}
