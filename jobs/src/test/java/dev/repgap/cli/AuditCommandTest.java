package dev.repgap.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * repgap audit on generated manifolds with planted exact and near duplicates, leaks and far-out test
 * rows; every expectation comes from a brute-force double loop over the same float32 values.
 */
class AuditCommandTest {
    @TempDir static Path tmp;

    /** The planted perturbation: far below 1% of the median nearest-neighbour distance of either layer. */
    private static final double EPSILON = 1e-3;

    private record Point(String layer, String id, float[] x, String split, int label) {}

    /** What was planted in one layer, as id pairs. */
    private record Planted(Set<List<String>> exact, Set<List<String>> near, Set<List<String>> leaks, List<String> outliers) {}

    private static final List<Point> POINTS = new ArrayList<>();
    private static final Map<String, Planted> PLANTED = new LinkedHashMap<>();

    @BeforeAll
    static void generate() {
        String base = tmp.resolve("base").toString();
        for (String[] l : new String[][] {{"s5", "sphere", "5", "6", "3000", "300", "1"}, {"g4", "gaussian", "4", "8", "2000", "200", "2"}}) {
            Repgap.Result r = Repgap.run("generate", "--manifold", l[1], "--dim", l[2], "--ambient", l[3], "--n", l[4],
                    "--test", l[5], "--seed", l[6], "--set", "layer=" + l[0], "--out", base);
            assertEquals(0, r.code(), r.toString());
        }
        Map<String, Map<Long, Point>> byLayer = new LinkedHashMap<>();
        for (Row r : Repgap.spark().read().parquet(base).collectAsList()) {
            List<Float> v = r.getList(r.fieldIndex("features"));
            float[] x = new float[v.size()];
            for (int i = 0; i < x.length; i++) x[i] = v.get(i);
            long id = r.getAs("id");
            String layer = r.getAs("layer");
            byLayer.computeIfAbsent(layer, k -> new HashMap<>())
                    .put(id, new Point(layer, Long.toString(id), x, r.getAs("split"), (int) (id % 3)));
        }
        Random rng = new Random(7);
        for (Map.Entry<String, Map<Long, Point>> e : byLayer.entrySet()) {
            Map<Long, Point> rows = e.getValue();
            List<Point> points = new ArrayList<>(rows.values());
            Set<List<String>> exact = new HashSet<>(), near = new HashSet<>(), leaks = new HashSet<>();
            List<String> outliers = new ArrayList<>();
            // Exact copies in train under new ids (row 10 twice), near copies, test copies and near copies of train
            // rows, and test rows pushed far out (the farthest last).
            long[][] exactCopies = {{10, 10000}, {10, 10003}, {20, 10001}, {30, 10002}};
            for (long[] c : exactCopies) {
                points.add(copy(rows.get(c[0]), c[1], "train", 0, 1, rng));
                exact.add(List.of(Long.toString(c[1]), Long.toString(c[0])));
            }
            for (long[] c : new long[][] {{40, 10010}, {50, 10011}}) {
                points.add(copy(rows.get(c[0]), c[1], "train", EPSILON, 1, rng));
                near.add(List.of(Long.toString(c[0]), Long.toString(c[1])));
            }
            for (long[] c : new long[][] {{60, 20000}, {70, 20001}, {80, 20002}, {90, 20003}}) {
                points.add(copy(rows.get(c[0]), c[1], "test", c[0] < 80 ? 0 : EPSILON, 1, rng));
                leaks.add(List.of(Long.toString(c[1]), Long.toString(c[0])));
            }
            for (long[] c : new long[][] {{100, 30000, 3}, {110, 30001, 4}, {120, 30002, 5}}) {
                points.add(copy(rows.get(c[0]), c[1], "test", 0, c[2], rng));
                outliers.add(0, Long.toString(c[1]));
            }
            POINTS.addAll(points);
            PLANTED.put(e.getKey(), new Planted(exact, near, leaks, outliers));
        }
    }

    /** A copy of {@code p} under a new id and split: scaled by {@code factor}, moved by {@code epsilon} in a random direction. */
    private static Point copy(Point p, long id, String split, double epsilon, double factor, Random rng) {
        float[] x = new float[p.x().length];
        double[] direction = new double[x.length];
        double norm = 0;
        for (int i = 0; i < x.length; i++) {
            direction[i] = rng.nextGaussian();
            norm += direction[i] * direction[i];
        }
        for (int i = 0; i < x.length; i++) x[i] = (float) (p.x()[i] * factor + epsilon * direction[i] / Math.sqrt(norm));
        return new Point(p.layer(), Long.toString(id), x, split, (int) (id % 3));
    }

    private static String writeIntegerIds(String name, String layer) {
        StructType schema = new StructType().add("id", DataTypes.LongType)
                .add("features", DataTypes.createArrayType(DataTypes.FloatType)).add("split", DataTypes.StringType);
        List<Row> rows = new ArrayList<>();
        for (Point p : POINTS) if (p.layer().equals(layer)) rows.add(RowFactory.create(Long.parseLong(p.id()), p.x(), p.split()));
        String path = tmp.resolve(name).toString();
        Repgap.spark().createDataFrame(rows, schema).repartition(3).write().parquet(path);
        return path;
    }

    /** Both layers, string ids {@code layer-id}, and a label. */
    private static String writeStringIds(String name) {
        StructType schema = new StructType().add("name", DataTypes.StringType)
                .add("features", DataTypes.createArrayType(DataTypes.FloatType)).add("split", DataTypes.StringType)
                .add("layer", DataTypes.StringType).add("label", DataTypes.IntegerType);
        List<Row> rows = new ArrayList<>();
        for (Point p : POINTS) rows.add(RowFactory.create(p.layer() + "-" + p.id(), p.x(), p.split(), p.layer(), p.label()));
        String path = tmp.resolve(name).toString();
        Repgap.spark().createDataFrame(rows, schema).repartition(4).write().parquet(path);
        return path;
    }

    private static double distance(float[] a, float[] b) {
        double s = 0;
        for (int i = 0; i < a.length; i++) {
            double d = (double) a[i] - (double) b[i];
            s += d * d;
        }
        return Math.sqrt(s);
    }

    /** Brute-force facts about one layer: median r1 of train rows (r1 > 0), and all findings at given thresholds. */
    private record Truth(double scale, Set<List<String>> exact, Set<List<String>> near, Set<List<String>> leaks,
                         List<String> farthest, double farthestDistance, double gap, Map<Integer, Double> labelGap,
                         double localMedian, double robust, List<List<String>> closestTrain, List<List<String>> closestTest) {}

    /** By brute force: every finding at the given thresholds (absolute, or else {@code relative} x median r1). */
    private static Truth truth(String layer, Double near, Double leak, double relative) {
        List<Point> train = POINTS.stream().filter(p -> p.layer().equals(layer) && p.split().equals("train")).toList();
        List<Point> test = POINTS.stream().filter(p -> p.layer().equals(layer) && p.split().equals("test")).toList();
        int n = train.size();
        double[][] d = new double[n][n];
        for (int i = 0; i < n; i++) for (int j = i + 1; j < n; j++) d[i][j] = d[j][i] = distance(train.get(i).x(), train.get(j).x());
        List<Double> r1 = new ArrayList<>();
        List<Double> local = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            double[] row = new double[n - 1];
            for (int j = 0, m = 0; j < n; j++) if (j != i) row[m++] = d[i][j];
            Arrays.sort(row);
            if (row[0] > 0) {
                r1.add(row[0]);
                double sum = 0;
                for (int j = 0; j < 19; j++) sum += Math.log(row[19]) - Math.log(row[j]);
                local.add(19 / sum);
            }
        }
        double scale = median(r1);
        // the robust rule: 4 robust standard deviations (1.4826 MAD) below the median of log r1
        List<Double> logs = r1.stream().map(Math::log).toList();
        double logMedian = median(logs);
        double robust = Math.exp(logMedian - 4 * 1.4826 * median(logs.stream().map(x -> Math.abs(x - logMedian)).toList()));
        double nearT = near != null ? near : Double.isNaN(relative) ? robust : relative * scale;
        double leakT = leak != null ? leak : Double.isNaN(relative) ? robust : relative * scale;
        List<Object[]> trainPairs = new ArrayList<>(), testPairs = new ArrayList<>();
        Set<List<String>> exact = new HashSet<>(), nearPairs = new HashSet<>(), leaks = new HashSet<>();
        for (int i = 0; i < n; i++) {
            String first = null; // the smallest id with this vector
            for (int j = 0; j < n; j++) {
                if (d[i][j] == 0 && (first == null || Long.parseLong(train.get(j).id()) < Long.parseLong(first))) first = train.get(j).id();
            }
            if (!first.equals(train.get(i).id()) && Long.parseLong(first) < Long.parseLong(train.get(i).id())) {
                exact.add(List.of(train.get(i).id(), first));
            }
            for (int j = i + 1; j < n; j++) {
                if (d[i][j] > 0) trainPairs.add(new Object[] {List.of(train.get(i).id(), train.get(j).id()), d[i][j]});
                if (d[i][j] > 0 && d[i][j] <= nearT) {
                    boolean order = Long.parseLong(train.get(i).id()) < Long.parseLong(train.get(j).id());
                    nearPairs.add(order ? List.of(train.get(i).id(), train.get(j).id()) : List.of(train.get(j).id(), train.get(i).id()));
                }
            }
        }
        List<Object[]> nearest = new ArrayList<>();
        double gapSum = 0;
        Map<Integer, double[]> byLabel = new HashMap<>();
        for (Point t : test) {
            double best = Double.POSITIVE_INFINITY;
            for (Point r : train) {
                double x = distance(t.x(), r.x());
                best = Math.min(best, x);
                if (x <= leakT) leaks.add(List.of(t.id(), r.id()));
                if (x > 0) testPairs.add(new Object[] {List.of(t.id(), r.id()), x});
            }
            nearest.add(new Object[] {t.id(), best});
            gapSum += best * best;
            double[] s = byLabel.computeIfAbsent(t.label(), l -> new double[2]);
            s[0] += best * best;
            s[1]++;
        }
        nearest.sort((a, b) -> Double.compare((Double) b[1], (Double) a[1]));
        Map<Integer, Double> labelGap = new HashMap<>();
        byLabel.forEach((l, s) -> labelGap.put(l, s[0] / s[1]));
        double[] sortedLocal = local.stream().mapToDouble(Double::doubleValue).sorted().toArray();
        double h = 0.5 * (sortedLocal.length - 1);
        int lo = (int) Math.floor(h);
        double localMedian = sortedLocal[lo] + (h - lo) * (sortedLocal[Math.min(lo + 1, sortedLocal.length - 1)] - sortedLocal[lo]);
        return new Truth(scale, exact, nearPairs, leaks, nearest.stream().limit(3).map(a -> (String) a[0]).toList(),
                (Double) nearest.get(0)[1], gapSum / test.size(), labelGap, localMedian, robust, closest(trainPairs),
                closest(testPairs));
    }

    /** The 3 closest pairs, nearest first. */
    @SuppressWarnings("unchecked")
    private static List<List<String>> closest(List<Object[]> pairs) {
        pairs.sort(Comparator.comparingDouble(a -> (Double) a[1]));
        return pairs.stream().limit(3).map(a -> (List<String>) a[0]).toList();
    }

    private static double median(List<Double> values) {
        double[] v = values.stream().mapToDouble(Double::doubleValue).sorted().toArray();
        return v.length % 2 == 1 ? v[v.length / 2] : 0.5 * (v[v.length / 2 - 1] + v[v.length / 2]);
    }

    private static List<JsonNode> audit(String... args) throws Exception {
        List<String> all = new ArrayList<>(List.of("audit", "--json"));
        all.addAll(List.of(args));
        Repgap.Result r = Repgap.run(all.toArray(new String[0]));
        assertEquals(0, r.code(), r.toString());
        return r.jsonLines();
    }

    private static JsonNode find(List<JsonNode> rows, String layer, String metric, String paramPrefix) {
        return rows.stream()
                .filter(r -> layer == null || layer.equals(r.path("layer").asText()))
                .filter(r -> r.get("metric").asText().equals(metric))
                .filter(r -> paramPrefix == null || r.get("param").asText().startsWith(paramPrefix))
                .findFirst().orElseThrow(() -> new AssertionError("no " + metric + " " + paramPrefix + " for " + layer));
    }

    /** The rows of one table of one run, as lists of the named columns (strings). */
    private static Set<List<String>> table(String results, String table, String runId, String filter, String... columns) {
        Set<List<String>> out = new HashSet<>();
        for (Row r : Repgap.spark().read().parquet(results + "/audit/" + table).filter("run_id = '" + runId + "'")
                .filter(filter).collectAsList()) {
            List<String> v = new ArrayList<>();
            for (String c : columns) v.add(String.valueOf(r.<Object>getAs(c)));
            out.add(v);
        }
        return out;
    }

    private static Set<List<String>> prefixed(String layer, Set<List<String>> pairs) {
        Set<List<String>> out = new HashSet<>();
        for (List<String> p : pairs) out.add(p.stream().map(id -> layer + "-" + id).toList());
        return out;
    }

    @Test
    void findsEveryPlantedItemWithItsIdsAndNothingElseAtAbsoluteThresholds() throws Exception {
        String in = writeIntegerIds("int-ids", "s5");
        String results = tmp.resolve("results-int").toString();
        List<JsonNode> rows = audit("--input", in, "--near", "0.002", "--leak", "0.002", "--top", "3", "--out", results);
        Truth t = truth("s5", 0.002, 0.002, 0);
        Planted planted = PLANTED.get("s5");
        // The brute force finds exactly what was planted: the generated data holds no finding of its own.
        assertEquals(planted.exact(), t.exact());
        assertEquals(planted.near(), t.near());
        assertEquals(planted.leaks(), t.leaks());
        assertEquals(planted.outliers(), t.farthest());

        String run = rows.get(0).get("run_id").asText();
        assertEquals(t.exact(), table(results, "duplicates", run, "kind = 'exact'", "id", "other_id"));
        assertEquals(t.near(), table(results, "duplicates", run, "kind = 'near'", "id", "other_id"));
        assertEquals(t.leaks(), table(results, "leaks", run, "true", "test_id", "train_id"));
        assertEquals(Set.of(List.of("20000", "true"), List.of("20001", "true"), List.of("20002", "false"),
                List.of("20003", "false")), table(results, "leaks", run, "true", "test_id", "exact"));
        assertEquals(Set.of(List.of("1", t.farthest().get(0)), List.of("2", t.farthest().get(1)), List.of("3", t.farthest().get(2))),
                table(results, "outliers", run, "true", "rank", "test_id"));
        assertEquals(Set.of(List.of("10000", "3"), List.of("10003", "3"), List.of("10001", "2"), List.of("10002", "2")),
                table(results, "duplicates", run, "kind = 'exact'", "id", "copies"));

        assertEquals(4, find(rows, null, "audit.duplicates_exact", null).get("value").asDouble());
        assertEquals(2, find(rows, null, "audit.duplicates_near", "threshold=0.002").get("value").asDouble());
        assertEquals(4, find(rows, null, "audit.leaks", "threshold=0.002").get("value").asDouble());
        assertEquals(2, find(rows, null, "audit.leaks_exact", null).get("value").asDouble());
        assertEquals(t.farthestDistance(), find(rows, null, "audit.ood_top_distance", "top=3").get("value").asDouble(), 0.0);
        assertEquals(t.scale(), find(rows, null, "audit.r1_median", null).get("value").asDouble(), 0.0);
        assertEquals(t.gap(), find(rows, null, "audit.gap", null).get("value").asDouble(), 1e-12 * t.gap());
        assertEquals(t.localMedian(), find(rows, null, "audit.local_id", "k=20,q=0.50").get("value").asDouble(),
                1e-9 * t.localMedian());
        assertTrue(rows.stream().noneMatch(r -> r.get("metric").asText().startsWith("audit.label")), "no labels, no label rows");

        // The closest pairs, whatever the thresholds: training pairs once (smaller id first), (test, train) pairs.
        List<List<String>> closestTrain = t.closestTrain().stream()
                .map(p -> p.stream().sorted(Comparator.comparingLong(Long::parseLong)).toList()).toList();
        assertEquals(ranked(closestTrain), table(results, "closest", run, "kind = 'train'", "rank", "id", "other_id"));
        assertEquals(ranked(t.closestTest()), table(results, "closest", run, "kind = 'test'", "rank", "id", "other_id"));
        JsonNode closest = find(rows, null, "audit.closest", "split=train");
        assertEquals(t.scale(), closest.get("scale").asDouble(), 0.0);
        assertTrue(closest.get("details").asText().contains(closestTrain.get(0).get(0) + "~" + closestTrain.get(0).get(1)), closest.toString());

        // Atomic tables: one file per table and run, nothing left aside.
        for (String table : List.of("duplicates", "leaks", "outliers", "closest")) {
            try (Stream<Path> files = Files.walk(Path.of(results, "audit", table))) {
                assertEquals(1, files.filter(p -> p.getFileName().toString().endsWith(".parquet")).count(), table);
            }
        }
        assertFalse(Files.exists(Path.of(results, "_staging")));
        assertEquals(rows.size(), Repgap.spark().read().parquet(results + "/metrics").filter("command = 'audit'").count());
    }

    @Test
    void stringIdsSeveralGroupsLabelsAndRelativeThresholdsAnyPartitioning() throws Exception {
        String in = writeStringIds("string-ids");
        String results = tmp.resolve("results-string").toString();
        List<JsonNode> rows = audit("--input", in, "--id-col", "name", "--group-by", "layer", "--top", "3", "--near-relative",
                "0.01", "--leak-relative", "0.01", "--out", results);
        String run = rows.get(0).get("run_id").asText();
        for (String layer : PLANTED.keySet()) {
            Truth t = truth(layer, null, null, 0.01);
            Planted planted = PLANTED.get(layer);
            assertEquals(planted.exact(), t.exact(), layer);
            assertEquals(planted.near(), t.near(), layer);
            assertEquals(planted.leaks(), t.leaks(), layer);
            assertEquals(planted.outliers(), t.farthest(), layer);
            String where = "layer = '" + layer + "'";
            // String ids: each repeated row points at the first copy in string order.
            Set<List<String>> exact = table(results, "duplicates", run, where + " AND kind = 'exact'", "id", "other_id");
            assertEquals(copies(prefixed(layer, t.exact())), copies(exact));
            for (List<String> e : exact) assertTrue(e.get(1).compareTo(e.get(0)) < 0, e.toString());
            // A near pair is listed once, the smaller id (string order) first.
            Set<List<String>> near = new HashSet<>();
            for (List<String> p : prefixed(layer, t.near())) near.add(p.stream().sorted().toList());
            assertEquals(near, table(results, "duplicates", run, where + " AND kind = 'near'", "id", "other_id"));
            assertEquals(prefixed(layer, t.leaks()), table(results, "leaks", run, where, "test_id", "train_id"));
            Set<List<String>> top = new HashSet<>();
            for (int i = 0; i < 3; i++) top.add(List.of(Integer.toString(i + 1), layer + "-" + t.farthest().get(i)));
            assertEquals(top, table(results, "outliers", run, where, "rank", "test_id"));

            JsonNode scale = find(rows, layer, "audit.r1_median", null);
            assertEquals(t.scale(), scale.get("value").asDouble(), 0.0, layer);
            assertEquals(0.01 * t.scale(), find(rows, layer, "audit.leaks", "threshold=").get("scale").asDouble(), 0.0);
            assertEquals(2, find(rows, layer, "audit.duplicates_near", "threshold=").get("value").asDouble(), layer);

            // Per label: the gap of its test rows (brute force), and its ID from its own training rows.
            for (int label = 0; label < 3; label++) {
                JsonNode gap = find(rows, layer, "audit.label_gap", "label=" + label);
                assertEquals(t.labelGap().get(label), gap.get("value").asDouble(), 1e-12 * t.labelGap().get(label));
                double twoNN = find(rows, layer, "audit.label_id", "label=" + label + ",estimator=twonn").get("value").asDouble();
                assertEquals(labelTwoNN(layer, label), twoNN, 1e-9 * twoNN, layer + " label " + label);
                double mle = find(rows, layer, "audit.label_id", "label=" + label + ",estimator=mle").get("value").asDouble();
                double d = layer.equals("s5") ? 5 : 4;
                assertTrue(Math.abs(mle - d) < 0.15 * d, layer + " label " + label + " MLE " + mle);
            }
        }

        // The same findings and numbers whatever the partitioning of the scans.
        List<JsonNode> again = audit("--input", in, "--id-col", "name", "--group-by", "layer", "--top", "3", "--near-relative",
                "0.01", "--leak-relative", "0.01", "--partitions", "1");
        assertEquals(rows.size(), again.size());
        for (int i = 0; i < rows.size(); i++) {
            for (String f : List.of("layer", "metric", "param", "value", "ci_low", "ci_high", "n", "scale", "details")) {
                assertEquals(rows.get(i).get(f), again.get(i).get(f), rows.get(i) + " vs " + again.get(i));
            }
        }
    }

    /** The sets of rows with one vector, from (copy, first copy) pairs. */
    private static Set<Set<String>> copies(Set<List<String>> pairs) {
        Map<String, Set<String>> sets = new HashMap<>();
        for (List<String> p : pairs) {
            Set<String> mine = sets.getOrDefault(p.get(0), new TreeSet<>(List.of(p.get(0))));
            Set<String> theirs = sets.getOrDefault(p.get(1), new TreeSet<>(List.of(p.get(1))));
            mine.addAll(theirs);
            for (String id : mine) sets.put(id, mine);
        }
        return new HashSet<>(sets.values());
    }

    /** TwoNN MLE (N-1)/sum log(r2/r1) over one label's training rows, rows with an exact duplicate left out. */
    private static double labelTwoNN(String layer, int label) {
        List<Point> rows = POINTS.stream().filter(p -> p.layer().equals(layer) && p.split().equals("train") && p.label() == label)
                .toList();
        double sum = 0;
        int n = 0;
        for (Point p : rows) {
            double r1 = Double.POSITIVE_INFINITY, r2 = Double.POSITIVE_INFINITY;
            for (Point q : rows) {
                if (q == p) continue;
                double x = distance(p.x(), q.x());
                if (x < r1) {
                    r2 = r1;
                    r1 = x;
                } else if (x < r2) {
                    r2 = x;
                }
            }
            if (r1 == 0) continue;
            sum += Math.log(r2 / r1);
            n++;
        }
        return (n - 1) / sum;
    }

    private static Set<List<String>> ranked(List<List<String>> pairs) {
        Set<List<String>> out = new HashSet<>();
        for (int i = 0; i < pairs.size(); i++) out.add(List.of(Integer.toString(i + 1), pairs.get(i).get(0), pairs.get(i).get(1)));
        return out;
    }

    @Test
    void theRobustDefaultThresholdIsTheBruteForceOne() throws Exception {
        String in = writeIntegerIds("robust", "s5");
        String results = tmp.resolve("results-robust").toString();
        List<JsonNode> rows = audit("--input", in, "--top", "3", "--out", results);
        Truth t = truth("s5", null, null, Double.NaN);
        String run = rows.get(0).get("run_id").asText();
        assertEquals(t.near(), table(results, "duplicates", run, "kind = 'near'", "id", "other_id"));
        assertEquals(t.leaks(), table(results, "leaks", run, "true", "test_id", "train_id"));
        assertTrue(t.near().containsAll(PLANTED.get("s5").near()), "the planted near duplicates are found: " + t.near());
        JsonNode near = find(rows, null, "audit.duplicates_near", "threshold=");
        assertEquals(t.robust(), near.get("scale").asDouble(), 1e-12 * t.robust());
        assertEquals(t.near().size(), near.get("value").asDouble());
        assertTrue(near.get("details").asText().contains("robust: exp(median log r1 - 4.0 x 1.4826 MAD of log r1)"), near.toString());
    }

    @Test
    void readableSummaryNamesTheFindings() {
        String in = writeIntegerIds("summary", "g4");
        Repgap.Result r = Repgap.run("audit", "--input", in, "--top", "3");
        assertEquals(0, r.code(), r.toString());
        assertTrue(r.out().contains("exact duplicates: 4 rows repeat another (3 vectors): 10000=10, 10003=10, 10001=20, 10002=30"),
                r.out());
        assertTrue(r.out().contains("near duplicates") && r.out().contains("40~10010"), r.out());
        assertTrue(r.out().contains("leaks") && r.out().contains(": 4 test rows") && r.out().contains("20000->60 (0)"), r.out());
        assertTrue(r.out().contains("farthest test rows") && r.out().contains("30002 ("), r.out());
        assertTrue(r.out().contains("local ID m_20(x)"), r.out());
        assertTrue(r.out().contains("closest training pairs (distance, x median): ") && r.out().contains("40~10010 ("), r.out());
    }

    @Test
    void badInputExitsWithTwoAndNamesTheProblem() {
        String in = writeIntegerIds("bad", "g4");
        Repgap.Result both = Repgap.run("audit", "--input", in, "--near", "0.1", "--near-relative", "0.1");
        assertEquals(2, both.code(), both.toString());
        assertTrue(both.err().contains("--near, --near-relative and --near-robust exclude each other"), both.err());

        StructType schema = new StructType().add("id", DataTypes.LongType)
                .add("features", DataTypes.createArrayType(DataTypes.FloatType)).add("split", DataTypes.StringType)
                .add("layer", DataTypes.StringType);
        List<Row> rows = new ArrayList<>();
        for (int i = 0; i < 20; i++) rows.add(RowFactory.create((long) i, new float[] {i, 1}, i < 10 ? "train" : "test", "full"));
        for (int i = 20; i < 25; i++) rows.add(RowFactory.create((long) i, new float[] {i, 1}, "test", "testonly"));
        String onlyTest = tmp.resolve("only-test").toString();
        Repgap.spark().createDataFrame(rows, schema).write().parquet(onlyTest);
        Repgap.Result r = Repgap.run("audit", "--input", onlyTest, "--group-by", "layer");
        assertEquals(2, r.code(), r.toString());
        assertTrue(r.err().contains("group layer=testonly") && r.err().contains("at least 2 training rows"), r.err());

        Repgap.Result label = Repgap.run("audit", "--input", in, "--group-by", "label");
        assertEquals(2, label.code(), label.toString());
        Repgap.Result clash = Repgap.run("audit", "--input", in, "--group-by", "kind");
        assertEquals(2, clash.code(), clash.toString());
        assertTrue(clash.err().contains("'kind' clashes with a column of the results table 'audit/duplicates'"), clash.err());
    }

    @Test
    void unsplitRowsAreTrainingRowsAndSmallGroupsStillAudit() throws Exception {
        StructType schema = new StructType().add("id", DataTypes.StringType)
                .add("features", DataTypes.createArrayType(DataTypes.FloatType));
        List<Row> rows = new ArrayList<>();
        float[][] xs = {{0, 0}, {1, 0}, {0, 1}, {1, 1}, {0, 0}, {1, 1e-4f}};
        for (int i = 0; i < xs.length; i++) rows.add(RowFactory.create("r" + i, xs[i]));
        String in = tmp.resolve("unsplit").toString();
        Repgap.spark().createDataFrame(rows, schema).write().parquet(in);
        String results = tmp.resolve("results-unsplit").toString();
        List<JsonNode> out = audit("--input", in, "--near", "0.001", "--out", results);
        assertEquals(6, find(out, null, "audit.rows", "split=train").get("value").asDouble());
        assertEquals(1, find(out, null, "audit.duplicates_exact", null).get("value").asDouble());
        assertEquals(1, find(out, null, "audit.duplicates_near", null).get("value").asDouble());
        String run = out.get(0).get("run_id").asText();
        assertEquals(Set.of(List.of("r4", "r0")), table(results, "duplicates", run, "kind = 'exact'", "id", "other_id"));
        assertEquals(Set.of(List.of("r1", "r5")), table(results, "duplicates", run, "kind = 'near'", "id", "other_id"));
        assertEquals(0, Repgap.spark().read().parquet(results + "/audit/leaks").count(), "no test rows, an empty table");
        assertTrue(out.stream().noneMatch(r -> r.get("metric").asText().equals("audit.local_id")), "5 neighbours < k = 20");
        assertEquals(new TreeSet<>(List.of("audit.closest", "audit.duplicates_exact", "audit.duplicates_near", "audit.r1_median",
                "audit.rows")),
                new TreeSet<>(out.stream().map(r -> r.get("metric").asText()).toList()));
    }

    @Test
    void moreCopiesThanNeighboursAndAGroupWithoutTestRows() throws Exception {
        StructType schema = new StructType().add("id", DataTypes.LongType)
                .add("features", DataTypes.createArrayType(DataTypes.FloatType)).add("split", DataTypes.StringType)
                .add("layer", DataTypes.StringType);
        List<Row> rows = new ArrayList<>();
        for (int i = 0; i < 10; i++) rows.add(RowFactory.create((long) i, new float[] {i, 0}, "train", "a"));
        for (int i = 100; i < 106; i++) rows.add(RowFactory.create((long) i, new float[] {0, 0}, "train", "a"));
        for (int i = 0; i < 10; i++) rows.add(RowFactory.create((long) i, new float[] {i, 0}, "train", "b"));
        rows.add(RowFactory.create(50L, new float[] {3, 0}, "test", "b"));
        rows.add(RowFactory.create(51L, new float[] {3, 40}, "test", "b"));
        rows.add(RowFactory.create(52L, new float[] {5.5f, 0.1f}, "test", "b"));
        String in = tmp.resolve("copies").toString();
        Repgap.spark().createDataFrame(rows, schema).repartition(3).write().parquet(in);
        String results = tmp.resolve("results-copies").toString();
        List<JsonNode> out = audit("--input", in, "--group-by", "layer", "--k", "3", "--near", "0.5", "--leak", "0.5",
                "--top", "2", "--out", results);
        String run = out.get(0).get("run_id").asText();
        // Seven copies of one vector, three neighbours per row: the set is still whole.
        Set<List<String>> exact = new HashSet<>();
        for (int i = 100; i < 106; i++) exact.add(List.of(Integer.toString(i), "0", "7"));
        assertEquals(exact, table(results, "duplicates", run, "layer = 'a'", "id", "other_id", "copies"));
        assertEquals(6, find(out, "a", "audit.duplicates_exact", null).get("value").asDouble());
        JsonNode near = find(out, "a", "audit.duplicates_near", null);
        assertEquals(0, near.get("value").asDouble());
        assertTrue(near.get("details").asText().contains("raise --k"), near.toString());
        assertTrue(out.stream().noneMatch(r -> r.get("layer").asText().equals("a") && r.get("metric").asText().startsWith("audit.leaks")));
        assertEquals(Set.of(List.of("50", "3", "true")), table(results, "leaks", run, "true", "test_id", "train_id", "exact"));
        assertEquals(Set.of(List.of("1", "51", "40.0"), List.of("2", "52", "0.5099019516515143")),
                table(results, "outliers", run, "layer = 'b'", "rank", "test_id", "distance"));
        assertEquals(0, Repgap.spark().read().parquet(results + "/audit/outliers").filter("layer = 'a'").count());
    }
}
