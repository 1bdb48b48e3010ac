package dev.repgap.audit;

import static dev.repgap.results.ResultTable.column;

import dev.repgap.data.GroupKey;
import dev.repgap.id.Estimate;
import dev.repgap.id.LocalDimension;
import dev.repgap.results.MetricRow;
import dev.repgap.results.ResultTable;
import dev.repgap.results.RunInfo;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Locale;
import java.util.function.Function;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;

/**
 * What {@code repgap audit} reports: the finding tables ({@code DIR/audit/duplicates}, {@code leaks},
 * {@code outliers}; ids as strings so that runs over integer and string ids share one table), the
 * summary metric rows, and a readable summary.
 */
public final class AuditOutputs {
    public static final ResultTable DUPLICATES = ResultTable.side("audit/duplicates", "audit", List.of(
            column("kind", DataTypes.StringType), column("id", DataTypes.StringType), column("other_id", DataTypes.StringType),
            column("distance", DataTypes.DoubleType), column("copies", DataTypes.LongType)), "kind", "id", "other_id");
    public static final ResultTable LEAKS = ResultTable.side("audit/leaks", "audit", List.of(
            column("test_id", DataTypes.StringType), column("train_id", DataTypes.StringType),
            column("distance", DataTypes.DoubleType), column("exact", DataTypes.BooleanType)), "test_id", "train_id");
    public static final ResultTable OUTLIERS = ResultTable.side("audit/outliers", "audit", List.of(
            column("rank", DataTypes.IntegerType), column("test_id", DataTypes.StringType),
            column("distance", DataTypes.DoubleType), column("nearest_train_id", DataTypes.StringType),
            column("relative_distance", DataTypes.DoubleType)), "rank");
    public static final ResultTable CLOSEST = ResultTable.side("audit/closest", "audit", List.of(
            column("kind", DataTypes.StringType), column("rank", DataTypes.IntegerType), column("id", DataTypes.StringType),
            column("other_id", DataTypes.StringType), column("distance", DataTypes.DoubleType),
            column("relative_distance", DataTypes.DoubleType)), "kind", "rank");
    static final List<ResultTable> TABLES = List.of(DUPLICATES, LEAKS, OUTLIERS, CLOSEST);
    /** Findings listed per kind in the readable summary and in a metric row's details. */
    static final int SHOWN = 5;

    private AuditOutputs() {}

    /** The rows of the three tables of this run, by table name. */
    public static Map<String, Dataset<Row>> tables(SparkSession spark, RunInfo run, List<AuditJob.GroupAudit> audits) {
        List<GroupKey> keys = audits.stream().map(a -> a.group().key()).toList();
        ResultTable.Rows duplicates = DUPLICATES.rows(keys), leaks = LEAKS.rows(keys), outliers = OUTLIERS.rows(keys),
                closest = CLOSEST.rows(keys);
        for (AuditJob.GroupAudit a : audits) {
            GroupKey key = a.group().key();
            for (String[] d : exactRows(a)) duplicates.add(key, run.runId(), "exact", d[0], d[1], 0.0, Long.parseLong(d[2]));
            for (NeighbourFindings.Pair p : a.near().pairs()) {
                String x = a.id(p.a()), y = a.id(p.b());
                boolean swap = compareIds(x, y) > 0;
                duplicates.add(key, run.runId(), "near", swap ? y : x, swap ? x : y, p.distance(), null);
            }
            for (NeighbourFindings.Pair p : a.leaks().pairs()) {
                leaks.add(key, run.runId(), a.id(p.a()), a.id(p.b()), p.distance(), p.distance() == 0);
            }
            int rank = 1;
            for (NeighbourFindings.Pair p : a.farthest()) {
                outliers.add(key, run.runId(), rank++, a.id(p.a()), p.distance(), a.id(p.b()), p.distance() / a.scale());
            }
            for (String kind : List.of("train", "test")) {
                rank = 1;
                for (NeighbourFindings.Pair p : kind.equals("train") ? a.closestTrain() : a.closestTest()) {
                    closest.add(key, run.runId(), kind, rank++, a.id(p.a()), a.id(p.b()), p.distance(), p.distance() / a.scale());
                }
            }
        }
        Map<String, Dataset<Row>> tables = new LinkedHashMap<>();
        tables.put(DUPLICATES.name(), duplicates.frame(spark));
        tables.put(LEAKS.name(), leaks.frame(spark));
        tables.put(OUTLIERS.name(), outliers.frame(spark));
        tables.put(CLOSEST.name(), closest.frame(spark));
        return tables;
    }

    /** Each row that repeats another exactly: (id, the first copy by id order, copies of that vector). */
    static List<String[]> exactRows(AuditJob.GroupAudit a) {
        List<String[]> out = new ArrayList<>();
        List<List<String>> sets = new ArrayList<>();
        for (long[] set : a.exact()) {
            List<String> ids = new ArrayList<>();
            for (long k : set) ids.add(a.id(k));
            ids.sort(AuditOutputs::compareIds);
            sets.add(ids);
        }
        sets.sort((x, y) -> compareIds(x.get(0), y.get(0)));
        for (List<String> ids : sets) {
            for (int i = 1; i < ids.size(); i++) out.add(new String[] {ids.get(i), ids.get(0), Integer.toString(ids.size())});
        }
        return out;
    }

    /** Integer ids in numeric order, anything else as strings. */
    static int compareIds(String x, String y) {
        try {
            return Long.compare(Long.parseLong(x), Long.parseLong(y));
        } catch (NumberFormatException e) {
            return x.compareTo(y);
        }
    }

    /** The summary rows of every group. */
    public static List<MetricRow> metrics(List<AuditJob.GroupAudit> audits, AuditJob.Options o) {
        List<MetricRow> out = new ArrayList<>();
        for (AuditJob.GroupAudit a : audits) {
            GroupKey key = a.group().key();
            long train = a.trainRows();
            out.add(MetricRow.of(key, "audit.rows", "split=train", train, train));
            out.add(MetricRow.of(key, "audit.rows", "split=test", a.testRows(), a.testRows()));
            if (!Double.isNaN(a.scale())) {
                out.add(MetricRow.of(key, "audit.r1_median", "split=train", a.scale(), train)
                        .withDetails("median distance from a training row to its nearest other training row, exact duplicates"
                                + " left out; the scale of the relative thresholds"));
            }
            List<String[]> exact = exactRows(a);
            out.add(MetricRow.of(key, "audit.duplicates_exact", null, exact.size(), train)
                    .withDetails(a.exact().size() + " distinct vectors occur more than once; rows that repeat another: "
                            + list(exact, d -> d[0] + "=" + d[1], exact.size())));
            out.add(MetricRow.of(key, "audit.duplicates_near", "threshold=" + number(a.nearThreshold()),
                    a.near().pairs().size(), train).withScale(a.nearThreshold())
                    .withDetails("pairs of training rows at 0 < distance <= threshold (" + o.near().describe()
                            + ") among each row's " + o.k() + " nearest" + truncated(a.near()) + ": "
                            + list(a.near().pairs(), p -> pair(a, p, "~"), a.near().pairs().size())));
            out.addAll(closest(a, "train", a.closestTrain(), train));
            if (a.testRows() > 0) {
                out.addAll(closest(a, "test", a.closestTest(), a.testRows()));
                long leaking = a.leaks().pairs().stream().map(NeighbourFindings.Pair::a).distinct().count();
                long exactLeaks = a.leaks().pairs().stream().filter(p -> p.distance() == 0).map(NeighbourFindings.Pair::a)
                        .distinct().count();
                out.add(MetricRow.of(key, "audit.leaks", "threshold=" + number(a.leakThreshold()), leaking, a.testRows())
                        .withScale(a.leakThreshold())
                        .withDetails("test rows with a training row at distance <= threshold (" + o.leak().describe() + "), "
                                + a.leaks().pairs().size() + " (test, train) pairs" + truncated(a.leaks()) + ": "
                                + list(a.leaks().pairs(), p -> pair(a, p, "->"), a.leaks().pairs().size())));
                out.add(MetricRow.of(key, "audit.leaks_exact", null, exactLeaks, a.testRows())
                        .withDetails("test rows equal to a training row"));
                out.add(MetricRow.of(key, "audit.test_r1_median", null, a.testNearestMedian(), a.testRows())
                        .withDetails("median distance from a test row to its nearest training row"));
                if (!a.farthest().isEmpty()) {
                    NeighbourFindings.Pair top = a.farthest().get(0);
                    out.add(MetricRow.of(key, "audit.ood_top_distance", "top=" + a.farthest().size(), top.distance(),
                            a.testRows()).withScale(a.testNearestMedian())
                            .withDetails("test rows farthest from the training set (distance to the nearest training row,"
                                    + " scale = median of that distance): " + list(a.farthest(),
                                            p -> a.id(p.a()) + " (" + number(p.distance()) + ")", a.farthest().size())));
                }
                out.add(estimate(key, "audit.gap", null, a.gap()));
            }
            if (a.local() != null) out.addAll(local(key, a.local()));
            for (AuditJob.LabelAudit l : a.labels()) {
                if (l.twoNN() != null) out.add(estimate(key, "audit.label_id", "label=" + l.label() + ",estimator=twonn", l.twoNN()));
                if (l.mle() != null) {
                    out.add(estimate(key, "audit.label_id", "label=" + l.label() + ",estimator=mle,k="
                            + Math.min(5, o.k()) + ":" + o.k(), l.mle()));
                }
                if (l.gap() != null) out.add(estimate(key, "audit.label_gap", "label=" + l.label(), l.gap()));
                out.add(MetricRow.of(key, "audit.label_rows", "label=" + l.label(), l.trainRows(), l.trainRows())
                        .withDetails(l.testRows() + " test rows"));
            }
        }
        return out;
    }

    /** {@code audit.closest}: the closest pair of a kind (value: its distance, scale: the median r1), the top ones in details. */
    private static List<MetricRow> closest(AuditJob.GroupAudit a, String kind, List<NeighbourFindings.Pair> pairs, long n) {
        if (pairs.isEmpty()) return List.of();
        return List.of(MetricRow.of(a.group().key(), "audit.closest", "split=" + kind, pairs.get(0).distance(), n)
                .withScale(a.scale())
                .withDetails((kind.equals("train") ? "closest pairs of training rows" : "closest (test, train) pairs")
                        + " at distance > 0, whatever the thresholds, with distance / median r1: "
                        + list(pairs, p -> closePair(a, p, kind), pairs.size())));
    }

    private static String closePair(AuditJob.GroupAudit a, NeighbourFindings.Pair p, String kind) {
        return a.id(p.a()) + (kind.equals("train") ? "~" : "->") + a.id(p.b()) + " (" + number(p.distance()) + ", "
                + number(p.distance() / a.scale()) + "x)";
    }

    private static MetricRow estimate(GroupKey key, String metric, String param, Estimate e) {
        return new MetricRow(key, metric, param, e.value(), e.ciLow(), e.ciHigh(), e.n(), e.scale(), e.details());
    }

    private static List<MetricRow> local(GroupKey key, LocalDimension l) {
        List<MetricRow> out = new ArrayList<>();
        double[] levels = LocalDimension.quantileLevels();
        for (int i = 0; i < levels.length; i++) {
            MetricRow r = MetricRow.of(key, "audit.local_id", String.format(Locale.ROOT, "k=%d,q=%.2f", l.k(), levels[i]),
                    l.quantiles()[i], l.n()).withScale(l.scale());
            if (levels[i] == 0.5) {
                r = r.withDetails("local Levina-Bickel m_k(x) of training rows without an exact duplicate; histogram: edges "
                        + Arrays.toString(l.edges()) + " counts " + Arrays.toString(l.counts()) + " below " + l.below()
                        + " above " + l.above());
            }
            out.add(r);
        }
        return out;
    }

    private static String truncated(NeighbourFindings.Within w) {
        return w.truncated() == 0 ? "" : "; " + w.truncated() + " rows have all their neighbours within the threshold,"
                + " raise --k to list them all";
    }

    private static String pair(AuditJob.GroupAudit a, NeighbourFindings.Pair p, String sign) {
        return a.id(p.a()) + sign + a.id(p.b()) + " (" + number(p.distance()) + ")";
    }

    private static <T> String list(List<T> items, Function<T, String> show, long total) {
        if (items.isEmpty()) return "none";
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < Math.min(SHOWN, items.size()); i++) b.append(i == 0 ? "" : ", ").append(show.apply(items.get(i)));
        if (total > SHOWN) b.append(", ... (").append(total).append(" in all)");
        return b.toString();
    }

    static String number(double v) {
        if (v == 0) return "0";
        double a = Math.abs(v);
        if (!Double.isFinite(v)) return Double.toString(v);
        if (a >= 1e-3 && a < 1e5) {
            return new java.math.BigDecimal(String.format(Locale.ROOT, "%.4g", v)).stripTrailingZeros().toPlainString();
        }
        return String.format(Locale.ROOT, "%.3e", v);
    }

    /** The readable summary: per group, counts and the first few ids of each finding. */
    public static void print(List<AuditJob.GroupAudit> audits, AuditJob.Options o, PrintWriter out) {
        for (AuditJob.GroupAudit a : audits) {
            out.printf("group %s: %d training rows, %d test rows; median nearest-neighbour distance %s%n", a.group().key(),
                    a.trainRows(), a.testRows(), number(a.scale()));
            List<String[]> exact = exactRows(a);
            out.printf("  exact duplicates: %d rows repeat another (%d vectors): %s%n", exact.size(), a.exact().size(),
                    list(exact, d -> d[0] + "=" + d[1], exact.size()));
            out.printf("  near duplicates (0 < distance <= %s): %d pairs%s: %s%n", number(a.nearThreshold()),
                    a.near().pairs().size(), truncated(a.near()), list(a.near().pairs(), p -> pair(a, p, "~"), a.near().pairs().size()));
            out.printf("  closest training pairs (distance, x median): %s%n",
                    list(a.closestTrain(), p -> closePair(a, p, "train"), a.closestTrain().size()));
            if (a.testRows() > 0) {
                out.printf("  closest test-train pairs (distance, x median): %s%n",
                        list(a.closestTest(), p -> closePair(a, p, "test"), a.closestTest().size()));
                long leaking = a.leaks().pairs().stream().map(NeighbourFindings.Pair::a).distinct().count();
                out.printf("  leaks (test row within %s of a training row): %d test rows%s: %s%n", number(a.leakThreshold()),
                        leaking, truncated(a.leaks()), list(a.leaks().pairs(), p -> pair(a, p, "->"), a.leaks().pairs().size()));
                out.printf("  farthest test rows (median nearest distance %s): %s%n", number(a.testNearestMedian()),
                        list(a.farthest(), p -> a.id(p.a()) + " (" + number(p.distance()) + ")", a.farthest().size()));
                out.printf("  gap (mean squared nearest distance): %s [%s, %s]%n", number(a.gap().value()),
                        number(a.gap().ciLow()), number(a.gap().ciHigh()));
            } else {
                out.println("  no test rows: leaks, farthest test rows and gap skipped");
            }
            if (a.local() != null) {
                double[] q = a.local().quantiles();
                out.printf("  local ID m_%d(x), %d rows: 5%% %s, 25%% %s, median %s, 75%% %s, 95%% %s%n", a.local().k(),
                        a.local().n(), number(q[0]), number(q[1]), number(q[2]), number(q[3]), number(q[4]));
            }
            List<AuditJob.LabelAudit> labels = new ArrayList<>(a.labels());
            labels.sort(Comparator.comparing(AuditJob.LabelAudit::label, AuditOutputs::compareIds));
            for (AuditJob.LabelAudit l : labels) {
                out.printf("  label %s: %d training rows, ID TwoNN %s, MLE %s; %d test rows, gap %s%n", l.label(), l.trainRows(),
                        l.twoNN() == null ? "-" : number(l.twoNN().value()), l.mle() == null ? "-" : number(l.mle().value()),
                        l.testRows(), l.gap() == null ? "-" : number(l.gap().value()));
            }
            out.println();
        }
        out.flush();
    }
}
