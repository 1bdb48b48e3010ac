package dev.repgap.knn;

/** Plain Java loops: the fallback when neither native BLAS nor the Vector API is available. */
final class ScalarKernel implements DistanceKernel {

    private static final int QUERY_TILE = 64;
    private static final int REFERENCE_TILE = 256;

    @Override
    public String name() {
        return "scalar";
    }

    @Override
    public void squaredDistances(CentredRows queries, CentredRows references, TileSink sink) {
        int dim = queries.dim();
        float[] q = queries.data();
        float[] r = references.data();
        float[] qNorms = queries.lowerNorms();
        float[] rNorms = references.lowerNorms();
        float[] tile = new float[QUERY_TILE * REFERENCE_TILE];
        for (int r0 = 0; r0 < references.rows(); r0 += REFERENCE_TILE) {
            int nr = Math.min(REFERENCE_TILE, references.rows() - r0);
            for (int q0 = 0; q0 < queries.rows(); q0 += QUERY_TILE) {
                int nq = Math.min(QUERY_TILE, queries.rows() - q0);
                for (int i = 0; i < nq; i++) {
                    int qOff = (q0 + i) * dim;
                    for (int j = 0; j < nr; j++) {
                        int rOff = (r0 + j) * dim;
                        float dot = 0f;
                        for (int c = 0; c < dim; c++) {
                            dot += q[qOff + c] * r[rOff + c];
                        }
                        tile[i * nr + j] = qNorms[q0 + i] + rNorms[r0 + j] - 2f * dot;
                    }
                }
                sink.accept(tile, nr, q0, nq, r0, nr);
            }
        }
    }
}
