package dev.repgap.knn;

/**
 * The Representation Gap's scan of one partition: for every query, every ranking of the training rows
 * and every grid size n, the exact squared distance to the nearest of the first n rows, for all n in
 * one pass over the rows (see {@link PrefixMinima}). The float32 kernel proposes, exact double
 * arithmetic decides, as in {@link NeighbourScan}. Single-threaded; one instance may serve many threads.
 */
public final class PrefixMinimaScan {

    private final DistanceKernel kernel;
    private final float[] centre;

    /** @param centre subtracted on the kernel path only (null: none); it changes speed, never the results. */
    public PrefixMinimaScan(DistanceKernel kernel, float[] centre) {
        this.kernel = kernel;
        this.centre = centre == null ? null : centre.clone();
    }

    /** With the kernel chosen by {@link DistanceKernels#selected()}. */
    public PrefixMinimaScan(float[] centre) {
        this(DistanceKernels.selected(), centre);
    }

    public DistanceKernel kernel() {
        return kernel;
    }

    /** Updates {@code state} (for {@code queries}) with the training rows of this block. */
    public void scan(DenseBlock queries, PrefixMinima state, RankedBlock references) {
        if (queries.dim() != references.rows().dim()) {
            throw new IllegalArgumentException("queries have dim " + queries.dim() + ", references " + references.rows().dim());
        }
        if (!state.sameQueries(queries.ids())) {
            throw new IllegalArgumentException("state was made for other queries: " + state);
        }
        if (references.rankings() != state.rankings()) {
            throw new IllegalArgumentException("block has " + references.rankings() + " rankings, state " + state.rankings());
        }
        if (queries.rows() == 0 || references.rows().rows() == 0) {
            return;
        }
        PrefixMinimaSieve sieve = new PrefixMinimaSieve(queries, state, references);
        kernel.squaredDistances(queries.centredOn(centre), references.rows().centredOn(centre), sieve);
    }
}
