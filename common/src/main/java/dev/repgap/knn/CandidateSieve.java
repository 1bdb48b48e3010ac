package dev.repgap.knn;

import java.util.Arrays;

/**
 * The top-k fused with the kernel, for one query block against one reference block. Each kernel
 * value brackets the exact distance: value <= exact <= value + gap(q) + gap(r). A reference is a
 * candidate unless its lower bound exceeds the k-th smallest upper bound (or the k-th exact
 * distance already in the state); only candidates left at the end are computed exactly.
 */
final class CandidateSieve implements TileSink {

    private static final ThresholdSearch SEARCH = ThresholdSearch.best();

    private final DenseBlock queries;
    private final DenseBlock references;
    private final NeighbourLists state;
    private final boolean self;
    private final int k;
    private final float[] queryGaps;
    private final float[] referenceGaps;
    private final double[] exactKth;
    private final float[] thresholds;
    // Per query, the k smallest upper bounds seen in this reference block, ascending.
    private final double[] upperBounds;
    private final int[] upperCounts;
    private final int[][] candidates;
    private final float[][] lowerBounds;
    private final int[] candidateCounts;

    CandidateSieve(DenseBlock queries, CentredRows centredQueries, NeighbourLists state,
            DenseBlock references, CentredRows centredReferences, ScanMode mode) {
        this.queries = queries;
        this.references = references;
        this.state = state;
        this.self = mode == ScanMode.SELF;
        this.k = state.k();
        this.queryGaps = centredQueries.gaps();
        this.referenceGaps = centredReferences.gaps();
        int n = queries.rows();
        this.exactKth = new double[n];
        this.thresholds = new float[n];
        for (int q = 0; q < n; q++) {
            exactKth[q] = state.kthSquaredDistance(q);
            thresholds[q] = CancellationBound.roundUp(exactKth[q]);
        }
        this.upperBounds = new double[n * k];
        this.upperCounts = new int[n];
        this.candidates = new int[n][];
        this.lowerBounds = new float[n][];
        this.candidateCounts = new int[n];
    }

    @Override
    public void accept(float[] tile, int stride, int firstQuery, int queryCount, int firstReference, int referenceCount) {
        for (int i = 0; i < queryCount; i++) {
            int query = firstQuery + i;
            long queryId = queries.id(query);
            int row = i * stride;
            int end = row + referenceCount;
            for (int at = SEARCH.firstAtMost(tile, row, end, thresholds[query]); at < end;
                    at = SEARCH.firstAtMost(tile, at + 1, end, thresholds[query])) {
                int reference = firstReference + at - row;
                if (!self || references.id(reference) != queryId) {
                    add(query, reference, tile[at]);
                }
            }
        }
    }

    /** Computes the surviving candidates exactly and offers them to the state. */
    void finish() {
        int dim = queries.dim();
        for (int q = 0; q < candidateCounts.length; q++) {
            float threshold = thresholds[q];
            for (int c = 0; c < candidateCounts[q]; c++) {
                if (CancellationBound.cannotRuleOut(lowerBounds[q][c], threshold)) {
                    int reference = candidates[q][c];
                    double exact = ExactDistance.squared(queries.data(), q * dim, references.data(), reference * dim, dim);
                    state.offer(q, references.id(reference), exact);
                }
            }
        }
    }

    private void add(int query, int reference, float lower) {
        if (candidates[query] == null) {
            candidates[query] = new int[2 * k + 16];
            lowerBounds[query] = new float[2 * k + 16];
        } else if (candidateCounts[query] == candidates[query].length) {
            makeRoom(query);
        }
        int n = candidateCounts[query]++;
        candidates[query][n] = reference;
        lowerBounds[query][n] = lower;
        double upper = (double) lower + queryGaps[query] + referenceGaps[reference];
        if (Double.isNaN(upper)) {
            upper = Double.POSITIVE_INFINITY; // a pair the kernel could not bound bounds nothing
        }
        if (pushUpper(query, upper)) {
            thresholds[query] = CancellationBound.roundUp(Math.min(exactKth[query], upperBounds[query * k + k - 1]));
        }
    }

    /** Drops candidates already ruled out, and grows the buffer if that freed less than half. */
    private void makeRoom(int query) {
        float threshold = thresholds[query];
        int kept = 0;
        for (int c = 0; c < candidateCounts[query]; c++) {
            if (CancellationBound.cannotRuleOut(lowerBounds[query][c], threshold)) {
                candidates[query][kept] = candidates[query][c];
                lowerBounds[query][kept++] = lowerBounds[query][c];
            }
        }
        candidateCounts[query] = kept;
        if (kept > candidates[query].length / 2) {
            candidates[query] = Arrays.copyOf(candidates[query], 2 * candidates[query].length);
            lowerBounds[query] = Arrays.copyOf(lowerBounds[query], 2 * lowerBounds[query].length);
        }
    }

    /** Keeps the k smallest upper bounds in ascending order; true when k are held (the last is then the k-th). */
    private boolean pushUpper(int query, double upper) {
        int base = query * k;
        int size = upperCounts[query];
        if (size == k && upper >= upperBounds[base + k - 1]) {
            return true;
        }
        int pos = size == k ? k - 1 : size;
        while (pos > 0 && upperBounds[base + pos - 1] > upper) {
            upperBounds[base + pos] = upperBounds[base + pos - 1];
            pos--;
        }
        upperBounds[base + pos] = upper;
        upperCounts[query] = Math.min(size + 1, k);
        return size + 1 >= k;
    }
}
