package dev.repgap.knn;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Exact distances (squared Euclidean, or l1) between every query and every reference of a group (a
 * query's own row included, at 0), as {@link PairScan} work: a query block's state is the tiles (one block
 * of references by the block's queries) its tasks computed, and {@link #matrix} assembles a group's tiles on
 * the driver. Every value is {@link ExactDistance#squared} (or {@link ExactDistance#l1}), so the matrix does
 * not depend on partitioning or blocks. Memory grows as queries x references: meant for a subsample.
 *
 * @param references per group index, its number of references (sizes the rounds)
 * @param metric     what each value is
 * @param upper      a self scan (queries and references the same rows) whose user needs only the pairs with
 *                   query key <= reference key: the others are not computed and hold NaN ({@link #mirror} fills
 *                   them from their transposes, which are the same values bit for bit: each distance sums
 *                   {@code (x_i - y_i)^2} or {@code |x_i - y_i|} in index order, symmetric in x and y)
 */
public record DistanceTiles(long[] references, Metric metric, boolean upper) implements PairScan.Work<DistanceTiles.Tiles> {
    private static final long serialVersionUID = 1L;

    /** Every pair computed. */
    public DistanceTiles(long[] references, Metric metric) {
        this(references, metric, false);
    }

    /** What the tiles hold. */
    public enum Metric {
        /** {@link ExactDistance#squared}. */
        SQUARED_EUCLIDEAN,
        /** {@link ExactDistance#l1}. */
        L1
    }

    /** Squared Euclidean distances. */
    public DistanceTiles(long[] references) {
        this(references, Metric.SQUARED_EUCLIDEAN);
    }

    /** A block of references by a block of queries: {@code values[q * referenceKeys.length + r]}. */
    public record Tile(long[] referenceKeys, double[] values) implements Serializable {}

    /** The tiles of one query block, in no particular order. */
    public static final class Tiles implements Serializable {
        private static final long serialVersionUID = 1L;
        private final List<Tile> tiles;

        Tiles(List<Tile> tiles) {
            this.tiles = tiles;
        }

        public List<Tile> tiles() {
            return List.copyOf(tiles);
        }
    }

    /** A group's distances (as the metric says): row per query (ascending key), column per reference (ascending key). */
    public record Matrix(long[] rows, long[] columns, double[] values) {
        public double value(int row, int column) {
            return values[row * columns.length + column];
        }
    }

    @Override
    public long stateBytes(int group) {
        return 8L * references[group] + 8;
    }

    @Override
    public Tiles empty(int group, DenseBlock queries) {
        return new Tiles(new ArrayList<>());
    }

    @Override
    public PairScan.Scanner<Tiles> scanner(int group, float[] centre) {
        boolean l1 = metric == Metric.L1;
        return new PairScan.Scanner<>() {
            @Override
            public void scan(DenseBlock references, List<DenseBlock> queries, List<Tiles> states) {
                int dim = references.dim();
                for (int i = 0; i < queries.size(); i++) {
                    DenseBlock q = queries.get(i);
                    double[] values = new double[q.rows() * references.rows()];
                    long[] queryKeys = q.ids(), referenceKeys = references.ids();
                    for (int a = 0; a < q.rows(); a++) {
                        for (int b = 0; b < references.rows(); b++) {
                            if (upper && queryKeys[a] > referenceKeys[b]) {
                                values[a * references.rows() + b] = Double.NaN;
                                continue;
                            }
                            values[a * references.rows() + b] = l1
                                    ? ExactDistance.l1(q.data(), a * dim, references.data(), b * dim, dim)
                                    : ExactDistance.squared(q.data(), a * dim, references.data(), b * dim, dim);
                        }
                    }
                    states.get(i).tiles.add(new Tile(references.ids().clone(), values));
                }
            }

            @Override
            public String kernel() {
                return l1 ? "exact-l1" : "exact";
            }
        };
    }

    @Override
    public Tiles merge(Tiles a, Tiles b) {
        List<Tile> both = new ArrayList<>(a.tiles);
        both.addAll(b.tiles);
        return new Tiles(both);
    }

    /**
     * A square matrix of an {@code upper} scan (rows and columns the same keys, ascending) completed: each value
     * below the diagonal, not computed, set to its transpose's.
     */
    public static void mirror(Matrix m) {
        if (!Arrays.equals(m.rows(), m.columns())) throw new IllegalArgumentException("the matrix is not square");
        int n = m.rows().length;
        double[] v = m.values();
        for (int i = 1; i < n; i++) {
            for (int j = 0; j < i; j++) v[i * n + j] = v[j * n + i];
        }
    }

    /**
     * The group's tiles as one matrix.
     *
     * @throws IllegalStateException if a query block did not see every reference exactly once
     */
    public static Matrix matrix(PairScan.Scanned<Tiles> group) {
        long[] columns = group.states().stream().flatMap(t -> t.tiles.stream())
                .flatMapToLong(t -> Arrays.stream(t.referenceKeys())).distinct().sorted().toArray();
        long[] rows = group.queryKeys();
        double[] values = new double[Math.multiplyExact(rows.length, columns.length)];
        int first = 0;
        for (int b = 0; b < group.blockRows().length; b++) {
            int queries = group.blockRows()[b];
            int seen = 0;
            boolean[] covered = new boolean[columns.length];
            for (Tile t : group.states().get(b).tiles) {
                int width = t.referenceKeys().length;
                for (int r = 0; r < width; r++) {
                    int column = Arrays.binarySearch(columns, t.referenceKeys()[r]);
                    if (!covered[column]) seen++;
                    covered[column] = true;
                    for (int q = 0; q < queries; q++) {
                        values[(first + q) * columns.length + column] = t.values()[q * width + r];
                    }
                }
            }
            if (seen != columns.length) {
                throw new IllegalStateException("query block " + b + " of group " + group.group().key() + " saw " + seen
                        + " distinct references, expected " + columns.length);
            }
            first += queries;
        }
        return new Matrix(rows, columns, values);
    }
}
