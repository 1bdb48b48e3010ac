package dev.repgap.spectrum;

import dev.ludovic.netlib.blas.BLAS;
import dev.repgap.stats.Moments;

/**
 * The moments of rows split into B blocks that give the covariance's traces for any reweighting of
 * the blocks, so that a block bootstrap costs O(B^3) per resample whatever the number of rows and
 * dimensions. With {@code M_b = sum_{i in b} x_i x_i^T} and {@code s_b = sum_{i in b} x_i} (rows
 * centred on their overall mean), it keeps {@code n_b}, {@code tr M_b}, {@code <M_b, M_c>_F},
 * {@code s_c . s_d} and {@code s_c^T M_b s_d}. Only {@code <M_b, M_c>_F = sum_{i in b, j in c} (x_i . x_j)^2}
 * needs more than one pass over the rows: it is summed from the D x D matrices M_b (primal) or from
 * the N x N Gram matrix of the rows (dual), whichever is smaller. When all B matrices M_b fit in
 * {@link #STATE_DOUBLES} doubles, each block's moments are a {@link Moments} state (the same state that
 * gives {@code describe} its covariances) and the M_b are kept whole; otherwise they are built a slice
 * of columns at a time.
 */
final class BlockMoments {
    /** Doubles in a slice of M_b's or of the Gram matrix. */
    private static final int SLICE = 1 << 22;
    /** Doubles the B matrices M_b may take when kept whole (128 MB: D up to 579 with 50 blocks). */
    static final long STATE_DOUBLES = 1L << 24;

    private final int blocks;
    private final double[] count;
    private final double[] trace;
    private final double[] frobenius; // [b * B + c] = <M_b, M_c>_F
    private final double[] sums;      // [c * B + d] = s_c . s_d
    private final double[] cross;     // [(b * B + c) * B + d] = s_c^T M_b s_d

    private BlockMoments(int blocks) {
        this.blocks = blocks;
        count = new double[blocks];
        trace = new double[blocks];
        frobenius = new double[blocks * blocks];
        sums = new double[blocks * blocks];
        cross = new double[blocks * blocks * blocks];
    }

    /**
     * @param x centred rows, row-major, ordered by block: block b is rows {@code start[b] .. start[b+1]-1}
     * @param dual sum {@code <M_b, M_c>_F} from the rows' Gram matrix instead of the M_b
     */
    static BlockMoments of(double[] x, int dim, int[] start, boolean dual) {
        return of(x, dim, start, dual, STATE_DOUBLES);
    }

    /** As above; the primal route keeps the M_b whole when they fit in {@code stateDoubles}. */
    static BlockMoments of(double[] x, int dim, int[] start, boolean dual, long stateDoubles) {
        int blocks = start.length - 1;
        if (!dual && (long) blocks * dim * dim <= stateDoubles) return fromStates(x, dim, start);
        int m = start[blocks];
        BlockMoments out = new BlockMoments(blocks);
        BLAS blas = BLAS.getInstance();
        double[] s = new double[dim * blocks]; // column b: s_b
        for (int b = 0; b < blocks; b++) {
            out.count[b] = start[b + 1] - start[b];
            for (int i = start[b]; i < start[b + 1]; i++) {
                for (int j = 0; j < dim; j++) {
                    double v = x[i * dim + j];
                    s[b * dim + j] += v;
                    out.trace[b] += v * v;
                }
            }
        }
        out.sumsAndCross(blas, x, dim, start, s);
        if (dual) {
            out.frobeniusFromGram(blas, x, dim, start);
        } else {
            out.frobeniusFromBlocks(blas, x, dim, start);
        }
        return out;
    }

    /**
     * Each block's moments as a {@link Moments} state about the rows' overall mean (the rows come centred,
     * so about 0): n_b, s_b and M_b, whose traces and Frobenius inner products are read from the M_b kept
     * whole, one column of a {@code D^2 x B} matrix each.
     */
    private static BlockMoments fromStates(double[] x, int dim, int[] start) {
        int blocks = start.length - 1;
        BlockMoments out = new BlockMoments(blocks);
        BLAS blas = BLAS.getInstance();
        double[] origin = new double[dim];
        double[] s = new double[dim * blocks]; // column b: s_b
        long d2 = (long) dim * dim;
        double[] all = new double[Math.toIntExact(d2 * blocks)]; // column b: M_b
        for (int b = 0; b < blocks; b++) {
            Moments state = Moments.centredOn(origin, null);
            state.add(java.util.Arrays.copyOfRange(x, start[b] * dim, start[b + 1] * dim), null, start[b + 1] - start[b]);
            out.count[b] = state.n();
            System.arraycopy(state.sumAbout(origin), 0, s, b * dim, dim);
            double[] second = state.secondMomentAbout(origin);
            for (int j = 0; j < dim; j++) out.trace[b] += second[j * dim + j];
            System.arraycopy(second, 0, all, (int) (b * d2), (int) d2);
        }
        blas.dgemm("T", "N", blocks, blocks, (int) d2, 1, all, 0, (int) d2, all, 0, (int) d2, 0, out.frobenius, 0, blocks);
        out.sumsAndCross(blas, x, dim, start, s);
        return out;
    }

    /** {@code s_c . s_d}, and {@code s_c^T M_b s_d = sum_{i in b} (x_i . s_c)(x_i . s_d)} from the rows. */
    private void sumsAndCross(BLAS blas, double[] x, int dim, int[] start, double[] s) {
        int m = start[blocks];
        blas.dgemm("T", "N", blocks, blocks, dim, 1, s, 0, dim, s, 0, dim, 0, sums, 0, blocks);
        double[] y = new double[m * blocks]; // column-major m x B: y[i + m c] = x_i . s_c
        blas.dgemm("T", "N", m, blocks, dim, 1, x, 0, dim, s, 0, dim, 0, y, 0, m);
        for (int b = 0; b < blocks; b++) {
            blas.dgemm("T", "N", blocks, blocks, start[b + 1] - start[b], 1, y, start[b], m, y, start[b], m, 0,
                    cross, b * blocks * blocks, blocks);
        }
    }

    /** {@code <M_b, M_c>} as the inner products of M_b's columns, a slice of columns of every M_b at a time. */
    private void frobeniusFromBlocks(BLAS blas, double[] x, int dim, int[] start) {
        int width = Math.max(1, Math.min(dim, SLICE / (blocks * dim)));
        double[] slice = new double[blocks * dim * width];
        for (int j0 = 0; j0 < dim; j0 += width) {
            int w = Math.min(width, dim - j0);
            int len = dim * w;
            for (int b = 0; b < blocks; b++) { // columns j0 .. j0+w-1 of M_b = X_b^T X_b
                blas.dgemm("N", "T", dim, w, start[b + 1] - start[b], 1, x, start[b] * dim, dim, x,
                        start[b] * dim + j0, dim, 0, slice, b * len, dim);
            }
            blas.dgemm("T", "N", blocks, blocks, len, 1, slice, 0, len, slice, 0, len, 1, frobenius, 0, blocks);
        }
    }

    /** {@code <M_b, M_c> = sum (x_i . x_j)^2} over i in b, j in c, a slice of rows of the Gram matrix at a time. */
    private void frobeniusFromGram(BLAS blas, double[] x, int dim, int[] start) {
        int m = start[blocks];
        int[] blockOf = new int[m];
        for (int b = 0; b < blocks; b++) {
            for (int i = start[b]; i < start[b + 1]; i++) blockOf[i] = b;
        }
        int height = Math.max(1, Math.min(m, SLICE / m));
        double[] gram = new double[m * height];
        for (int i0 = 0; i0 < m; i0 += height) {
            int h = Math.min(height, m - i0);
            blas.dgemm("T", "N", m, h, dim, 1, x, 0, dim, x, i0 * dim, dim, 0, gram, 0, m);
            for (int r = 0; r < h; r++) {
                int b = blockOf[i0 + r];
                for (int c = 0; c < blocks; c++) {
                    double squares = 0;
                    for (int j = start[c]; j < start[c + 1]; j++) squares += gram[r * m + j] * gram[r * m + j];
                    frobenius[b * blocks + c] += squares;
                }
            }
        }
    }

    int blocks() {
        return blocks;
    }

    /**
     * {@code (tr C)^2 / ||C||_F^2} of the rows taken with block multiplicities {@code w}, where
     * {@code C = A - mu mu^T}, {@code A = sum w_b M_b / N}, {@code mu = sum w_b s_b / N}, {@code N = sum w_b n_b}:
     * {@code tr C = tr A - |mu|^2} and {@code ||C||^2 = ||A||^2 - 2 mu^T A mu + |mu|^4}. NaN when C = 0.
     */
    double participationRatio(int[] w) {
        double n = 0, t = 0, u = 0, f = 0, q = 0;
        int bb = blocks * blocks;
        for (int b = 0; b < blocks; b++) {
            if (w[b] == 0) continue;
            n += w[b] * count[b];
            t += w[b] * trace[b];
            double qb = 0;
            for (int c = 0; c < blocks; c++) {
                if (w[c] == 0) continue;
                u += (double) w[b] * w[c] * sums[b * blocks + c];
                f += (double) w[b] * w[c] * frobenius[b * blocks + c];
                double row = 0;
                for (int d = 0; d < blocks; d++) row += w[d] * cross[b * bb + c * blocks + d];
                qb += w[c] * row;
            }
            q += w[b] * qb;
        }
        double tr = t / n - u / (n * n);
        double fro = f / (n * n) - 2 * q / (n * n * n) + u * u / (n * n * n * n);
        return fro > 0 ? tr * tr / fro : Double.NaN;
    }
}
