package dev.repgap.knn;

import java.util.Random;

/** Gaussian blocks for the benchmarks, offset from the origin like real activations. */
final class BenchmarkData {

    private BenchmarkData() {}

    static DenseBlock gaussian(int rows, int dim, long firstId, long seed) {
        Random random = new Random(seed);
        float[] data = new float[rows * dim];
        for (int i = 0; i < data.length; i++) {
            data[i] = (float) random.nextGaussian() + 1f;
        }
        long[] ids = new long[rows];
        for (int r = 0; r < rows; r++) {
            ids[r] = firstId + r;
        }
        return DenseBlock.of(ids, data, dim);
    }

    static DistanceKernel kernel(String name) {
        return DistanceKernels.named(name).orElseThrow(() -> new IllegalStateException(name + " kernel not available"));
    }
}
