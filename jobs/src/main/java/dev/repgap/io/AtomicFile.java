package dev.repgap.io;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/** A local text file written aside (a hidden file in the same directory) and renamed into place: whole or absent. */
public final class AtomicFile {

    /** Writes a file through a writer. */
    public interface Body {
        void write(Writer out) throws IOException;
    }

    private AtomicFile() {}

    public static void write(Path target, Body body) {
        Path dir = target.toAbsolutePath().getParent();
        Path aside = dir.resolve("." + target.getFileName() + "." + ProcessHandle.current().pid() + ".tmp");
        try {
            Files.createDirectories(dir);
            try (BufferedWriter out = Files.newBufferedWriter(aside, StandardCharsets.UTF_8)) {
                body.write(out);
            }
            try {
                Files.move(aside, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(aside, target, StandardCopyOption.REPLACE_EXISTING);
            }
        } catch (IOException | UncheckedIOException e) {
            try {
                Files.deleteIfExists(aside);
            } catch (IOException ignored) {
                // the write failed already; that is the error to report
            }
            throw new OutputException("output " + target + ": cannot write: " + e.getMessage(), e);
        }
    }
}
