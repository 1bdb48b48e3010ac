package dev.repgap.results;

import dev.repgap.data.GroupKey;

/**
 * One tidy result: a metric of one group at one parameter, with its interval, the number of points
 * it rests on and the scale it measured at. Optional fields are null.
 */
public record MetricRow(GroupKey group, String metric, String param, double value, Double ciLow, Double ciHigh,
                        Long n, Double scale, String details) {

    public static MetricRow of(GroupKey group, String metric, String param, double value, Long n) {
        return new MetricRow(group, metric, param, value, null, null, n, null, null);
    }

    public MetricRow withScale(double s) {
        return new MetricRow(group, metric, param, value, ciLow, ciHigh, n, s, details);
    }

    public MetricRow withDetails(String d) {
        return new MetricRow(group, metric, param, value, ciLow, ciHigh, n, scale, d);
    }

    public MetricRow withInterval(double low, double high) {
        return new MetricRow(group, metric, param, value, low, high, n, scale, details);
    }
}
