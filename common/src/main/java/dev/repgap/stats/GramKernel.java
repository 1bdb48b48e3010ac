package dev.repgap.stats;

/**
 * Second-moment products of a block of rows, accumulated in double. A block is row-major: row r of
 * an {@code rows x dim} block is {@code x[r*dim .. (r+1)*dim)}. Results are added to what the output
 * already holds, so a state fills block after block.
 */
interface GramKernel {
    String name();

    /** Rows per block at which this kernel is efficient. */
    int blockRows();

    /**
     * {@code c[i*dim + j] += sum_r x[r,i] x[r,j]} for every {@code j >= i} (the upper triangle, row-major).
     * Entries below the diagonal may be written too and must not be read.
     */
    void gram(double[] x, int rows, int dim, double[] c);

    /** {@code c[i*q + k] += sum_r x[r,i] y[r,k]}: the {@code dim x q} cross product, row-major. */
    void cross(double[] x, double[] y, int rows, int dim, int q, double[] c);
}
