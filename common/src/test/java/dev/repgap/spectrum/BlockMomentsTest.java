package dev.repgap.spectrum;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import java.util.SplittableRandom;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;

class BlockMomentsTest {
    /** n rows of a Gaussian with standard deviations {@code sd} (variance sd^2 along axis j), shifted off the origin. */
    private static float[] gaussian(int n, double[] sd, long seed) {
        Random rng = new Random(seed);
        float[] rows = new float[n * sd.length];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < sd.length; j++) rows[i * sd.length + j] = (float) (3 + sd[j] * rng.nextGaussian());
        }
        return rows;
    }

    /** PR of the rows repeated w[b] times per block, from an explicit covariance matrix and its eigenvalues. */
    private static double direct(double[] x, int dim, int[] start, int[] w) {
        double total = 0;
        double[] mean = new double[dim];
        for (int b = 0; b < w.length; b++) {
            for (int i = start[b]; i < start[b + 1]; i++) {
                total += w[b];
                for (int j = 0; j < dim; j++) mean[j] += w[b] * x[i * dim + j];
            }
        }
        for (int j = 0; j < dim; j++) mean[j] /= total;
        double[] cov = new double[dim * dim];
        for (int b = 0; b < w.length; b++) {
            for (int i = start[b]; i < start[b + 1]; i++) {
                for (int p = 0; p < dim; p++) {
                    for (int q = 0; q < dim; q++) {
                        cov[p * dim + q] += w[b] * (x[i * dim + p] - mean[p]) * (x[i * dim + q] - mean[q]) / total;
                    }
                }
            }
        }
        return CovarianceSpectrum.ofSymmetric(cov, dim).participationRatio();
    }

    @Test
    void gramStateAndSlicedRoutesGiveTheParticipationRatioOfEveryResample() {
        SplittableRandom rng = new SplittableRandom(3);
        for (int[] shape : new int[][] {{40, 12}, {12, 40}, {7, 7}}) {
            int m = shape[0], dim = shape[1];
            double[] sd = new double[dim];
            for (int j = 0; j < dim; j++) sd[j] = 1.0 / (1 + j);
            float[] rows = gaussian(m, sd, m + dim);
            long[] ids = LongStream.range(0, m).map(i -> 1000 - 7 * i).toArray();
            double[] x = SampleParticipationRatio.centredInSeededOrder(rows, ids, dim, 5);
            int blocks = Math.min(m, 5);
            int[] start = SampleParticipationRatio.blockStarts(m, blocks);
            BlockMoments primal = BlockMoments.of(x, dim, start, false); // one Moments state per block
            BlockMoments sliced = BlockMoments.of(x, dim, start, false, 0); // the M_b a slice at a time
            BlockMoments dual = BlockMoments.of(x, dim, start, true);
            for (int r = 0; r < 20; r++) {
                int[] w = new int[blocks];
                if (r == 0) java.util.Arrays.fill(w, 1);
                else for (int i = 0; i < blocks; i++) w[rng.nextInt(blocks)]++;
                double expected = direct(x, dim, start, w);
                assertEquals(expected, primal.participationRatio(w), 1e-10 * expected, m + " x " + dim);
                assertEquals(expected, sliced.participationRatio(w), 1e-10 * expected, m + " x " + dim);
                assertEquals(expected, dual.participationRatio(w), 1e-10 * expected, m + " x " + dim);
            }
        }
    }

    @Test
    void wideRowsTakeTheGramRouteAndAgreeWithTheEigenvalues() {
        int m = 30, dim = 400;
        double[] sd = new double[dim];
        for (int j = 0; j < dim; j++) sd[j] = Math.pow(0.98, j);
        float[] rows = gaussian(m, sd, 11);
        long[] ids = LongStream.range(0, m).toArray();
        SampleParticipationRatio.Result r = SampleParticipationRatio.withInterval(rows, ids, dim, 50, 0.9, 2);
        assertTrue(r.dual());
        assertEquals(m, r.blocks());
        double[] x = SampleParticipationRatio.centredInSeededOrder(rows, ids, dim, 2);
        int[] ones = new int[m];
        java.util.Arrays.fill(ones, 1);
        double expected = direct(x, dim, SampleParticipationRatio.blockStarts(m, m), ones);
        assertEquals(expected, r.plugIn(), 1e-10 * expected);
    }

    /**
     * The block bootstrap's 90% interval covers the true PR of a Gaussian in most seeds. True PR of
     * variances v: (sum v)^2 / sum v^2.
     */
    @Test
    void blockBootstrapIntervalCoversTheTruePrInMostSeeds() {
        double[] sd = {1, 0.9, 0.8, 0.7, 0.6, 0.5, 0.4, 0.3};
        double sum = 0, squares = 0;
        for (double s : sd) {
            sum += s * s;
            squares += s * s * s * s;
        }
        double truth = sum * sum / squares;
        int seeds = 40, covered = 0;
        long[] ids = LongStream.range(0, 2000).toArray();
        for (int seed = 0; seed < seeds; seed++) {
            SampleParticipationRatio.Result r = SampleParticipationRatio.withInterval(gaussian(2000, sd, 100 + seed),
                    ids, sd.length, 100, 0.9, seed);
            if (r.pr().covers(truth)) covered++;
        }
        assertTrue(covered >= 0.75 * seeds, covered + " of " + seeds + " intervals cover PR = " + truth);
    }
}
