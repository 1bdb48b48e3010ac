package dev.repgap.id;

import dev.repgap.generate.Manifold;
import dev.repgap.generate.ManifoldSampler;
import dev.repgap.knn.DenseBlock;
import dev.repgap.knn.NeighbourLists;
import dev.repgap.knn.NeighbourScan;
import dev.repgap.knn.ScanMode;
import java.util.Arrays;
import java.util.SplittableRandom;

/** Neighbour distances of sampled manifold points, from the project's exact kNN scan (self mode). */
final class ManifoldDistances {

    private ManifoldDistances() {}

    /**
     * n points of the manifold, each point's k nearest distances and the ids (row numbers) of the
     * points and their neighbours. Exact duplicates (distance 0) are skipped as the Spark job drops
     * them; a point left with fewer than k distances is dropped.
     */
    static NeighbourDistances of(Manifold manifold, int d, int ambient, int n, int k, long seed) {
        return of(sample(manifold, d, ambient, n, seed), ambient, k);
    }

    /** n points of the manifold (row-major float32, as generate writes them), embedding and points from the seed. */
    static float[] sample(Manifold manifold, int d, int ambient, int n, long seed) {
        ManifoldSampler sampler = new ManifoldSampler(manifold, d, ambient, 0, seed);
        float[] data = new float[n * ambient];
        SplittableRandom rng = new SplittableRandom(seed + 1);
        for (int i = 0; i < n; i++) sampler.sample(rng, data, i * ambient);
        return data;
    }

    /** Every row a query against every row (self excluded), as {@link #of(Manifold, int, int, int, int, long)}. */
    static NeighbourDistances of(float[] data, int ambient, int k) {
        int n = data.length / ambient;
        long[] ids = new long[n];
        for (int i = 0; i < n; i++) ids[i] = i;
        DenseBlock block = DenseBlock.of(ids, data, ambient);
        int extra = 2;
        NeighbourLists lists = NeighbourScan.newState(block, k + extra);
        new NeighbourScan(ScanMode.SELF, block.columnMeans()).scan(block, lists, block);
        double[] rows = new double[n * k];
        long[] pointIds = new long[n];
        long[] neighbourIds = new long[n * k];
        int kept = 0;
        for (int q = 0; q < n; q++) {
            int filled = 0;
            for (int rank = 0; rank < lists.size(q) && filled < k; rank++) {
                double s = lists.squaredDistance(q, rank);
                if (s > 0) {
                    neighbourIds[kept * k + filled] = lists.neighbourId(q, rank);
                    rows[kept * k + filled++] = Math.sqrt(s);
                }
            }
            if (filled == k) pointIds[kept++] = lists.queryId(q);
        }
        return NeighbourDistances.ofRowMajor(Arrays.copyOf(rows, kept * k), k, Arrays.copyOf(pointIds, kept),
                Arrays.copyOf(neighbourIds, kept * k));
    }
}
