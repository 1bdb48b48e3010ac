package dev.repgap.gap;

import dev.repgap.report.NaturalOrder;
import dev.repgap.results.ResultsHistory;
import dev.repgap.results.StoredMetric;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/** Reads {@code DIR/gap_curves} back: each group's curves of its latest gap run. */
final class GapCurveTable {
    /** The curves of one group from one run: plain, and with a symmetry when the run had one. */
    record GroupCurves(String runId, Instant startTime, LinkedHashMap<String, String> group, long queries,
                       StoredGapCurve plain, StoredGapCurve symmetric, String symmetry) {
        String label() {
            return StoredMetric.label(group);
        }
    }

    private record Key(String runId, Map<String, String> group) {}

    private GapCurveTable() {}

    /** Each group's latest curves; empty when the repository has no gap curves. */
    static List<GroupCurves> latest(SparkSession spark, String dir, List<StoredMetric> metrics) {
        if (!ResultsHistory.has(spark, dir, GapOutputs.CURVES.name())) return List.of();
        // Committed curves only: a run killed between its curves and its metric rows left curves without metrics.
        Dataset<Row> df = ResultsHistory.committed(spark, dir, GapOutputs.CURVES,
                ResultsHistory.table(spark, dir, GapOutputs.CURVES.name()));
        List<String> groupColumns = GapOutputs.CURVES.groupColumns(df.schema());
        Map<String, Instant> started = new LinkedHashMap<>();
        Map<Key, List<StoredMetric>> runMetrics = new LinkedHashMap<>();
        for (StoredMetric m : metrics) {
            started.putIfAbsent(m.runId(), m.startTime());
            if (m.metric().startsWith("gap.")) runMetrics.computeIfAbsent(new Key(m.runId(), m.group()), k -> new ArrayList<>()).add(m);
        }
        Map<Key, Map<String, List<Row>>> byRun = new LinkedHashMap<>();
        Map<Key, String> symmetry = new LinkedHashMap<>();
        for (Row r : df.collectAsList()) {
            Key k = new Key(r.getAs("run_id"), ResultsHistory.group(r, groupColumns));
            byRun.computeIfAbsent(k, x -> new LinkedHashMap<>()).computeIfAbsent(r.getAs("variant"), v -> new ArrayList<>()).add(r);
            if (r.getAs("symmetry") != null) symmetry.put(k, r.getAs("symmetry"));
        }
        // the latest run per group: by start time where the metrics know the run, else by run id (it starts with the time)
        Map<Map<String, String>, Key> latest = new LinkedHashMap<>();
        Comparator<Key> order = Comparator.comparing((Key k) -> started.getOrDefault(k.runId(), Instant.EPOCH))
                .thenComparing(Key::runId);
        for (Key k : byRun.keySet()) latest.merge(k.group(), k, (a, b) -> order.compare(a, b) >= 0 ? a : b);
        List<GroupCurves> out = new ArrayList<>();
        for (Key k : latest.values()) {
            Map<String, List<Row>> variants = byRun.get(k);
            List<StoredMetric> ms = runMetrics.getOrDefault(k, List.of());
            StoredGapCurve plain = curve(variants.get("plain"), ms, "plain");
            if (plain == null) continue;
            StoredGapCurve sym = curve(variants.get("symmetric"), ms, "symmetric");
            long queries = variants.get("plain").get(0).getAs("queries") == null ? 0
                    : (Long) variants.get("plain").get(0).getAs("queries");
            out.add(new GroupCurves(k.runId(), started.get(k.runId()), new LinkedHashMap<>(k.group()), queries, plain, sym,
                    symmetry.get(k)));
        }
        out.sort(Comparator.comparing(GroupCurves::label, NaturalOrder.INSTANCE));
        return out;
    }

    private static StoredGapCurve curve(List<Row> rows, List<StoredMetric> metrics, String variant) {
        if (rows == null || rows.size() < 2) return null;
        List<StoredGapCurve.Point> points = new ArrayList<>();
        for (Row r : rows) {
            points.add(new StoredGapCurve.Point(r.getAs("n"), d(r, "rg"), d(r, "rg_ci_low"), d(r, "rg_ci_high"),
                    d(r, "law_rg"), Boolean.TRUE.equals(r.getAs("in_fit"))));
        }
        points.sort(Comparator.comparingLong(StoredGapCurve.Point::n));
        return new StoredGapCurve(points, metrics, variant);
    }

    private static double d(Row r, String column) {
        Object v = r.getAs(column);
        return v == null ? Double.NaN : ((Number) v).doubleValue();
    }
}
