package dev.repgap.gap;

/**
 * A measured value with its bootstrap percentile interval {@code [low, high]} at the level the
 * analysis was run with. The interval is NaN when a replicate could not be computed (a zero mean
 * gap in a resample), and may contain +Infinity (a dimension whose curve stopped decreasing).
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
}
