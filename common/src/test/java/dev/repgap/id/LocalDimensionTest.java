package dev.repgap.id;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Arrays;
import org.apache.commons.math3.distribution.GammaDistribution;
import org.junit.jupiter.api.Test;

class LocalDimensionTest {

    /**
     * In a Poisson process (k-1)/m_k(x) ~ Gamma(k-1, rate d), so the q-quantile of m_k(x) is
     * (k-1) d / G^-1(1-q) with G = Gamma(k-1, 1).
     */
    @Test
    void quantilesFollowTheInverseGammaLaw() {
        double d = 5;
        int k = 20;
        LocalDimension local = LocalDimension.of(PoissonDistances.draw(40000, k, d, 8), k, 0, 100, 100);
        GammaDistribution g = new GammaDistribution(null, k - 1, 1);
        double[] levels = LocalDimension.quantileLevels();
        for (int i = 0; i < levels.length; i++) {
            double q = levels[i];
            double expected = (k - 1) * d / g.inverseCumulativeProbability(1 - q);
            assertEquals(expected, local.quantiles()[i], 0.02 * expected, "quantile " + q);
        }
        assertEquals(40000, Arrays.stream(local.counts()).sum() + local.below() + local.above());
    }

    @Test
    void histogramOnFixedBins() {
        // Local values at k = 2 are 1/log(r2/r1): e^1 -> 1, e^0.5 -> 2, e^0.2 -> 5, e^0.01 -> 100.
        double[][] rows = {{1, Math.exp(1)}, {1, Math.exp(0.5)}, {1, Math.exp(0.2)}, {1, Math.exp(0.01)}, {2, 2 * Math.exp(0.5)}};
        LocalDimension local = LocalDimension.of(NeighbourDistances.of(rows), 2, 0.5, 10.5, 5);
        assertArrayEquals(new double[] {0.5, 2.5, 4.5, 6.5, 8.5, 10.5}, local.edges(), 1e-12);
        assertArrayEquals(new long[] {3, 0, 1, 0, 0}, local.counts());
        assertEquals(0, local.below());
        assertEquals(1, local.above());
        assertEquals(2, local.median(), 1e-12);
        assertEquals(5, local.n());
    }
}
