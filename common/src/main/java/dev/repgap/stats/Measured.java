package dev.repgap.stats;

/**
 * A measured value with its confidence interval {@code [low, high]}, the one interval type of every
 * analysis. The level is the one the analysis was run with (a run option, the same for every
 * interval of a run, so not repeated here). The bounds are NaN when there is no interval (a
 * bootstrap replicate could not be computed, or none was recorded), and may be infinite (a
 * dimension whose curve stopped decreasing).
 */
public record Measured(double value, double low, double high) {

    /** True when the interval contains {@code truth}. */
    public boolean covers(double truth) {
        return low <= truth && truth <= high;
    }

    /** {@code high - low}. */
    public double width() {
        return high - low;
    }

    /** Throws unless {@code level} is a confidence level, in (0, 1). */
    public static void checkLevel(double level) {
        if (!(level > 0 && level < 1)) throw new IllegalArgumentException("confidence level must be in (0, 1), got " + level);
    }
}
