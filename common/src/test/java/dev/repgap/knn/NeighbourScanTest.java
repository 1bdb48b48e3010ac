package dev.repgap.knn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class NeighbourScanTest {

    private static DistanceKernel kernel(String name) {
        Optional<DistanceKernel> kernel = DistanceKernels.named(name);
        assumeTrue(kernel.isPresent(), name + " kernel is not available on this machine");
        return kernel.get();
    }

    private static NeighbourLists scan(DistanceKernel kernel, ScanMode mode, float[] centre,
            DenseBlock queries, DenseBlock references, int k) {
        NeighbourLists state = NeighbourScan.newState(queries, k);
        new NeighbourScan(kernel, mode, centre).scan(queries, state, references);
        return state;
    }

    /** Every list equals the brute force's first k, bit for bit, and duplicates are all zero-distance references. */
    private static void assertExact(NeighbourLists state, DenseBlock queries, DenseBlock references, ScanMode mode) {
        for (int q = 0; q < queries.rows(); q++) {
            List<TestData.Neighbour> expected = TestData.bruteForce(queries, q, references, mode);
            int size = Math.min(state.k(), expected.size());
            assertEquals(size, state.size(q), "size of query " + q);
            for (int rank = 0; rank < size; rank++) {
                assertEquals(expected.get(rank).id, state.neighbourId(q, rank), "id, query " + q + " rank " + rank);
                assertEquals(expected.get(rank).squaredDistance, state.squaredDistance(q, rank), 0.0,
                        "distance, query " + q + " rank " + rank);
            }
            long zeros = expected.stream().filter(n -> n.squaredDistance == 0.0).count();
            assertEquals(zeros, state.exactDuplicates(q), "duplicates of query " + q);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"blas", "vector", "scalar"})
    void tiesAndDuplicatesMatchBruteForce(String name) {
        DistanceKernel kernel = kernel(name);
        for (int dim : new int[] {3, 17, 64, 300}) {
            DenseBlock data = TestData.tiesAndDuplicates(300, dim, 1000, dim);
            DenseBlock queries = TestData.slice(data, 0, 77);
            float[] centre = data.columnMeans();
            for (int k : new int[] {1, 10, 40}) {
                assertExact(scan(kernel, ScanMode.SELF, centre, queries, data, k), queries, data, ScanMode.SELF);
                DenseBlock other = TestData.tiesAndDuplicates(90, dim, 5000, dim + 1);
                assertExact(scan(kernel, ScanMode.CROSS, null, other, data, k), other, data, ScanMode.CROSS);
            }
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"blas", "vector", "scalar"})
    void farFromOriginIsExactWithAndWithoutCentre(String name) {
        DistanceKernel kernel = kernel(name);
        DenseBlock data = TestData.gaussian(400, 16, 1e4f, 0, 7);
        DenseBlock queries = TestData.slice(data, 0, 50);
        assertExact(scan(kernel, ScanMode.SELF, data.columnMeans(), queries, data, 5), queries, data, ScanMode.SELF);
        assertExact(scan(kernel, ScanMode.SELF, null, queries, data, 5), queries, data, ScanMode.SELF);
    }

    /** The plain float32 Gram trick, as GEMM-based engines use it, on the same data gets the order wrong. */
    @Test
    void naiveFloatGramTrickFailsFarFromOrigin() {
        DenseBlock data = TestData.gaussian(400, 16, 1e4f, 0, 7);
        int dim = data.dim();
        float[] x = data.data();
        float[] norms = new float[data.rows()];
        for (int r = 0; r < data.rows(); r++) {
            for (int c = 0; c < dim; c++) {
                norms[r] += x[r * dim + c] * x[r * dim + c];
            }
        }
        int wrongNearest = 0;
        int nonPositive = 0;
        for (int q = 0; q < 50; q++) {
            long naiveNearest = -1;
            float naiveBest = Float.POSITIVE_INFINITY;
            for (int r = 0; r < data.rows(); r++) {
                if (r == q) {
                    continue;
                }
                float dot = 0f;
                for (int c = 0; c < dim; c++) {
                    dot += x[q * dim + c] * x[r * dim + c];
                }
                float naive = norms[q] + norms[r] - 2f * dot;
                nonPositive += naive <= 0f ? 1 : 0;
                if (naive < naiveBest) {
                    naiveBest = naive;
                    naiveNearest = data.id(r);
                }
            }
            wrongNearest += naiveNearest != TestData.bruteForce(data, q, data, ScanMode.SELF).get(0).id ? 1 : 0;
        }
        assertTrue(wrongNearest > 10, "naive float32 got " + wrongNearest + " of 50 nearest neighbours wrong");
        assertTrue(nonPositive > 0, "naive float32 gave " + nonPositive + " distances <= 0 between distinct points");
    }

    @ParameterizedTest
    @ValueSource(strings = {"blas", "vector", "scalar"})
    void kLargerThanReferencesReturnsThemAll(String name) {
        DistanceKernel kernel = kernel(name);
        DenseBlock references = TestData.gaussian(7, 5, 0f, 100, 3);
        DenseBlock queries = TestData.gaussian(9, 5, 0f, 200, 4);
        NeighbourLists state = scan(kernel, ScanMode.CROSS, null, queries, references, 20);
        assertExact(state, queries, references, ScanMode.CROSS);
        assertEquals(7, state.size(0));
        NeighbourLists self = scan(kernel, ScanMode.SELF, null, references, references, 20);
        assertEquals(6, self.size(0));
    }

    @ParameterizedTest
    @ValueSource(strings = {"blas", "vector", "scalar"})
    void oneDimension(String name) {
        DistanceKernel kernel = kernel(name);
        DenseBlock data = TestData.tiesAndDuplicates(200, 1, 0, 11);
        assertExact(scan(kernel, ScanMode.SELF, data.columnMeans(), data, data, 8), data, data, ScanMode.SELF);
        DenseBlock far = TestData.gaussian(200, 1, 1e4f, 0, 12);
        assertExact(scan(kernel, ScanMode.SELF, null, far, far, 3), far, far, ScanMode.SELF);
    }

    @ParameterizedTest
    @ValueSource(strings = {"blas", "vector", "scalar"})
    void selfModeExcludesOwnRowButKeepsDuplicates(String name) {
        DistanceKernel kernel = kernel(name);
        float[] values = {0f, 0f, 1f, 1f, 0f, 0f, 5f, 5f};  // rows 10 and 12 are equal
        DenseBlock data = DenseBlock.of(new long[] {10, 11, 12, 13}, values, 2);
        NeighbourLists state = scan(kernel, ScanMode.SELF, null, data, data, 3);
        for (int q = 0; q < data.rows(); q++) {
            for (int rank = 0; rank < state.size(q); rank++) {
                assertNotEquals(data.id(q), state.neighbourId(q, rank), "query " + q + " found itself");
            }
        }
        assertEquals(12, state.neighbourId(0, 0));
        assertEquals(0.0, state.squaredDistance(0, 0));
        assertEquals(1, state.exactDuplicates(0));
        assertEquals(0, state.exactDuplicates(1));
        NeighbourLists cross = scan(kernel, ScanMode.CROSS, null, data, data, 3);
        assertEquals(10, cross.neighbourId(0, 0));
        assertEquals(2, cross.exactDuplicates(0));
    }

    @Test
    void everyBackendGivesIdenticalResults() {
        DenseBlock data = TestData.gaussian(500, 40, 3f, 0, 21);
        DenseBlock queries = TestData.slice(data, 100, 230);
        NeighbourLists first = null;
        for (DistanceKernel kernel : DistanceKernels.available()) {
            NeighbourLists state = scan(kernel, ScanMode.SELF, data.columnMeans(), queries, data, 12);
            if (first == null) {
                first = state;
            }
            assertEquals(first, state, kernel.name());
        }
        assertExact(first, queries, data, ScanMode.SELF);
    }

    @Test
    void severalQueryBlocksAgainstOneReferenceBlock() {
        DenseBlock data = TestData.tiesAndDuplicates(240, 9, 0, 5);
        List<DenseBlock> blocks = List.of(TestData.slice(data, 0, 100), TestData.slice(data, 100, 240));
        List<NeighbourLists> states = List.of(NeighbourScan.newState(blocks.get(0), 6), NeighbourScan.newState(blocks.get(1), 6));
        new NeighbourScan(ScanMode.SELF, data.columnMeans()).scan(blocks, states, data);
        assertExact(states.get(0), blocks.get(0), data, ScanMode.SELF);
        assertExact(states.get(1), blocks.get(1), data, ScanMode.SELF);
    }
}
