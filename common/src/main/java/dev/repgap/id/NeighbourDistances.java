package dev.repgap.id;

import dev.repgap.stats.Quantiles;
import java.util.Arrays;

/**
 * Sorted distances from each of n points to its K nearest neighbours (self excluded, duplicates
 * dropped): row-major, point {@code i} holds {@code r_1 <= ... <= r_K} at
 * {@code [i*K .. (i+1)*K)}. Ranks are 1-based as in the math ({@code distance(i, 1) = r_1}).
 * Optionally also the ids of the points and of their neighbours (same layout), which tell which
 * points share neighbours; estimators that use them say what they do without.
 * Immutable; every row is checked to be finite, ascending and to start above 0.
 */
public final class NeighbourDistances {

    private final double[] distances;
    private final int k;
    /** Null, or one id per point. */
    private final long[] pointIds;
    /** Null, or row-major as {@link #distances}: the id of each point's neighbour of each rank. */
    private final long[] neighbourIds;

    private NeighbourDistances(double[] distances, int k, long[] pointIds, long[] neighbourIds) {
        this.distances = distances;
        this.k = k;
        this.pointIds = pointIds;
        this.neighbourIds = neighbourIds;
    }

    /** Copies {@code rowMajor} (n rows of {@code k} distances). */
    public static NeighbourDistances ofRowMajor(double[] rowMajor, int k) {
        if (k < 2) throw new IllegalArgumentException("need at least 2 neighbours per point, got K = " + k);
        if (rowMajor.length % k != 0) {
            throw new IllegalArgumentException(rowMajor.length + " distances are not whole rows of " + k);
        }
        double[] copy = rowMajor.clone();
        for (int p = 0; p < copy.length / k; p++) checkRow(copy, p, k);
        return new NeighbourDistances(copy, k, null, null);
    }

    /**
     * Copies the distances as {@link #ofRowMajor(double[], int)} does, with the id of each point and
     * of each of its neighbours ({@code neighbourIds} laid out as {@code rowMajor}). A neighbour id
     * need not be one of the points (a subsample of queries against all rows); a point must not be
     * its own neighbour.
     */
    public static NeighbourDistances ofRowMajor(double[] rowMajor, int k, long[] pointIds, long[] neighbourIds) {
        NeighbourDistances d = ofRowMajor(rowMajor, k);
        if (pointIds.length != d.points() || neighbourIds.length != rowMajor.length) {
            throw new IllegalArgumentException(d.points() + " points of " + k + " distances, but " + pointIds.length
                    + " point ids and " + neighbourIds.length + " neighbour ids");
        }
        for (int p = 0; p < pointIds.length; p++) {
            for (int j = 0; j < k; j++) {
                if (neighbourIds[p * k + j] == pointIds[p]) {
                    throw new IllegalArgumentException("point " + p + " (id " + pointIds[p] + ") is its own neighbour of rank " + (j + 1));
                }
            }
        }
        return new NeighbourDistances(d.distances, k, pointIds.clone(), neighbourIds.clone());
    }

    /**
     * The k nearest distances (not squared) of every query of the scan's lists, with the ids of the queries
     * and their neighbours, leaving out the queries with an exact duplicate ({@code r_1 = 0}), where log-ratio
     * estimators are undefined; null when none is left.
     *
     * @param skipShort leave out queries with fewer than k neighbours (else they are an error: the scan was asked
     *                  for at least k)
     */
    public static NeighbourDistances fromLists(java.util.List<dev.repgap.knn.NeighbourLists> lists, int k, boolean skipShort) {
        int points = lists.stream().mapToInt(dev.repgap.knn.NeighbourLists::queries).sum();
        double[] values = new double[points * k];
        long[] pointIds = new long[points];
        long[] neighbourIds = new long[points * k];
        int kept = 0;
        for (dev.repgap.knn.NeighbourLists l : lists) {
            for (int q = 0; q < l.queries(); q++) {
                if (l.size(q) < k) {
                    if (skipShort) continue;
                    throw new IllegalStateException("query " + l.queryId(q) + " has " + l.size(q) + " neighbours, not " + k);
                }
                if (l.squaredDistance(q, 0) == 0) continue;
                for (int r = 0; r < k; r++) {
                    values[kept * k + r] = Math.sqrt(l.squaredDistance(q, r));
                    neighbourIds[kept * k + r] = l.neighbourId(q, r);
                }
                pointIds[kept++] = l.queryId(q);
            }
        }
        return kept == 0 ? null : ofRowMajor(Arrays.copyOf(values, kept * k), k, Arrays.copyOf(pointIds, kept),
                Arrays.copyOf(neighbourIds, kept * k));
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

    /** True when the ids of the points and their neighbours are known. */
    public boolean hasIds() {
        return pointIds != null;
    }

    /** Id of the point; only {@link #hasIds() with ids}. */
    public long pointId(int point) {
        requireIds();
        return pointIds[point];
    }

    /** Id of the point's neighbour of the given rank (1..K); only {@link #hasIds() with ids}. */
    public long neighbourId(int point, int rank) {
        requireIds();
        if (rank < 1 || rank > k) throw new IndexOutOfBoundsException("rank " + rank + " not in 1.." + k);
        return neighbourIds[point * k + rank - 1];
    }

    private void requireIds() {
        if (pointIds == null) throw new IllegalStateException("these neighbour distances carry no ids");
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
        return Quantiles.median(column);
    }
}
