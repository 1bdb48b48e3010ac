package dev.repgap.stats;

/** Plain Java, four rows at a time: the kernel of last resort, and the reference for the others. */
final class ScalarGramKernel implements GramKernel {

    @Override
    public String name() {
        return "scalar";
    }

    @Override
    public int blockRows() {
        return 64;
    }

    @Override
    public void gram(double[] x, int rows, int dim, double[] c) {
        int r = 0;
        for (; r + 4 <= rows; r += 4) {
            int r0 = r * dim, r1 = r0 + dim, r2 = r1 + dim, r3 = r2 + dim;
            for (int i = 0; i < dim; i++) {
                double a0 = x[r0 + i], a1 = x[r1 + i], a2 = x[r2 + i], a3 = x[r3 + i];
                int row = i * dim;
                for (int j = i; j < dim; j++) {
                    c[row + j] += a0 * x[r0 + j] + a1 * x[r1 + j] + a2 * x[r2 + j] + a3 * x[r3 + j];
                }
            }
        }
        for (; r < rows; r++) {
            int r0 = r * dim;
            for (int i = 0; i < dim; i++) {
                double a0 = x[r0 + i];
                int row = i * dim;
                for (int j = i; j < dim; j++) c[row + j] += a0 * x[r0 + j];
            }
        }
    }

    @Override
    public void cross(double[] x, double[] y, int rows, int dim, int q, double[] c) {
        for (int r = 0; r < rows; r++) {
            for (int i = 0; i < dim; i++) {
                double a = x[r * dim + i];
                int row = i * q;
                for (int k = 0; k < q; k++) c[row + k] += a * y[r * q + k];
            }
        }
    }
}
