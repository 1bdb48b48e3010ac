package dev.repgap.id;

import java.util.SplittableRandom;

/**
 * Exact neighbour distances of independent points in a homogeneous Poisson process in R^d: the
 * ball volumes out to the successive neighbours are the arrival times of a unit-rate Poisson
 * process, so {@code r_j = (E_1 + ... + E_j)^(1/d)} with E iid Exp(1) (constant factors dropped).
 * Independent of every density formula the estimators use.
 */
final class PoissonDistances {

    private PoissonDistances() {}

    static NeighbourDistances draw(int n, int k, double d, long seed) {
        SplittableRandom rng = new SplittableRandom(seed);
        double[] rows = new double[n * k];
        for (int p = 0; p < n; p++) {
            double volume = 0;
            for (int j = 0; j < k; j++) {
                volume += -Math.log(1 - rng.nextDouble());
                rows[p * k + j] = Math.pow(volume, 1 / d);
            }
        }
        return NeighbourDistances.ofRowMajor(rows, k);
    }
}
