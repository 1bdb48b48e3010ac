package dev.repgap.results;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One row of the results table as read back: the run that wrote it, its group (the group columns
 * that are set on the row, in the table's column order) and the measurement. Optional fields are null.
 */
public record StoredMetric(String runId, Instant startTime, String command, String input, LinkedHashMap<String, String> group,
                           String metric, String param, double value, Double ciLow, Double ciHigh, Long n, Double scale,
                           String details) {

    /** {@code layer=conv1 model=a}, or {@code (all rows)} for a run without --group-by. */
    public String groupLabel() {
        return label(group);
    }

    public static String label(Map<String, String> group) {
        if (group.isEmpty()) return "(all rows)";
        StringBuilder b = new StringBuilder();
        group.forEach((k, v) -> b.append(b.length() == 0 ? "" : " ").append(k).append('=').append(v));
        return b.toString();
    }

    /** True when both interval ends are recorded and finite. */
    public boolean hasInterval() {
        return ciLow != null && ciHigh != null && Double.isFinite(ciLow) && Double.isFinite(ciHigh);
    }
}
