package dev.repgap.check;

import dev.repgap.results.StoredMetric;

/**
 * A series whose latest value moved away from its baseline beyond its rule: the latest row, the
 * baseline value and interval it was compared with (the previous run's, or medians over a window),
 * the relative change and why it counts.
 */
public record Anomaly(StoredMetric latest, String baselineRun, double baseline, Double baselineLow, Double baselineHigh,
                      double change, String why) {}
