package dev.repgap.risk;

import dev.repgap.stats.Bootstrap;
import dev.repgap.stats.Measured;

/**
 * The power-law exponent a of values decaying with rank, {@code v_k ~ C k^-a}: the least-squares slope of
 * {@code log v_k} against {@code log k} over ranks {@code from..to} (1-based, inclusive; values that are not positive
 * and finite are left out), with a percentile bootstrap interval over the ranks fitted.
 */
public final class RankDecay {
    private RankDecay() {}

    /** The default fit range's last rank: a tenth of the effective rank r, at least 3 (and at most r). */
    public static int defaultTo(int effectiveRank) {
        return Math.min(effectiveRank, Math.max(3, effectiveRank / 10));
    }

    /** The exponent (positive for decay) with its interval, or null when fewer than 3 usable ranks are in range. */
    public static Measured exponent(double[] values, int from, int to, double level, Bootstrap bootstrap) {
        int last = Math.min(to, values.length);
        int count = 0;
        for (int k = from; k <= last; k++) if (usable(values[k - 1])) count++;
        if (count < 3) return null;
        double[] x = new double[count];
        double[] y = new double[count];
        int j = 0;
        for (int k = from; k <= last; k++) {
            if (!usable(values[k - 1])) continue;
            x[j] = Math.log(k);
            y[j++] = Math.log(values[k - 1]);
        }
        int[] ones = new int[count];
        java.util.Arrays.fill(ones, 1);
        double value = -slope(x, y, ones);
        return bootstrap.interval(value, count, counts -> -slope(x, y, counts), level);
    }

    private static boolean usable(double v) {
        return v > 0 && Double.isFinite(v);
    }

    /** Weighted least-squares slope, weights = resample counts (0 when the ranks drawn have no spread). */
    private static double slope(double[] x, double[] y, int[] w) {
        double sw = 0, sx = 0, sy = 0;
        for (int i = 0; i < x.length; i++) {
            sw += w[i];
            sx += w[i] * x[i];
            sy += w[i] * y[i];
        }
        double mx = sx / sw, my = sy / sw, sxx = 0, sxy = 0;
        for (int i = 0; i < x.length; i++) {
            sxx += w[i] * (x[i] - mx) * (x[i] - mx);
            sxy += w[i] * (x[i] - mx) * (y[i] - my);
        }
        return sxx == 0 ? 0 : sxy / sxx;
    }
}
