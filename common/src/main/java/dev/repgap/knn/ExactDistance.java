package dev.repgap.knn;

/**
 * The reference squared Euclidean distance: double arithmetic on the float32 values, summed in
 * index order. Every distance the scan reports is this function's value, bit for bit. The l1
 * distance, for the analyses that offer it, is computed the same way.
 */
public final class ExactDistance {

    private ExactDistance() {}

    /** {@code sum_i ((double) x_i - (double) y_i)^2} over {@code dim} coordinates, in index order. */
    public static double squared(float[] x, int xOffset, float[] y, int yOffset, int dim) {
        double sum = 0.0;
        for (int i = 0; i < dim; i++) {
            double d = (double) x[xOffset + i] - (double) y[yOffset + i];
            sum += d * d;
        }
        return sum;
    }

    /** {@code sum_i |(double) x_i - (double) y_i|} over {@code dim} coordinates, in index order. */
    public static double l1(float[] x, int xOffset, float[] y, int yOffset, int dim) {
        double sum = 0.0;
        for (int i = 0; i < dim; i++) sum += Math.abs((double) x[xOffset + i] - (double) y[yOffset + i]);
        return sum;
    }
}
