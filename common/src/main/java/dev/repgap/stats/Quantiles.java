package dev.repgap.stats;

/**
 * The one quantile rule and the one median. Quantile p of n values: with {@code h = p (n - 1)} and
 * {@code x_(0) <= ... <= x_(n-1)} the order statistics, {@code x_(floor h) + (h - floor h)
 * (x_(floor h + 1) - x_(floor h))}: linear interpolation between order statistics (Hyndman and
 * Fan's type 7, the default of numpy and R, so numbers can be checked against numpy). Of the rules
 * the code had, this one was kept: the percentile and two-way bootstrap intervals, the local ID
 * and the gap's distance quantiles already used it and keep their values; the participation
 * ratio's interval, which took the order statistics just outside ({@code floor} and {@code ceil}
 * of h), is now slightly narrower, by less than one gap between neighbouring replicates at each end.
 * It is exact at an order statistic and between equal ones, and between a finite and an infinite
 * order statistic it gives the infinite one, so infinite values (an unbounded local dimension)
 * come out as themselves instead of NaN.
 *
 * <p>Inputs are not modified and need not be sorted: order statistics are found by selection.
 * Any NaN among the values makes the result NaN; so does an empty input.
 */
public final class Quantiles {

    private Quantiles() {}

    /** Quantile {@code p} (in [0, 1]) of {@code values}. */
    public static double quantile(double[] values, double p) {
        return quantiles(values, p)[0];
    }

    /** Quantile {@code probabilities[j]} of {@code values} at index j, from one copy of the values. */
    public static double[] quantiles(double[] values, double... probabilities) {
        for (double p : probabilities) {
            if (!(p >= 0 && p <= 1)) throw new IllegalArgumentException("probabilities must be in [0, 1], got " + p);
        }
        double[] out = new double[probabilities.length];
        if (values.length == 0 || hasNaN(values)) {
            java.util.Arrays.fill(out, Double.NaN);
            return out;
        }
        double[] work = values.clone();
        int n = work.length;
        for (int j = 0; j < probabilities.length; j++) {
            double h = probabilities[j] * (n - 1);
            int lo = (int) Math.floor(h);
            double low = select(work, lo);
            double high = lo + 1 < n ? select(work, lo + 1) : low;
            out[j] = interpolate(low, high, h - lo);
        }
        return out;
    }

    /**
     * The median: the middle order statistic, or the mean of the middle two for an even count
     * (the rule's quantile 0.5, computed as a mean, which can differ from the interpolation in the
     * last bit).
     */
    public static double median(double[] values) {
        int n = values.length;
        if (n == 0 || hasNaN(values)) return Double.NaN;
        double[] work = values.clone();
        double upper = select(work, n / 2);
        return n % 2 == 1 ? upper : 0.5 * (select(work, n / 2 - 1) + upper);
    }

    /** The rule between order statistics {@code low <= high} at fraction {@code f} in [0, 1). */
    static double interpolate(double low, double high, double f) {
        if (f == 0 || low == high) return low;
        boolean lowInfinite = Double.isInfinite(low), highInfinite = Double.isInfinite(high);
        if (lowInfinite != highInfinite) return lowInfinite ? low : high;
        return low + f * (high - low);
    }

    private static boolean hasNaN(double[] values) {
        for (double v : values) if (Double.isNaN(v)) return true;
        return false;
    }

    /** The k-th smallest value (from 0), reordering {@code a} (no NaN): quickselect with a median-of-three pivot. */
    static double select(double[] a, int k) {
        int from = 0, to = a.length - 1;
        while (from < to) {
            int mid = (from + to) >>> 1;
            double pivot = middleOfThree(a[from], a[mid], a[to]);
            int i = from, j = to;
            while (i <= j) {
                while (a[i] < pivot) i++;
                while (a[j] > pivot) j--;
                if (i <= j) {
                    double t = a[i];
                    a[i++] = a[j];
                    a[j--] = t;
                }
            }
            if (k <= j) {
                to = j;
            } else if (k >= i) {
                from = i;
            } else {
                return a[k];
            }
        }
        return a[k];
    }

    private static double middleOfThree(double a, double b, double c) {
        return Math.max(Math.min(a, b), Math.min(Math.max(a, b), c));
    }
}
