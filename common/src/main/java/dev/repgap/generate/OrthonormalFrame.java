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
}
