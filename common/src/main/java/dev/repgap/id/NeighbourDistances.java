package dev.repgap.id;

import java.util.Arrays;

/**
 * Sorted distances from each of n points to its K nearest neighbours (self excluded, duplicates
 * dropped): row-major, point {@code i} holds {@code r_1 <= ... <= r_K} at
 * {@code [i*K .. (i+1)*K)}. Ranks are 1-based as in the math ({@code distance(i, 1) = r_1}).
 * Immutable; every row is checked to be finite, ascending and to start above 0.
 */
public final class NeighbourDistances {

    private final double[] distances;
    private final int k;

    private NeighbourDistances(double[] distances, int k) {
        this.distances = distances;
        this.k = k;
    }

    /** Copies {@code rowMajor} (n rows of {@code k} distances). */
    public static NeighbourDistances ofRowMajor(double[] rowMajor, int k) {
        if (k < 2) throw new IllegalArgumentException("need at least 2 neighbours per point, got K = " + k);
        if (rowMajor.length % k != 0) {
            throw new IllegalArgumentException(rowMajor.length + " distances are not whole rows of " + k);
        }
        return new NeighbourDistances(checked(rowMajor.clone(), k), k);
    }

    private static double[] checked(double[] rows, int k) {
        if (k < 2) throw new IllegalArgumentException("need at least 2 neighbours per point, got K = " + k);
        for (int p = 0; p < rows.length / k; p++) checkRow(rows, p, k);
        return rows;
    }

    /**
     * The k nearest distances (not squared) of every query of the scan's lists, leaving out the queries with an
     * exact duplicate ({@code r_1 = 0}), where log-ratio estimators are undefined; null when none is left.
     *
     * @param skipShort leave out queries with fewer than k neighbours (else they are an error: the scan was asked
     *                  for at least k)
     */
    public static NeighbourDistances fromLists(java.util.List<dev.repgap.knn.NeighbourLists> lists, int k, boolean skipShort) {
        int points = lists.stream().mapToInt(dev.repgap.knn.NeighbourLists::queries).sum();
        double[] values = new double[points * k];
        int kept = 0;
        for (dev.repgap.knn.NeighbourLists l : lists) {
            for (int q = 0; q < l.queries(); q++) {
                if (l.size(q) < k) {
                    if (skipShort) continue;
                    throw new IllegalStateException("query " + l.queryId(q) + " has " + l.size(q) + " neighbours, not " + k);
                }
                if (l.squaredDistance(q, 0) == 0) continue;
                for (int r = 0; r < k; r++) values[kept * k + r] = Math.sqrt(l.squaredDistance(q, r));
                kept++;
            }
        }
        return kept == 0 ? null : new NeighbourDistances(checked(Arrays.copyOf(values, kept * k), k), k);
    }

    /** From one array per point, all of the same length K. */
    public static NeighbourDistances of(double[][] rows) {
        if (rows.length == 0) throw new IllegalArgumentException("no points");
        int k = rows[0].length;
        double[] flat = new double[rows.length * k];
        for (int p = 0; p < rows.length; p++) {
            if (rows[p].length != k) {
                throw new IllegalArgumentException("point " + p + " has " + rows[p].length + " distances, point 0 has " + k);
            }
            System.arraycopy(rows[p], 0, flat, p * k, k);
        }
        return ofRowMajor(flat, k);
    }

    private static void checkRow(double[] d, int p, int k) {
        double previous = 0;
        for (int j = 0; j < k; j++) {
            double r = d[p * k + j];
            if (!Double.isFinite(r) || (j == 0 ? r <= 0 : r < previous)) {
                throw new IllegalArgumentException("point " + p + ": distances must be finite, ascending and r_1 > 0 (duplicates dropped); r_"
                        + (j + 1) + " = " + r + (j > 0 ? " after " + previous : ""));
            }
            previous = r;
        }
    }

    public int points() {
        return distances.length / k;
    }

    /** Neighbours per point (K). */
    public int k() {
        return k;
    }

    /** {@code r_rank} of the point, rank in 1..K. */
    public double distance(int point, int rank) {
        if (rank < 1 || rank > k) throw new IndexOutOfBoundsException("rank " + rank + " not in 1.." + k);
        return distances[point * k + rank - 1];
    }

    /** {@code r_high / r_low} of every point. */
    public double[] ratios(int low, int high) {
        if (!(1 <= low && low < high && high <= k)) {
            throw new IllegalArgumentException("need ranks 1 <= n1 < n2 <= K = " + k + ", got " + low + ", " + high);
        }
        double[] mu = new double[points()];
        for (int p = 0; p < mu.length; p++) mu[p] = distances[p * k + high - 1] / distances[p * k + low - 1];
        return mu;
    }

    /** Median over points of {@code r_rank}: the scale an estimate at that rank measures. */
    public double medianDistance(int rank) {
        double[] column = new double[points()];
        for (int p = 0; p < column.length; p++) column[p] = distance(p, rank);
        return median(column);
    }

    static double median(double[] values) {
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        int n = sorted.length;
        return n % 2 == 1 ? sorted[n / 2] : 0.5 * (sorted[n / 2 - 1] + sorted[n / 2]);
    }
}
