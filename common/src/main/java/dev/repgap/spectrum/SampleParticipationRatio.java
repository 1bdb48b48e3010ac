package dev.repgap.spectrum;

import dev.repgap.id.SeededOrder;
import dev.repgap.stats.Bootstrap;
import dev.repgap.stats.Measured;
import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * Participation ratio {@code (tr C)^2 / ||C||_F^2} of the covariance C of a sample of rows, with a
 * seeded block-bootstrap interval. Needs no eigenvalues: both traces come from second moments. The
 * rows are split into {@value #BLOCKS} blocks of equal size (within one row) by a seeded hash of their
 * ids ({@link SeededOrder}), each block's moments are computed once ({@link BlockMoments}: one pass of
 * N x min(N, D) x D multiply-adds), and a resample draws blocks with replacement and combines their
 * moments, so it costs O(B^3) whatever N and D. Everything depends on the rows' ids and the seed,
 * not on the order the rows come in.
 */
public final class SampleParticipationRatio {
    /** Number of bootstrap blocks (fewer when there are fewer rows: then each row is a block). */
    public static final int BLOCKS = 50;

    /**
     * @param pr the plug-in PR, bootstrap bias-corrected, with its interval
     * @param plugIn the PR of the sample covariance
     * @param dual true when the moments came from the N x N Gram matrix (N < D), false for D x D
     */
    public record Result(Measured pr, double plugIn, int blocks, boolean dual) {}

    private SampleParticipationRatio() {}

    /**
     * The sample PR is biased low (sampling noise spreads the eigenvalues), and so are resamples of
     * it, by about as much again: the bootstrap bias correction {@code 2 PR - mean(PR*)} and the basic
     * (reverse-percentile) {@code level} interval from {@code replicates} block resamples remove it.
     *
     * @param rows row i is {@code rows[i*dim .. (i+1)*dim)}, with id {@code keys[i]}
     */
    public static Result withInterval(float[] rows, long[] keys, int dim, int replicates, double level, long seed) {
        int m = keys.length;
        if (m < 1 || dim < 1 || rows.length != (long) m * dim) {
            throw new IllegalArgumentException(m + " ids and " + rows.length + " values do not make rows of " + dim);
        }
        boolean dual = m < dim;
        BlockMoments moments = BlockMoments.of(centredInSeededOrder(rows, keys, dim, seed), dim,
                blockStarts(m, Math.min(BLOCKS, m)), dual);
        int blocks = moments.blocks();
        int[] ones = new int[blocks];
        Arrays.fill(ones, 1);
        double value = moments.participationRatio(ones);
        double[] boot = new double[replicates];
        SplittableRandom rng = new SplittableRandom(seed);
        int[] w = new int[blocks];
        for (int r = 0; r < replicates; r++) {
            Arrays.fill(w, 0);
            for (int i = 0; i < blocks; i++) w[rng.nextInt(blocks)]++;
            boot[r] = moments.participationRatio(w);
        }
        return new Result(Bootstrap.biasCorrectedBasic(value, boot, level), value, blocks, dual);
    }

    /** Rows minus their mean, in double, in the seeded order of their ids (consecutive runs are the blocks). */
    static double[] centredInSeededOrder(float[] rows, long[] keys, int dim, long seed) {
        int m = keys.length;
        int[] order = SeededOrder.of(keys, seed, 0);
        double[] mean = new double[dim];
        for (int i : order) {
            for (int j = 0; j < dim; j++) mean[j] += rows[i * dim + j];
        }
        for (int j = 0; j < dim; j++) mean[j] /= m;
        double[] x = new double[m * dim];
        for (int i = 0; i < m; i++) {
            int from = order[i] * dim;
            for (int j = 0; j < dim; j++) x[i * dim + j] = rows[from + j] - mean[j];
        }
        return x;
    }

    /** Block b is rows {@code start[b] .. start[b+1]-1}: sizes differ by at most one. */
    static int[] blockStarts(int rows, int blocks) {
        int[] start = new int[blocks + 1];
        for (int b = 0; b <= blocks; b++) start[b] = (int) ((long) b * rows / blocks);
        return start;
    }
}
