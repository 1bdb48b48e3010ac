package dev.repgap.id;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.repgap.generate.Manifold;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Every nearest-neighbour estimator within 10% of the true dimension on manifolds drawn by ManifoldSampler, kNN by the real scan. */
class KnownManifoldsTest {

    @ParameterizedTest(name = "{0} d = {1} in R^{2}, n = {3}")
    @CsvSource({
        "torus,     2,   4, 5000",
        "torus,     3,   6, 10000",
        "torus,     4,   8, 10000",
        "torus,     5,  10, 20000",
        "torus,     6,  12, 20000",
        "sphere,    2,   3, 5000",
        "sphere,    3,  50, 10000",
        "sphere,    5, 100, 10000",
        "affine,    3, 100, 5000",
        "affine,    5, 100, 10000",
        "gaussian,  3, 100, 5000",
        "gaussian,  5, 100, 10000",
        "swissroll, 2,   3, 5000",
    })
    void estimatorsRecoverTheDimension(String manifold, int d, int ambient, int n) {
        long start = System.nanoTime();
        NeighbourDistances distances = ManifoldDistances.of(Manifold.parse(manifold), d, ambient, n, 20, 42);
        long scanned = System.nanoTime();
        Estimate mle = new TwoNN().maximumLikelihood(distances);
        Estimate fit = new TwoNN().linearFit(distances);
        LevinaBickel.Result lb = new LevinaBickel().estimate(distances);
        List<Estimate> gride = new Gride().multiscale(distances, 16);
        System.out.printf(Locale.ROOT, "%-9s d=%d D=%3d n=%5d | TwoNN mle %.3f [%.3f, %.3f] fit %.3f [%.3f, %.3f] | LB k=5 %.3f k=20 %.3f mean %.3f [%.3f, %.3f] | Gride %.3f %.3f %.3f %.3f | scan %d ms, estimators %d ms%n",
                manifold, d, ambient, distances.points(), mle.value(), mle.ciLow(), mle.ciHigh(), fit.value(), fit.ciLow(), fit.ciHigh(),
                lb.at(5).value(), lb.at(20).value(), lb.mean().value(), lb.mean().ciLow(), lb.mean().ciHigh(),
                gride.get(0).value(), gride.get(1).value(), gride.get(2).value(), gride.get(3).value(),
                (scanned - start) / 1_000_000, (System.nanoTime() - scanned) / 1_000_000);
        assertEquals(d, mle.value(), 0.1 * d, "TwoNN MLE");
        assertEquals(d, fit.value(), 0.1 * d, "TwoNN linear fit");
        assertEquals(d, lb.mean().value(), 0.1 * d, "Levina-Bickel mean over k = 5..20");
        assertEquals(d, gride.get(0).value(), 0.1 * d, "Gride at its smallest scale");
    }
}
