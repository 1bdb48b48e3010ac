package dev.repgap.stats;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Arrays;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class QuantilesTest {

    /** numpy.quantile([1, 2, 4, 8], p) for p = 0, 0.1, 0.5, 0.9, 1 (linear, the default). */
    @Test
    void quantileInterpolatesLikeNumpy() {
        double[] values = {8, 1, 4, 2};
        assertArrayEquals(new double[] {1, 1.3, 3, 6.8, 8}, Quantiles.quantiles(values, 0, 0.1, 0.5, 0.9, 1), 1e-12);
        assertEquals(1, Quantiles.quantile(values, 0), 0);
        assertEquals(8, Quantiles.quantile(values, 1), 0);
        assertArrayEquals(new double[] {8, 1, 4, 2}, values, 0); // not reordered
    }

    /** Against the definition on a sorted copy, with ties, for every p on a fine grid and several sizes. */
    @Test
    void quantilesBySelectionMatchTheDefinitionOnSortedValues() {
        SplittableRandom rng = new SplittableRandom(3);
        for (int n : new int[] {1, 2, 3, 10, 101, 1000}) {
            double[] values = new double[n];
            for (int i = 0; i < n; i++) values[i] = rng.nextInt(n / 2 + 1) * 0.25;
            double[] sorted = values.clone();
            Arrays.sort(sorted);
            for (int step = 0; step <= 100; step++) {
                double p = step / 100.0;
                double h = p * (n - 1);
                int lo = (int) Math.floor(h);
                double expected = sorted[lo] + (h - lo) * (sorted[Math.min(lo + 1, n - 1)] - sorted[lo]);
                assertEquals(expected, Quantiles.quantile(values, p), 1e-12, "n = " + n + ", p = " + p);
            }
        }
    }

    @Test
    void infiniteOrderStatisticsComeOutAsThemselves() {
        double inf = Double.POSITIVE_INFINITY;
        double[] values = {1, 2, inf, inf, inf};
        assertEquals(inf, Quantiles.quantile(values, 0.5), 0); // h = 2, exactly an infinite order statistic
        assertEquals(inf, Quantiles.quantile(values, 0.8), 0); // between two infinite ones
        assertEquals(inf, Quantiles.quantile(values, 0.3), 0); // between 2 and +inf
        assertEquals(Double.NEGATIVE_INFINITY, Quantiles.quantile(new double[] {Double.NEGATIVE_INFINITY, 0, 1}, 0.25), 0);
        assertEquals(inf, Quantiles.median(new double[] {1, inf, inf, 3}), 0);
    }

    @Test
    void nanOrNothingGivesNaN() {
        assertEquals(Double.NaN, Quantiles.quantile(new double[] {1, Double.NaN, 3}, 0.5));
        assertEquals(Double.NaN, Quantiles.median(new double[] {1, Double.NaN, 3}));
        assertEquals(Double.NaN, Quantiles.quantile(new double[0], 0.5));
        assertEquals(Double.NaN, Quantiles.median(new double[0]));
        assertThrows(IllegalArgumentException.class, () -> Quantiles.quantile(new double[] {1}, 1.5));
        assertThrows(IllegalArgumentException.class, () -> Quantiles.quantile(new double[] {1}, Double.NaN));
    }

    @Test
    void medianIsTheMiddleValueOrTheMeanOfTheMiddleTwo() {
        assertEquals(3, Quantiles.median(new double[] {5, 3, 1}), 0);
        assertEquals(2.5, Quantiles.median(new double[] {4, 1, 3, 2}), 0);
        assertEquals(7, Quantiles.median(new double[] {7}), 0);
        double[] values = {9, 9, 2, 2};
        assertEquals(5.5, Quantiles.median(values), 0);
        assertArrayEquals(new double[] {9, 9, 2, 2}, values, 0);
    }

    /** The median is the rule's quantile 0.5, up to the last bit of the mean of the middle two. */
    @Test
    void medianIsTheHalfQuantile() {
        SplittableRandom rng = new SplittableRandom(8);
        for (int n = 1; n < 60; n++) {
            double[] values = rng.doubles(n).map(x -> x * 1e3).toArray();
            double q = Quantiles.quantile(values, 0.5);
            assertEquals(q, Quantiles.median(values), Math.ulp(q), "n = " + n);
        }
    }

    @Test
    void selectFindsEveryOrderStatistic() {
        SplittableRandom rng = new SplittableRandom(5);
        double[] values = new double[501];
        for (int i = 0; i < values.length; i++) values[i] = rng.nextInt(40);
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        for (int k = 0; k < values.length; k++) assertEquals(sorted[k], Quantiles.select(values.clone(), k));
    }
}
