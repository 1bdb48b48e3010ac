package dev.repgap.spectrum;

import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * Participation ratio {@code (tr C)^2 / ||C||_F^2} of the covariance C of a sample of rows, with a
 * seeded percentile-bootstrap interval over rows. Needs no eigenvalues: both traces come from the
 * Gramian, so each bootstrap replicate costs one pass of m x D^2 / 2 multiply-adds.
 */
public final class SampleParticipationRatio {
    private SampleParticipationRatio() {}

    /** PR of rows {@code rows[i*dim .. (i+1)*dim)} taken with the given multiplicities (weights). */
    static double of(float[] rows, int dim, int[] weights) {
        int m = weights.length;
        double total = 0;
        double[] mean = new double[dim];
        for (int i = 0; i < m; i++) {
            if (weights[i] == 0) continue;
            total += weights[i];
            for (int j = 0; j < dim; j++) mean[j] += weights[i] * (double) rows[i * dim + j];
        }
        for (int j = 0; j < dim; j++) mean[j] /= total;
        double[] gram = new double[dim * dim]; // upper triangle, row-major
        double[] centred = new double[dim];
        for (int i = 0; i < m; i++) {
            if (weights[i] == 0) continue;
            for (int j = 0; j < dim; j++) centred[j] = rows[i * dim + j] - mean[j];
            for (int a = 0; a < dim; a++) {
                double wa = weights[i] * centred[a];
                for (int b = a; b < dim; b++) gram[a * dim + b] += wa * centred[b];
            }
        }
        double trace = 0, frobenius = 0;
        for (int a = 0; a < dim; a++) {
            trace += gram[a * dim + a];
            frobenius += gram[a * dim + a] * gram[a * dim + a];
            for (int b = a + 1; b < dim; b++) frobenius += 2 * gram[a * dim + b] * gram[a * dim + b];
        }
        return frobenius == 0 ? Double.NaN : trace * trace / frobenius; // the 1/(n-1) factors cancel
    }

    /**
     * {bias-corrected PR, interval low, interval high, plug-in PR}. The sample PR is biased low
     * (sampling noise spreads the eigenvalues), and so are resamples of it, by about as much again:
     * the bootstrap bias correction {@code 2 PR - mean(PR*)} and the basic (reverse-percentile)
     * {@code level} interval from {@code replicates} resamples remove it.
     */
    public static double[] withInterval(float[] rows, int dim, int replicates, double level, long seed) {
        int m = rows.length / dim;
        int[] ones = new int[m];
        Arrays.fill(ones, 1);
        double value = of(rows, dim, ones);
        double[] boot = new double[replicates];
        SplittableRandom rng = new SplittableRandom(seed);
        for (int b = 0; b < replicates; b++) {
            int[] w = new int[m];
            for (int i = 0; i < m; i++) w[rng.nextInt(m)]++;
            boot[b] = of(rows, dim, w);
        }
        Arrays.sort(boot);
        double tail = (1 - level) / 2;
        int lo = (int) Math.floor(tail * (replicates - 1));
        int hi = (int) Math.ceil((1 - tail) * (replicates - 1));
        double mean = Arrays.stream(boot).average().orElse(Double.NaN);
        return new double[] {2 * value - mean, 2 * value - boot[hi], 2 * value - boot[lo], value};
    }
}
