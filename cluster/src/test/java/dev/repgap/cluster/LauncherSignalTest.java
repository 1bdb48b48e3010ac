package dev.repgap.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * bin/repgap stopped by a scheduler: SIGTERM to the script (the process a scheduler started) reaches the Java it
 * runs, which stops; no Java is left behind, the script exits non-zero and nothing half-written stays.
 */
class LauncherSignalTest {
    private static final Path ROOT = Path.of("..").toAbsolutePath().normalize();

    @TempDir Path tmp;

    @Test
    void termToTheScriptStopsJava() throws Exception {
        assertTrue(Files.isRegularFile(ROOT.resolve("jobs/target/repgap-local.jar")), "build with `mvn verify` first");
        Path out = tmp.resolve("big");
        ProcessBuilder pb = new ProcessBuilder(ROOT.resolve("bin/repgap").toString(), "generate", "--manifold", "sphere",
                "--dim", "5", "--ambient", "256", "--n", "20000000", "--seed", "1", "--out", out.toString())
                .directory(tmp.toFile()).redirectErrorStream(true).redirectOutput(tmp.resolve("log.txt").toFile());
        pb.environment().put("SPARK_LOCAL_IP", "127.0.0.1");
        Process script = pb.start();
        ProcessHandle java = null;
        for (int i = 0; i < 600 && java == null; i++) { // the JVM up and working
            List<ProcessHandle> found = script.descendants()
                    .filter(h -> h.info().command().map(c -> c.endsWith("java")).orElse(false)).toList();
            if (!found.isEmpty()) java = found.get(0);
            else Thread.sleep(100);
        }
        assertTrue(java != null, "bin/repgap started no java: " + Files.readString(tmp.resolve("log.txt")));
        Thread.sleep(8000); // Spark started, the job under way
        assertTrue(java.isAlive(), "generate finished before the signal: " + Files.readString(tmp.resolve("log.txt")));
        script.destroy(); // SIGTERM to the script alone
        assertTrue(script.waitFor(60, TimeUnit.SECONDS), "the script did not exit after SIGTERM");
        assertTrue(java.onExit().toCompletableFuture().get(60, TimeUnit.SECONDS) != null);
        assertFalse(java.isAlive(), "java outlived the script");
        assertNotEquals(0, script.exitValue());
        // what readers see: nothing (a staging folder, _ or . first, as Spark and repgap skip, may remain)
        try (Stream<Path> left = Files.exists(out) ? Files.list(out) : Stream.empty()) {
            List<String> visible = left.map(p -> p.getFileName().toString()).filter(n -> !n.startsWith(".") && !n.startsWith("_")).toList();
            assertTrue(visible.isEmpty(), "a stopped generate left output in " + out + ": " + visible);
        }
        assertEquals(0, script.descendants().count(), "processes left behind");
    }
}
