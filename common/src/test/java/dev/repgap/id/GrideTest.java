package dev.repgap.id;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class GrideTest {

    @Test
    void firstScaleIsTheTwoNNLikelihoodMaximiser() {
        NeighbourDistances data = PoissonDistances.draw(5000, 2, 7, 4);
        double sum = 0;
        for (int p = 0; p < 5000; p++) sum += Math.log(data.distance(p, 2) / data.distance(p, 1));
        Estimate gride = new Gride().estimate(data, 1, 2);
        Estimate twoNN = new TwoNN().maximumLikelihood(data);
        assertEquals(5000 / sum, gride.value(), 1e-9 * gride.value());
        assertEquals(twoNN.value() * 5000 / 4999, gride.value(), 1e-9 * gride.value());
        // The profile interval agrees with TwoNN's exact Gamma interval to O(1/N).
        assertEquals(twoNN.ciLow(), gride.ciLow(), 2e-3 * twoNN.ciLow());
        assertEquals(twoNN.ciHigh(), gride.ciHigh(), 2e-3 * twoNN.ciHigh());
    }

    @Test
    void recoversDimensionAtEveryScaleOfExactDistances() {
        for (double d : new double[] {0.1, 1, 6, 30, 200}) {
            List<Estimate> scales = new Gride().multiscale(PoissonDistances.draw(4000, 64, d, 6));
            assertEquals(6, scales.size()); // (1,2) .. (32,64)
            for (int i = 0; i < scales.size(); i++) {
                Estimate e = scales.get(i);
                assertEquals(d, e.value(), 0.05 * d, "d = " + d + ", scale " + i + ": " + e);
                assertTrue(e.ciLow() < e.value() && e.value() < e.ciHigh(), e.toString());
            }
        }
    }

    /** Over 200 independent samples the 90% profile interval covers 0.90 +- binomial noise (sd 0.021). */
    @Test
    void profileIntervalCoversAtSeveralRankPairs() {
        int[][] pairs = {{1, 2}, {4, 8}, {16, 32}};
        int[] covered = new int[pairs.length];
        for (int seed = 0; seed < 200; seed++) {
            NeighbourDistances data = PoissonDistances.draw(500, 32, 4, 200 + seed);
            for (int i = 0; i < pairs.length; i++) {
                if (new Gride().estimate(data, pairs[i][0], pairs[i][1]).covers(4)) covered[i]++;
            }
        }
        for (int i = 0; i < pairs.length; i++) {
            System.out.println("Gride profile 90% interval at (" + pairs[i][0] + ", " + pairs[i][1] + ") covered d = 4 in " + covered[i] + " of 200");
            assertEquals(0.90, covered[i] / 200.0, 0.05, "(" + pairs[i][0] + ", " + pairs[i][1] + ")");
        }
    }

    @Test
    void scaleIsMedianOfTheOuterRankAndTiedPointsAreLeftOut() {
        double[][] rows = {{1, 2, 3, 4}, {1, 2, 3, 5}, {1, 2, 3, 6}, {1, 3, 3, 3}};
        Estimate e = new Gride().estimate(NeighbourDistances.of(rows), 2, 4);
        assertEquals(3, e.n());
        assertEquals(4.5, e.scale(), 0);
        assertEquals(e, new Gride().multiscale(NeighbourDistances.of(rows)).get(1)); // (1, 2), (2, 4)
    }

    @Test
    void multiscaleStopsAtMaxRank() {
        NeighbourDistances data = PoissonDistances.draw(100, 40, 3, 1);
        assertEquals(5, new Gride().multiscale(data).size()); // up to (16, 32)
        assertEquals(3, new Gride().multiscale(data, 15).size()); // up to (4, 8)
    }
}
