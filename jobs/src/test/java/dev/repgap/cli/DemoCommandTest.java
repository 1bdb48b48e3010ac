package dev.repgap.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code repgap demo}: the quick start's four commands in one JVM, each printed, with their results. */
class DemoCommandTest {
    @TempDir Path tmp;

    @Test
    void runsTheFourCommandsItPrints() throws Exception {
        Path out = tmp.resolve("demo");
        Repgap.Result r = Repgap.run("demo", "--out", out.toString(), "--n", "800", "--test", "100", "--quiet");
        assertEquals(0, r.code(), r.toString());
        List<String> printed = r.out().lines().filter(l -> l.startsWith("$ repgap ")).toList();
        assertEquals(4, printed.size(), r.out());
        assertTrue(printed.get(2).startsWith("$ repgap id --input " + out + "/activations --group-by layer"), printed.get(2));
        assertTrue(printed.get(3).startsWith("$ repgap gap --input " + out + "/activations --group-by layer"), printed.get(3));
        for (String layer : List.of("sphere5", "torus3")) {
            assertTrue(r.out().contains("group layer=" + layer), r.out());
        }
        assertTrue(r.out().contains("id.twonn") && r.out().contains("gap.dimension"), r.out());

        // The first printed command, run on its own, writes the same bytes as the demo did.
        Path alone = tmp.resolve("alone");
        String[] first = printed.get(0).substring("$ repgap ".length())
                .replace(out + "/activations", alone.toString()).split(" ");
        assertEquals(0, Repgap.run(first).code());
        Path part = Path.of("layer=sphere5", "split=train", "part-00000.parquet");
        assertArrayEquals(Files.readAllBytes(alone.resolve(part)), Files.readAllBytes(out.resolve("activations").resolve(part)));
        assertTrue(Files.isDirectory(out.resolve("results/metrics")));
    }

    @Test
    void refusesADirectoryThatHoldsSomething() throws Exception {
        Path out = tmp.resolve("used");
        Files.createDirectories(out.resolve("activations"));
        Repgap.Result r = Repgap.run("demo", "--out", out.toString());
        assertEquals(2, r.code(), r.toString());
        assertTrue(r.err().contains("--out " + out + ": the directory is not empty"), r.err());
        try (var files = Files.list(out)) {
            assertEquals(1, files.count()); // nothing written
        }
        assertFalse(r.out().contains("$ repgap"), r.out());
    }
}
