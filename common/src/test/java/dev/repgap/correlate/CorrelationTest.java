package dev.repgap.correlate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.repgap.correlate.Correlation.Method;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class CorrelationTest {
    // Pairs with ties on both sides; the coefficients are SciPy 1.10.1's pearsonr, spearmanr and kendalltau (tau-b).
    private static final double[] X = {0.31, 1.7, 2.2, 2.2, 3.9, 4.05, 5.5, 5.5, 5.5, 7.25, 8.0, 9.6};
    private static final double[] Y = {1.2, 0.9, 2.8, 3.1, 2.2, 4.9, 4.4, 6.0, 5.1, 5.1, 7.7, 6.9};
    private static final double[] X2 = {3, 1, 4, 1, 5, 9, 2, 6, 5, 3, 5};
    private static final double[] Y2 = {2, 7, 1, 8, 2, 8, 1, 8, 2, 8, 4};

    @Test
    void coefficientsEqualScipys() {
        assertEquals(0.8997654791905473, Method.PEARSON.of(X, Y), 1e-12);
        assertEquals(0.9222845158768846, Method.SPEARMAN.of(X, Y), 1e-12);
        assertEquals(0.7718689252179554, Method.KENDALL.of(X, Y), 1e-12);
        assertEquals(0.09422924859889797, Method.PEARSON.of(X2, Y2), 1e-12);
        assertEquals(0.1384567651467695, Method.SPEARMAN.of(X2, Y2), 1e-12);
        assertEquals(0.14757295747452434, Method.KENDALL.of(X2, Y2), 1e-12);
    }

    @Test
    void constantSeriesHasNoCoefficient() {
        double[] flat = new double[X.length];
        java.util.Arrays.fill(flat, 2.0);
        for (Method m : Method.values()) {
            Correlation.Result r = new Correlation(50, 50, 0.95, 1).of(m, flat, Y);
            assertTrue(Double.isNaN(r.coefficient().value()));
            assertTrue(Double.isNaN(r.coefficient().low()));
            assertTrue(Double.isNaN(r.pValue()));
        }
    }

    /**
     * Planted: target y ~ N(0, 1) over 40 groups; measure x = exp(y + s e), e ~ N(0, 1), a monotone function of the
     * target plus noise of known size. The pair (y, log x) is bivariate normal with correlation rho = 1 / sqrt(1 + s^2),
     * so Spearman's rho is (6 / pi) asin(rho / 2) and Kendall's tau (2 / pi) asin(rho) (rank coefficients do not see
     * the monotone exp). An independent measure has coefficient 0.
     */
    @Test
    void plantedMeasureIsFoundAndAnIndependentOneCoversZero() {
        int groups = 40, repeats = 40;
        double s = 0.75, rho = 1 / Math.sqrt(1 + s * s);
        double spearman = 6 / Math.PI * Math.asin(rho / 2), kendall = 2 / Math.PI * Math.asin(rho);
        int coveredSpearman = 0, coveredKendall = 0, significant = 0, independentCoversZero = 0;
        for (int r = 0; r < repeats; r++) {
            SplittableRandom rng = new SplittableRandom(1000 + r);
            double[] target = new double[groups], planted = new double[groups], independent = new double[groups];
            for (int i = 0; i < groups; i++) {
                target[i] = gaussian(rng);
                planted[i] = Math.exp(target[i] + s * gaussian(rng));
                independent[i] = gaussian(rng);
            }
            Correlation c = new Correlation(400, 200, 0.95, r);
            Correlation.Result sp = c.of(Method.SPEARMAN, planted, target);
            if (sp.coefficient().covers(spearman)) coveredSpearman++;
            if (c.of(Method.KENDALL, planted, target).coefficient().covers(kendall)) coveredKendall++;
            if (sp.pValue() < 0.01) significant++;
            if (c.of(Method.SPEARMAN, independent, target).coefficient().covers(0)) independentCoversZero++;
        }
        assertTrue(coveredSpearman >= 0.85 * repeats, "Spearman interval covered " + spearman + " in " + coveredSpearman + " of " + repeats);
        assertTrue(coveredKendall >= 0.85 * repeats, "Kendall interval covered " + kendall + " in " + coveredKendall + " of " + repeats);
        assertTrue(significant >= 0.95 * repeats, "p < 0.01 in " + significant + " of " + repeats);
        assertTrue(independentCoversZero >= 0.9 * repeats, "independent measure's interval covered 0 in " + independentCoversZero + " of " + repeats);
    }

    @Test
    void pValueIsExactUnderTheNullAndSeeded() {
        // Under no association the permutation p-value is uniform: P(p <= 0.1) is about 0.1.
        int below = 0, repeats = 200;
        for (int r = 0; r < repeats; r++) {
            SplittableRandom rng = new SplittableRandom(r);
            double[] a = new double[15], b = new double[15];
            for (int i = 0; i < a.length; i++) {
                a[i] = gaussian(rng);
                b[i] = gaussian(rng);
            }
            if (new Correlation(2, 199, 0.95, r).of(Method.PEARSON, a, b).pValue() <= 0.1) below++;
        }
        assertTrue(below >= 8 && below <= 35, below + " of " + repeats + " null p-values at or below 0.1 (expected about 20)");
        Correlation c = new Correlation(100, 100, 0.9, 7);
        assertEquals(c.of(Method.KENDALL, X, Y), c.of(Method.KENDALL, X, Y));
    }

    private static double gaussian(SplittableRandom rng) {
        double u = 1 - rng.nextDouble(), v = rng.nextDouble();
        return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
    }
}
