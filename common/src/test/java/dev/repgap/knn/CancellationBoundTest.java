package dev.repgap.knn;

import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/**
 * Every kernel value must be a lower bound of the exact distance (or the scan could drop a true
 * neighbour), and value + gaps an upper bound (or the scan's k-th distance could be too small).
 */
class CancellationBoundTest {

    private static void assertBrackets(DistanceKernel kernel, DenseBlock queries, DenseBlock references, float[] centre) {
        int dim = queries.dim();
        CentredRows q = queries.centredOn(centre);
        CentredRows r = references.centredOn(centre);
        double[] tightest = {Double.POSITIVE_INFINITY};
        kernel.squaredDistances(q, r,
                (tile, stride, q0, nq, r0, nr) -> {
                    for (int i = 0; i < nq; i++) {
                        for (int j = 0; j < nr; j++) {
                            double exact = ExactDistance.squared(queries.data(), (q0 + i) * dim, references.data(), (r0 + j) * dim, dim);
                            float bound = tile[i * stride + j];
                            assertTrue(bound <= exact, kernel.name() + ": " + bound + " > exact " + exact);
                            double upper = (double) bound + q.gaps()[q0 + i] + r.gaps()[r0 + j];
                            assertTrue(upper >= exact, kernel.name() + ": upper " + upper + " < exact " + exact);
                            tightest[0] = Math.min(tightest[0], exact - bound);
                        }
                    }
                });
        assertTrue(tightest[0] >= 0.0);
    }

    @Test
    void kernelValuesBracketExactDistances() {
        for (DistanceKernel kernel : DistanceKernels.available()) {
            for (int dim : new int[] {1, 2, 31, 257}) {
                DenseBlock far = TestData.gaussian(120, dim, 1e4f, 0, dim);
                DenseBlock near = TestData.gaussian(70, dim, 1e4f, 1000, dim + 1);
                assertBrackets(kernel, near, far, null);
                assertBrackets(kernel, near, far, far.columnMeans());
                DenseBlock ties = TestData.tiesAndDuplicates(90, dim, 0, dim);
                assertBrackets(kernel, ties, ties, null);
            }
        }
    }

    @Test
    void marginIsSmallForModerateDimensions() {
        assertTrue(CancellationBound.kappa(128) < 1e-5);
        assertTrue(CancellationBound.kappa(2048) < 2e-4);
    }
}
