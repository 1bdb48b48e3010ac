package dev.repgap.results;

import dev.repgap.data.GroupKey;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import org.apache.spark.sql.SparkSession;

/** Appends hand-made runs to a results repository through {@link ResultsRepository}, at chosen start times. */
public final class HistoryBuilder {
    private final SparkSession spark;
    private final String dir;
    private final String command;
    private final Instant start;
    private final List<MetricRow> rows = new ArrayList<>();

    private HistoryBuilder(SparkSession spark, String dir, String command, Instant start) {
        this.spark = spark;
        this.dir = dir;
        this.command = command;
        this.start = start;
    }

    public static HistoryBuilder run(SparkSession spark, String dir, String command, Instant start) {
        return new HistoryBuilder(spark, dir, command, start);
    }

    /** A group from alternating column names and values: {@code group("model", "m1", "layer", "a")}. */
    public static GroupKey group(String... columnsAndValues) {
        LinkedHashMap<String, String> v = new LinkedHashMap<>();
        for (int i = 0; i < columnsAndValues.length; i += 2) v.put(columnsAndValues[i], columnsAndValues[i + 1]);
        return new GroupKey(v);
    }

    public HistoryBuilder add(GroupKey g, String metric, String param, double value, Double low, Double high) {
        MetricRow r = MetricRow.of(g, metric, param, value, 1000L);
        rows.add(low == null ? r : r.withInterval(low, high));
        return this;
    }

    /** Writes the run; returns its id (the time first, as RunInfo makes them, so ids sort as the runs started). */
    public String append() {
        String id = java.time.format.DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'").withZone(java.time.ZoneOffset.UTC)
                .format(start) + "-" + Integer.toHexString(rows.hashCode() & 0xffff);
        new ResultsRepository(spark, dir).append(new RunInfo(id, start, command, "/data/acts"), rows);
        return id;
    }
}
