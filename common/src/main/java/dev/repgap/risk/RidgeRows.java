package dev.repgap.risk;

import dev.ludovic.netlib.blas.BLAS;
import java.io.Serializable;

/**
 * A ridge path ({@link RidgePath}) as a pass over rows needs it: centres, the eigenvectors V, the weights of every
 * lambda in the eigenbasis and {@code d_i = 1/(mu_i + n lambda)}. Per training row, with {@code a = x - centre} and
 * {@code t = V^T a}: {@code S_ii = sum_i t_i^2 d_i} (+ 1/n with an intercept), the residual
 * {@code e = y - centre_y - sum_i t_i d_i Z_i}, and its leave-one-out residual {@code e / (1 - S_ii)}, for every
 * lambda at once (two matrix products per block of rows). Per test row: the prediction of one chosen lambda.
 * Small enough to broadcast: {@code p^2 + p (q + 1) L} doubles.
 */
public final class RidgeRows implements Serializable {
    private static final long serialVersionUID = 1L;
    static final int BLOCK = 256;

    private final int p;
    private final int q;
    private final int grid;
    private final double[] centreX;
    private final double[] centreY;
    private final double[] vectors;  // p x p column-major
    private final double[] weights;  // p x (q L) column-major
    private final double[] inverse;  // p x L column-major
    private final double interceptLeverage;

    RidgeRows(int p, int q, int grid, double[] centreX, double[] centreY, double[] vectors, double[] weights,
              double[] inverse, double interceptLeverage) {
        this.p = p;
        this.q = q;
        this.grid = grid;
        this.centreX = centreX;
        this.centreY = centreY;
        this.vectors = vectors;
        this.weights = weights;
        this.inverse = inverse;
        this.interceptLeverage = interceptLeverage;
    }

    public int dim() {
        return p;
    }

    public int outputs() {
        return q;
    }

    /** Empty sums; test rows are predicted with lambda number {@code chosen} (-1: test rows are not read). */
    public Sums sums(int chosen) {
        return new Sums(this, chosen);
    }

    /** Weights of lambda l in the original coordinates, p x q row-major: {@code V (d * Z)}. */
    double[] weightsOf(int l) {
        double[] out = new double[p * q];
        // out^T (q x p, column-major = p x q row-major) = weights_l^T V^T
        BLAS.getInstance().dgemm("T", "T", q, p, p, 1.0, weights, l * q * p, p, vectors, 0, p, 0.0, out, 0, q);
        return out;
    }

    /**
     * Mergeable sums of a pass: per lambda the sum of squared leave-one-out residuals (summed over outputs) of the
     * training rows, and the test rows whose largest predicted output (of the chosen lambda) is not their largest
     * target (one-hot labels: a misclassified row). Rows are buffered and added a block at a time.
     */
    public static final class Sums implements Serializable {
        private static final long serialVersionUID = 1L;
        private final int chosen;
        private final double[] loo;
        private long trainRows;
        private long testRows;
        private long testErrors;
        private transient RidgeRows model;
        private transient double[] blockX;
        private transient double[] blockY;
        private transient int pending;
        private transient double[] chosenWeights;

        Sums(RidgeRows model, int chosen) {
            this.model = model;
            this.chosen = chosen;
            this.loo = new double[model.grid];
        }

        public void addTrain(float[] x, double[] y) {
            RidgeRows m = model;
            if (blockX == null) {
                blockX = new double[BLOCK * m.p];
                blockY = new double[BLOCK * m.q];
            }
            int bx = pending * m.p, by = pending * m.q;
            for (int i = 0; i < m.p; i++) blockX[bx + i] = x[i] - m.centreX[i];
            for (int k = 0; k < m.q; k++) blockY[by + k] = y[k] - m.centreY[k];
            if (++pending == BLOCK) flush();
        }

        /** A test row: counts an error when the chosen fit's largest output is not the row's largest target. */
        public void addTest(float[] x, double[] y) {
            RidgeRows m = model;
            if (chosen < 0) return;
            if (chosenWeights == null) chosenWeights = m.weightsOf(chosen);
            int best = 0, truth = 0;
            double bestValue = Double.NEGATIVE_INFINITY;
            for (int k = 0; k < m.q; k++) {
                double s = m.centreY[k];
                for (int i = 0; i < m.p; i++) s += (x[i] - m.centreX[i]) * chosenWeights[i * m.q + k];
                if (s > bestValue) {
                    bestValue = s;
                    best = k;
                }
                if (y[k] > y[truth]) truth = k;
            }
            testRows++;
            if (best != truth) testErrors++;
        }

        /** Adds the buffered training rows. */
        public void flush() {
            if (pending == 0) return;
            RidgeRows m = model;
            int rows = pending, p = m.p, q = m.q, grid = m.grid;
            BLAS blas = BLAS.getInstance();
            double[] t = new double[p * rows]; // column r: V^T a_r
            blas.dgemm("T", "N", p, rows, p, 1.0, m.vectors, p, blockX, p, 0.0, t, p);
            double[] fitted = new double[q * grid * rows]; // column r: (lambda, output) fitted values
            blas.dgemm("T", "N", q * grid, rows, p, 1.0, m.weights, p, t, p, 0.0, fitted, q * grid);
            for (int i = 0; i < t.length; i++) t[i] *= t[i];
            double[] leverage = new double[grid * rows];
            blas.dgemm("T", "N", grid, rows, p, 1.0, m.inverse, p, t, p, 0.0, leverage, grid);
            for (int r = 0; r < rows; r++) {
                for (int l = 0; l < grid; l++) {
                    double keep = 1 - leverage[r * grid + l] - m.interceptLeverage;
                    double s = 0;
                    for (int k = 0; k < q; k++) {
                        double e = blockY[r * q + k] - fitted[r * q * grid + l * q + k];
                        s += e * e;
                    }
                    loo[l] += s / (keep * keep);
                }
            }
            trainRows += rows;
            pending = 0;
        }

        private void writeObject(java.io.ObjectOutputStream out) throws java.io.IOException {
            if (model != null) flush(); // buffered rows are added before the state leaves
            out.defaultWriteObject();
        }

        /** This state with the other's sums added (both flushed). */
        public Sums merge(Sums other) {
            flush();
            other.flush();
            if (other.loo.length != loo.length) throw new IllegalArgumentException("sums of different grids");
            for (int l = 0; l < loo.length; l++) loo[l] += other.loo[l];
            trainRows += other.trainRows;
            testRows += other.testRows;
            testErrors += other.testErrors;
            return this;
        }

        /** Exact leave-one-out risk per lambda: the mean over training rows of {@code ||e_i / (1 - S_ii)||^2}. */
        public double[] loo() {
            flush();
            double[] out = new double[loo.length];
            for (int l = 0; l < loo.length; l++) out[l] = loo[l] / trainRows;
            return out;
        }

        public long trainRows() {
            return trainRows;
        }

        public long testRows() {
            return testRows;
        }

        /** Fraction of test rows misclassified by the chosen lambda's argmax (NaN without test rows read). */
        public double errorRate() {
            return testRows == 0 ? Double.NaN : (double) testErrors / testRows;
        }
    }
}
