package dev.repgap.compression;

import dev.ludovic.netlib.blas.BLAS;
import dev.repgap.spectrum.CovarianceSpectrum;

/**
 * The squared singular values of a layer's Jacobian at one input, estimated from the layer's outputs at M
 * noise-perturbed copies {@code x + sigma e_m} of that input (Gaussian {@code e_m}): the eigenvalues of the copies'
 * sample covariance (about their own mean, divisor M - 1) divided by {@code sigma^2}, which estimate those of
 * {@code J J^T} (docs/formulas.md, "Compression from noisy copies"). The eigenvalues come from the smaller of the
 * M x M Gram matrix of the centred copies and their D x D scatter matrix (same non-zero eigenvalues), so the cost
 * of a source is {@code O(M^2 D + M^3)} when the layer is wider than the copies are many.
 */
public final class JacobianSpectrum {
    private JacobianSpectrum() {}

    /** The four quantities of one input; {@code volumeRank} is the number of singular values its log volume summed. */
    public record Quantities(double mls, double logVolume, int volumeRank, double localDim, double frobenius2) {}

    /**
     * Estimates of {@code s_1^2 >= s_2^2 >= ...}, {@code min(M - 1, D)} of them (the centred copies have rank at most
     * M - 1), round-off negatives set to 0. {@code copies} holds the M copies' outputs row-major (M x D).
     */
    public static double[] squaredSingularValues(double[] copies, int m, int d, double sigma) {
        if (m < 2) throw new IllegalArgumentException("need at least 2 copies, got " + m);
        if (d < 1 || copies.length != (long) m * d) {
            throw new IllegalArgumentException("expected " + m + " x " + d + " values, got " + copies.length);
        }
        if (!(sigma > 0) || Double.isInfinite(sigma)) throw new IllegalArgumentException("sigma must be finite and > 0, got " + sigma);
        double[] centred = centred(copies, m, d);
        // Row-major M x D is the column-major D x M matrix A (one copy per column).
        int n = Math.min(m, d);
        double[] c = new double[n * n];
        BLAS blas = BLAS.getInstance();
        if (m <= d) {
            blas.dsyrk("U", "T", m, d, 1.0, centred, 0, d, 0.0, c, 0, m); // A^T A: the Gram of the copies
        } else {
            blas.dsyrk("U", "N", d, m, 1.0, centred, 0, d, 0.0, c, 0, d); // A A^T: their scatter matrix
        }
        double[] eigen = CovarianceSpectrum.ofSymmetric(c, n).eigenvalues();
        int rank = Math.min(m - 1, d);
        double scale = 1.0 / ((m - 1) * sigma * sigma);
        double[] s2 = new double[rank];
        for (int k = 0; k < rank; k++) s2[k] = Math.max(eigen[k], 0) * scale;
        return s2;
    }

    /** The copies minus their mean (in double). */
    static double[] centred(double[] copies, int m, int d) {
        double[] mean = new double[d];
        for (int i = 0; i < m; i++) {
            for (int j = 0; j < d; j++) mean[j] += copies[i * d + j];
        }
        for (int j = 0; j < d; j++) mean[j] /= m;
        double[] out = new double[copies.length];
        for (int i = 0; i < m; i++) {
            for (int j = 0; j < d; j++) out[i * d + j] = copies[i * d + j] - mean[j];
        }
        return out;
    }

    /**
     * From the squared singular values, largest first: the maximum local sensitivity {@code s_1}, the log volume
     * {@code sum_{k <= K} ln s_k} over the {@code K = min(volumeRank, s2.length)} largest (minus infinity when one of
     * them is 0), the local dimensionality {@code (sum s_k^2)^2 / sum s_k^4} (NaN when all are 0) and
     * {@code ||J||_F^2 = sum s_k^2}.
     */
    public static Quantities quantities(double[] s2, int volumeRank) {
        if (s2.length == 0) throw new IllegalArgumentException("no singular values");
        if (volumeRank < 1) throw new IllegalArgumentException("the volume rank must be >= 1, got " + volumeRank);
        double sum = 0, squares = 0;
        for (double v : s2) {
            sum += v;
            squares += v * v;
        }
        int k = Math.min(volumeRank, s2.length);
        double logVolume = 0;
        for (int i = 0; i < k; i++) logVolume += s2[i] > 0 ? 0.5 * Math.log(s2[i]) : Double.NEGATIVE_INFINITY;
        return new Quantities(Math.sqrt(s2[0]), logVolume, k, squares == 0 ? Double.NaN : sum * sum / squares, sum);
    }
}
