package dev.repgap.stats;

import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * Register-blocked products of row blocks with the Java Vector API (jdk.incubator.vector), in double.
 * A block is first packed into panels of {@link #PANEL} columns (panel p holds, row after row, that
 * row's columns {@code p*PANEL ..}, zero padded), so that every access in the inner loop is
 * sequential. An {@code 8 x 2}-vector tile of the product stays in registers while the block's rows
 * stream through: 8 broadcasts and 2 loads feed 16 fused multiply-adds per row.
 * Loaded only by reflection from {@link GramKernels}, so that a JVM without the module never links it.
 */
final class VectorGramKernel implements GramKernel {

    private static final VectorSpecies<Double> SPECIES = DoubleVector.SPECIES_PREFERRED;
    private static final int LANES = SPECIES.length();
    /** Columns of a tile: two vectors. */
    private static final int WIDTH = 2 * LANES;
    /** Rows of a tile. */
    private static final int TILE = 8;
    /** Columns of a packed panel: a multiple of both the tile's width and height. */
    private static final int PANEL = Math.max(WIDTH, TILE);

    private static final ThreadLocal<double[][]> SCRATCH = ThreadLocal.withInitial(() -> new double[2][0]);

    @Override
    public String name() {
        return "vector-api";
    }

    @Override
    public int blockRows() {
        return 256;
    }

    @Override
    public void gram(double[] x, int rows, int dim, double[] c) {
        double[] packed = pack(x, rows, dim, 0);
        product(packed, packed, rows, dim, dim, true, c);
    }

    @Override
    public void cross(double[] x, double[] y, int rows, int dim, int q, double[] c) {
        product(pack(x, rows, dim, 0), pack(y, rows, q, 1), rows, dim, q, false, c);
    }

    /** {@code c[i*q + k] += sum_r a[r,i] b[r,k]} from packed blocks; with {@code upper}, only tiles that reach {@code k >= i}. */
    private static void product(double[] a, double[] b, int rows, int dim, int q, boolean upper, double[] c) {
        double[] tile = new double[TILE * WIDTH];
        for (int k0 = 0; k0 < q; k0 += WIDTH) {
            int bOff = (k0 / PANEL) * rows * PANEL + k0 % PANEL;
            int iEnd = upper ? Math.min(dim, k0 + WIDTH) : dim;
            int cols = Math.min(WIDTH, q - k0);
            for (int i0 = 0; i0 < iEnd; i0 += TILE) {
                int aOff = (i0 / PANEL) * rows * PANEL + i0 % PANEL;
                int valid = Math.min(TILE, dim - i0);
                if (valid == TILE && cols == WIDTH) {
                    eightRows(a, aOff, b, bOff, rows, c, i0 * q + k0, q);
                } else { // an edge tile: through the scratch tile, then its valid part
                    java.util.Arrays.fill(tile, 0);
                    eightRows(a, aOff, b, bOff, rows, tile, 0, WIDTH);
                    for (int t = 0; t < valid; t++) {
                        for (int k = 0; k < cols; k++) c[(i0 + t) * q + k0 + k] += tile[t * WIDTH + k];
                    }
                }
            }
        }
    }

    /** Panel p of the result holds row r's columns {@code p*PANEL .. p*PANEL+PANEL-1} at {@code p*rows*PANEL + r*PANEL}. */
    private static double[] pack(double[] x, int rows, int cols, int slot) {
        int panels = (cols + PANEL - 1) / PANEL;
        int size = panels * rows * PANEL;
        double[][] scratch = SCRATCH.get();
        if (scratch[slot].length < size) scratch[slot] = new double[size];
        double[] packed = scratch[slot];
        for (int p = 0; p < panels; p++) {
            int c0 = p * PANEL;
            int w = Math.min(PANEL, cols - c0);
            int base = p * rows * PANEL;
            for (int r = 0; r < rows; r++) {
                System.arraycopy(x, r * cols + c0, packed, base + r * PANEL, w);
                for (int t = w; t < PANEL; t++) packed[base + r * PANEL + t] = 0;
            }
        }
        return packed;
    }

    /** Adds the 8 x WIDTH tile {@code sum_r a[r, aOff..aOff+7]^T b[r, bOff..bOff+WIDTH-1]} to {@code c} at {@code cOff} (row stride {@code ldc}). */
    private static void eightRows(double[] a, int aOff, double[] b, int bOff, int rows, double[] c, int cOff, int ldc) {
        DoubleVector zero = DoubleVector.zero(SPECIES);
        DoubleVector c00 = zero, c01 = zero, c10 = zero, c11 = zero, c20 = zero, c21 = zero, c30 = zero, c31 = zero;
        DoubleVector c40 = zero, c41 = zero, c50 = zero, c51 = zero, c60 = zero, c61 = zero, c70 = zero, c71 = zero;
        for (int r = 0, ar = aOff, br = bOff; r < rows; r++, ar += PANEL, br += PANEL) {
            DoubleVector b0 = DoubleVector.fromArray(SPECIES, b, br);
            DoubleVector b1 = DoubleVector.fromArray(SPECIES, b, br + LANES);
            DoubleVector x = DoubleVector.broadcast(SPECIES, a[ar]);
            c00 = x.fma(b0, c00); c01 = x.fma(b1, c01);
            x = DoubleVector.broadcast(SPECIES, a[ar + 1]);
            c10 = x.fma(b0, c10); c11 = x.fma(b1, c11);
            x = DoubleVector.broadcast(SPECIES, a[ar + 2]);
            c20 = x.fma(b0, c20); c21 = x.fma(b1, c21);
            x = DoubleVector.broadcast(SPECIES, a[ar + 3]);
            c30 = x.fma(b0, c30); c31 = x.fma(b1, c31);
            x = DoubleVector.broadcast(SPECIES, a[ar + 4]);
            c40 = x.fma(b0, c40); c41 = x.fma(b1, c41);
            x = DoubleVector.broadcast(SPECIES, a[ar + 5]);
            c50 = x.fma(b0, c50); c51 = x.fma(b1, c51);
            x = DoubleVector.broadcast(SPECIES, a[ar + 6]);
            c60 = x.fma(b0, c60); c61 = x.fma(b1, c61);
            x = DoubleVector.broadcast(SPECIES, a[ar + 7]);
            c70 = x.fma(b0, c70); c71 = x.fma(b1, c71);
        }
        int at = cOff;
        c00.add(DoubleVector.fromArray(SPECIES, c, at)).intoArray(c, at);
        c01.add(DoubleVector.fromArray(SPECIES, c, at + LANES)).intoArray(c, at + LANES);
        at += ldc;
        c10.add(DoubleVector.fromArray(SPECIES, c, at)).intoArray(c, at);
        c11.add(DoubleVector.fromArray(SPECIES, c, at + LANES)).intoArray(c, at + LANES);
        at += ldc;
        c20.add(DoubleVector.fromArray(SPECIES, c, at)).intoArray(c, at);
        c21.add(DoubleVector.fromArray(SPECIES, c, at + LANES)).intoArray(c, at + LANES);
        at += ldc;
        c30.add(DoubleVector.fromArray(SPECIES, c, at)).intoArray(c, at);
        c31.add(DoubleVector.fromArray(SPECIES, c, at + LANES)).intoArray(c, at + LANES);
        at += ldc;
        c40.add(DoubleVector.fromArray(SPECIES, c, at)).intoArray(c, at);
        c41.add(DoubleVector.fromArray(SPECIES, c, at + LANES)).intoArray(c, at + LANES);
        at += ldc;
        c50.add(DoubleVector.fromArray(SPECIES, c, at)).intoArray(c, at);
        c51.add(DoubleVector.fromArray(SPECIES, c, at + LANES)).intoArray(c, at + LANES);
        at += ldc;
        c60.add(DoubleVector.fromArray(SPECIES, c, at)).intoArray(c, at);
        c61.add(DoubleVector.fromArray(SPECIES, c, at + LANES)).intoArray(c, at + LANES);
        at += ldc;
        c70.add(DoubleVector.fromArray(SPECIES, c, at)).intoArray(c, at);
        c71.add(DoubleVector.fromArray(SPECIES, c, at + LANES)).intoArray(c, at + LANES);
    }
}
