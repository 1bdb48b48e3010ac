package dev.repgap.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A results repository that passes the destination check before any work but cannot be written when the run
 * commits is a fault of the file system, not bad input: exit code 1 with a stack trace naming the path, not exit
 * code 2 with one line. (The destination check's own refusals, exit code 2, are in {@link HostileInputTest}.)
 */
class WriteFailureTest {
    @TempDir static Path tmp;
    private static Path input;

    @BeforeAll
    static void setUp() {
        input = tmp.resolve("acts");
        Repgap.Result r = Repgap.run("generate", "--manifold", "torus", "--dim", "2", "--n", "200", "--seed", "1",
                "--out", input.toString());
        assertEquals(0, r.code(), r.toString());
    }

    @Test
    void aTableThatCannotBeWrittenAtCommitExitsOneWithAStackTrace() throws IOException {
        Path repository = Files.createDirectories(tmp.resolve("results"));
        // A writable directory, so the check before any work lets it through; its metrics table is a plain file, so
        // the commit after the analysis cannot make the table's date directory. (Permissions would not do: tests may
        // run as root.)
        Path table = Files.writeString(repository.resolve("metrics"), "not a table");

        Repgap.Result r = Repgap.run("describe", "--input", input.toString(), "--out", repository.toString());

        assertEquals(1, r.code(), r.toString());
        assertFalse(r.err().contains("error:"), "not the one-line error of bad input: " + r);
        assertTrue(r.err().contains("dev.repgap.io.OutputException: results repository " + repository + ": cannot write"),
                "the exception names the repository: " + r);
        assertTrue(r.err().contains("\tat dev.repgap.results.ResultsRepository.commit"), "a stack trace: " + r);
        assertTrue(r.err().contains("Caused by: "), "with its cause: " + r);
        assertEquals("not a table", Files.readString(table), "the file in the way is left as it was");
    }
}
