package dev.repgap.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AtomicFileTest {
    @TempDir Path tmp;

    @Test
    void writesWholeFile() throws IOException {
        Path target = tmp.resolve("out.csv");
        AtomicFile.write(target, w -> w.write("a,b\n1,2\n"));
        assertEquals("a,b\n1,2\n", Files.readString(target));
        try (var files = Files.list(tmp)) {
            assertEquals(List.of(target), files.toList(), "nothing left aside");
        }
    }

    /** A write that fails half-way is an output fault (exit code 1), not bad input, and leaves neither file. */
    @Test
    void aFailedWriteIsAnOutputExceptionNamingTheFile() throws IOException {
        Path target = tmp.resolve("report.html");
        OutputException e = assertThrows(OutputException.class, () -> AtomicFile.write(target, w -> {
            w.write("<html>");
            throw new IOException("No space left on device");
        }));
        assertTrue(e.getMessage().startsWith("output " + target + ": cannot write"), e.getMessage());
        assertTrue(e.getMessage().contains("No space left on device"), e.getMessage());
        assertInstanceOf(IOException.class, e.getCause());
        assertFalse(Files.exists(target));
        try (var files = Files.list(tmp)) {
            assertEquals(List.of(), files.toList(), "the file written aside is removed");
        }
    }
}
