package dev.repgap.id;

import dev.repgap.stats.Bootstrap;
import dev.repgap.stats.Measured;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Levina-Bickel maximum likelihood with the MacKay-Ghahramani average:
 * {@code m_k = [ mean_x 1/m_k(x) ]^-1} with {@code 1/m_k(x) = (1/(k-1)) sum_{j<k} log(r_k/r_j)},
 * for every k in k1..k2 and the mean of those values.
 *
 * <p>Interval: percentile bootstrap over points, all k on the same resamples. The analytic route
 * was not taken: for one point in a locally uniform neighbourhood {@code (k-1)/m_k(x)} is exactly
 * Gamma(k-1, rate d), but the N neighbourhoods overlap, so the Gamma(N(k-1)) interval of the pooled
 * sum treats one neighbour pair as many and is far too narrow. The bootstrap uses the spread of
 * {@code 1/m_k(x)} as it is (density changes and curvature included); it still treats points as
 * independent, so it is optimistic by the neighbourhood overlap.
 */
public final class LevinaBickel {

    public static final int DEFAULT_K1 = 5;
    public static final int DEFAULT_K2 = 20;

    /** Estimates for each k in k1..k2 ({@code byK.get(k - k1)}) and their mean. */
    public record Result(int k1, List<Estimate> byK, Estimate mean) {
        public Estimate at(int k) {
            return byK.get(k - k1);
        }
    }

    private final int k1;
    private final int k2;
    private final double level;
    private final Bootstrap bootstrap;

    public LevinaBickel(int k1, int k2, double level, Bootstrap bootstrap) {
        if (!(2 <= k1 && k1 <= k2)) throw new IllegalArgumentException("need 2 <= k1 <= k2, got " + k1 + ".." + k2);
        Measured.checkLevel(level);
        this.k1 = k1;
        this.k2 = k2;
        this.level = level;
        this.bootstrap = bootstrap;
    }

    /** k = 5..20, 90% intervals, 200 bootstrap replicates with seed 0. */
    public LevinaBickel() {
        this(DEFAULT_K1, DEFAULT_K2, Estimate.DEFAULT_LEVEL, new Bootstrap());
    }

    /** Scale of the estimate at k: median {@code r_k}; of the mean: median {@code r_k2}. n = all points. */
    public Result estimate(NeighbourDistances distances) {
        if (distances.k() < k2) throw new IllegalArgumentException("need K >= " + k2 + " neighbours, have " + distances.k());
        int n = distances.points();
        int ks = k2 - k1 + 1;
        double[] inverse = new double[n * ks]; // point-major: 1/m_k(x) for k = k1..k2
        double[] logR = new double[k2];
        for (int p = 0; p < n; p++) {
            double prefix = 0;
            for (int j = 1; j <= k2; j++) {
                logR[j - 1] = Math.log(distances.distance(p, j));
                if (j >= k1) inverse[p * ks + j - k1] = logR[j - 1] - prefix / (j - 1);
                prefix += logR[j - 1];
            }
        }
        double[] point = globals(inverse, null, n, ks);
        Measured[] ci = bootstrap.intervals(point, n, counts -> globals(inverse, counts, n, ks), level);
        List<Estimate> byK = new ArrayList<>(ks);
        for (int i = 0; i < ks; i++) {
            int k = k1 + i;
            byK.add(new Estimate(ci[i], n, distances.medianDistance(k),
                    String.format(Locale.ROOT, "Levina-Bickel MLE (MacKay-Ghahramani) k = %d; bootstrap %d x seed %d, level %.2f; scale = median r%d",
                            k, bootstrap.replicates(), bootstrap.seed(), level, k)));
        }
        Estimate mean = new Estimate(ci[ks], n, distances.medianDistance(k2),
                String.format(Locale.ROOT, "mean of Levina-Bickel MLE over k = %d..%d; bootstrap %d x seed %d, level %.2f; scale = median r%d",
                        k1, k2, bootstrap.replicates(), bootstrap.seed(), level, k2));
        return new Result(k1, List.copyOf(byK), mean);
    }

    /** {@code m_k} for each k, then their mean, over the points weighted by counts (null: all once). */
    private static double[] globals(double[] inverse, int[] counts, int n, int ks) {
        double[] sums = new double[ks];
        for (int p = 0; p < n; p++) {
            int c = counts == null ? 1 : counts[p];
            if (c == 0) continue;
            for (int i = 0; i < ks; i++) sums[i] += c * inverse[p * ks + i];
        }
        double[] out = new double[ks + 1];
        for (int i = 0; i < ks; i++) {
            out[i] = n / sums[i];
            out[ks] += out[i] / ks;
        }
        return out;
    }
}
