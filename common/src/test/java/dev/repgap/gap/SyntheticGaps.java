package dev.repgap.gap;

import java.util.SplittableRandom;
import org.apache.commons.math3.special.Gamma;

/** Scans with a known expected curve, for the tests. */
final class SyntheticGaps {

    private SyntheticGaps() {}

    /** {@code round(10^(lo + i / perDecade))} for i = 0..(hi - lo) * perDecade. */
    static long[] geometricGrid(int lowDecade, int highDecade, int perDecade) {
        long[] n = new long[(highDecade - lowDecade) * perDecade + 1];
        for (int i = 0; i < n.length; i++) n[i] = Math.round(Math.pow(10, lowDecade + (double) i / perDecade));
        return n;
    }

    /**
     * An exact power law: {@code c n^(-2/d) * A_q * E_qr}, A_q lognormal (sigma 0.5) and E_qr
     * exponential, both of mean 1, so E[RG(n)] = c n^(-2/d) and every resample's log curve is a line
     * of slope -2/d.
     */
    static PrefixDistances exactPowerLaw(int queries, int rankings, long[] n, double c, double d, long seed) {
        SplittableRandom rng = new SplittableRandom(seed);
        double[] squared = new double[queries * rankings * n.length];
        for (int q = 0; q < queries; q++) {
            double a = lognormal(rng, 0.5);
            for (int r = 0; r < rankings; r++) {
                double e = -Math.log(1 - rng.nextDouble());
                for (int g = 0; g < n.length; g++) squared[(q * rankings + r) * n.length + g] = c * Math.pow(n[g], -2 / d) * a * e;
            }
        }
        return new PrefixDistances(queries, rankings, n, squared);
    }

    /**
     * Nearest-neighbour distances of a uniform law on a volume-1 d-manifold, simulated exactly:
     * the volume of the ball reaching the nearest of n training rows is the minimum of n uniforms,
     * and each (query, ranking) draws its own rows, with {@code groupOrder} images per row (1: no
     * symmetry). Each query carries a density factor A_q (lognormal, sigma 0.3, mean 1) on the
     * squared distance. See {@link #nearestNeighbourMean}.
     */
    static PrefixDistances nearestNeighbours(int queries, int rankings, long[] n, double d, int groupOrder, long seed) {
        SplittableRandom rng = new SplittableRandom(seed);
        double omega = GapLaw.unitBallVolume(d);
        double[] squared = new double[queries * rankings * n.length];
        for (int q = 0; q < queries; q++) {
            double a = lognormal(rng, 0.3);
            for (int r = 0; r < rankings; r++) {
                double volume = 1;
                long previous = 0;
                for (int g = 0; g < n.length; g++) {
                    long added = (n[g] - previous) * groupOrder;
                    // the minimum of k uniforms is 1 - U^(1/k); -expm1(log(U)/k) keeps its precision near 0
                    volume = Math.min(volume, -Math.expm1(Math.log(1 - rng.nextDouble()) / added));
                    previous = n[g];
                    squared[(q * rankings + r) * n.length + g] = a * Math.pow(volume / omega, 2 / d);
                }
            }
        }
        return new PrefixDistances(queries, rankings, n, squared);
    }

    /** The exact expected gap of {@link #nearestNeighbours}: {@code omega^(-p) Gamma(m+1) Gamma(1+p) / Gamma(m+1+p)}, p = 2/d, m = |G| n. */
    static double nearestNeighbourMean(long n, double d, int groupOrder) {
        double p = 2 / d;
        double m = (double) n * groupOrder;
        return Math.exp(-p * Math.log(GapLaw.unitBallVolume(d)) + Gamma.logGamma(m + 1) + Gamma.logGamma(1 + p) - Gamma.logGamma(m + 1 + p));
    }

    static double[] nearestNeighbourMeans(long[] n, double d, int groupOrder) {
        double[] mean = new double[n.length];
        for (int g = 0; g < n.length; g++) mean[g] = nearestNeighbourMean(n[g], d, groupOrder);
        return mean;
    }

    private static double lognormal(SplittableRandom rng, double sigma) {
        return Math.exp(sigma * gaussian(rng) - sigma * sigma / 2);
    }

    private static double gaussian(SplittableRandom rng) {
        // Box-Muller: SplittableRandom has no nextGaussian in Java 17
        return Math.sqrt(-2 * Math.log(1 - rng.nextDouble())) * Math.cos(2 * Math.PI * rng.nextDouble());
    }
}
