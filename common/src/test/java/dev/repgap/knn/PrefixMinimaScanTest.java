package dev.repgap.knn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.repgap.gap.PrefixCuts;
import dev.repgap.gap.PrefixGrid;
import dev.repgap.gap.RankOrder;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class PrefixMinimaScanTest {

    private static final long SEED = 11;

    private static DistanceKernel kernel(String name) {
        Optional<DistanceKernel> kernel = DistanceKernels.named(name);
        assumeTrue(kernel.isPresent(), name + " kernel is not available on this machine");
        return kernel.get();
    }

    static PrefixCuts cuts(DenseBlock train, int rankings, long[] grid) {
        PrefixCuts.Histogram h = new PrefixCuts.Histogram(SEED, rankings);
        for (long id : train.ids()) h.add(id);
        PrefixCuts.Plan plan = h.plan(grid);
        List<long[]> candidates = new ArrayList<>();
        for (long id : train.ids()) candidates.addAll(plan.candidates(id));
        return plan.cuts(candidates);
    }

    /** Training rows (and, with a flip, their negations as transformed copies) as ranked blocks of {@code blockRows}. */
    static List<RankedBlock> blocks(DenseBlock train, PrefixCuts cuts, int rankings, boolean flip, int blockRows) {
        int dim = train.dim();
        List<RankedBlock> out = new ArrayList<>();
        RankedBlock.Builder b = RankedBlock.builder(dim, rankings, blockRows);
        byte[] buckets = new byte[rankings];
        for (int i = 0; i < train.rows(); i++) {
            cuts.buckets(train.id(i), buckets, 0);
            for (int copy = 0; copy < (flip ? 2 : 1); copy++) {
                float[] to = b.nextData();
                int at = b.nextOffset();
                for (int c = 0; c < dim; c++) to[at + c] = (copy == 0 ? 1 : -1) * train.data()[i * dim + c];
                b.add(train.id(i), buckets, 0, copy == 1);
                if (b.full()) out.add(b.build());
            }
        }
        if (b.size() > 0) out.add(b.build());
        return out;
    }

    /** The definition: for ranking r, sort by rank; the minimum over the first n[g] rows (and their flips), in double. */
    static double bruteForce(DenseBlock queries, int q, DenseBlock train, int ranking, long n, boolean flip) {
        int dim = train.dim();
        Integer[] order = new Integer[train.rows()];
        for (int i = 0; i < order.length; i++) order[i] = i;
        long[] v = new long[train.rows()];
        for (int i = 0; i < v.length; i++) v[i] = RankOrder.value(SEED, ranking, train.id(i));
        Arrays.sort(order, (a, b) -> RankOrder.compare(v[a], train.id(a), v[b], train.id(b)));
        double best = Double.POSITIVE_INFINITY;
        for (int p = 0; p < n; p++) {
            int i = order[p];
            for (int sign = 1; sign >= (flip ? -1 : 1); sign -= 2) {
                double s = 0;
                for (int c = 0; c < dim; c++) {
                    double d = (double) queries.data()[q * dim + c] - (double) (sign * train.data()[i * dim + c]);
                    s += d * d;
                }
                best = Math.min(best, s);
            }
        }
        return best;
    }

    @ParameterizedTest
    @ValueSource(strings = {"blas", "vector", "scalar"})
    void everyPrefixMinimumEqualsTheBruteForce(String name) {
        DistanceKernel kernel = kernel(name);
        int rankings = 3;
        for (int dim : new int[] {1, 5, 40}) {
            DenseBlock train = TestData.tiesAndDuplicates(700, dim, 100, dim);
            // Queries: some equal to training rows (distance 0), some fresh.
            DenseBlock queries = TestData.tiesAndDuplicates(60, dim, 100, dim + 100);
            long[] grid = PrefixGrid.geometric(train.rows(), 9, 3);
            PrefixCuts cuts = cuts(train, rankings, grid);
            for (boolean flip : new boolean[] {false, true}) {
                int variants = flip ? 2 : 1;
                PrefixMinima state = PrefixMinima.empty(queries.ids(), variants, rankings, grid.length);
                PrefixMinimaScan scan = new PrefixMinimaScan(kernel, train.columnMeans());
                for (RankedBlock block : blocks(train, cuts, rankings, flip, 128)) scan.scan(queries, state, block);
                for (int q = 0; q < queries.rows(); q++) {
                    for (int r = 0; r < rankings; r++) {
                        for (int g = 0; g < grid.length; g++) {
                            String where = "dim " + dim + " query " + q + " ranking " + r + " n " + grid[g];
                            assertEquals(bruteForce(queries, q, train, r, grid[g], false), state.squared(q, 0, r, g), 0.0, where);
                            if (flip) {
                                assertEquals(bruteForce(queries, q, train, r, grid[g], true), state.squared(q, 1, r, g), 0.0,
                                        where + " with flips");
                            }
                        }
                    }
                }
            }
        }
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 3, 7})
    void partitionsAndMergeOrderDoNotMatter(int partitions) {
        int rankings = 4;
        DenseBlock train = TestData.gaussian(3000, 24, 1e3f, 0, 5);
        DenseBlock queries = TestData.gaussian(40, 24, 1e3f, 10_000, 6);
        long[] grid = PrefixGrid.geometric(train.rows(), 16, 4);
        PrefixCuts cuts = cuts(train, rankings, grid);
        PrefixMinimaScan scan = new PrefixMinimaScan(train.columnMeans());
        PrefixMinima whole = PrefixMinima.empty(queries.ids(), 1, rankings, grid.length);
        for (RankedBlock block : blocks(train, cuts, rankings, false, 512)) scan.scan(queries, whole, block);

        List<PrefixMinima> parts = new ArrayList<>();
        int per = (train.rows() + partitions - 1) / partitions;
        for (int p = 0; p < partitions; p++) {
            DenseBlock slice = TestData.slice(train, p * per, Math.min(train.rows(), (p + 1) * per));
            PrefixMinima state = PrefixMinima.empty(queries.ids(), 1, rankings, grid.length);
            for (RankedBlock block : blocks(slice, cuts, rankings, false, 300)) scan.scan(queries, state, block);
            parts.add(state);
        }
        Collections.shuffle(parts, new Random(partitions));
        PrefixMinima merged = parts.get(0);
        for (int p = 1; p < parts.size(); p++) merged = merged.merge(parts.get(p));
        assertEquals(whole, merged);
        for (int q = 0; q < queries.rows(); q++) {
            for (int g = 1; g < grid.length; g++) assertTrue(whole.squared(q, 0, 2, g) <= whole.squared(q, 0, 2, g - 1));
            assertEquals(bruteForce(queries, q, train, 2, grid[5], false), whole.squared(q, 0, 2, 5), 0.0);
        }
    }
}
