package dev.repgap.id;

import dev.ludovic.netlib.blas.BLAS;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;

/**
 * The k-means cost curve behind {@link QuantizationDimension}: for each K of a geometric grid, the
 * mean squared distance of the rows to the nearest of K centres found by k-means++ seeding and
 * Lloyd's iterations, on one thread. Lloyd's stops after {@value #MAX_ITERATIONS} iterations or when
 * an iteration changes no assignment or lowers the cost by less than {@value #TOLERANCE} of it; a
 * centre left empty moves to the row farthest from its centre. Distances come from the Gram trick
 * on rows centred on their mean: float32 products (BLAS sgemm), double norms and sums. The result is
 * a function of the rows (in the order given) and the seed alone.
 */
public final class KMeansCurve {
    public static final int MAX_ITERATIONS = 30;
    public static final double TOLERANCE = 1e-3;
    /** The grid stops where a centre would have fewer rows than this on average. */
    public static final int MIN_ROWS_PER_CENTRE = 20;
    /** Rows per matrix product of the assignment step. */
    private static final int CHUNK = 2048;

    /** K and its mean squared distance to the nearest centre, and the Lloyd iterations it took. */
    public record Curve(int[] k, double[] costPerPoint, int[] iterations) {}

    private final float[] x;
    private final double[] norms;
    private final int n;
    private final int dim;
    private final BLAS blas = BLAS.getInstance();

    private KMeansCurve(float[] rows, int dim) {
        this.dim = dim;
        this.n = rows.length / dim;
        double[] mean = new double[dim];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < dim; j++) mean[j] += rows[i * dim + j];
        }
        for (int j = 0; j < dim; j++) mean[j] /= n;
        x = new float[n * dim];
        norms = new double[n];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < dim; j++) {
                float v = (float) (rows[i * dim + j] - mean[j]);
                x[i * dim + j] = v;
                norms[i] += (double) v * v;
            }
        }
    }

    /** K = 4, 8, 16, ... while K <= maxK and K * {@value #MIN_ROWS_PER_CENTRE} <= rows. */
    public static int[] grid(long rows, int maxK) {
        List<Integer> ks = new ArrayList<>();
        for (int k = 4; k <= maxK && (long) k * MIN_ROWS_PER_CENTRE <= rows; k *= 2) ks.add(k);
        return ks.stream().mapToInt(Integer::intValue).toArray();
    }

    /** The cost curve of rows {@code rows[i*dim .. (i+1)*dim)} at each K of {@code ks}, K's k-means++ seeded by {@code seed} and K. */
    public static Curve fit(float[] rows, int dim, int[] ks, long seed) {
        if (dim < 1 || rows.length % dim != 0) throw new IllegalArgumentException(rows.length + " values are not rows of " + dim);
        KMeansCurve data = new KMeansCurve(rows, dim);
        double[] cost = new double[ks.length];
        int[] iterations = new int[ks.length];
        for (int i = 0; i < ks.length; i++) {
            if (ks[i] < 1 || ks[i] > data.n) throw new IllegalArgumentException("K = " + ks[i] + " for " + data.n + " rows");
            double[] result = data.lloyd(ks[i], new SplittableRandom(seed + ks[i] * 0x9E3779B97F4A7C15L));
            cost[i] = result[0] / data.n;
            iterations[i] = (int) result[1];
        }
        return new Curve(ks.clone(), cost, iterations);
    }

    /** {total cost, iterations} of Lloyd's from a k-means++ start. */
    private double[] lloyd(int k, SplittableRandom rng) {
        float[] centres = kMeansPlusPlus(k, rng);
        int[] assignment = new int[n];
        double[] pointCost = new double[n];
        double cost = assign(centres, k, assignment, pointCost);
        int iteration = 0;
        while (iteration < MAX_ITERATIONS) {
            iteration++;
            update(centres, k, assignment, pointCost);
            int[] previous = assignment.clone();
            double next = assign(centres, k, assignment, pointCost);
            boolean settled = Arrays.equals(previous, assignment) || cost - next <= TOLERANCE * cost;
            cost = next;
            if (settled) break;
        }
        return new double[] {cost, iteration};
    }

    /** k-means++ (Arthur and Vassilvitskii): each next centre is a row drawn with probability proportional to its squared distance to the nearest centre so far. */
    private float[] kMeansPlusPlus(int k, SplittableRandom rng) {
        float[] centres = new float[k * dim];
        double[] nearest = new double[n];
        Arrays.fill(nearest, Double.POSITIVE_INFINITY);
        float[] dots = new float[n];
        int row = rng.nextInt(n);
        for (int c = 0; c < k; c++) {
            System.arraycopy(x, row * dim, centres, c * dim, dim);
            double centreNorm = norms[row];
            blas.sgemv("T", dim, n, 1, x, 0, dim, centres, c * dim, 1, 0, dots, 0, 1);
            double total = 0;
            for (int i = 0; i < n; i++) {
                nearest[i] = Math.min(nearest[i], Math.max(0, norms[i] + centreNorm - 2 * dots[i]));
                total += nearest[i];
            }
            if (!(total > 0)) {
                row = rng.nextInt(n); // every row sits on a centre: any row will do
                continue;
            }
            double target = rng.nextDouble() * total;
            row = n - 1;
            for (int i = 0; i < n; i++) {
                target -= nearest[i];
                if (target < 0) {
                    row = i;
                    break;
                }
            }
        }
        return centres;
    }

    /** Assigns every row to its nearest centre (ties: the lower index); returns the total squared distance. */
    private double assign(float[] centres, int k, int[] assignment, double[] pointCost) {
        double[] centreNorms = new double[k];
        for (int c = 0; c < k; c++) {
            for (int j = 0; j < dim; j++) centreNorms[c] += (double) centres[c * dim + j] * centres[c * dim + j];
        }
        float[] dots = new float[k * Math.min(CHUNK, n)];
        double total = 0;
        for (int i0 = 0; i0 < n; i0 += CHUNK) {
            int rows = Math.min(CHUNK, n - i0);
            blas.sgemm("T", "N", k, rows, dim, 1, centres, 0, dim, x, i0 * dim, dim, 0, dots, 0, k);
            for (int r = 0; r < rows; r++) {
                int best = 0;
                double bestValue = Double.POSITIVE_INFINITY;
                for (int c = 0; c < k; c++) {
                    double v = centreNorms[c] - 2 * dots[r * k + c];
                    if (v < bestValue) {
                        bestValue = v;
                        best = c;
                    }
                }
                assignment[i0 + r] = best;
                pointCost[i0 + r] = Math.max(0, norms[i0 + r] + bestValue);
                total += pointCost[i0 + r];
            }
        }
        return total;
    }

    /** Moves each centre to the mean of its rows; an empty centre takes the costliest row not yet taken. */
    private void update(float[] centres, int k, int[] assignment, double[] pointCost) {
        int[] counts = new int[k];
        double[] sums = new double[k * dim];
        for (int i = 0; i < n; i++) {
            int c = assignment[i];
            counts[c]++;
            for (int j = 0; j < dim; j++) sums[c * dim + j] += x[i * dim + j];
        }
        Integer[] costliest = null;
        int taken = 0;
        for (int c = 0; c < k; c++) {
            if (counts[c] > 0) {
                for (int j = 0; j < dim; j++) centres[c * dim + j] = (float) (sums[c * dim + j] / counts[c]);
                continue;
            }
            if (costliest == null) {
                costliest = new Integer[n];
                for (int i = 0; i < n; i++) costliest[i] = i;
                Arrays.sort(costliest, (a, b) -> {
                    int order = Double.compare(pointCost[b], pointCost[a]);
                    return order != 0 ? order : Integer.compare(a, b);
                });
            }
            System.arraycopy(x, costliest[taken++] * dim, centres, c * dim, dim);
        }
    }
}
