package dev.repgap.gap;

import org.apache.commons.math3.special.Gamma;

/**
 * The asymptotic law of the gap, {@code log RG(n) = intercept + slope * log n}, i.e.
 * {@code RG(n) = C n^(-2/d)} with {@code d = -2 / slope} and {@code C = exp(intercept)}
 * (docs/formulas.md section 3.4). A slope >= 0 (a curve that stopped decreasing) has d = +Infinity.
 */
public record GapLaw(double slope, double intercept) {

    /** Least squares of log RG on log n over grid points {@code from <= g < to}. */
    public static GapLaw fit(long[] sizes, double[] gap, int from, int to) {
        int m = to - from;
        if (from < 0 || to > sizes.length || to > gap.length || m < 2) {
            throw new IllegalArgumentException("a line needs at least 2 grid points, got [" + from + ", " + to + ")");
        }
        double mx = 0, my = 0;
        for (int g = from; g < to; g++) {
            mx += Math.log(sizes[g]);
            my += Math.log(gap[g]);
        }
        mx /= m;
        my /= m;
        double sxy = 0, sxx = 0;
        for (int g = from; g < to; g++) {
            double dx = Math.log(sizes[g]) - mx;
            sxy += dx * (Math.log(gap[g]) - my);
            sxx += dx * dx;
        }
        double slope = sxy / sxx;
        return new GapLaw(slope, my - slope * mx);
    }

    /** The dimension d = -2 / slope; +Infinity when the slope is >= 0, NaN when it is NaN. */
    public double dimension() {
        return dimensionOfSlope(slope);
    }

    /** The constant C = exp(intercept): the law's gap at n = 1. */
    public double constant() {
        return Math.exp(intercept);
    }

    /** The law's gap at n: {@code C n^(-2/d)}. */
    public double gapAt(double n) {
        return Math.exp(intercept + slope * Math.log(n));
    }

    /** The n at which the law reaches {@code targetGap}: {@code (C / RG*)^(d/2)}; +Infinity if the law does not decrease. */
    public double sizeFor(double targetGap) {
        if (!(targetGap > 0)) throw new IllegalArgumentException("target gap must be > 0, got " + targetGap);
        if (!(slope < 0)) return Double.isNaN(slope) ? Double.NaN : Double.POSITIVE_INFINITY;
        return Math.exp((Math.log(targetGap) - intercept) / slope);
    }

    /**
     * {@code Gamma(1 + 2/d) * omega_d^(-2/d)}: the constant C of a uniform law on a d-dimensional
     * manifold of volume 1 (0.5000, 0.3183, 0.3474, 0.4566, 0.6386 for d = 1, 2, 3, 5, 8).
     */
    public static double uniformConstant(double d) {
        if (Double.isNaN(d) || d <= 0) return Double.NaN;
        if (d == Double.POSITIVE_INFINITY) return Double.POSITIVE_INFINITY;
        // log omega_d = (d/2) log pi - logGamma(1 + d/2)
        return Math.exp(Gamma.logGamma(1 + 2 / d) - Math.log(Math.PI) + (2 / d) * Gamma.logGamma(1 + d / 2));
    }

    /** The volume of the unit ball in d dimensions, {@code pi^(d/2) / Gamma(1 + d/2)}. */
    public static double unitBallVolume(double d) {
        return Math.exp(d / 2 * Math.log(Math.PI) - Gamma.logGamma(1 + d / 2));
    }

    static double dimensionOfSlope(double slope) {
        if (Double.isNaN(slope)) return Double.NaN;
        return slope < 0 ? -2 / slope : Double.POSITIVE_INFINITY;
    }
}
