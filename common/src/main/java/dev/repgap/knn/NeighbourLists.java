package dev.repgap.knn;

import java.io.IOException;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.io.Serializable;
import java.util.Arrays;

/**
 * For each query of a block, its k nearest references seen so far as (id, exact squared distance),
 * ordered by distance then id, and the number of references at distance exactly 0 (duplicates).
 * States built from disjoint reference partitions merge exactly, in any order and grouping.
 */
public final class NeighbourLists implements Serializable {

    private static final long serialVersionUID = 1L;

    // All transient: writeObject stores only the filled entries.
    private transient int k;
    private transient long[] queryIds;
    private transient int[] sizes;
    private transient long[] neighbourIds;
    private transient double[] squaredDistances;
    private transient long[] duplicates;

    private NeighbourLists(long[] queryIds, int k) {
        init(queryIds, k);
    }

    private void init(long[] queryIds, int k) {
        this.k = k;
        this.queryIds = queryIds;
        this.sizes = new int[queryIds.length];
        this.neighbourIds = new long[queryIds.length * k];
        this.squaredDistances = new double[queryIds.length * k];
        this.duplicates = new long[queryIds.length];
    }

    /** No neighbours yet for the queries with these ids (copied), keeping up to {@code k} each. */
    public static NeighbourLists empty(long[] queryIds, int k) {
        if (k < 1) {
            throw new IllegalArgumentException("k must be >= 1, got " + k);
        }
        return new NeighbourLists(queryIds.clone(), k);
    }

    public int k() {
        return k;
    }

    public int queries() {
        return queryIds.length;
    }

    public long queryId(int query) {
        return queryIds[query];
    }

    /** Number of neighbours held, {@code min(k, references seen)}. */
    public int size(int query) {
        return sizes[query];
    }

    /** Id of the neighbour of the given rank, 0 = nearest. */
    public long neighbourId(int query, int rank) {
        checkRank(query, rank);
        return neighbourIds[query * k + rank];
    }

    /** {@link ExactDistance#squared} to the neighbour of the given rank. */
    public double squaredDistance(int query, int rank) {
        checkRank(query, rank);
        return squaredDistances[query * k + rank];
    }

    /** References at distance exactly 0 from the query (its own row excluded in self mode), also beyond the k-th. */
    public long exactDuplicates(int query) {
        return duplicates[query];
    }

    /** The k-th smallest distance, or +infinity while fewer than k references were seen. */
    double kthSquaredDistance(int query) {
        return sizes[query] < k ? Double.POSITIVE_INFINITY : squaredDistances[query * k + k - 1];
    }

    boolean sameQueries(long[] ids) {
        return Arrays.equals(queryIds, ids);
    }

    /** Inserts the reference if it ranks among the k nearest by (distance, id). */
    void offer(int query, long id, double squaredDistance) {
        if (squaredDistance == 0.0) {
            duplicates[query]++;
        }
        int base = query * k;
        int n = sizes[query];
        if (n == k && !before(squaredDistance, id, squaredDistances[base + k - 1], neighbourIds[base + k - 1])) {
            return;
        }
        int pos = n == k ? k - 1 : n;
        while (pos > 0 && before(squaredDistance, id, squaredDistances[base + pos - 1], neighbourIds[base + pos - 1])) {
            squaredDistances[base + pos] = squaredDistances[base + pos - 1];
            neighbourIds[base + pos] = neighbourIds[base + pos - 1];
            pos--;
        }
        squaredDistances[base + pos] = squaredDistance;
        neighbourIds[base + pos] = id;
        sizes[query] = Math.min(n + 1, k);
    }

    /**
     * The k nearest of both states for each query, duplicate counts summed. The two states must hold
     * the same queries and k, and come from disjoint reference sets (a reference in both is kept once,
     * but its duplicate count would be counted twice).
     */
    public NeighbourLists merge(NeighbourLists other) {
        if (other.k != k || !Arrays.equals(other.queryIds, queryIds)) {
            throw new IllegalArgumentException("cannot merge states of different queries or k");
        }
        NeighbourLists merged = new NeighbourLists(queryIds, k);
        for (int q = 0; q < queryIds.length; q++) {
            int base = q * k;
            int i = 0;
            int j = 0;
            int n = 0;
            while (n < k && (i < sizes[q] || j < other.sizes[q])) {
                boolean takeThis = j >= other.sizes[q] || (i < sizes[q] && !before(
                        other.squaredDistances[base + j], other.neighbourIds[base + j],
                        squaredDistances[base + i], neighbourIds[base + i]));
                long id = takeThis ? neighbourIds[base + i] : other.neighbourIds[base + j];
                double d = takeThis ? squaredDistances[base + i++] : other.squaredDistances[base + j++];
                if (n == 0 || merged.neighbourIds[base + n - 1] != id || merged.squaredDistances[base + n - 1] != d) {
                    merged.neighbourIds[base + n] = id;
                    merged.squaredDistances[base + n] = d;
                    n++;
                }
            }
            merged.sizes[q] = n;
            merged.duplicates[q] = duplicates[q] + other.duplicates[q];
        }
        return merged;
    }

    /**
     * The same queries with their {@code k} nearest (a prefix of each list) and the same duplicate counts:
     * what a scan of the same references at {@code k} gives, since the lists are ordered by (distance, id)
     * and duplicates are counted beyond the k-th.
     */
    public NeighbourLists cut(int k) {
        if (k < 1 || k > this.k) {
            throw new IllegalArgumentException("can cut lists of k = " + this.k + " to 1.." + this.k + ", not " + k);
        }
        if (k == this.k) return this;
        NeighbourLists cut = new NeighbourLists(queryIds, k);
        for (int q = 0; q < queryIds.length; q++) {
            int n = Math.min(sizes[q], k);
            System.arraycopy(neighbourIds, q * this.k, cut.neighbourIds, q * k, n);
            System.arraycopy(squaredDistances, q * this.k, cut.squaredDistances, q * k, n);
            cut.sizes[q] = n;
            cut.duplicates[q] = duplicates[q];
        }
        return cut;
    }

    private static boolean before(double d1, long id1, double d2, long id2) {
        return d1 < d2 || (d1 == d2 && id1 < id2);
    }

    private void checkRank(int query, int rank) {
        if (rank < 0 || rank >= sizes[query]) {
            throw new IndexOutOfBoundsException("rank " + rank + " of query " + query + " holding " + sizes[query]);
        }
    }

    @Override
    public boolean equals(Object o) {
        if (!(o instanceof NeighbourLists)) {
            return false;
        }
        NeighbourLists other = (NeighbourLists) o;
        if (k != other.k || !Arrays.equals(queryIds, other.queryIds) || !Arrays.equals(sizes, other.sizes)
                || !Arrays.equals(duplicates, other.duplicates)) {
            return false;
        }
        for (int q = 0; q < queryIds.length; q++) {
            int from = q * k;
            int to = from + sizes[q];
            if (!Arrays.equals(neighbourIds, from, to, other.neighbourIds, from, to)
                    || !Arrays.equals(squaredDistances, from, to, other.squaredDistances, from, to)) {
                return false;
            }
        }
        return true;
    }

    @Override
    public int hashCode() {
        return 31 * Arrays.hashCode(queryIds) + Arrays.hashCode(duplicates);
    }

    @Override
    public String toString() {
        return "NeighbourLists[queries=" + queryIds.length + ", k=" + k + "]";
    }

    private void writeObject(ObjectOutputStream out) throws IOException {
        out.defaultWriteObject();
        out.writeInt(k);
        out.writeInt(queryIds.length);
        for (int q = 0; q < queryIds.length; q++) {
            out.writeLong(queryIds[q]);
            out.writeLong(duplicates[q]);
            out.writeInt(sizes[q]);
            for (int r = 0; r < sizes[q]; r++) {
                out.writeLong(neighbourIds[q * k + r]);
                out.writeDouble(squaredDistances[q * k + r]);
            }
        }
    }

    private void readObject(ObjectInputStream in) throws IOException, ClassNotFoundException {
        in.defaultReadObject();
        int kRead = in.readInt();
        int n = in.readInt();
        init(new long[n], kRead);
        for (int q = 0; q < n; q++) {
            queryIds[q] = in.readLong();
            duplicates[q] = in.readLong();
            sizes[q] = in.readInt();
            for (int r = 0; r < sizes[q]; r++) {
                neighbourIds[q * k + r] = in.readLong();
                squaredDistances[q * k + r] = in.readDouble();
            }
        }
    }
}
