package dev.repgap.knn;

import java.io.Serializable;
import java.util.Arrays;

/**
 * Per query, per variant (the plain gap, and with a symmetry group), per ranking of the training rows
 * and per grid size n[g]: the smallest squared distance from the query to the first n[g] training rows
 * of that ranking (a running minimum over the buckets 0..g, so non-increasing in g). It merges by
 * elementwise minimum, which is exact and independent of order: the minimum over a union is the
 * minimum of the minima. +infinity means no row seen yet.
 */
public final class PrefixMinima implements Serializable {

    private static final long serialVersionUID = 1L;

    private final long[] queryIds;
    private final int variants;
    private final int rankings;
    private final int points;
    private final double[] values;

    private PrefixMinima(long[] queryIds, int variants, int rankings, int points, double[] values) {
        this.queryIds = queryIds;
        this.variants = variants;
        this.rankings = rankings;
        this.points = points;
        this.values = values;
    }

    public static PrefixMinima empty(long[] queryIds, int variants, int rankings, int points) {
        if (variants < 1 || rankings < 1 || points < 1 || points > Byte.MAX_VALUE) {
            throw new IllegalArgumentException("need >= 1 variant and ranking and 1..127 grid points, got "
                    + variants + ", " + rankings + ", " + points);
        }
        double[] values = new double[Math.multiplyExact(queryIds.length, variants * rankings * points)];
        Arrays.fill(values, Double.POSITIVE_INFINITY);
        return new PrefixMinima(queryIds.clone(), variants, rankings, points, values);
    }

    public int queries() {
        return queryIds.length;
    }

    public long queryId(int query) {
        return queryIds[query];
    }

    public int variants() {
        return variants;
    }

    public int rankings() {
        return rankings;
    }

    public int points() {
        return points;
    }

    boolean sameQueries(long[] ids) {
        return Arrays.equals(queryIds, ids);
    }

    private int base(int query, int variant, int ranking) {
        return ((query * variants + variant) * rankings + ranking) * points;
    }

    /** Squared distance from the query to the first n[point] rows of the ranking. */
    public double squared(int query, int variant, int ranking, int point) {
        return values[base(query, variant, ranking) + point];
    }

    /**
     * A row at squared distance {@code exact} whose bucket in this ranking is {@code bucket}: lowers the
     * minima of every prefix that holds it. True if anything changed.
     */
    boolean offer(int query, int variant, int ranking, int bucket, double exact) {
        int base = base(query, variant, ranking);
        boolean changed = false;
        // Non-increasing in g: once a prefix already has something as close, all larger ones do.
        for (int g = bucket; g < points && exact < values[base + g]; g++) {
            values[base + g] = exact;
            changed = true;
        }
        return changed;
    }

    /**
     * Per grid point, the largest minimum over variants and rankings, rounded up to float: a row whose
     * distance exceeds {@code into[q * points + g]}, and whose buckets are all >= g, changes nothing.
     */
    void thresholds(int query, float[] into) {
        int at = query * points;
        Arrays.fill(into, at, at + points, 0f);
        for (int v = 0; v < variants; v++) {
            for (int r = 0; r < rankings; r++) {
                int base = base(query, v, r);
                for (int g = 0; g < points; g++) {
                    into[at + g] = Math.max(into[at + g], CancellationBound.roundUp(values[base + g]));
                }
            }
        }
    }

    /** The elementwise minimum of the two states, as a new state. */
    public PrefixMinima merge(PrefixMinima other) {
        if (!Arrays.equals(queryIds, other.queryIds) || variants != other.variants || rankings != other.rankings
                || points != other.points) {
            throw new IllegalArgumentException("cannot merge prefix minima of other queries or shape");
        }
        double[] merged = new double[values.length];
        for (int i = 0; i < merged.length; i++) merged[i] = Math.min(values[i], other.values[i]);
        return new PrefixMinima(queryIds, variants, rankings, points, merged);
    }

    /** One variant as a new array, index {@code (query * rankings + ranking) * points + point}. */
    public double[] variant(int variant) {
        double[] out = new double[queryIds.length * rankings * points];
        for (int q = 0; q < queryIds.length; q++) {
            for (int r = 0; r < rankings; r++) {
                System.arraycopy(values, base(q, variant, r), out, (q * rankings + r) * points, points);
            }
        }
        return out;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof PrefixMinima p && Arrays.equals(queryIds, p.queryIds) && variants == p.variants
                && rankings == p.rankings && points == p.points && Arrays.equals(values, p.values);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(values);
    }

    @Override
    public String toString() {
        return "PrefixMinima[" + queryIds.length + " queries x " + variants + " variants x " + rankings
                + " rankings x " + points + " points]";
    }
}
