package dev.repgap.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** repgap knn against a brute-force double-precision loop. */
class KnnCommandTest {
    @TempDir Path tmp;

    private record Point(long id, float[] x, String split) {}

    private record Neighbours(long[] ids, double[] distances, long duplicates) {}

    private static final StructType SCHEMA = new StructType()
            .add("id", DataTypes.LongType).add("features", DataTypes.createArrayType(DataTypes.FloatType))
            .add("split", DataTypes.StringType);

    private String write(String name, List<Point> points) {
        List<Row> rows = new ArrayList<>();
        for (Point p : points) rows.add(RowFactory.create(p.id(), p.x(), p.split()));
        String path = tmp.resolve(name).toString();
        Repgap.spark().createDataFrame(rows, SCHEMA).repartition(3).write().parquet(path);
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

    /** The k nearest references of each query by a double loop; ties by smaller id; self excluded by id. */
    private static Map<Long, Neighbours> bruteForce(List<Point> queries, List<Point> references, int k, boolean self) {
        Map<Long, Neighbours> out = new HashMap<>();
        for (Point q : queries) {
            List<Point> candidates = new ArrayList<>();
            long duplicates = 0;
            for (Point r : references) {
                if (self && r.id() == q.id()) continue;
                candidates.add(r);
                if (distance(q.x(), r.x()) == 0) duplicates++;
            }
            candidates.sort(Comparator.<Point>comparingDouble(r -> distance(q.x(), r.x())).thenComparingLong(Point::id));
            int m = Math.min(k, candidates.size());
            long[] ids = new long[m];
            double[] d = new double[m];
            for (int i = 0; i < m; i++) {
                ids[i] = candidates.get(i).id();
                d[i] = distance(q.x(), candidates.get(i).x());
            }
            out.put(q.id(), new Neighbours(ids, d, duplicates));
        }
        return out;
    }

    private Map<Long, Neighbours> knn(String input, String... options) {
        String out = tmp.resolve("knn-" + System.nanoTime()).toString();
        List<String> args = new ArrayList<>(List.of("knn", "--input", input, "--out", out, "--json"));
        args.addAll(List.of(options));
        Repgap.Result r = Repgap.run(args.toArray(new String[0]));
        assertEquals(0, r.code(), r.toString());
        Map<Long, Neighbours> result = new HashMap<>();
        for (Row row : Repgap.spark().read().parquet(out).collectAsList()) {
            List<Long> ids = row.getList(row.fieldIndex("neighbour_ids"));
            List<Double> d = row.getList(row.fieldIndex("distances"));
            result.put(row.getAs("query_id"), new Neighbours(ids.stream().mapToLong(Long::longValue).toArray(),
                    d.stream().mapToDouble(Double::doubleValue).toArray(), row.<Long>getAs("exact_duplicates")));
        }
        return result;
    }

    private static void assertSame(Map<Long, Neighbours> expected, Map<Long, Neighbours> actual) {
        assertEquals(expected.keySet(), actual.keySet());
        for (long q : expected.keySet()) {
            assertArrayEquals(expected.get(q).ids(), actual.get(q).ids(), "neighbours of " + q);
            assertArrayEquals(expected.get(q).distances(), actual.get(q).distances(), 0.0, "distances of " + q);
            assertEquals(expected.get(q).duplicates(), actual.get(q).duplicates(), "duplicates of " + q);
        }
    }

    /** Small-integer coordinates (many ties), some rows repeated exactly, optionally far from the origin. */
    private static List<Point> tiesAndDuplicates(int n, int dim, float offset, long seed) {
        Random rng = new Random(seed);
        List<Point> points = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            float[] x = new float[dim];
            if (i % 10 == 9) {
                x = points.get(rng.nextInt(points.size())).x().clone();
            } else {
                for (int j = 0; j < dim; j++) x[j] = offset + rng.nextInt(4) + (j == 0 ? rng.nextInt(3) * 0.25f : 0);
            }
            points.add(new Point(1000 + i * 7L, x, i % 4 == 0 ? "test" : "train"));
        }
        return points;
    }

    @Test
    void selfModeIsExactWithTiesAndDuplicatesForAnyPartitioning() {
        List<Point> points = tiesAndDuplicates(400, 6, 0, 1);
        String in = write("ties", points);
        Map<Long, Neighbours> expected = bruteForce(points, points, 7, true);
        for (String p : List.of("1", "3", "7")) {
            Map<Long, Neighbours> got = knn(in, "--k", "7", "--partitions", p, "--block-rows", "50",
                    "--query-block-rows", "64");
            assertSame(expected, got);
            for (Map.Entry<Long, Neighbours> e : got.entrySet()) {
                for (long id : e.getValue().ids()) assertTrue(id != e.getKey(), "self returned for " + e.getKey());
            }
        }
    }

    @Test
    void exactFarFromTheOriginWhereFloat32GramCancels() {
        List<Point> points = tiesAndDuplicates(300, 16, 1e4f, 2);
        String in = write("far", points);
        assertSame(bruteForce(points, points, 5, true), knn(in, "--k", "5"));
    }

    @Test
    void crossModeKeepsLeaksAndCountsThem() {
        List<Point> points = tiesAndDuplicates(300, 5, 0, 3);
        List<Point> train = points.stream().filter(p -> p.split().equals("train")).toList();
        List<Point> test = points.stream().filter(p -> p.split().equals("test")).toList();
        String in = write("cross", points);
        Map<Long, Neighbours> expected = bruteForce(test, train, 4, false);
        assertTrue(expected.values().stream().anyMatch(n -> n.duplicates() > 0), "the data should hold leaks");
        assertSame(expected, knn(in, "--k", "4", "--mode", "cross", "--partitions", "3"));
    }

    @Test
    void kLargerThanTheGroupAndOneDimension() {
        List<Point> points = new ArrayList<>();
        float[] xs = {0, 1, 1, 3, -2};
        for (int i = 0; i < xs.length; i++) points.add(new Point(i, new float[] {xs[i]}, "train"));
        String in = write("tiny", points);
        Map<Long, Neighbours> got = knn(in, "--k", "10");
        assertSame(bruteForce(points, points, 10, true), got);
        assertEquals(4, got.get(0L).ids().length);
        assertArrayEquals(new long[] {2, 0, 3, 4}, got.get(1L).ids());
        assertArrayEquals(new double[] {0, 1, 2, 3}, got.get(1L).distances(), 0.0);
    }

    @Test
    void manyGroupsWithStringIdsInOneRunAndManyRounds() {
        List<Point> a = tiesAndDuplicates(120, 3, 0, 5);
        List<Point> b = tiesAndDuplicates(90, 3, 50, 6);
        StructType schema = new StructType().add("name", DataTypes.StringType)
                .add("features", DataTypes.createArrayType(DataTypes.FloatType)).add("layer", DataTypes.StringType);
        List<Row> rows = new ArrayList<>();
        for (Point p : a) rows.add(RowFactory.create("a-" + p.id(), p.x(), "first"));
        for (Point p : b) rows.add(RowFactory.create("b-" + p.id(), p.x(), "second"));
        String in = tmp.resolve("groups").toString();
        Repgap.spark().createDataFrame(rows, schema).repartition(4).write().parquet(in);
        String out = tmp.resolve("groups-knn").toString();
        // 16 queries per block and a 2 KiB budget: every block is broadcast in a round of its own.
        Repgap.Result r = Repgap.run("knn", "--input", in, "--id-col", "name", "--group-by", "layer", "--k", "3",
                "--query-block-rows", "16", "--round-mb", "0.002", "--out", out, "--json");
        assertEquals(0, r.code(), r.toString());
        Map<String, Map<Long, Neighbours>> expected = Map.of("first", bruteForce(a, a, 3, true),
                "second", bruteForce(b, b, 3, true));
        Map<String, float[]> vectors = new HashMap<>();
        for (Point p : a) vectors.put("a-" + p.id(), p.x());
        for (Point p : b) vectors.put("b-" + p.id(), p.x());
        List<Row> got = Repgap.spark().read().parquet(out).collectAsList();
        assertEquals(210, got.size());
        for (Row row : got) {
            String query = row.getAs("query_id");
            Neighbours want = expected.get(row.<String>getAs("layer")).get(Long.parseLong(query.substring(2)));
            List<Double> d = row.getList(row.fieldIndex("distances"));
            assertArrayEquals(want.distances(), d.stream().mapToDouble(Double::doubleValue).toArray(), 0.0, query);
            // With string ids, ties at equal distance are ordered by the id's hash: check each neighbour's distance.
            List<String> ids = row.getList(row.fieldIndex("neighbour_ids"));
            for (int i = 0; i < ids.size(); i++) {
                assertTrue(ids.get(i).charAt(0) == query.charAt(0) && !ids.get(i).equals(query), query);
                assertEquals(want.distances()[i], distance(vectors.get(query), vectors.get(ids.get(i))), 0.0, query);
            }
        }
    }

    @Test
    void groupsOfDifferentWidthsShareOnePassAndEachEqualsItsRunAlone() {
        List<Point> a = tiesAndDuplicates(150, 3, 0, 7);
        List<Point> b = tiesAndDuplicates(130, 5, 20, 8).stream()
                .map(p -> new Point(p.id() + 100_000, p.x(), p.split())).toList();
        StructType schema = SCHEMA.add("layer", DataTypes.StringType);
        List<Row> rows = new ArrayList<>();
        for (Point p : a) rows.add(RowFactory.create(p.id(), p.x(), p.split(), "a"));
        for (Point p : b) rows.add(RowFactory.create(p.id(), p.x(), p.split(), null)); // a null group value
        String in = tmp.resolve("widths").toString();
        // Three files that each hold rows of both groups: every task scans references of both.
        Repgap.spark().createDataFrame(rows, schema).repartition(3).write().parquet(in);
        Map<Long, Neighbours> expected = new HashMap<>(bruteForce(a, a, 4, true));
        expected.putAll(bruteForce(b, b, 4, true));
        for (String p : List.of("0", "1", "3")) {
            assertSame(expected, knn(in, "--group-by", "layer", "--k", "4", "--query-block-rows", "16",
                    "--block-rows", "32", "--partitions", p));
        }
        // A group's seeded query subsample is the one it gets when analysed alone.
        Map<Long, Neighbours> both = knn(in, "--group-by", "layer", "--k", "4", "--queries", "40", "--seed", "3");
        Map<Long, Neighbours> alone = knn(write("a-alone", a), "--k", "4", "--queries", "40", "--seed", "3");
        assertEquals(80, both.size());
        Map<Long, Neighbours> bothA = new HashMap<>(both);
        bothA.keySet().removeIf(id -> id >= 100_000);
        assertSame(alone, bothA);
    }

    @Test
    void seededQuerySubsampleIsExactAndRepeatable() {
        List<Point> points = tiesAndDuplicates(500, 4, 0, 4);
        String in = write("sub", points);
        Map<Long, Neighbours> a = knn(in, "--k", "3", "--queries", "50", "--seed", "9");
        Map<Long, Neighbours> b = knn(in, "--k", "3", "--queries", "50", "--seed", "9", "--partitions", "7");
        assertEquals(50, a.size());
        assertSame(a, b);
        List<Point> chosen = points.stream().filter(p -> a.containsKey(p.id())).toList();
        assertSame(bruteForce(chosen, points, 3, true), a);
    }
}
