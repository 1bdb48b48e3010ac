package dev.repgap.risk;

import java.io.Serializable;

/**
 * Mergeable sums of a pass over test rows for kernel ridge regression: per lambda the squared error of the prediction
 * summed over outputs, and the test rows whose largest predicted output at the chosen lambda is not their largest
 * target (one-hot labels: a misclassified row). A test row's kernel values against the training rows are computed
 * in blocks ({@link Kernel#block}); rows are buffered and predicted a block at a time.
 */
public final class KernelTestSums implements Serializable {
    private static final long serialVersionUID = 1L;
    private static final int BLOCK = 128;
    private final double[] squaredError;
    private final int chosen;
    private long rows;
    private long errors;
    private transient Model model;
    private transient float[] blockX;
    private transient double[] blockY;
    private transient int pending;

    /**
     * What the pass needs on every executor: the training rows (row-major n x p, in the kernel matrix's order), the
     * kernel with its gamma set, and the fit's predictor.
     */
    public record Model(float[] train, int p, Kernel kernel, KernelRidgePath.Predictor predictor) implements Serializable {}

    /** Empty sums; {@code chosen} is the lambda whose argmax errors are counted (negative: none). */
    public KernelTestSums(Model model, int chosen) {
        this.model = model;
        this.chosen = chosen;
        this.squaredError = new double[model.predictor().grid()];
    }

    /** A test row and its targets. */
    public void add(float[] x, double[] y) {
        Model m = model;
        int p = m.p(), q = m.predictor().outputs();
        if (x.length != p) throw new IllegalArgumentException("a row of " + x.length + " values where " + p + " are expected");
        if (blockX == null) {
            blockX = new float[BLOCK * p];
            blockY = new double[BLOCK * q];
        }
        System.arraycopy(x, 0, blockX, pending * p, p);
        System.arraycopy(y, 0, blockY, pending * q, q);
        if (++pending == BLOCK) flush();
    }

    /** Adds the buffered rows. */
    public void flush() {
        if (pending == 0) return;
        Model m = model;
        KernelRidgePath.Predictor f = m.predictor();
        int b = pending, n = f.n(), q = f.outputs(), grid = f.grid();
        double[] k = new double[b * n];
        m.kernel().block(blockX, 0, b, m.train(), 0, n, m.p(), k);
        double[] predicted = f.predict(k, b); // column-major b x (q grid)
        for (int r = 0; r < b; r++) {
            for (int l = 0; l < grid; l++) {
                double s = 0;
                for (int c = 0; c < q; c++) {
                    double e = blockY[r * q + c] - predicted[(l * q + c) * b + r];
                    s += e * e;
                }
                squaredError[l] += s;
            }
            if (chosen >= 0) {
                int best = 0, truth = 0;
                for (int c = 1; c < q; c++) {
                    if (predicted[(chosen * q + c) * b + r] > predicted[(chosen * q + best) * b + r]) best = c;
                    if (blockY[r * q + c] > blockY[r * q + truth]) truth = c;
                }
                if (best != truth) errors++;
            }
        }
        rows += b;
        pending = 0;
    }

    private void writeObject(java.io.ObjectOutputStream out) throws java.io.IOException {
        if (model != null) flush(); // buffered rows are added before the state leaves
        out.defaultWriteObject();
    }

    /** This state with the other's sums added (both flushed). */
    public KernelTestSums merge(KernelTestSums other) {
        flush();
        other.flush();
        if (other.squaredError.length != squaredError.length) throw new IllegalArgumentException("sums of different grids");
        for (int l = 0; l < squaredError.length; l++) squaredError[l] += other.squaredError[l];
        rows += other.rows;
        errors += other.errors;
        return this;
    }

    /** The test risk per lambda: the mean over rows of the squared error summed over outputs. */
    public double[] risk() {
        flush();
        double[] out = new double[squaredError.length];
        for (int l = 0; l < out.length; l++) out[l] = squaredError[l] / rows;
        return out;
    }

    public long rows() {
        return rows;
    }

    /** Fraction of rows misclassified by the chosen lambda's argmax (NaN without rows). */
    public double errorRate() {
        return rows == 0 ? Double.NaN : (double) errors / rows;
    }
}
