package dev.repgap.knn;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * Register-blocked sgemm with the Java Vector API (jdk.incubator.vector). References are packed into
 * panels of two vectors' width, queries are broadcast, {@code ROWS x 2} vector accumulators stay in
 * registers, and the depth is cut into blocks so that one panel stays in L1.
 * Loaded only by reflection from {@link DistanceKernels}, so that a JVM without the module never links it.
 */
final class VectorApiKernel implements DistanceKernel {

    private static final VectorSpecies<Float> SPECIES = FloatVector.SPECIES_PREFERRED;
    private static final int LANES = SPECIES.length();
    private static final int PANEL = 2 * LANES;
    private static final int ROWS = 8;
    private static final int QUERY_TILE = 64;
    private static final int REFERENCE_TILE = 256;
    private static final int DEPTH_TILE = 256;

    @Override
    public String name() {
        return "vector-api";
    }

    @Override
    public void squaredDistances(CentredRows queries, CentredRows references, TileSink sink) {
        int dim = queries.dim();
        float[] q = queries.data();
        float[] qNorms = queries.lowerNorms();
        float[] rNorms = references.lowerNorms();
        int maxPanels = (Math.min(REFERENCE_TILE, references.rows()) + PANEL - 1) / PANEL;
        float[] packed = new float[maxPanels * PANEL * dim];
        float[] tile = new float[QUERY_TILE * maxPanels * PANEL];
        float[] normRow = new float[maxPanels * PANEL];
        for (int r0 = 0; r0 < references.rows(); r0 += REFERENCE_TILE) {
            int nr = Math.min(REFERENCE_TILE, references.rows() - r0);
            int panels = (nr + PANEL - 1) / PANEL;
            int stride = panels * PANEL;
            pack(references.data(), r0, nr, dim, panels, packed);
            System.arraycopy(rNorms, r0, normRow, 0, nr);
            for (int q0 = 0; q0 < queries.rows(); q0 += QUERY_TILE) {
                int nq = Math.min(QUERY_TILE, queries.rows() - q0);
                for (int k0 = 0; k0 < dim; k0 += DEPTH_TILE) {
                    int depth = Math.min(DEPTH_TILE, dim - k0);
                    boolean first = k0 == 0;
                    for (int p = 0; p < panels; p++) {
                        int b = p * PANEL * dim + k0 * PANEL;
                        int i = 0;
                        for (; i + ROWS <= nq; i += ROWS) {
                            eightRows(q, (q0 + i) * dim + k0, dim, packed, b, depth, tile, i * stride + p * PANEL, stride, first);
                        }
                        for (; i < nq; i++) {
                            oneRow(q, (q0 + i) * dim + k0, packed, b, depth, tile, i * stride + p * PANEL, first);
                        }
                    }
                }
                addNorms(tile, stride, nq, qNorms, q0, normRow);
                sink.accept(tile, stride, q0, nq, r0, nr);
            }
        }
    }

    /** Panel p holds rows r0 + p*PANEL ..: {@code packed[p*PANEL*dim + k*PANEL + c] = row c, coordinate k}, zero padded. */
    private static void pack(float[] r, int r0, int nr, int dim, int panels, float[] packed) {
        for (int p = 0; p < panels; p++) {
            int base = p * PANEL * dim;
            for (int c = 0; c < PANEL; c++) {
                int row = p * PANEL + c;
                if (row < nr) {
                    int src = (r0 + row) * dim;
                    for (int k = 0; k < dim; k++) {
                        packed[base + k * PANEL + c] = r[src + k];
                    }
                } else {
                    for (int k = 0; k < dim; k++) {
                        packed[base + k * PANEL + c] = 0f;
                    }
                }
            }
        }
    }

    /** tile = qNorm + rNorm - 2 * dot, vectorised over references. */
    private static void addNorms(float[] tile, int stride, int nq, float[] qNorms, int q0, float[] normRow) {
        for (int i = 0; i < nq; i++) {
            FloatVector qn = FloatVector.broadcast(SPECIES, qNorms[q0 + i]);
            FloatVector minusTwo = FloatVector.broadcast(SPECIES, -2f);
            for (int j = 0; j < stride; j += LANES) {
                FloatVector dot = FloatVector.fromArray(SPECIES, tile, i * stride + j);
                FloatVector norms = qn.add(FloatVector.fromArray(SPECIES, normRow, j));
                dot.fma(minusTwo, norms).intoArray(tile, i * stride + j);
            }
        }
    }

    private static void eightRows(float[] a, int aOff, int lda, float[] b, int bOff, int depth,
            float[] c, int cOff, int ldc, boolean first) {
        FloatVector c00, c01, c10, c11, c20, c21, c30, c31, c40, c41, c50, c51, c60, c61, c70, c71;
        if (first) {
            FloatVector zero = FloatVector.zero(SPECIES);
            c00 = zero; c01 = zero; c10 = zero; c11 = zero; c20 = zero; c21 = zero; c30 = zero; c31 = zero;
            c40 = zero; c41 = zero; c50 = zero; c51 = zero; c60 = zero; c61 = zero; c70 = zero; c71 = zero;
        } else {
            c00 = load(c, cOff); c01 = load(c, cOff + LANES);
            c10 = load(c, cOff + ldc); c11 = load(c, cOff + ldc + LANES);
            c20 = load(c, cOff + 2 * ldc); c21 = load(c, cOff + 2 * ldc + LANES);
            c30 = load(c, cOff + 3 * ldc); c31 = load(c, cOff + 3 * ldc + LANES);
            c40 = load(c, cOff + 4 * ldc); c41 = load(c, cOff + 4 * ldc + LANES);
            c50 = load(c, cOff + 5 * ldc); c51 = load(c, cOff + 5 * ldc + LANES);
            c60 = load(c, cOff + 6 * ldc); c61 = load(c, cOff + 6 * ldc + LANES);
            c70 = load(c, cOff + 7 * ldc); c71 = load(c, cOff + 7 * ldc + LANES);
        }
        int a0 = aOff, a1 = aOff + lda, a2 = aOff + 2 * lda, a3 = aOff + 3 * lda;
        int a4 = aOff + 4 * lda, a5 = aOff + 5 * lda, a6 = aOff + 6 * lda, a7 = aOff + 7 * lda;
        for (int k = 0; k < depth; k++) {
            FloatVector b0 = FloatVector.fromArray(SPECIES, b, bOff + k * PANEL);
            FloatVector b1 = FloatVector.fromArray(SPECIES, b, bOff + k * PANEL + LANES);
            FloatVector x = FloatVector.broadcast(SPECIES, a[a0 + k]);
            c00 = x.fma(b0, c00); c01 = x.fma(b1, c01);
            x = FloatVector.broadcast(SPECIES, a[a1 + k]);
            c10 = x.fma(b0, c10); c11 = x.fma(b1, c11);
            x = FloatVector.broadcast(SPECIES, a[a2 + k]);
            c20 = x.fma(b0, c20); c21 = x.fma(b1, c21);
            x = FloatVector.broadcast(SPECIES, a[a3 + k]);
            c30 = x.fma(b0, c30); c31 = x.fma(b1, c31);
            x = FloatVector.broadcast(SPECIES, a[a4 + k]);
            c40 = x.fma(b0, c40); c41 = x.fma(b1, c41);
            x = FloatVector.broadcast(SPECIES, a[a5 + k]);
            c50 = x.fma(b0, c50); c51 = x.fma(b1, c51);
            x = FloatVector.broadcast(SPECIES, a[a6 + k]);
            c60 = x.fma(b0, c60); c61 = x.fma(b1, c61);
            x = FloatVector.broadcast(SPECIES, a[a7 + k]);
            c70 = x.fma(b0, c70); c71 = x.fma(b1, c71);
        }
        c00.intoArray(c, cOff); c01.intoArray(c, cOff + LANES);
        c10.intoArray(c, cOff + ldc); c11.intoArray(c, cOff + ldc + LANES);
        c20.intoArray(c, cOff + 2 * ldc); c21.intoArray(c, cOff + 2 * ldc + LANES);
        c30.intoArray(c, cOff + 3 * ldc); c31.intoArray(c, cOff + 3 * ldc + LANES);
        c40.intoArray(c, cOff + 4 * ldc); c41.intoArray(c, cOff + 4 * ldc + LANES);
        c50.intoArray(c, cOff + 5 * ldc); c51.intoArray(c, cOff + 5 * ldc + LANES);
        c60.intoArray(c, cOff + 6 * ldc); c61.intoArray(c, cOff + 6 * ldc + LANES);
        c70.intoArray(c, cOff + 7 * ldc); c71.intoArray(c, cOff + 7 * ldc + LANES);
    }

    private static void oneRow(float[] a, int aOff, float[] b, int bOff, int depth, float[] c, int cOff, boolean first) {
        FloatVector c0 = first ? FloatVector.zero(SPECIES) : load(c, cOff);
        FloatVector c1 = first ? FloatVector.zero(SPECIES) : load(c, cOff + LANES);
        for (int k = 0; k < depth; k++) {
            FloatVector x = FloatVector.broadcast(SPECIES, a[aOff + k]);
            c0 = x.fma(FloatVector.fromArray(SPECIES, b, bOff + k * PANEL), c0);
            c1 = x.fma(FloatVector.fromArray(SPECIES, b, bOff + k * PANEL + LANES), c1);
        }
        c0.intoArray(c, cOff);
        c1.intoArray(c, cOff + LANES);
    }

    private static FloatVector load(float[] c, int off) {
        return FloatVector.fromArray(SPECIES, c, off);
    }
}
