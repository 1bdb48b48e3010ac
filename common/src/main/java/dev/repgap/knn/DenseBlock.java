package dev.repgap.knn;

import java.io.Serializable;
import java.util.Arrays;

/** A block of vectors: row-major float32 values, {@code rows x dim}, with one id per row. */
public final class DenseBlock implements Serializable {

    private static final long serialVersionUID = 1L;

    private final long[] ids;
    private final float[] data;
    private final int dim;
    // Centred copy and norms for the Gram trick, rebuilt on demand after deserialisation.
    private transient volatile CentredRows centred;

    private DenseBlock(long[] ids, float[] data, int dim) {
        this.ids = ids;
        this.data = data;
        this.dim = dim;
    }

    /**
     * Wraps (does not copy) {@code data}, row {@code i} at {@code data[i*dim .. (i+1)*dim)}.
     *
     * @throws IllegalArgumentException on a shape mismatch or a non-finite value
     */
    public static DenseBlock of(long[] ids, float[] data, int dim) {
        if (dim < 1) {
            throw new IllegalArgumentException("dim must be >= 1, got " + dim);
        }
        if ((long) ids.length * dim != data.length) {
            throw new IllegalArgumentException(
                    "data has " + data.length + " values, expected " + ids.length + " rows x " + dim);
        }
        for (int i = 0; i < data.length; i++) {
            if (!Float.isFinite(data[i])) {
                throw new IllegalArgumentException(
                        "row id " + ids[i / dim] + " has a non-finite value at coordinate " + (i % dim));
            }
        }
        return new DenseBlock(ids, data, dim);
    }

    public int rows() {
        return ids.length;
    }

    public int dim() {
        return dim;
    }

    public long id(int row) {
        return ids[row];
    }

    /** The ids, shared with this block (not copied). */
    public long[] ids() {
        return ids;
    }

    /** The values, shared with this block (not copied). */
    public float[] data() {
        return data;
    }

    /** Mean of the rows, accumulated in double and rounded to float: a good centre for the scan. */
    public float[] columnMeans() {
        double[] sum = new double[dim];
        for (int r = 0; r < rows(); r++) {
            for (int c = 0; c < dim; c++) {
                sum[c] += data[r * dim + c];
            }
        }
        float[] mean = new float[dim];
        for (int c = 0; c < dim; c++) {
            mean[c] = (float) (sum[c] / Math.max(1, rows()));
        }
        return mean;
    }

    /** The rows centred on {@code centre} (null: not centred), cached for the last centre asked. */
    public CentredRows centredOn(float[] centre) {
        CentredRows cached = centred;
        if (cached == null || !Arrays.equals(cached.centre(), centre)) {
            cached = CentredRows.of(data, rows(), dim, centre);
            centred = cached;
        }
        return cached;
    }
}
