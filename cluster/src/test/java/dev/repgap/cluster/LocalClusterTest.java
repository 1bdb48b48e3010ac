package dev.repgap.cluster;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * repgap on a real Spark standalone cluster of two workers on this machine, driven through the
 * scripts in cluster/bin exactly as a user runs them: results in client and cluster deploy mode equal
 * local mode's, a worker killed during the neighbour scan costs only a retry, and a driver killed
 * while writing leaves no rows behind. The cluster is stopped at the end, pass or fail.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class LocalClusterTest {
    private static final Path REPO = Path.of("..").toAbsolutePath().normalize();
    private static final Path BIN = REPO.resolve("cluster/bin");
    private static final Duration RUN_TIMEOUT = Duration.ofMinutes(10);

    // k-means is left out: MLlib's k-means|| seeds its centres per partition, so its numbers follow the
    // partitioning, which differs between local mode and a cluster (see cluster/README.md).
    private static final List<String> ID = List.of("id", "--group-by", "layer", "--seed", "3",
            "--estimators", "twonn,mle,gride,pr");
    private static final List<String> GAP = List.of("gap", "--group-by", "layer", "--seed", "3");

    @TempDir static Path tmp;
    private static Path cluster;
    private static Path data;
    private static Thread stopOnExit;
    /** Results of client-mode runs, the undisturbed reference of the fault-injection tests. */
    private static final Map<String, Map<String, Map<String, String>>> CLIENT = new HashMap<>();

    private record Run(int code, Path out, Path err, long pid) {
        String stdout() throws IOException {
            return Files.readString(out, StandardCharsets.UTF_8);
        }

        String stderr() throws IOException {
            return Files.readString(err, StandardCharsets.UTF_8);
        }
    }

    @BeforeAll
    static void startCluster() throws Exception {
        assertTrue(Files.isRegularFile(REPO.resolve("jobs/target/repgap.jar")),
                "build the jars first: run `mvn verify` (or package) from the project root");
        cluster = tmp.resolve("cluster");
        data = tmp.resolve("activations");
        // Stopped on a JVM shutdown too (e.g. surefire's timeout), not only after the tests.
        stopOnExit = new Thread(LocalClusterTest::stopCluster);
        Runtime.getRuntime().addShutdownHook(stopOnExit);
        Run gen = run("generate", List.of(REPO.resolve("bin/repgap").toString(), "generate", "--manifold", "affine",
                "--dim", "5", "--ambient", "50", "--n", "20000", "--test", "2000", "--seed", "1", "--set", "layer=cube5",
                "--out", data.toString()));
        assertEquals(0, gen.code(), gen.stderr());
        Run start = run("start", List.of(BIN.resolve("start-local-cluster").toString(), "--workers", "2", "--cores", "1",
                "--memory", "2g", "--dir", cluster.toString(), "--timeout", "180"));
        assertEquals(0, start.code(), start.stdout() + start.stderr());
    }

    @AfterAll
    static void stopClusterAfterTests() {
        stopCluster();
        Runtime.getRuntime().removeShutdownHook(stopOnExit);
    }

    private static void stopCluster() {
        if (cluster == null || !Files.isDirectory(cluster)) return;
        try {
            Run stop = run("stop", List.of(BIN.resolve("stop-local-cluster").toString(), "--dir", cluster.toString()));
            System.err.print(stop.stdout() + stop.stderr());
        } catch (Exception e) {
            System.err.println("could not stop the local cluster in " + cluster + ": " + e);
        }
    }

    @Test
    @Order(1)
    void idInClientAndClusterModeEqualsLocalMode() throws Exception {
        sameResultsInEveryMode("id", ID);
    }

    @Test
    @Order(2)
    void gapInClientAndClusterModeEqualsLocalMode() throws Exception {
        sameResultsInEveryMode("gap", GAP);
    }

    private static void sameResultsInEveryMode(String name, List<String> command) throws Exception {
        Map<String, Map<String, String>> local = ResultRows.parse(repgapLocal(name + "-local", command));
        Map<String, Map<String, String>> client = ResultRows.parse(submit(name + "-client", "client", List.of(), command).stdout());
        Map<String, Map<String, String>> clustered = ResultRows.parse(submitClusterMode(name + "-cluster", command));
        ResultRows.assertSame(local, client, name + ": client mode against local mode");
        ResultRows.assertSame(local, clustered, name + ": cluster mode against local mode");
        CLIENT.put(name, client);
    }

    @Test
    @Order(3)
    void workerKilledDuringNeighbourScanCostsOnlyARetry() throws Exception {
        Map<String, Map<String, String>> undisturbed = CLIENT.containsKey("id") ? CLIENT.get("id")
                : ResultRows.parse(submit("id-undisturbed", "client", List.of(), ID).stdout());
        int uiPort = freePort();
        // The plain-Java kernel (same exact results) keeps the scan running for seconds on any machine,
        // long enough to be seen and hit; the extraJavaOptions replace submit's, so the flags come too.
        String slowScan = System.getProperty("repgap.jvm.flags", "") + " -Drepgap.kernel=scalar";
        Process p = start("id-fault", submitCommand("client", List.of("--conf", "spark.ui.port=" + uiPort,
                "--conf", "spark.executor.extraJavaOptions=" + slowScan), ID));
        long worker = Long.parseLong(Files.readString(cluster.resolve("worker-1.pid")).trim());
        assertTrue(isClusterProcess(worker), "worker-1 (PID " + worker + ") is not running");
        awaitActiveStage(p, uiPort, "treeReduce at PairScan", Duration.ofMinutes(5));
        assertTrue(ProcessHandle.of(worker).orElseThrow().destroyForcibly(), "could not kill worker-1");
        Run faulted = finish("id-fault", p);
        assertEquals(0, faulted.code(), faulted.stderr());
        // The executor may die between two of its tasks: then the driver logs the lost executor (and recomputes
        // its cached blocks) without a lost task.
        assertTrue(faulted.stderr().contains("Lost task") || faulted.stderr().contains("ExecutorLostFailure")
                        || faulted.stderr().contains("Lost executor"),
                "the driver did not see the executor of the killed worker go:\n" + faulted.stderr());
        ResultRows.assertSame(undisturbed, ResultRows.parse(faulted.stdout()), "id with a worker killed during the scan");
    }

    @Test
    @Order(4)
    void driverKilledMidWriteLeavesNoPartialRows() throws Exception {
        Path results = tmp.resolve("results-killed");
        List<String> gap = new ArrayList<>(GAP);
        gap.addAll(List.of("--out", results.toString()));
        // The metrics are staged aside under _staging/RUN/metrics and renamed into the table: kill in between.
        for (int attempt = 1; ; attempt++) {
            Process p = start("gap-killed-" + attempt, submitCommand("client", List.of("--conf", "spark.ui.enabled=false"),
                    gap));
            boolean killed = false;
            long deadline = System.nanoTime() + RUN_TIMEOUT.toNanos();
            while (p.isAlive() && System.nanoTime() < deadline) {
                if (stagingOf(results, "metrics")) {
                    p.destroyForcibly(); // SIGKILL: no shutdown hook, no cleanup
                    killed = true;
                    break;
                }
                Thread.sleep(2);
            }
            assertTrue(p.waitFor(1, TimeUnit.MINUTES), "the killed driver did not exit");
            if (killed) {
                assertNotEquals(0, p.exitValue());
                break;
            }
            if (attempt == 3) fail("three runs finished before their metrics were seen staged; cannot test the kill");
            deleteTree(results);
        }
        assertEquals(List.of(), parquetFiles(results.resolve("metrics")), "a killed run left rows in the metrics table");
        for (Path f : parquetFiles(results.resolve("gap_curves"))) assertWholeParquet(f);
    }

    // ---- running things

    private static String repgapLocal(String name, List<String> command) throws Exception {
        List<String> cmd = new ArrayList<>(List.of(REPO.resolve("bin/repgap").toString()));
        cmd.addAll(withInput(command));
        // Another partitioning than on the cluster (8), which the results must not depend on.
        cmd.addAll(List.of("--json", "--conf", "spark.sql.shuffle.partitions=3"));
        Run r = run(name, cmd);
        assertEquals(0, r.code(), name + ":\n" + r.stderr());
        return r.stdout();
    }

    private static Run submit(String name, String mode, List<String> sparkArgs, List<String> command) throws Exception {
        List<String> args = new ArrayList<>(List.of("--conf", "spark.ui.enabled=false"));
        args.addAll(sparkArgs);
        Run r = run(name, submitCommand(mode, args, command));
        assertEquals(0, r.code(), name + ":\n" + r.stderr());
        return r;
    }

    /** Cluster mode: the driver runs on a worker and its stdout is in that worker's driver directory. */
    private static String submitClusterMode(String name, List<String> command) throws Exception {
        Set<Path> before = driverDirs();
        submit(name, "cluster", List.of(), command);
        List<Path> added = driverDirs().stream().filter(d -> !before.contains(d)).toList();
        assertEquals(1, added.size(), name + ": expected one new driver directory, found " + added);
        return Files.readString(added.get(0).resolve("stdout"), StandardCharsets.UTF_8);
    }

    private static List<String> submitCommand(String mode, List<String> sparkArgs, List<String> command) {
        List<String> cmd = new ArrayList<>(List.of(BIN.resolve("submit").toString(), "--cluster-dir", cluster.toString(),
                "--deploy-mode", mode, "--launcher", "class", "--conf", "spark.sql.shuffle.partitions=8"));
        cmd.addAll(sparkArgs);
        cmd.add("--");
        cmd.addAll(withInput(command));
        if (!cmd.contains("--out")) cmd.add("--json");
        return cmd;
    }

    private static List<String> withInput(List<String> command) {
        List<String> out = new ArrayList<>(command);
        out.addAll(1, List.of("--input", data.toString()));
        return out;
    }

    private static Run run(String name, List<String> cmd) throws Exception {
        return finish(name, start(name, cmd));
    }

    private static Process start(String name, List<String> cmd) throws IOException {
        ProcessBuilder pb = new ProcessBuilder(cmd).directory(tmp.toFile())
                .redirectOutput(tmp.resolve(name + ".out").toFile()).redirectError(tmp.resolve(name + ".err").toFile());
        pb.environment().put("SPARK_LOCAL_IP", "127.0.0.1");
        return pb.start();
    }

    private static Run finish(String name, Process p) throws Exception {
        if (!p.waitFor(RUN_TIMEOUT.toMinutes(), TimeUnit.MINUTES)) {
            p.destroyForcibly();
            fail(name + " did not finish in " + RUN_TIMEOUT);
        }
        return new Run(p.exitValue(), tmp.resolve(name + ".out"), tmp.resolve(name + ".err"), p.pid());
    }

    private static Set<Path> driverDirs() throws IOException {
        try (Stream<Path> s = Files.find(cluster.resolve("work"), 2,
                (f, a) -> a.isDirectory() && f.getFileName().toString().startsWith("driver-"))) {
            return s.collect(Collectors.toSet());
        }
    }

    private static boolean isClusterProcess(long pid) throws IOException {
        Path cmdline = Path.of("/proc", Long.toString(pid), "cmdline");
        return Files.exists(cmdline) && Arrays.asList(Files.readString(cmdline).split("\0"))
                .contains("-Drepgap.cluster.dir=" + cluster);
    }

    /** Polls the driver's REST API until a stage named after {@code callSite} runs a task on every executor (or all its tasks). */
    private static void awaitActiveStage(Process driver, int uiPort, String callSite, Duration timeout) throws Exception {
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
        Pattern appId = Pattern.compile("\"id\"\\s*:\\s*\"([^\"]+)\"");
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            assertTrue(driver.isAlive(), "the driver ended before the " + callSite + " scan was seen running");
            try {
                Matcher app = appId.matcher(get(http, uiPort, "/api/v1/applications"));
                if (app.find()) {
                    String stages = get(http, uiPort, "/api/v1/applications/" + app.group(1) + "/stages?status=active");
                    int at = stages.indexOf("\"" + callSite);
                    if (at >= 0) {
                        // StageData lists its counts before its name: read the last ones before it.
                        int tasks = lastNumber(stages, "numTasks", at), active = lastNumber(stages, "numActiveTasks", at);
                        if (active >= Math.min(2, tasks)) return;
                    }
                }
            } catch (IOException notYetListening) {
                // the driver's UI starts a few seconds after the JVM
            }
            Thread.sleep(100);
        }
        fail("no " + callSite + " stage seen running within " + timeout);
    }

    private static int lastNumber(String json, String field, int before) {
        Matcher m = Pattern.compile("\"" + field + "\"\\s*:\\s*(\\d+)").matcher(json.substring(0, before));
        int value = -1;
        while (m.find()) value = Integer.parseInt(m.group(1));
        return value;
    }

    private static String get(HttpClient http, int port, String path) throws IOException, InterruptedException {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() != 200) throw new IOException(path + ": HTTP " + r.statusCode());
        return r.body();
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    // ---- the results repository

    private static boolean stagingOf(Path results, String table) throws IOException {
        Path staging = results.resolve("_staging");
        if (!Files.isDirectory(staging)) return false;
        try (Stream<Path> runs = Files.list(staging)) {
            return runs.anyMatch(r -> Files.isDirectory(r.resolve(table)));
        } catch (java.nio.file.NoSuchFileException renamedAway) {
            return false;
        }
    }

    private static List<Path> parquetFiles(Path table) throws IOException {
        if (!Files.exists(table)) return List.of();
        try (Stream<Path> s = Files.walk(table)) {
            return s.filter(f -> f.toString().endsWith(".parquet")).sorted().toList();
        }
    }

    /** A whole Parquet file starts and ends with PAR1 (the footer is written last). */
    private static void assertWholeParquet(Path f) throws IOException {
        byte[] head = new byte[4], tail = new byte[4];
        try (RandomAccessFile in = new RandomAccessFile(f.toFile(), "r")) {
            assertTrue(in.length() >= 12, f + " is truncated");
            in.readFully(head);
            in.seek(in.length() - 4);
            in.readFully(tail);
        }
        assertArrayEquals("PAR1".getBytes(StandardCharsets.US_ASCII), head, f + " does not start as Parquet");
        assertArrayEquals("PAR1".getBytes(StandardCharsets.US_ASCII), tail, f + " has no footer");
    }

    private static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir)) return;
        try (Stream<Path> s = Files.walk(dir)) {
            for (Path p : s.sorted((a, b) -> b.compareTo(a)).toList()) Files.delete(p);
        }
    }
}
