package dev.repgap.knn;

/**
 * A block of training rows for the gap scan: the vectors, each row's bucket in every ranking, and
 * whether the row is a transformed copy (the image of a training row under a symmetry other than the
 * identity: it counts for the symmetric variant only). Rows are ordered by their earliest bucket over
 * the rankings, so that a tile of the kernel meets few distinct thresholds, in long runs.
 */
public final class RankedBlock {

    private final DenseBlock rows;
    private final int rankings;
    private final byte[] buckets;
    private final byte[] earliest;
    private final boolean[] transformed;
    private final int[] runEnd;

    private RankedBlock(DenseBlock rows, int rankings, byte[] buckets, byte[] earliest, boolean[] transformed) {
        this.rows = rows;
        this.rankings = rankings;
        this.buckets = buckets;
        this.earliest = earliest;
        this.transformed = transformed;
        this.runEnd = new int[earliest.length];
        for (int i = earliest.length - 1; i >= 0; i--) {
            runEnd[i] = i + 1 < earliest.length && earliest[i + 1] == earliest[i] ? runEnd[i + 1] : i + 1;
        }
    }

    public DenseBlock rows() {
        return rows;
    }

    int rankings() {
        return rankings;
    }

    int bucket(int row, int ranking) {
        return buckets[row * rankings + ranking];
    }

    int earliest(int row) {
        return earliest[row];
    }

    /** The end (exclusive) of the run of rows from {@code row} on that share its earliest bucket. */
    int runEnd(int row) {
        return runEnd[row];
    }

    boolean transformed(int row) {
        return transformed[row];
    }

    public static Builder builder(int dim, int rankings, int capacity) {
        return new Builder(dim, rankings, capacity);
    }

    /** Collects rows, then sorts them by earliest bucket (a counting sort: at most 127 buckets). */
    public static final class Builder {
        private final int dim;
        private final int rankings;
        private final long[] ids;
        private final float[] data;
        private final byte[] buckets;
        private final boolean[] transformed;
        private int size;

        private Builder(int dim, int rankings, int capacity) {
            this.dim = dim;
            this.rankings = rankings;
            this.ids = new long[capacity];
            this.data = new float[capacity * dim];
            this.buckets = new byte[capacity * rankings];
            this.transformed = new boolean[capacity];
        }

        public int size() {
            return size;
        }

        public boolean full() {
            return size == ids.length;
        }

        /** Space for the next row's vector: write {@code dim} values at {@link #nextOffset()} of {@link #nextData()}. */
        public float[] nextData() {
            return data;
        }

        public int nextOffset() {
            return size * dim;
        }

        /** Adds the row whose vector was written at {@link #nextOffset()}, with its buckets at {@code bucketsOf[offset..]}. */
        public void add(long id, byte[] bucketsOf, int offset, boolean isTransformed) {
            ids[size] = id;
            System.arraycopy(bucketsOf, offset, buckets, size * rankings, rankings);
            transformed[size] = isTransformed;
            size++;
        }

        /** The block of the rows added so far; the builder is then empty again. */
        public RankedBlock build() {
            int n = size;
            byte[] earliestOf = new byte[n];
            int[] count = new int[Byte.MAX_VALUE + 2];
            for (int i = 0; i < n; i++) {
                byte e = Byte.MAX_VALUE;
                for (int r = 0; r < rankings; r++) e = (byte) Math.min(e, buckets[i * rankings + r]);
                earliestOf[i] = e;
                count[e + 1]++;
            }
            for (int b = 1; b < count.length; b++) count[b] += count[b - 1];
            long[] sortedIds = new long[n];
            float[] sortedData = new float[n * dim];
            byte[] sortedBuckets = new byte[n * rankings];
            byte[] sortedEarliest = new byte[n];
            boolean[] sortedTransformed = new boolean[n];
            for (int i = 0; i < n; i++) {
                int to = count[earliestOf[i]]++;
                sortedIds[to] = ids[i];
                System.arraycopy(data, i * dim, sortedData, to * dim, dim);
                System.arraycopy(buckets, i * rankings, sortedBuckets, to * rankings, rankings);
                sortedEarliest[to] = earliestOf[i];
                sortedTransformed[to] = transformed[i];
            }
            size = 0;
            return new RankedBlock(DenseBlock.of(sortedIds, sortedData, dim), rankings, sortedBuckets, sortedEarliest,
                    sortedTransformed);
        }
    }
}
