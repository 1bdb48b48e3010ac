package dev.repgap.linalg;

import dev.ludovic.netlib.blas.BLAS;
import dev.ludovic.netlib.lapack.LAPACK;
import java.io.Serializable;
import org.netlib.util.intW;

/**
 * The eigendecomposition {@code A = V diag(values) V^T} of a symmetric d x d matrix in double, by LAPACK
 * {@code dsyevd} (divide and conquer) through netlib: native LAPACK when one loads, else its Java
 * translation (slower, same answers). Eigenvalues largest first; eigenvector k is column k of {@link #vectors()},
 * column-major ({@code vectors[k * d + i]} is its i-th entry), i.e. row k of the row-major transpose.
 */
public final class SymmetricEigen implements Serializable {
    private static final long serialVersionUID = 1L;

    private final int dim;
    private final double[] values;
    private final double[] vectors;

    private SymmetricEigen(int dim, double[] values, double[] vectors) {
        this.dim = dim;
        this.values = values;
        this.vectors = vectors;
    }

    /** Of a symmetric d x d matrix (row- or column-major alike; the upper triangle in column-major order is read). */
    public static SymmetricEigen of(double[] matrix, int d) {
        if (d < 1 || matrix.length != (long) d * d) {
            throw new IllegalArgumentException("expected " + d + " x " + d + " values, got " + matrix.length);
        }
        double[] a = matrix.clone();
        double[] w = new double[d];
        double[] work = new double[1];
        int[] iwork = new int[1];
        intW info = new intW(0);
        LAPACK lapack = LAPACK.getInstance();
        lapack.dsyevd("V", "U", d, a, d, w, work, -1, iwork, -1, info);
        work = new double[Math.max(1, (int) work[0])];
        iwork = new int[Math.max(1, iwork[0])];
        lapack.dsyevd("V", "U", d, a, d, w, work, work.length, iwork, iwork.length, info);
        if (info.val != 0) throw new ArithmeticException("dsyevd did not converge (info = " + info.val + ")");
        double[] values = new double[d];
        double[] vectors = new double[d * d];
        for (int k = 0; k < d; k++) { // ascending from LAPACK: reverse
            int from = d - 1 - k;
            values[k] = w[from];
            System.arraycopy(a, from * d, vectors, k * d, d);
        }
        return new SymmetricEigen(d, values, vectors);
    }

    public int dim() {
        return dim;
    }

    /** Eigenvalues, largest first (round-off may leave tiny negative ones). */
    public double[] values() {
        return values.clone();
    }

    /** Eigenvectors, column-major: column k (entries {@code [k*d, (k+1)*d)}) belongs to eigenvalue k. Not a copy. */
    public double[] vectors() {
        return vectors;
    }

    /**
     * {@code V^T B} for a d x m matrix B given row-major ({@code b[i * m + j]}), returned row-major d x m:
     * the coordinates of B's columns in the eigenbasis.
     */
    public double[] project(double[] b, int m) {
        if (b.length != (long) dim * m) throw new IllegalArgumentException("expected " + dim + " x " + m + " values");
        double[] out = new double[dim * m];
        // Row-major d x m is column-major m x d (= B^T); out^T = B^T V, an m x d column-major product.
        BLAS.getInstance().dgemm("N", "N", m, dim, dim, 1.0, b, m, vectors, dim, 0.0, out, m);
        return out;
    }

    /**
     * {@code V^T S V} for a symmetric d x d matrix S (row- or column-major alike): S in the eigenbasis, d x d
     * (symmetric, so either order).
     */
    public double[] rotate(double[] s) {
        if (s.length != (long) dim * dim) throw new IllegalArgumentException("expected " + dim + " x " + dim + " values");
        BLAS blas = BLAS.getInstance();
        double[] sv = new double[dim * dim];
        blas.dgemm("N", "N", dim, dim, dim, 1.0, s, dim, vectors, dim, 0.0, sv, dim);
        double[] out = new double[dim * dim];
        blas.dgemm("T", "N", dim, dim, dim, 1.0, vectors, dim, sv, dim, 0.0, out, dim);
        return out;
    }
}
