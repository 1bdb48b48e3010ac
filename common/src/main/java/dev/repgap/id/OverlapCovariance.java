package dev.repgap.id;

import java.util.Arrays;

/**
 * The variance of a sum of per-point values when a point's value is correlated only with the values
 * of points it shares data with. Point p's value is a function of a few rows, its <em>support</em>
 * (for TwoNN: the point and its first two neighbours); two points whose supports share a row are
 * dependent, two whose supports are disjoint are treated as independent. With
 * {@code c_p = x_p - mean(x)}, the estimate of {@code Var(sum x)} is
 * {@code V = sum_p c_p^2 + 2 sum_{p < q, supports meet} c_p c_q} (the dependency-graph or
 * cluster-robust form), and the <em>variance inflation</em> is {@code f = V / sum_p c_p^2}: 1 for
 * disjoint supports, larger when dependent values move together, and {@code N / f} is an effective
 * number of independent points.
 */
public final class OverlapCovariance {

    private OverlapCovariance() {}

    /**
     * {@code f} above. Point p's support is {@code supports[p*width .. (p+1)*width)} (row ids; repeats
     * within one support are harmless). Returns 1 when every value is the same (no variance to inflate).
     * Time and memory O(N width log(N width)) plus the number of dependent pairs.
     */
    public static double inflation(double[] values, long[] supports, int width) {
        int n = values.length;
        if (width < 1 || supports.length != (long) n * width) {
            throw new IllegalArgumentException(n + " values need " + n + " x " + width + " support ids, got " + supports.length);
        }
        double mean = 0;
        for (double v : values) mean += v;
        mean /= n;
        double[] c = new double[n];
        double own = 0;
        for (int p = 0; p < n; p++) {
            c[p] = values[p] - mean;
            own += c[p] * c[p];
        }
        if (own == 0) return 1;

        // Rows by dense index, and for each row the points whose support holds it (CSR).
        long[] rows = supports.clone();
        Arrays.sort(rows);
        int distinct = 0;
        for (int i = 0; i < rows.length; i++) {
            if (i == 0 || rows[i] != rows[i - 1]) rows[distinct++] = rows[i];
        }
        int[] rowOf = new int[supports.length];
        int[] start = new int[distinct + 1];
        for (int i = 0; i < supports.length; i++) {
            rowOf[i] = Arrays.binarySearch(rows, 0, distinct, supports[i]);
            start[rowOf[i] + 1]++;
        }
        for (int r = 0; r < distinct; r++) start[r + 1] += start[r];
        int[] holders = new int[supports.length];
        int[] fill = Arrays.copyOf(start, distinct);
        for (int i = 0; i < supports.length; i++) holders[fill[rowOf[i]]++] = i / width;

        // Each dependent pair once: for p, the distinct q > p that hold one of p's rows.
        double cross = 0;
        int[] partners = new int[16];
        for (int p = 0; p < n; p++) {
            int count = 0;
            for (int s = p * width; s < (p + 1) * width; s++) {
                int r = rowOf[s];
                for (int h = start[r]; h < start[r + 1]; h++) {
                    int q = holders[h];
                    if (q <= p) continue;
                    if (count == partners.length) partners = Arrays.copyOf(partners, 2 * count);
                    partners[count++] = q;
                }
            }
            Arrays.sort(partners, 0, count);
            double sum = 0;
            for (int i = 0; i < count; i++) {
                if (i == 0 || partners[i] != partners[i - 1]) sum += c[partners[i]];
            }
            cross += c[p] * sum;
        }
        return (own + 2 * cross) / own;
    }
}
