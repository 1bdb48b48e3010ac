package dev.repgap.knn;

/**
 * The gap scan's filter, fused with the kernel, for one query block against one ranked block. A
 * kernel value is a lower bound of the exact squared distance; a training row can lower some prefix
 * minimum only if that bound is at most the query's threshold at the row's earliest bucket (see
 * {@link PrefixMinima#thresholds}). The few rows that pass are computed exactly in double at once and
 * offered to the state; a query's thresholds are refreshed after each tile row that changed them
 * (until then they are stale, that is larger, which only lets more rows through).
 */
final class PrefixMinimaSieve implements TileSink {

    private static final ThresholdSearch SEARCH = ThresholdSearch.best();

    private final DenseBlock queries;
    private final RankedBlock references;
    private final PrefixMinima state;
    private final int points;
    private final int variants;
    private final float[] thresholds;

    PrefixMinimaSieve(DenseBlock queries, PrefixMinima state, RankedBlock references) {
        this.queries = queries;
        this.references = references;
        this.state = state;
        this.points = state.points();
        this.variants = state.variants();
        this.thresholds = new float[queries.rows() * points];
        for (int q = 0; q < queries.rows(); q++) state.thresholds(q, thresholds);
    }

    @Override
    public void accept(float[] tile, int stride, int firstQuery, int queryCount, int firstReference, int referenceCount) {
        int end = firstReference + referenceCount;
        for (int i = 0; i < queryCount; i++) {
            int query = firstQuery + i;
            int row = i * stride - firstReference; // tile index of reference j is row + j
            boolean changed = false;
            for (int j = firstReference; j < end; ) {
                int runEnd = Math.min(references.runEnd(j), end);
                float threshold = thresholds[query * points + references.earliest(j)];
                for (int at = SEARCH.firstAtMost(tile, row + j, row + runEnd, threshold); at < row + runEnd;
                        at = SEARCH.firstAtMost(tile, at + 1, row + runEnd, threshold)) {
                    changed |= offer(query, at - row);
                }
                j = runEnd;
            }
            if (changed) state.thresholds(query, thresholds);
        }
    }

    private boolean offer(int query, int reference) {
        int dim = queries.dim();
        double exact = ExactDistance.squared(queries.data(), query * dim, references.rows().data(), reference * dim, dim);
        boolean transformed = references.transformed(reference);
        boolean changed = false;
        for (int r = 0; r < references.rankings(); r++) {
            int bucket = references.bucket(reference, r);
            // A transformed copy is a neighbour only under the symmetry, the last variant.
            for (int v = transformed ? variants - 1 : 0; v < variants; v++) {
                changed |= state.offer(query, v, r, bucket, exact);
            }
        }
        return changed;
    }
}
