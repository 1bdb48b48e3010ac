package dev.repgap.id;

import dev.repgap.stats.Quantiles;

/**
 * Distribution over points of the local Levina-Bickel dimension
 * {@code m_k(x) = [ (1/(k-1)) sum_{j<k} log(r_k/r_j) ]^-1}: quantiles and a histogram on fixed bins
 * (so that histograms of different layers or checkpoints line up). For a point in a uniform
 * neighbourhood {@code m_k(x) = (k-1)/G} with G ~ Gamma(k-1, rate d): mean {@code d (k-1)/(k-2)}
 * (+6% at k = 20) and a spread that shrinks like {@code 1/sqrt(k)}; both are expected, not a
 * property of the data.
 *
 * @param quantiles values at {@link #quantileLevels()}: 5, 25, 50, 75, 95%
 * @param edges {@code bins + 1} ascending bin edges; bin i is {@code [edges[i], edges[i+1])}
 * @param below points under {@code edges[0]}; {@code above}: points at or over the last edge
 * @param scale median {@code r_k}
 */
public record LocalDimension(int k, long n, double scale, double[] quantiles, double[] edges, long[] counts,
        long below, long above) {

    private static final double[] QUANTILE_LEVELS = {0.05, 0.25, 0.50, 0.75, 0.95};
    public static final int DEFAULT_K = 20;
    /** Default bins: width 1 over [0, 100). */
    public static final double DEFAULT_LOW = 0;
    public static final double DEFAULT_HIGH = 100;
    public static final int DEFAULT_BINS = 100;

    public LocalDimension {
        quantiles = quantiles.clone();
        edges = edges.clone();
        counts = counts.clone();
    }

    @Override
    public double[] quantiles() {
        return quantiles.clone();
    }

    @Override
    public double[] edges() {
        return edges.clone();
    }

    @Override
    public long[] counts() {
        return counts.clone();
    }

    /** Probabilities of the reported quantiles. */
    public static double[] quantileLevels() {
        return QUANTILE_LEVELS.clone();
    }

    /** At {@link #DEFAULT_K} (scikit-dimension's MLE default) on the default bins. */
    public static LocalDimension of(NeighbourDistances distances) {
        return of(distances, DEFAULT_K, DEFAULT_LOW, DEFAULT_HIGH, DEFAULT_BINS);
    }

    /** Over all points at neighbourhood size k (2..K), histogram of {@code bins} equal bins over [low, high). */
    public static LocalDimension of(NeighbourDistances distances, int k, double low, double high, int bins) {
        if (!(low < high) || bins < 1) throw new IllegalArgumentException("bad bins: [" + low + ", " + high + ") in " + bins);
        double[] local = values(distances, k);
        double[] quantiles = Quantiles.quantiles(local, QUANTILE_LEVELS);
        double[] edges = new double[bins + 1];
        for (int i = 0; i <= bins; i++) edges[i] = low + (high - low) * i / bins;
        long[] counts = new long[bins];
        long below = 0, above = 0;
        for (double m : local) {
            if (m < low) below++;
            else if (m >= high) above++;
            else counts[Math.min(bins - 1, (int) ((m - low) / (high - low) * bins))]++;
        }
        return new LocalDimension(k, local.length, distances.medianDistance(k), quantiles, edges, counts, below, above);
    }

    /** {@code m_k(x)} of every point; +infinity where {@code r_1 = ... = r_k} (tied distances). */
    public static double[] values(NeighbourDistances distances, int k) {
        if (k < 2 || k > distances.k()) throw new IllegalArgumentException("need 2 <= k <= K = " + distances.k() + ", got " + k);
        double[] out = new double[distances.points()];
        for (int p = 0; p < out.length; p++) {
            double logK = Math.log(distances.distance(p, k));
            double sum = 0;
            for (int j = 1; j < k; j++) sum += logK - Math.log(distances.distance(p, j));
            out[p] = (k - 1) / sum;
        }
        return out;
    }

    public double median() {
        return quantiles[2];
    }
}
