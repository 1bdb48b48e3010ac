package dev.repgap.knn;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Random;

/** Small data sets and the brute-force double loop every test compares against. */
final class TestData {

    private TestData() {}

    /** Integer coordinates in 0..3 (many equal distances), and every 5th row an exact copy of another under a new id. */
    static DenseBlock tiesAndDuplicates(int rows, int dim, long firstId, long seed) {
        Random random = new Random(seed);
        float[] data = new float[rows * dim];
        long[] ids = new long[rows];
        for (int r = 0; r < rows; r++) {
            ids[r] = firstId + r;
            if (r % 5 == 4) {
                int source = random.nextInt(r);
                System.arraycopy(data, source * dim, data, r * dim, dim);
            } else {
                for (int c = 0; c < dim; c++) {
                    data[r * dim + c] = random.nextInt(4);
                }
            }
        }
        return DenseBlock.of(ids, data, dim);
    }

    /** Gaussian rows with unit spread, every coordinate shifted by {@code offset}. */
    static DenseBlock gaussian(int rows, int dim, float offset, long firstId, long seed) {
        Random random = new Random(seed);
        float[] data = new float[rows * dim];
        for (int i = 0; i < data.length; i++) {
            data[i] = (float) random.nextGaussian() + offset;
        }
        long[] ids = new long[rows];
        for (int r = 0; r < rows; r++) {
            ids[r] = firstId + r;
        }
        return DenseBlock.of(ids, data, dim);
    }

    /** Rows {@code from .. to} of a block, as their own block. */
    static DenseBlock slice(DenseBlock block, int from, int to) {
        float[] data = new float[(to - from) * block.dim()];
        System.arraycopy(block.data(), from * block.dim(), data, 0, data.length);
        long[] ids = new long[to - from];
        System.arraycopy(block.ids(), from, ids, 0, ids.length);
        return DenseBlock.of(ids, data, block.dim());
    }

    /** One neighbour: id and squared distance. */
    static final class Neighbour {
        final long id;
        final double squaredDistance;

        Neighbour(long id, double squaredDistance) {
            this.id = id;
            this.squaredDistance = squaredDistance;
        }
    }

    /** All references of one query by the direct double loop, sorted by (distance, id), self row dropped in self mode. */
    static List<Neighbour> bruteForce(DenseBlock queries, int query, DenseBlock references, ScanMode mode) {
        int dim = queries.dim();
        List<Neighbour> all = new ArrayList<>();
        for (int r = 0; r < references.rows(); r++) {
            if (mode == ScanMode.SELF && references.id(r) == queries.id(query)) {
                continue;
            }
            double sum = 0.0;
            for (int c = 0; c < dim; c++) {
                double d = (double) queries.data()[query * dim + c] - (double) references.data()[r * dim + c];
                sum += d * d;
            }
            all.add(new Neighbour(references.id(r), sum));
        }
        all.sort(Comparator.<Neighbour>comparingDouble(n -> n.squaredDistance).thenComparingLong(n -> n.id));
        return all;
    }
}
