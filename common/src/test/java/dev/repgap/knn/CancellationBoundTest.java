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

    /** Subnormal products lose their relative precision: the absolute margin keeps the bracket. */
    @Test
    void kernelValuesBracketExactDistancesOfSubnormalScale() {
        for (DistanceKernel kernel : DistanceKernels.available()) {
            for (int dim : new int[] {1, 8, 31}) {
                for (float scale : new float[] {1e-19f, 1e-21f, 1e-23f}) {
                    DenseBlock a = scaled(TestData.gaussian(60, dim, 0f, 0, dim), scale);
                    DenseBlock b = scaled(TestData.gaussian(50, dim, 3f, 1000, dim + 1), scale);
                    assertBrackets(kernel, a, b, null);
                    assertBrackets(kernel, a, b, b.columnMeans());
                }
            }
        }
    }

    /** A row too large to bound gives NaN (never a proof that it is far); every other value still brackets. */
    @Test
    void rowsBeyondTheSafeNormGiveNaN() {
        for (DistanceKernel kernel : DistanceKernels.available()) {
            DenseBlock small = TestData.gaussian(20, 4, 0f, 0, 1);
            float[] data = small.data().clone();
            for (int c = 0; c < 2; c++) data[4 * 7 + c] = 1e19f; // row 7: squared norm 2e38, a float32, but 2 q.r or a sum of norms overflows
            DenseBlock big = DenseBlock.of(small.ids(), data, 4);
            CentredRows centred = big.centredOn(null);
            assertTrue(Float.isNaN(centred.lowerNorms()[7]));
            assertTrue(centred.gaps()[7] == Float.POSITIVE_INFINITY);
            kernel.squaredDistances(centred, centred, (tile, stride, q0, nq, r0, nr) -> {
                for (int i = 0; i < nq; i++) {
                    for (int j = 0; j < nr; j++) {
                        float value = tile[i * stride + j];
                        boolean huge = q0 + i == 7 || r0 + j == 7;
                        assertTrue(huge == Float.isNaN(value), kernel.name() + " value " + value + " at " + (q0 + i) + "," + (r0 + j));
                    }
                }
            });
        }
    }

    private static DenseBlock scaled(DenseBlock block, float scale) {
        float[] data = block.data().clone();
        for (int i = 0; i < data.length; i++) data[i] *= scale;
        return DenseBlock.of(block.ids(), data, block.dim());
    }

    @Test
    void marginIsSmallForModerateDimensions() {
        assertTrue(CancellationBound.kappa(128) < 1e-5);
        assertTrue(CancellationBound.kappa(2048) < 2e-4);
    }
}
