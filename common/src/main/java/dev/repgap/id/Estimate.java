package dev.repgap.id;

import dev.repgap.stats.Measured;

/**
 * One intrinsic-dimension estimate: the value with its confidence interval at the level the
 * estimator was built with ({@link #DEFAULT_LEVEL} unless told otherwise), the number of points it
 * used, the scale it measured at (a median neighbour distance; each estimator says which) and a
 * short human-readable note of how it was computed.
 */
public record Estimate(Measured measured, long n, double scale, String details) {

    /** Confidence level of the intervals when none is given. */
    public static final double DEFAULT_LEVEL = 0.90;

    /** The estimated dimension. */
    public double value() {
        return measured.value();
    }

    /** The lower end of the interval. */
    public double ciLow() {
        return measured.low();
    }

    /** The upper end of the interval. */
    public double ciHigh() {
        return measured.high();
    }

    /** True when the interval contains {@code d}. */
    public boolean covers(double d) {
        return measured.covers(d);
    }
}
