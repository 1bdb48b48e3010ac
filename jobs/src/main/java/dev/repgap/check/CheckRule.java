package dev.repgap.check;

import java.util.Locale;

/**
 * How one metric's latest value is compared with its history. An anomaly needs all of: a change in
 * the watched direction, a relative change beyond {@code relativeChange}, an absolute change beyond
 * {@code minAbsoluteChange}, and (with {@code outsideInterval}, where intervals are recorded) each of
 * baseline and latest outside the other's interval.
 */
public record CheckRule(double relativeChange, Direction direction, Baseline baseline, int window, boolean outsideInterval,
                        double minAbsoluteChange) {

    public static final CheckRule DEFAULT = new CheckRule(0.10, Direction.BOTH, Baseline.PREVIOUS, 5, true, 0);

    /** Which changes count: increases, decreases or both. */
    public enum Direction {
        BOTH, UP, DOWN;

        boolean watches(double change) {
            return this == BOTH || (this == UP ? change > 0 : change < 0);
        }

        @Override
        public String toString() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /** What the latest value is compared with: the run before it, or the median of the last {@code window} runs before it. */
    public enum Baseline {
        PREVIOUS, MEDIAN;

        @Override
        public String toString() {
            return name().toLowerCase(Locale.ROOT);
        }
    }
}
