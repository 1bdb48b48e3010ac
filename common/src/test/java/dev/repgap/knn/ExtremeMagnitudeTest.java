package dev.repgap.knn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.repgap.gap.PrefixCuts;
import dev.repgap.gap.PrefixGrid;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Finite float32 values far from 1: squared norms and dot products overflow float32 (1e19 and up)
 * or underflow into subnormals (1e-20 and down). Every kernel must still give the brute force's
 * neighbours and prefix minima, bit for bit: a row it cannot bound is a candidate and is recomputed
 * in double, never dropped.
 */
class ExtremeMagnitudeTest {

    private static final float[] SCALES = {1e30f, 3e38f / 8, 1e19f, 1e-20f, 1e-30f, 1e-40f};

    private static DistanceKernel kernel(String name) {
        Optional<DistanceKernel> kernel = DistanceKernels.named(name);
        assumeTrue(kernel.isPresent(), name + " kernel is not available on this machine");
        return kernel.get();
    }

    /** Standard normal rows times {@code scale} (in double, then rounded to float32); with {@code mixed}, only every third row is scaled. */
    private static DenseBlock scaled(int rows, int dim, double scale, boolean mixed, long firstId, long seed) {
        Random random = new Random(seed);
        float[] data = new float[rows * dim];
        for (int i = 0; i < data.length; i++) {
            boolean scaleRow = !mixed || (i / dim) % 3 == 0;
            data[i] = (float) (random.nextGaussian() * (scaleRow ? scale : 1.0));
        }
        long[] ids = new long[rows];
        for (int r = 0; r < rows; r++) ids[r] = firstId + r;
        return DenseBlock.of(ids, data, dim);
    }

    private static void assertNeighboursExact(DistanceKernel kernel, DenseBlock queries, DenseBlock references,
            ScanMode mode, float[] centre, int k, String where) {
        NeighbourLists state = NeighbourScan.newState(queries, k);
        new NeighbourScan(kernel, mode, centre).scan(queries, state, references);
        for (int q = 0; q < queries.rows(); q++) {
            List<TestData.Neighbour> expected = TestData.bruteForce(queries, q, references, mode);
            int size = Math.min(k, expected.size());
            assertEquals(size, state.size(q), where + ": neighbours of query " + q);
            for (int rank = 0; rank < size; rank++) {
                assertEquals(expected.get(rank).id, state.neighbourId(q, rank), where + ": id, query " + q + " rank " + rank);
                assertEquals(expected.get(rank).squaredDistance, state.squaredDistance(q, rank), 0.0,
                        where + ": distance, query " + q + " rank " + rank);
            }
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"blas", "vector", "scalar"})
    void neighboursOfHugeAndTinyRowsEqualTheBruteForce(String name) {
        DistanceKernel kernel = kernel(name);
        for (float scale : SCALES) {
            for (boolean mixed : new boolean[] {false, true}) {
                for (int dim : new int[] {1, 8, 40}) {
                    String where = kernel.name() + " scale " + scale + (mixed ? " (every 3rd row)" : "") + " dim " + dim;
                    DenseBlock data = scaled(200, dim, scale, mixed, 0, dim);
                    DenseBlock queries = TestData.slice(data, 0, 60);
                    assertNeighboursExact(kernel, queries, data, ScanMode.SELF, data.columnMeans(), 5, where + " self, centred");
                    assertNeighboursExact(kernel, queries, data, ScanMode.SELF, null, 5, where + " self");
                    DenseBlock other = scaled(50, dim, scale, mixed, 10_000, dim + 99);
                    assertNeighboursExact(kernel, other, data, ScanMode.CROSS, data.columnMeans(), 3, where + " cross");
                }
            }
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"blas", "vector", "scalar"})
    void prefixMinimaOfHugeAndTinyRowsEqualTheBruteForce(String name) {
        DistanceKernel kernel = kernel(name);
        int rankings = 2;
        for (float scale : SCALES) {
            for (boolean mixed : new boolean[] {false, true}) {
                int dim = 8;
                String where = kernel.name() + " scale " + scale + (mixed ? " (every 3rd row)" : "");
                DenseBlock train = scaled(300, dim, scale, mixed, 100, 3);
                DenseBlock queries = scaled(30, dim, scale, mixed, 5000, 4);
                long[] grid = PrefixGrid.geometric(train.rows(), 6, 4);
                PrefixCuts cuts = PrefixMinimaScanTest.cuts(train, rankings, grid);
                PrefixMinima state = PrefixMinima.empty(queries.ids(), 1, rankings, grid.length);
                PrefixMinimaScan scan = new PrefixMinimaScan(kernel, train.columnMeans());
                for (RankedBlock block : PrefixMinimaScanTest.blocks(train, cuts, rankings, false, 128)) {
                    scan.scan(queries, state, block);
                }
                for (int q = 0; q < queries.rows(); q++) {
                    for (int r = 0; r < rankings; r++) {
                        for (int g = 0; g < grid.length; g++) {
                            double expected = PrefixMinimaScanTest.bruteForce(queries, q, train, r, grid[g], false);
                            assertTrue(Double.isFinite(expected));
                            assertEquals(expected, state.squared(q, 0, r, g), 0.0,
                                    where + ": query " + q + " ranking " + r + " n " + grid[g]);
                        }
                    }
                }
            }
        }
    }
}
