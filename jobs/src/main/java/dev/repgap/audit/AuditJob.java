package dev.repgap.audit;

import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;

import dev.repgap.data.Activations;
import dev.repgap.data.ColumnNames;
import dev.repgap.data.GroupKey;
import dev.repgap.data.GroupSummary;
import dev.repgap.data.InputException;
import dev.repgap.id.Estimate;
import dev.repgap.id.LevinaBickel;
import dev.repgap.id.LocalDimension;
import dev.repgap.id.NeighbourDistances;
import dev.repgap.id.TwoNN;
import dev.repgap.knn.KnnJob;
import dev.repgap.knn.KnnOutput;
import dev.repgap.knn.NearestNeighbours;
import dev.repgap.knn.NeighbourLists;
import dev.repgap.knn.PairScan;
import dev.repgap.knn.ScanMode;
import dev.repgap.stats.Bootstrap;
import dev.repgap.stats.Measured;
import dev.repgap.stats.Quantiles;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.apache.commons.math3.distribution.NormalDistribution;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.DataTypes;

/**
 * {@code repgap audit}: per group, one self scan of the training rows (exact and near duplicates,
 * the nearest-neighbour scale, the local ID), one cross scan of the test rows against them (leaks,
 * out-of-distribution candidates, the gap), and with labels one self scan per label (its ID) and the
 * gap of each label's test rows. Rows without a split count as training rows.
 */
public final class AuditJob {
    /**
     * A distance threshold: absolute, a multiple of the group's median nearest-neighbour distance r1, or robust:
     * {@code z} robust standard deviations below the typical r1 on a log scale,
     * {@code exp(median(log r1) - z * 1.4826 * MAD(log r1))} over the training rows' r1 above 0. The robust rule
     * follows the spread of the group's own distances: it flags rows far closer to a neighbour than rows usually are.
     */
    public record Threshold(double value, Kind kind) {
        public enum Kind { ABSOLUTE, RELATIVE, ROBUST }

        public double at(NeighbourFindings.Scale s) {
            return switch (kind) {
                case ABSOLUTE -> value;
                case RELATIVE -> Double.isNaN(s.median()) ? 0 : value * s.median();
                case ROBUST -> Double.isNaN(s.median()) ? 0 : Math.exp(s.logMedian() - value * 1.4826 * s.logMad());
            };
        }

        public String describe() {
            return switch (kind) {
                case ABSOLUTE -> "absolute";
                case RELATIVE -> value + " x median r1";
                case ROBUST -> "robust: exp(median log r1 - " + value + " x 1.4826 MAD of log r1)";
            };
        }
    }

    public record Options(int k, Threshold near, Threshold leak, int top, long seed, double level, int bootstrap,
                          int partitions) {}

    /** One label's ID (null where too few rows) and the gap of its test rows to the whole training set. */
    public record LabelAudit(String label, long trainRows, long testRows, Estimate twoNN, Estimate mle, Estimate gap) {}

    /**
     * One group's findings. Keys are the scans' internal row keys; {@code ids} maps each key that appears
     * to its id (as a string). Test-side fields are empty when the group has no test rows.
     */
    public record GroupAudit(GroupSummary group, long trainRows, long testRows, double scale, double nearThreshold,
                             double leakThreshold, List<long[]> exact, NeighbourFindings.Within near,
                             NeighbourFindings.Within leaks, List<NeighbourFindings.Pair> closestTrain,
                             List<NeighbourFindings.Pair> closestTest, List<NeighbourFindings.Pair> farthest, double testNearestMedian,
                             Estimate gap, LocalDimension local, List<LabelAudit> labels, Map<Long, String> ids) {
        public String id(long key) {
            return ids.get(key);
        }
    }

    /** The synthetic group column that splits a group by label for the per-label scans. */
    static final String LABEL_GROUP = "_audit_label";

    private AuditJob() {}

    public static List<GroupAudit> run(Activations data, Options o) {
        // Unsplit rows are training rows: the reference set is everything that is not a test row.
        Dataset<Row> rows = data.rows().withColumn(ColumnNames.SPLIT, coalesce(col(ColumnNames.SPLIT), lit(ColumnNames.TRAIN)));
        KnnJob.IdMapping idMapping = KnnJob.IdMapping.of(data);
        List<String> groupBy = data.names().groupBy();
        Dataset<Row> keyed = idMapping.keyed(rows, groupBy);
        List<PairScan.Group> all = new ArrayList<>(), withTest = new ArrayList<>();
        for (GroupSummary g : data.groups()) {
            long train = g.rows() - g.test();
            if (train < 2) {
                throw new InputException("input " + data.input() + ", group " + g.key() + ": audit needs at least 2"
                        + " training rows (split 'train' or none), found " + train);
            }
            all.add(new PairScan.Group(g.key(), g.dim()));
            if (g.test() > 0) withTest.add(new PairScan.Group(g.key(), g.dim()));
        }
        Column train = col(ColumnNames.SPLIT).equalTo(ColumnNames.TRAIN);
        Column test = col(ColumnNames.SPLIT).equalTo(ColumnNames.TEST);
        List<PairScan.Scanned<NeighbourLists>> self = PairScan.run(keyed, groupBy, all, PairScan.Sides.self(train),
                new NearestNeighbours(o.k(), ScanMode.SELF), scan(o)).groups();
        Map<GroupKey, PairScan.Scanned<NeighbourLists>> crossByGroup = new HashMap<>();
        if (!withTest.isEmpty()) {
            for (PairScan.Scanned<NeighbourLists> c : PairScan.run(keyed, groupBy, withTest, new PairScan.Sides(test, train),
                    new NearestNeighbours(o.k(), ScanMode.CROSS), scan(o)).groups()) {
                crossByGroup.put(c.group().key(), c);
            }
        }

        Map<GroupKey, Map<Long, String>> testLabels = withTest.isEmpty() ? Map.of() : testLabels(keyed, groupBy);
        Map<GroupKey, Map<String, LabelId>> labelIds = labelIds(keyed.filter(train), groupBy, all, o);

        List<GroupAudit> out = new ArrayList<>();
        for (int i = 0; i < self.size(); i++) {
            GroupSummary summary = data.groups().get(i);
            List<NeighbourLists> lists = self.get(i).states();
            GroupKey key = summary.key();
            NeighbourFindings.Scale r1 = NeighbourFindings.scale(lists);
            double scale = r1.median();
            double nearThreshold = o.near().at(r1), leakThreshold = o.leak().at(r1);
            List<long[]> exact = NeighbourFindings.exactDuplicates(lists);
            NeighbourFindings.Within near = NeighbourFindings.nearPairs(lists, nearThreshold);
            NeighbourDistances d = NeighbourDistances.fromLists(lists, o.k(), true);
            LocalDimension local = o.k() >= 2 && d != null ? LocalDimension.of(d, o.k(), LocalDimension.DEFAULT_LOW,
                    LocalDimension.DEFAULT_HIGH, LocalDimension.DEFAULT_BINS) : null;

            PairScan.Scanned<NeighbourLists> c = crossByGroup.get(key);
            NeighbourFindings.Within leaks = new NeighbourFindings.Within(List.of(), 0);
            List<NeighbourFindings.Pair> closestTrain = NeighbourFindings.closest(lists, o.top(), true);
            List<NeighbourFindings.Pair> closestTest = List.of(), farthest = List.of();
            double testMedian = Double.NaN;
            Estimate gap = null;
            Map<Long, Double> nearest = Map.of();
            if (c != null) {
                leaks = NeighbourFindings.within(c.states(), leakThreshold);
                farthest = NeighbourFindings.farthest(c.states(), o.top());
                closestTest = NeighbourFindings.closest(c.states(), o.top(), false);
                nearest = NeighbourFindings.nearestSquared(c.states());
                testMedian = Quantiles.median(nearest.values().stream().mapToDouble(Math::sqrt).toArray());
                gap = meanGap(nearest.values().stream().mapToDouble(Double::doubleValue).toArray(), o.level(), testMedian);
            }
            List<LabelAudit> labels = labels(labelIds.getOrDefault(key, Map.of()),
                    testLabels.getOrDefault(key, Map.of()), nearest, o);

            Set<Long> keys = new HashSet<>();
            for (long[] set : exact) for (long k : set) keys.add(k);
            for (NeighbourFindings.Pair p : near.pairs()) keys.addAll(List.of(p.a(), p.b()));
            for (NeighbourFindings.Pair p : leaks.pairs()) keys.addAll(List.of(p.a(), p.b()));
            for (List<NeighbourFindings.Pair> pairs : List.of(closestTrain, closestTest, farthest)) {
                for (NeighbourFindings.Pair p : pairs) keys.addAll(List.of(p.a(), p.b()));
            }
            Map<Long, String> ids = ids(data, idMapping.stringIds(), keyed, key, keys);
            out.add(new GroupAudit(summary, summary.rows() - summary.test(), c == null ? 0 : summary.test(), scale,
                    nearThreshold, leakThreshold, exact, near, leaks, closestTrain, closestTest, farthest, testMedian, gap, local, labels, ids));
        }
        return out;
    }

    /** Every query of every group (no subsample), in the default blocks and rounds. */
    private static PairScan.Options scan(Options o) {
        return new PairScan.Options(0, o.seed(), 4096, 1024, 512L << 20, o.partitions());
    }

    /** Integer ids are their own keys; string ids are looked up among this group's rows. */
    private static Map<Long, String> ids(Activations data, boolean stringIds, Dataset<Row> keyed, GroupKey group,
            Set<Long> keys) {
        Map<Long, String> out = new HashMap<>();
        if (!stringIds) {
            for (long k : keys) out.put(k, Long.toString(k));
        } else if (!keys.isEmpty()) {
            out.putAll(KnnOutput.stringIds(data.rows().sparkSession(), keyed.filter(group.filter()), keys));
        }
        return out;
    }

    /** The label (as a string) of every test row with one, by key, per group. */
    private static Map<GroupKey, Map<Long, String>> testLabels(Dataset<Row> keyed, List<String> groupBy) {
        List<org.apache.spark.sql.Column> columns = new ArrayList<>(List.of(ColumnNames.columns(groupBy)));
        columns.add(col(KnnJob.IdMapping.KEY));
        columns.add(col(ColumnNames.LABEL).cast(DataTypes.StringType).as(ColumnNames.LABEL));
        Map<GroupKey, Map<Long, String>> out = new HashMap<>();
        for (Row r : keyed.filter(col(ColumnNames.SPLIT).equalTo(ColumnNames.TEST).and(col(ColumnNames.LABEL).isNotNull()))
                .select(columns.toArray(new org.apache.spark.sql.Column[0])).collectAsList()) {
            out.computeIfAbsent(GroupKey.of(groupBy, r), g -> new HashMap<>())
                    .put(r.getLong(r.fieldIndex(KnnJob.IdMapping.KEY)), r.getString(r.fieldIndex(ColumnNames.LABEL)));
        }
        return out;
    }

    private record LabelId(long trainRows, Estimate twoNN, Estimate mle) {}

    /** Per group and label of the training rows: TwoNN and Levina-Bickel from one self scan of that label's rows. */
    private static Map<GroupKey, Map<String, LabelId>> labelIds(Dataset<Row> trainRows, List<String> groupBy,
            List<PairScan.Group> groups, Options o) {
        List<String> byLabel = new ArrayList<>(groupBy);
        byLabel.add(LABEL_GROUP);
        Dataset<Row> labelled = trainRows.filter(col(ColumnNames.LABEL).isNotNull())
                .withColumn(LABEL_GROUP, col(ColumnNames.LABEL).cast(DataTypes.StringType));
        Map<GroupKey, Integer> dims = new HashMap<>();
        for (PairScan.Group g : groups) dims.put(g.key(), g.dim());
        Map<GroupKey, Map<String, LabelId>> out = new HashMap<>();
        List<PairScan.Group> scanned = new ArrayList<>();
        List<Long> counts = new ArrayList<>();
        for (Row r : labelled.groupBy(ColumnNames.columns(byLabel)).count().collectAsList()) {
            GroupKey parent = GroupKey.of(groupBy, r);
            String label = r.getString(r.fieldIndex(LABEL_GROUP));
            long count = r.getLong(r.fieldIndex("count"));
            out.computeIfAbsent(parent, g -> new TreeMap<>()).put(label, new LabelId(count, null, null));
            if (count >= 3) {
                scanned.add(new PairScan.Group(GroupKey.of(byLabel, r), dims.get(parent)));
                counts.add(count);
            }
        }
        if (scanned.isEmpty()) return out;
        // Each label of each group is a group of its own in one self scan.
        List<PairScan.Scanned<NeighbourLists>> result = PairScan.run(labelled, byLabel, scanned, PairScan.Sides.all(),
                new NearestNeighbours(o.k(), ScanMode.SELF), scan(o)).groups();
        for (int i = 0; i < result.size(); i++) {
            PairScan.Scanned<NeighbourLists> g = result.get(i);
            LinkedHashMap<String, String> values = new LinkedHashMap<>(g.group().key().values());
            String label = values.remove(LABEL_GROUP);
            GroupKey parent = new GroupKey(values);
            Bootstrap bootstrap = new Bootstrap(o.bootstrap(), o.seed());
            NeighbourDistances two = NeighbourDistances.fromLists(g.states(), 2, true);
            Estimate twoNN = two == null || two.points() < 2 ? null
                    : new TwoNN(o.level(), TwoNN.DEFAULT_DISCARD, bootstrap).maximumLikelihood(two);
            NeighbourDistances all = NeighbourDistances.fromLists(g.states(), o.k(), true);
            Estimate mle = all == null || all.points() < 2 || o.k() < 2 ? null
                    : new LevinaBickel(Math.min(LevinaBickel.DEFAULT_K1, o.k()), o.k(), o.level(), bootstrap).estimate(all).mean();
            out.get(parent).put(label, new LabelId(counts.get(i), twoNN, mle));
        }
        return out;
    }

    private static List<LabelAudit> labels(Map<String, LabelId> ids, Map<Long, String> testLabels,
            Map<Long, Double> nearest, Options o) {
        Map<String, List<Double>> gaps = new TreeMap<>();
        for (Map.Entry<Long, String> e : testLabels.entrySet()) {
            Double d = nearest.get(e.getKey());
            if (d != null) gaps.computeIfAbsent(e.getValue(), l -> new ArrayList<>()).add(d);
        }
        Set<String> all = new java.util.TreeSet<>(ids.keySet());
        all.addAll(gaps.keySet());
        List<LabelAudit> out = new ArrayList<>();
        for (String label : all) {
            LabelId id = ids.getOrDefault(label, new LabelId(0, null, null));
            List<Double> g = gaps.getOrDefault(label, List.of());
            double[] values = g.stream().mapToDouble(Double::doubleValue).toArray();
            double median = Quantiles.median(g.stream().mapToDouble(Math::sqrt).toArray());
            out.add(new LabelAudit(label, id.trainRows(), values.length, id.twoNN(), id.mle(),
                    values.length == 0 ? null : meanGap(values, o.level(), median)));
        }
        return out;
    }

    /** The mean squared nearest-neighbour distance with a normal interval over test rows. */
    static Estimate meanGap(double[] squared, double level, double medianDistance) {
        int n = squared.length;
        if (n == 0) return null;
        double mean = 0;
        for (double v : squared) mean += v / n;
        double ss = 0;
        for (double v : squared) ss += (v - mean) * (v - mean);
        double se = n > 1 ? Math.sqrt(ss / (n - 1) / n) : Double.NaN;
        double z = new NormalDistribution().inverseCumulativeProbability((1 + level) / 2);
        return new Estimate(new Measured(mean, mean - z * se, mean + z * se), n, medianDistance, String.format(Locale.ROOT,
                "mean squared distance from a test row to its nearest training row (RG at the whole training set);"
                        + " normal interval at %.2f; scale = median nearest distance", level));
    }
}
