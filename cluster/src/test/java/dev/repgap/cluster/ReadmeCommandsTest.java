package dev.repgap.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The README's commands exactly as printed, run the way a new user runs them: {@code bin/repgap} from a
 * directory holding the built launcher, one JVM per command, on the .npy files the README asks for. Needs the
 * packaged jars: run through {@code mvn verify} (or package) from the project root.
 */
class ReadmeCommandsTest {
    private static final Path ROOT = Path.of("..").toAbsolutePath().normalize();

    @TempDir Path tmp;

    private record Run(String command, int code, String out, String err) {}

    /** A directory that looks like the project root to bin/repgap (its bin/ and built jobs/), for files of a test. */
    private Path workDir() throws IOException {
        Files.createSymbolicLink(tmp.resolve("bin"), ROOT.resolve("bin"));
        Files.createSymbolicLink(tmp.resolve("jobs"), ROOT.resolve("jobs"));
        assertTrue(Files.isRegularFile(ROOT.resolve("jobs/target/repgap-local.jar")),
                "missing jobs/target/repgap-local.jar: build with `mvn verify` from the project root");
        return tmp;
    }

    private static Run bash(Path dir, String command) throws IOException, InterruptedException {
        ProcessBuilder pb = new ProcessBuilder("bash", "-euo", "pipefail", "-c", command).directory(dir.toFile());
        pb.environment().put("SPARK_LOCAL_IP", "127.0.0.1");
        Path out = Files.createTempFile(dir, "out", ".txt"), err = Files.createTempFile(dir, "err", ".txt");
        Process p = pb.redirectOutput(out.toFile()).redirectError(err.toFile()).start();
        if (!p.waitFor(10, TimeUnit.MINUTES)) {
            p.destroyForcibly();
            throw new AssertionError("did not finish in 10 minutes: " + command);
        }
        return new Run(command, p.exitValue(), Files.readString(out), Files.readString(err));
    }

    /** The commands of the README's fenced bash blocks between {@code heading} and the next heading of its level. */
    static List<String> commands(String heading) throws IOException {
        List<String> lines = Files.readAllLines(ROOT.resolve("README.md"));
        int start = lines.indexOf(heading);
        assertTrue(start >= 0, "README.md lost its section '" + heading + "'");
        List<String> out = new ArrayList<>();
        boolean inBash = false;
        for (String line : lines.subList(start + 1, lines.size())) {
            if (line.startsWith("## ")) break;
            if (line.equals("```bash")) inBash = true;
            else if (line.equals("```")) inBash = false;
            else if (inBash && !line.isBlank()) out.add(line);
        }
        return out;
    }

    @Test
    void quickStartAsPrinted() throws Exception {
        List<String> quick = commands("## Quick start"); // the quick start, then the test command that runs this
        assertEquals(List.of("mvn -B verify"), quick.subList(1, quick.size()), quick.toString());
        String build = "mvn -q -DskipTests package && ";
        assertTrue(quick.get(0).startsWith(build), quick.get(0)); // the build is what ran this test; the rest runs here
        Path dir = workDir();
        Run r = bash(dir, quick.get(0).substring(build.length()));
        assertEquals(0, r.code(), r.toString());
        assertFalse(r.err().contains("Exception"), r.toString());
        assertFalse(r.err().contains("WARNING: Using incubator modules"), "bin/repgap drops the JVM's warning: " + r.err());
        // What the quick start says the user sees: id finds the dimensions the layers were made with, the
        // participation ratio the 6 linear directions of both, and the gap's law a d for each layer.
        for (String metric : List.of("id.twonn", "id.mle_mean")) {
            assertNear(5, 0.2, value(r.out(), "sphere5", metric), metric + " of sphere5");
            assertNear(3, 0.1, value(r.out(), "torus3", metric), metric + " of torus3");
        }
        assertNear(6, 0.1, value(r.out(), "sphere5", "id.pr"), "id.pr of sphere5");
        assertNear(6, 0.1, value(r.out(), "torus3", "id.pr"), "id.pr of torus3");
        assertNear(3, 0.15, value(r.out(), "torus3", "gap.dimension"), "gap.dimension of torus3");
        assertNear(5, 0.25, value(r.out(), "sphere5", "gap.dimension"), "gap.dimension of sphere5");
        assertTrue(r.out().contains("<- fit from here"), "the gap curves' tables: " + r.out());
        // where the quick start says the rows are
        for (String table : List.of("metrics", "gap_curves")) {
            try (var files = Files.walk(dir.resolve("demo/results").resolve(table))) {
                assertTrue(files.anyMatch(f -> f.toString().endsWith(".parquet")), "no Parquet file in demo/results/" + table);
            }
        }
        try (var charts = Files.list(dir.resolve("demo/results/charts"))) {
            assertEquals(2, charts.filter(f -> f.toString().endsWith(".svg")).count(), "one chart per layer");
        }
    }

    /**
     * The value column of the first table row of {@code metric} printed under {@code group layer=LAYER} in a
     * command's text output (rows are: metric, param if any, value, interval, ...).
     */
    private static double value(String out, String layer, String metric) {
        String group = null;
        for (String line : out.split("\n")) {
            if (line.startsWith("group ")) group = line.substring("group ".length()).trim();
            String[] cells = line.trim().split("\\s+");
            if (("layer=" + layer).equals(group) && cells.length > 1 && cells[0].equals(metric)) {
                return Double.parseDouble(cells[cells[1].contains("=") ? 2 : 1]);
            }
        }
        throw new AssertionError("no " + metric + " under group layer=" + layer + " in:\n" + out);
    }

    private static void assertNear(double expected, double tolerance, double actual, String what) {
        assertTrue(Math.abs(actual - expected) <= tolerance, what + " = " + actual + ", expected " + expected + " +- " + tolerance);
    }

    @Test
    void yourOwnActivationsAsPrinted() throws Exception {
        Path dir = workDir();
        gaussian(dir.resolve("acts.npy"), 2000, 32, 6, 1);
        gaussian(dir.resolve("train.npy"), 1500, 20, 5, 2);
        labels(dir.resolve("train_labels.npy"), 1500, 3);
        gaussian(dir.resolve("test.npy"), 300, 20, 5, 3);
        labels(dir.resolve("test_labels.npy"), 300, 3);
        gaussian(dir.resolve("conv1.npy"), 1000, 16, 8, 4);
        gaussian(dir.resolve("fc.npy"), 1000, 8, 3, 5);

        List<String> commands = commands("## Your own activations");
        assertTrue(commands.size() >= 10, commands.toString());
        List<Run> runs = new ArrayList<>();
        for (String c : commands) {
            assertTrue(c.startsWith("bin/repgap "), "not a repgap command: " + c);
            Run r = bash(dir, c);
            assertEquals(0, r.code(), r.toString());
            assertFalse(r.err().contains("Exception"), r.toString());
            runs.add(r);
        }
        assertTrue(runs.get(0).out().contains("imported acts.npy into acts: 2000 rows x 32, no split, no labels, ids 0..1999"),
                runs.get(0).out());
        String all = String.join("\n", runs.stream().map(Run::out).toList());
        for (String expected : List.of("id.twonn", "gap.dimension", "knn.r1_median", "describe.rank",
                "group label=0", "group label=2", "group layer=conv1", "group layer=fc",
                "imported test.npy into fm: 300 rows x 20, split test, 3 labels, ids 1500..1799")) {
            assertTrue(all.contains(expected), "no '" + expected + "' in the outputs:\n" + all);
        }
    }

    /** numpy.save of a float32 Gaussian in a {@code rank}-dimensional subspace of R^dim. */
    private static void gaussian(Path file, int rows, int dim, int rank, long seed) throws IOException {
        Random r = new Random(seed);
        double[][] basis = new double[rank][dim];
        for (double[] b : basis) for (int j = 0; j < dim; j++) b[j] = r.nextGaussian();
        ByteBuffer data = ByteBuffer.allocate(4 * rows * dim).order(ByteOrder.LITTLE_ENDIAN);
        for (int i = 0; i < rows; i++) {
            double[] x = new double[dim];
            for (double[] b : basis) {
                double c = r.nextGaussian();
                for (int j = 0; j < dim; j++) x[j] += c * b[j];
            }
            for (double v : x) data.putFloat((float) v);
        }
        npy(file, "<f4", "(" + rows + ", " + dim + ")", data.array());
    }

    /** numpy.save of int64 labels 0..classes-1 in turn. */
    private static void labels(Path file, int rows, int classes) throws IOException {
        ByteBuffer data = ByteBuffer.allocate(8 * rows).order(ByteOrder.LITTLE_ENDIAN);
        for (int i = 0; i < rows; i++) data.putLong(i % classes);
        npy(file, "<i8", "(" + rows + ",)", data.array());
    }

    private static void npy(Path file, String descr, String shape, byte[] data) throws IOException {
        StringBuilder h = new StringBuilder("{'descr': '" + descr + "', 'fortran_order': False, 'shape': " + shape + ", }");
        while ((10 + h.length() + 1) % 64 != 0) h.append(' ');
        byte[] header = h.append('\n').toString().getBytes(StandardCharsets.US_ASCII);
        ByteBuffer out = ByteBuffer.allocate(10 + header.length + data.length).order(ByteOrder.LITTLE_ENDIAN);
        out.put((byte) 0x93).put("NUMPY".getBytes(StandardCharsets.US_ASCII)).put((byte) 1).put((byte) 0);
        out.putShort((short) header.length).put(header).put(data);
        Files.write(file, out.array());
    }
}
