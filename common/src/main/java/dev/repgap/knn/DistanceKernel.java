package dev.repgap.knn;

/**
 * Squared distances of a query block against a reference block by the Gram trick, in float32:
 * {@code tile = lowerNorm(q) + lowerNorm(r) - 2 q.r}. With the lowered norms of {@link CentredRows}
 * every value is a proven lower bound of the exact squared distance (see {@link CancellationBound}).
 * Implementations are single-threaded per call and hold no state, so one instance serves all threads.
 */
public interface DistanceKernel {

    /** Which backend this is, for the job's log: e.g. {@code native-blas(OpenBLAS)}, {@code vector-api}, {@code scalar}. */
    String name();

    /** Covers every (query, reference) pair exactly once, tile by tile. */
    void squaredDistances(CentredRows queries, CentredRows references, TileSink sink);
}
