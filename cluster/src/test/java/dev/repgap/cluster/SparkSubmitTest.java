package dev.repgap.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Runs repgap the way a cluster does: {@code org.apache.spark.deploy.SparkSubmit} (the class behind
 * spark-submit) with the thin application jar, in a fresh JVM whose classpath is Spark alone.
 * Needs the packaged jars: run through {@code mvn verify} (or package) from the project root.
 */
class SparkSubmitTest {
    private static final Path JOBS_TARGET = Path.of("..", "jobs", "target").toAbsolutePath().normalize();

    @TempDir Path tmp;

    private record Run(int code, String out, String err) {}

    private static Run sparkSubmit(Path workDir, String... repgapArgs) throws IOException, InterruptedException {
        Path appJar = JOBS_TARGET.resolve("repgap.jar");
        Path lib = JOBS_TARGET.resolve("lib");
        assertTrue(Files.isRegularFile(appJar) && Files.isDirectory(lib),
                "missing " + appJar + " or " + lib + ": build with `mvn verify` from the project root");
        String sparkOnly;
        try (Stream<Path> jars = Files.list(lib)) {
            sparkOnly = jars.map(Path::toString).sorted().collect(Collectors.joining(File.pathSeparator));
        }
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.addAll(Arrays.asList(System.getProperty("repgap.jvm.flags", "").split(" ")));
        cmd.removeIf(String::isBlank);
        cmd.addAll(List.of("-Xmx1g", "-cp", sparkOnly, "org.apache.spark.deploy.SparkSubmit",
                "--master", "local[2]", "--conf", "spark.ui.enabled=false",
                "--conf", "spark.driver.host=127.0.0.1", "--conf", "spark.driver.bindAddress=127.0.0.1",
                "--class", "dev.repgap.cli.Main", appJar.toString()));
        cmd.addAll(List.of(repgapArgs));
        ProcessBuilder pb = new ProcessBuilder(cmd).directory(workDir.toFile());
        pb.environment().put("SPARK_LOCAL_IP", "127.0.0.1");
        pb.environment().put("SPARK_TESTING", "1");
        pb.environment().put("SPARK_SCALA_VERSION", "2.13");
        Path out = workDir.resolve("stdout.txt"), err = workDir.resolve("stderr.txt");
        Process p = pb.redirectOutput(out.toFile()).redirectError(err.toFile()).start();
        if (!p.waitFor(5, TimeUnit.MINUTES)) {
            p.destroyForcibly();
            throw new AssertionError("spark-submit did not finish in 5 minutes");
        }
        return new Run(p.exitValue(), Files.readString(out, StandardCharsets.UTF_8),
                Files.readString(err, StandardCharsets.UTF_8));
    }

    @Test
    void generateThenDescribeThroughSparkSubmit() throws Exception {
        String data = tmp.resolve("data").toString();
        Run gen = sparkSubmit(tmp, "generate", "--manifold", "gaussian", "--dim", "4", "--ambient", "20",
                "--n", "3000", "--seed", "7", "--set", "layer=l1", "--out", data);
        assertEquals(0, gen.code(), gen.err());
        assertTrue(gen.out().contains("wrote 3000 train and 0 test rows of gaussian (d = 4) in R^20"), gen.out());

        Run describe = sparkSubmit(tmp, "describe", "--input", data, "--group-by", "layer",
                "--out", tmp.resolve("results").toString(), "--json");
        assertEquals(0, describe.code(), describe.err());
        assertTrue(describe.out().contains("\"layer\":\"l1\",\"metric\":\"describe.rank\",\"param\":null,\"value\":4.0"),
                describe.out());
        try (Stream<Path> files = Files.walk(tmp.resolve("results/metrics"))) {
            assertEquals(1, files.filter(f -> f.toString().endsWith(".parquet")).count());
        }

        Run bad = sparkSubmit(tmp, "describe", "--input", tmp.resolve("missing").toString());
        assertEquals(2, bad.code(), bad.err());
        assertTrue(bad.err().contains("no such file or directory"), bad.err());
    }
}
