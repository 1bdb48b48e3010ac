package dev.repgap.knn;

/** Receives a distance kernel's output one cache-sized tile at a time. */
@FunctionalInterface
public interface TileSink {

    /**
     * {@code tile[i * stride + j]} is the kernel's value for query {@code firstQuery + i} and reference
     * {@code firstReference + j}, {@code i < queries}, {@code j < references}. The tile is reused after
     * the call returns.
     */
    void accept(float[] tile, int stride, int firstQuery, int queries, int firstReference, int references);
}
