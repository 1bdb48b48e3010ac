package dev.repgap.cli;

import static dev.repgap.results.HistoryBuilder.group;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.repgap.results.HistoryBuilder;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Random;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.apache.hadoop.fs.RawLocalFileSystem;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.core.LogEvent;
import org.apache.logging.log4j.core.LoggerContext;
import org.apache.logging.log4j.core.appender.AbstractAppender;
import org.apache.logging.log4j.core.config.Property;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SaveMode;
import org.apache.spark.sql.functions;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 13, "nothing lost, nothing silent": hostile but finite data, repositories in the states a kill can leave,
 * files that are not what they claim. Each command either completes with whole results or exits 2 with one line
 * naming the fault, and writes nothing.
 */
class HostileInputTest {
    @TempDir static Path tmp;

    /** A repository with one describe run (layer a) and one gap run (layer a), written by the commands. */
    private static Path repository;
    /** Small activations, train and test, for the commands that need an input. */
    private static Path small;

    @BeforeAll
    static void setUp() throws IOException {
        small = tmp.resolve("small");
        activations(small, 60, 20, 3, 1.0, 1);
        repository = tmp.resolve("repo");
        ok(Repgap.run("describe", "--input", small.toString(), "--out", repository.toString()));
        ok(Repgap.run("gap", "--input", small.toString(), "--rankings", "2", "--grid-points", "6", "--smallest-n", "4",
                "--out", repository.toString()));
    }

    // ---- helpers -------------------------------------------------------------------------------------------------

    private static Repgap.Result ok(Repgap.Result r) {
        assertEquals(0, r.code(), r.toString());
        return r;
    }

    /** Exit 2, one line on stderr holding every {@code parts}. */
    private static void badInput(Repgap.Result r, String... parts) {
        assertEquals(2, r.code(), r.toString());
        List<String> lines = r.err().lines().filter(l -> !l.isBlank()).toList();
        assertEquals(1, lines.size(), "one line on stderr: " + r);
        for (String p : parts) assertTrue(lines.get(0).contains(p), "'" + p + "' in: " + lines.get(0));
    }

    /** Standard normal rows times {@code scale}, rounded to float32. */
    private static float[][] normal(int rows, int dim, double scale, long seed) {
        Random random = new Random(seed);
        float[][] x = new float[rows][dim];
        for (float[] row : x) for (int c = 0; c < dim; c++) row[c] = (float) (random.nextGaussian() * scale);
        return x;
    }

    /** Writes {@code train} + {@code test} rows as the data contract's Parquet (id, features array<float>, split). */
    private static void activations(Path dir, int train, int test, int dim, double scale, long seed) {
        float[][] x = normal(train + test, dim, scale, seed);
        write(dir, x, train);
    }

    private static void write(Path dir, float[][] x, int train) {
        List<Row> rows = new ArrayList<>();
        for (int i = 0; i < x.length; i++) {
            Float[] boxed = new Float[x[i].length];
            for (int c = 0; c < boxed.length; c++) boxed[c] = x[i][c];
            rows.add(RowFactory.create((long) i, boxed, i < train ? "train" : "test"));
        }
        StructType schema = new StructType().add("id", DataTypes.LongType)
                .add("features", DataTypes.createArrayType(DataTypes.FloatType)).add("split", DataTypes.StringType);
        Repgap.spark().createDataFrame(rows, schema).coalesce(1).write().mode(SaveMode.Overwrite).parquet(dir.toString());
    }

    private static byte[] floats(int n, long seed) {
        ByteBuffer b = ByteBuffer.allocate(4 * n).order(ByteOrder.LITTLE_ENDIAN);
        Random r = new Random(seed);
        for (int i = 0; i < n; i++) b.putFloat((float) r.nextGaussian());
        return b.array();
    }

    /** A copy of the repository built in {@link #setUp}, to spoil. */
    private static Path copyOfRepository(String name) throws IOException {
        Path to = tmp.resolve(name);
        try (Stream<Path> files = Files.walk(repository)) {
            for (Path p : files.toList()) {
                Path t = to.resolve(repository.relativize(p).toString());
                if (Files.isDirectory(p)) Files.createDirectories(t);
                else Files.copy(p, t);
            }
        }
        return to;
    }

    private static String sweepSpec(Path results, String extra) throws IOException {
        Path spec = Files.createTempFile(tmp, "sweep", ".yaml");
        Files.writeString(spec, "inputs: [" + small + "]\nresults: " + results + "\nanalyses:\n  describe: {}\n" + extra);
        return spec.toString();
    }

    /** Everything written on System.err (and so by the log4j console) while {@code action} runs. */
    private static <T> T capturingSystemErr(StringBuilder into, Supplier<T> action) {
        PrintStream old = System.err;
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        System.setErr(new PrintStream(bytes, true, StandardCharsets.UTF_8));
        try {
            return action.get();
        } finally {
            System.setErr(old);
            into.append(bytes.toString(StandardCharsets.UTF_8));
        }
    }

    /** The log events of libraries (not repgap's own progress lines) that reach an appender while {@code action} runs. */
    private static <T> T capturingLibraryLogs(List<String> into, Supplier<T> action) {
        LoggerContext ctx = (LoggerContext) LogManager.getContext(false);
        AbstractAppender capture = new AbstractAppender("hostile-capture", null, null, true, Property.EMPTY_ARRAY) {
            @Override
            public void append(LogEvent e) {
                if (!e.getLoggerName().startsWith("dev.repgap")) {
                    into.add(e.getLevel() + " " + e.getLoggerName() + ": " + e.getMessage().getFormattedMessage());
                }
            }
        };
        capture.start();
        ctx.getConfiguration().getRootLogger().addAppender(capture, null, null);
        ctx.updateLoggers();
        try {
            return action.get();
        } finally {
            ctx.getConfiguration().getRootLogger().removeAppender("hostile-capture");
            ctx.updateLoggers();
            capture.stop();
        }
    }

    // ---- 1. large and tiny finite values ----------------------------------------------------------------------------

    /** Reads knn's output: every query has k neighbours, with the brute force's distances in double over float32. */
    private static void assertWholeNeighbours(Path data, Path out, int k) {
        List<Row> input = Repgap.spark().read().parquet(data.toString()).orderBy("id").collectAsList();
        List<Row> found = Repgap.spark().read().parquet(out.toString()).collectAsList();
        assertEquals(input.size(), found.size(), "one row per query");
        for (Row r : found) {
            long q = r.getAs("query_id");
            List<Long> ids = r.getList(r.fieldIndex("neighbour_ids"));
            List<Double> distances = r.getList(r.fieldIndex("distances"));
            assertEquals(k, ids.size(), "neighbours of query " + q);
            List<Double> brute = new ArrayList<>();
            List<Float> x = input.get((int) q).getList(1);
            for (Row other : input) {
                if (other.<Long>getAs("id") == q) continue;
                List<Float> y = other.getList(1);
                double s = 0;
                for (int c = 0; c < x.size(); c++) {
                    double d = (double) x.get(c) - (double) y.get(c);
                    s += d * d;
                }
                brute.add(Math.sqrt(s));
            }
            brute.sort(Comparator.naturalOrder());
            for (int i = 0; i < k; i++) {
                assertTrue(Double.isFinite(distances.get(i)), "query " + q + ": " + distances);
                assertEquals(brute.get(i), distances.get(i), 1e-12 * brute.get(i), "query " + q + " rank " + i);
            }
        }
    }

    @Test
    void largeAndTinyFiniteValuesGiveWholeResults() {
        for (double scale : new double[] {1e30, 1e-30}) {
            Path data = tmp.resolve("scaled-" + scale);
            activations(data, 150, 50, 8, scale, 7);
            Path knn = tmp.resolve("knn-" + scale);
            ok(Repgap.run("knn", "--input", data.toString(), "--k", "5", "--out", knn.toString()));
            assertWholeNeighbours(data, knn, 5);
            for (String[] command : List.of(
                    new String[] {"id", "--estimators", "twonn,mle", "--k", "5:10", "--json"},
                    new String[] {"gap", "--rankings", "2", "--grid-points", "6", "--smallest-n", "8", "--json"},
                    new String[] {"audit", "--k", "5", "--json"})) {
                List<String> args = new ArrayList<>(List.of(command));
                args.addAll(List.of("--input", data.toString()));
                Repgap.Result r = ok(Repgap.run(args.toArray(new String[0])));
                assertFalse(r.jsonLines().isEmpty(), r.toString());
                for (var row : r.jsonLines()) {
                    String metric = row.get("metric").asText();
                    if (metric.equals("id.twonn") || metric.equals("gap.dimension") || metric.equals("audit.r1_median")) {
                        assertTrue(row.get("value").isNumber() && row.get("value").asDouble() > 0, scale + ": " + row);
                    }
                }
            }
        }
    }

    // ---- 2. and (ii): the states a kill leaves -------------------------------------------------------------------

    /** check, report, export (every table there is) and sweep complete on the repository. */
    private static void readable(Path repo, String what) throws IOException {
        Repgap.Result check = Repgap.run("check", "--results", repo.toString());
        assertEquals(0, check.code(), what + ": " + check);
        ok(Repgap.run("report", "--results", repo.toString(), "--out", repo.resolveSibling(repo.getFileName() + ".html").toString(),
                "--force"));
        for (String table : dev.repgap.analysis.Analyses.tables().stream().map(dev.repgap.results.ResultTable::name).toList()) {
            if (!Files.isDirectory(repo.resolve(table))) continue;
            Repgap.Result export = Repgap.run("export", "--results", repo.toString(), "--table", table, "--out",
                    repo.resolveSibling(repo.getFileName() + "-" + table.replace('/', '-') + ".csv").toString(), "--force");
            assertEquals(0, export.code(), what + ", table " + table + ": " + export);
        }
        Repgap.Result sweep = Repgap.run("sweep", "--spec", sweepSpec(repo, ""), "--quiet");
        assertEquals(0, sweep.code(), what + ": " + sweep);
    }

    @Test
    void everyStateAKillLeavesStaysReadable() throws IOException {
        // a new repository whose first run was killed between making its date directory and moving its file in
        Path fresh = tmp.resolve("killed-first");
        Files.createDirectories(fresh.resolve("metrics/run_date=2026-01-01"));
        readable(fresh, "only an empty date directory");

        // a killed run beside others: an empty date directory, an empty table, a staging folder, orphan side rows
        Path repo = copyOfRepository("killed-later");
        Files.createDirectories(repo.resolve("metrics/run_date=2099-12-31"));
        Files.createDirectories(repo.resolve("audit/leaks"));
        Files.createDirectories(repo.resolve("_staging/20990101T000000Z-dead/metrics"));
        Files.write(repo.resolve("_staging/20990101T000000Z-dead/metrics/part-00000.parquet"), new byte[] {1, 2, 3});
        readable(repo, "killed runs beside a whole one");
    }

    /** A file system that dies on the rename that publishes a file of the metrics table: a kill at that moment. */
    public static final class KilledAtPublish extends RawLocalFileSystem {
        @Override
        public URI getUri() {
            return URI.create("killed:///");
        }

        @Override
        public String getScheme() {
            return "killed";
        }

        @Override
        public boolean rename(org.apache.hadoop.fs.Path src, org.apache.hadoop.fs.Path dst) throws IOException {
            if (!dst.toString().contains("_staging") && dst.toString().contains("/metrics/")) throw new IOException("killed");
            return super.rename(src, dst);
        }
    }

    @Test
    void aCommitKilledAtItsRenameLeavesNoEmptyDateDirectory() throws IOException {
        Repgap.spark().sparkContext().hadoopConfiguration().set("fs.killed.impl", KilledAtPublish.class.getName());
        Repgap.spark().sparkContext().hadoopConfiguration().setBoolean("fs.killed.impl.disable.cache", true);
        Path repo = tmp.resolve("killed-at-rename");
        HistoryBuilder run = HistoryBuilder.run(Repgap.spark(), "killed://" + repo, "describe", Instant.parse("2026-03-01T00:00:00Z"))
                .add(group("layer", "a"), "describe.rows", null, 5, null, null);
        assertThrows(RuntimeException.class, run::append);
        try (Stream<Path> dates = Files.list(repo.resolve("metrics"))) {
            for (Path d : dates.toList()) {
                try (Stream<Path> in = Files.list(d)) {
                    assertTrue(in.findAny().isPresent(), "empty " + d + " is visible to readers");
                }
            }
        } catch (java.nio.file.NoSuchFileException e) {
            // no table directory at all: nothing visible either
        }
    }

    // ---- 8. a file that is not Parquet in the repository ------------------------------------------------------------

    @Test
    void aFileThatIsNotParquetIsBadInputNamingIt() throws IOException {
        Path repo = copyOfRepository("garbage");
        Path date;
        try (Stream<Path> dates = Files.list(repo.resolve("metrics"))) {
            date = dates.findFirst().orElseThrow();
        }
        byte[] garbage = new byte[3000];
        new Random(13).nextBytes(garbage);
        Files.write(date.resolve("part-x.parquet"), garbage);
        Path html = tmp.resolve("garbage.html");
        List<String> library = new ArrayList<>();
        List<Repgap.Result> results = capturingLibraryLogs(library, () -> List.of(
                Repgap.run("check", "--results", repo.toString()),
                Repgap.run("report", "--results", repo.toString(), "--out", html.toString()),
                Repgap.run("export", "--results", repo.toString(), "--out", tmp.resolve("garbage.csv").toString()),
                Repgap.run("sweep", "--spec", sweepSpecUnchecked(repo), "--quiet")));
        for (Repgap.Result r : results) badInput(r, "part-x.parquet", "not readable Parquet");
        assertFalse(Files.exists(html));
        assertFalse(Files.exists(tmp.resolve("garbage.csv")));
        assertEquals(List.of(), library, "Spark's log on a bad input");
    }

    private static String sweepSpecUnchecked(Path results) {
        try {
            return sweepSpec(results, "");
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    // ---- 9. exit 2 is one line, without Spark's log -----------------------------------------------------------------

    @Test
    void aUint64LabelAbove2To63IsOneLineAndNoLog() throws IOException {
        Path x = Npy.write(tmp.resolve("x.npy"), "<f4", "(3, 2)", floats(6, 1));
        ByteBuffer labels = ByteBuffer.allocate(24).order(ByteOrder.LITTLE_ENDIAN).putLong(1).putLong(-1L).putLong(2);
        Path y = Npy.write(tmp.resolve("big_uint64.npy"), "<u8", "(3,)", labels.array());
        List<String> library = new ArrayList<>();
        StringBuilder stderr = new StringBuilder();
        Repgap.Result r = capturingLibraryLogs(library, () -> capturingSystemErr(stderr, () -> Repgap.run("import", "--npy",
                x.toString(), "--labels", y.toString(), "--split", "train", "--out", tmp.resolve("u64").toString())));
        badInput(r, "big_uint64.npy", "18446744073709551615");
        assertEquals(List.of(), library, "Spark's log on a bad input");
        assertEquals("", stderr.toString(), "nothing else on stderr");
    }

    // ---- 5. secrets -------------------------------------------------------------------------------------------------

    @Test
    void secretsAreRedactedInTheRunsTableAndOutput() throws IOException {
        Path repo = tmp.resolve("secrets");
        String azure = "spark.hadoop.fs.azure.account.key.acct.dfs.core.windows.net";
        var conf = Repgap.spark().sparkContext().conf();
        conf.set(azure, "AZUREKEY4711"); // as spark-submit --conf would set it on the context
        try {
            String spec = sweepSpec(repo, "# keys below are fake\nspark:\n  conf:\n    spark.hadoop.fs.s3a.secret.key: \"S3SECRET0815\"\n"
                    + "    spark.sql.shuffle.partitions: '4'\n");
            Repgap.Result dry = ok(Repgap.run("sweep", "--spec", spec, "--dry-run"));
            Repgap.Result run = ok(Repgap.run("sweep", "--spec", spec));
            for (Repgap.Result r : List.of(dry, run)) {
                for (String secret : List.of("S3SECRET0815", "AZUREKEY4711")) {
                    assertFalse(r.out().contains(secret) || r.err().contains(secret), r.toString());
                }
            }
            Row runs = Repgap.spark().read().parquet(repo.resolve("runs").toString()).first();
            String specText = runs.getAs("spec");
            String sparkConf = runs.getAs("spark_conf");
            assertFalse(specText.contains("S3SECRET0815"), specText);
            assertTrue(specText.contains("spark.hadoop.fs.s3a.secret.key: \"(redacted)\"") && specText.contains("# keys below are fake"),
                    specText);
            assertFalse(sparkConf.contains("AZUREKEY4711") || sparkConf.contains("S3SECRET0815"), sparkConf);
            assertTrue(sparkConf.contains("\"" + azure + "\":\"(redacted)\""), sparkConf);
        } finally {
            conf.remove(azure);
        }
    }

    // ---- 10. minor faults -------------------------------------------------------------------------------------------

    @Test
    void npyWithMoreRowsThanItsHeaderIsImportedWithAWarning() throws IOException {
        Path x = Npy.write(tmp.resolve("longer.npy"), "<f4", "(3, 2)", floats(10, 2)); // 5 rows of data, header says 3
        StringBuilder stderr = new StringBuilder();
        Repgap.Result r = capturingSystemErr(stderr, () -> Repgap.run("import", "--npy", x.toString(), "--split", "train",
                "--out", tmp.resolve("longer").toString()));
        ok(r);
        assertTrue(stderr.toString().contains("warning") && stderr.toString().contains("longer.npy")
                && stderr.toString().contains("2 more rows"), stderr.toString());
    }

    @Test
    void aDirectoryNamedLikeANpyFileIsCalledADirectory() throws IOException {
        Path dir = Files.createDirectories(tmp.resolve("dir.npy"));
        badInput(Repgap.run("import", "--npy", dir.toString(), "--out", tmp.resolve("from-dir").toString()),
                "dir.npy", "is a directory");
    }

    @Test
    void float64BeyondFloat32IsCalledOutsideFloat32Range() {
        Path data = tmp.resolve("f64");
        List<Row> rows = new ArrayList<>();
        for (int i = 0; i < 10; i++) rows.add(RowFactory.create((long) i, new Double[] {i * 1e39, 1.0}, "train"));
        StructType schema = new StructType().add("id", DataTypes.LongType)
                .add("features", DataTypes.createArrayType(DataTypes.DoubleType)).add("split", DataTypes.StringType);
        Repgap.spark().createDataFrame(rows, schema).coalesce(1).write().parquet(data.toString());
        badInput(Repgap.run("describe", "--input", data.toString()), "outside float32 range", "row id 1");
    }

    @Test
    void exportAndReportRefuseToOverwriteWithoutForce() throws IOException {
        for (String command : List.of("export", "report")) {
            Path out = tmp.resolve("existing-" + command);
            Files.writeString(out, "keep me");
            badInput(Repgap.run(command, "--results", repository.toString(), "--out", out.toString()), out.toString(), "--force");
            assertEquals("keep me", Files.readString(out));
            ok(Repgap.run(command, "--results", repository.toString(), "--out", out.toString(), "--force"));
            assertFalse(Files.readString(out).equals("keep me"));
        }
    }

    @Test
    void sideRowsOfRunsWithoutMetricRowsAreNotExported() throws IOException {
        Path repo = copyOfRepository("orphans");
        // a gap unit killed after its curves and before its metric rows, for a group with no metric rows at all
        var curves = Repgap.spark().read().parquet(repo.resolve("gap_curves").toString());
        curves.drop("run_date").withColumn("run_id", functions.lit("20990101T000000Z-orphan"))
                .withColumn("layer", functions.lit("orphan-layer")).coalesce(1).write()
                .parquet(repo.resolve("gap_curves/run_date=2099-01-01").toString());
        long committed = curves.count();
        Path csv = tmp.resolve("orphans.csv");
        ok(Repgap.run("export", "--results", repo.toString(), "--table", "gap_curves", "--out", csv.toString()));
        List<String> lines = Files.readAllLines(csv);
        assertEquals(committed + 1, lines.size(), "header and the committed rows only");
        assertFalse(String.join("\n", lines).contains("orphan"));
        Path html = tmp.resolve("orphans.html");
        ok(Repgap.run("report", "--results", repo.toString(), "--out", html.toString()));
        assertFalse(Files.readString(html).contains("orphan-layer"), "the report draws no orphan curves");
    }

    @Test
    void anUnwritableDestinationFailsBeforeAnyWork() throws IOException {
        Path file = Files.writeString(tmp.resolve("a-file"), "x");
        String under = file.resolve("results").toString();
        badInput(Repgap.run("sweep", "--spec", sweepSpec(tmp.resolve("unused"), ""), "--results", under), "a-file", "is a file");
        badInput(Repgap.run("describe", "--input", small.toString(), "--out", under), "--out", "is a file");
        badInput(Repgap.run("knn", "--input", small.toString(), "--k", "2", "--out", file.toString()), "--out", "is a file");
        assertFalse(Files.exists(tmp.resolve("unused")));
    }

    // ---- (i): exit 0 means whole results ----------------------------------------------------------------------------

    /**
     * On data that is hostile but within the contract (huge, tiny, mixed magnitudes, every row repeated, one
     * coordinate), knn exits 0 only with k neighbours for every query at the brute force's distances.
     */
    @Test
    void knnExitsZeroOnlyWithWholeNeighbourLists() {
        List<float[][]> sets = new ArrayList<>();
        float[][] mixed = normal(80, 4, 1.0, 3);
        for (int i = 0; i < mixed.length; i += 3) for (int c = 0; c < 4; c++) mixed[i][c] *= 1e35f;
        sets.add(mixed);
        float[][] repeated = normal(80, 4, 1e-35, 4);
        for (int i = 1; i < repeated.length; i += 2) repeated[i] = repeated[i - 1].clone();
        sets.add(repeated);
        sets.add(normal(80, 1, 3e37, 5));
        for (int s = 0; s < sets.size(); s++) {
            Path data = tmp.resolve("whole-" + s);
            write(data, sets.get(s), sets.get(s).length);
            Path out = tmp.resolve("whole-knn-" + s);
            ok(Repgap.run("knn", "--input", data.toString(), "--k", "4", "--out", out.toString()));
            assertWholeNeighbours(data, out, 4);
        }
    }
}
