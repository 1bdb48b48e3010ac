package dev.repgap.id;

/**
 * One intrinsic-dimension estimate: the value, its confidence interval at the level the estimator
 * was built with ({@link #DEFAULT_LEVEL} unless told otherwise), the number of points it used, the
 * scale it measured at (a median neighbour distance; each estimator says which) and a short
 * human-readable note of how it was computed.
 */
public record Estimate(double value, double ciLow, double ciHigh, long n, double scale, String details) {

    /** Confidence level of the intervals when none is given. */
    public static final double DEFAULT_LEVEL = 0.90;

    /** True when the interval contains {@code d}. */
    public boolean covers(double d) {
        return ciLow <= d && d <= ciHigh;
    }

    static void checkLevel(double level) {
        if (!(level > 0 && level < 1)) {
            throw new IllegalArgumentException("confidence level must be in (0, 1), got " + level);
        }
    }
}
