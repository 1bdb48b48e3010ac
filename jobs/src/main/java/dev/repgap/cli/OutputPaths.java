package dev.repgap.cli;

import dev.repgap.data.InputException;
import dev.repgap.sweep.InputFiles;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Checks, before any Spark work, that what a command will write can be written: so that a sweep or a long analysis
 * does not compute everything and then fail at its commit. Local paths only (a plain path or {@code file:});
 * remote file systems (hdfs://, s3a://) answer for themselves when written.
 */
final class OutputPaths {
    private OutputPaths() {}

    /** {@code option} names a directory (a results repository, a dataset): an existing one must be a writable directory, a new one creatable. */
    static void directory(String option, String dir) {
        Path p = local(dir);
        if (p == null) return;
        if (Files.exists(p)) {
            if (!Files.isDirectory(p)) throw new InputException(option + " " + dir + ": is a file, not a directory");
            if (!Files.isWritable(p)) throw new InputException(option + " " + dir + ": the directory is not writable");
            return;
        }
        creatable(option, dir, p);
    }

    /** {@code option} names a file to write: not an existing file unless {@code force}, and its directory writable. */
    static void file(String option, Path file, boolean force) {
        if (Files.isDirectory(file)) throw new InputException(option + " " + file + ": is a directory, not a file");
        if (Files.exists(file) && !force) {
            throw new InputException(option + " " + file + ": the file exists; pass --force to overwrite it");
        }
        Path parent = file.toAbsolutePath().getParent();
        if (parent != null && Files.isDirectory(parent)) {
            if (!Files.isWritable(parent)) throw new InputException(option + " " + file + ": the directory " + parent + " is not writable");
        } else {
            creatable(option, file.toString(), file);
        }
    }

    /** The nearest existing ancestor must be a writable directory for {@code p} to be made. */
    private static void creatable(String option, String shown, Path p) {
        Path a = p.toAbsolutePath().getParent();
        while (a != null && !Files.exists(a)) a = a.getParent();
        if (a == null) return;
        if (!Files.isDirectory(a)) throw new InputException(option + " " + shown + ": cannot be created: " + a + " is a file");
        if (!Files.isWritable(a)) throw new InputException(option + " " + shown + ": cannot be created: " + a + " is not writable");
    }

    /**
     * Refuses an output at or under an input directory: what is written there would be read back as activations
     * by the next run (and Spark refuses a directory that mixes partition layouts).
     */
    static void outsideInput(String input, String option, String output) {
        if (input == null || output == null) return;
        Path in = local(InputFiles.globFreePrefix(input));
        Path out = local(output);
        if (in == null || out == null) return;
        if (out.toAbsolutePath().normalize().startsWith(in.toAbsolutePath().normalize())) {
            throw new InputException(option + " " + output + " is inside the input " + input
                    + ": what is written there would be read back as activations; write it elsewhere");
        }
    }

    /** The local path of a plain path or {@code file:} URI; null for other file systems, or none given. */
    private static Path local(String dir) {
        if (dir == null || dir.isBlank()) return null;
        URI uri = new org.apache.hadoop.fs.Path(dir).toUri();
        if (uri.getScheme() != null && !uri.getScheme().equals("file")) return null;
        return Path.of(uri.getPath());
    }
}
