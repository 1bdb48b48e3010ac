package dev.repgap.id;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.repgap.stats.Bootstrap;
import org.junit.jupiter.api.Test;

class LevinaBickelTest {

    @Test
    void handComputedSmallCase() {
        // r = 1, 2, 4 for every point; k = 3: 1/m = (log 4 + log 2) / 2 = 1.5 log 2.
        double[][] rows = {{1, 2, 4}, {1, 2, 4}, {3, 6, 12}};
        LevinaBickel.Result r = new LevinaBickel(3, 3, 0.9, new Bootstrap(10, 0)).estimate(NeighbourDistances.of(rows));
        assertEquals(1 / (1.5 * Math.log(2)), r.at(3).value(), 1e-12);
        assertEquals(r.at(3).value(), r.mean().value(), 1e-12);
        assertEquals(4, r.at(3).scale(), 0);
    }

    @Test
    void macKayGhahramaniAveragesTheInverses() {
        // Two points with 1/m_2(x) = log 2 and log 8: global m_2 = 2 / (log 2 + log 8) = 1 / (2 log 2).
        double[][] rows = {{1, 2}, {1, 8}};
        LevinaBickel.Result r = new LevinaBickel(2, 2, 0.9, new Bootstrap(10, 0)).estimate(NeighbourDistances.of(rows));
        assertEquals(1 / (2 * Math.log(2)), r.at(2).value(), 1e-12);
    }

    @Test
    void recoversDimensionOnPoissonProcessAtEveryK() {
        for (double d : new double[] {1.5, 8, 40}) {
            LevinaBickel.Result r = new LevinaBickel().estimate(PoissonDistances.draw(5000, 20, d, 2));
            for (int k = 5; k <= 20; k++) assertEquals(d, r.at(k).value(), 0.04 * d, "k = " + k);
            assertEquals(d, r.mean().value(), 0.03 * d);
            assertEquals(16, r.byK().size());
            assertEquals(5000, r.mean().n());
        }
    }

    /** Points of a Poisson process drawn independently, so the bootstrap over points is honest there: 0.90 +- 0.03 (sd). */
    @Test
    void bootstrapIntervalCoversOnIndependentPoints() {
        int coveredK10 = 0;
        int coveredMean = 0;
        for (int seed = 0; seed < 100; seed++) {
            LevinaBickel.Result r = new LevinaBickel(5, 20, 0.9, new Bootstrap(200, seed))
                    .estimate(PoissonDistances.draw(1000, 20, 6, 100 + seed));
            if (r.at(10).covers(6)) coveredK10++;
            if (r.mean().covers(6)) coveredMean++;
        }
        System.out.println("Levina-Bickel bootstrap 90% interval covered d = 6 at k = 10 in " + coveredK10 + ", mean in " + coveredMean + " of 100");
        assertEquals(0.90, coveredK10 / 100.0, 0.08);
        assertEquals(0.90, coveredMean / 100.0, 0.08);
    }

    @Test
    void sameSeedSameResult() {
        NeighbourDistances data = PoissonDistances.draw(500, 20, 3, 1);
        assertEquals(new LevinaBickel().estimate(data), new LevinaBickel().estimate(data));
    }
}
