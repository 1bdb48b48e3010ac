package dev.repgap.knn;

import java.util.List;

/**
 * Exact k-nearest-neighbour scan of one partition: a fast float32 kernel proposes candidates, and
 * every candidate that the cancellation bound cannot rule out is recomputed with
 * {@link ExactDistance} before it enters the top-k. Single-threaded; one instance may serve many threads.
 */
public final class NeighbourScan {

    private final DistanceKernel kernel;
    private final ScanMode mode;
    private final float[] centre;

    /**
     * @param centre subtracted from queries and references on the kernel path only (e.g. the
     *     reference mean; null: none). It changes speed, never the results.
     */
    public NeighbourScan(DistanceKernel kernel, ScanMode mode, float[] centre) {
        this.kernel = kernel;
        this.mode = mode;
        this.centre = centre == null ? null : centre.clone();
    }

    /** With the kernel chosen by {@link DistanceKernels#selected()}. */
    public NeighbourScan(ScanMode mode, float[] centre) {
        this(DistanceKernels.selected(), mode, centre);
    }

    public DistanceKernel kernel() {
        return kernel;
    }

    /** A fresh state for the queries of this block. */
    public static NeighbourLists newState(DenseBlock queries, int k) {
        return NeighbourLists.empty(queries.ids(), k);
    }

    /** Updates {@code state} (for {@code queries}) with the references of this block. */
    public void scan(DenseBlock queries, NeighbourLists state, DenseBlock references) {
        if (queries.dim() != references.dim()) {
            throw new IllegalArgumentException("queries have dim " + queries.dim() + ", references " + references.dim());
        }
        if (!state.sameQueries(queries.ids())) {
            throw new IllegalArgumentException("state was made for other queries: " + state);
        }
        if (queries.rows() == 0 || references.rows() == 0) {
            return;
        }
        CentredRows centredQueries = queries.centredOn(centre);
        CentredRows centredReferences = references.centredOn(centre);
        CandidateSieve sieve = new CandidateSieve(queries, centredQueries, state, references, centredReferences, mode);
        kernel.squaredDistances(centredQueries, centredReferences, sieve);
        sieve.finish();
    }

    /** Updates each state with the references of this block; {@code states.get(i)} belongs to {@code queryBlocks.get(i)}. */
    public void scan(List<DenseBlock> queryBlocks, List<NeighbourLists> states, DenseBlock references) {
        if (queryBlocks.size() != states.size()) {
            throw new IllegalArgumentException(queryBlocks.size() + " query blocks but " + states.size() + " states");
        }
        for (int i = 0; i < queryBlocks.size(); i++) {
            scan(queryBlocks.get(i), states.get(i), references);
        }
    }
}
