package dev.repgap.generate;

import java.util.SplittableRandom;

/** A random D x k matrix with orthonormal columns: an isometric embedding of R^k into R^D. */
public final class OrthonormalFrame {
    private OrthonormalFrame() {}

    /** Column-major D x k; Gaussian columns orthonormalised by modified Gram-Schmidt (twice, for accuracy). */
    public static double[] random(int ambient, int k, SplittableRandom rng) {
        if (k > ambient) throw new IllegalArgumentException("cannot embed R^" + k + " into R^" + ambient);
        double[] q = new double[ambient * k];
        for (int i = 0; i < q.length; i++) q[i] = Gaussian.next(rng);
        for (int j = 0; j < k; j++) {
            for (int pass = 0; pass < 2; pass++) {
                for (int p = 0; p < j; p++) {
                    double dot = 0;
                    for (int r = 0; r < ambient; r++) dot += q[p * ambient + r] * q[j * ambient + r];
                    for (int r = 0; r < ambient; r++) q[j * ambient + r] -= dot * q[p * ambient + r];
                }
            }
            double norm = 0;
            for (int r = 0; r < ambient; r++) norm += q[j * ambient + r] * q[j * ambient + r];
            norm = Math.sqrt(norm);
            for (int r = 0; r < ambient; r++) q[j * ambient + r] /= norm;
        }
        return q;
    }

    /**
     * A random q x p matrix {@code U diag(s) V^T} (row-major, q = s.length <= p) with the singular values {@code s}:
     * U (q x q) and V (p x q) random with orthonormal columns, U drawn first.
     */
    public static double[] withSingularValues(double[] s, int p, SplittableRandom rng) {
        int q = s.length;
        double[] u = random(q, q, rng), v = random(p, q, rng); // column-major
        double[] out = new double[q * p];
        for (int i = 0; i < q; i++) {
            for (int j = 0; j < p; j++) {
                double sum = 0;
                for (int k = 0; k < q; k++) sum += u[k * q + i] * s[k] * v[k * p + j];
                out[i * p + j] = sum;
            }
        }
        return out;
    }
}
