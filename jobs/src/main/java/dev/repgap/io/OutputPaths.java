package dev.repgap.io;

import dev.repgap.data.InputException;
import dev.repgap.sweep.InputFiles;
import java.io.IOException;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;

/** Checks on where a command writes, made before any work so that a run cannot fail at its last step. */
public final class OutputPaths {
    private OutputPaths() {}

    /**
     * Refuses an output at or under an input directory: what is written there would be read back as activations
     * by the next run (and Spark refuses a directory that mixes partition layouts).
     */
    public static void requireOutside(String input, String output, String option, Configuration conf) {
        if (input == null || output == null) return;
        Path in = qualify(InputFiles.globFreePrefix(input), conf);
        Path out = qualify(output, conf);
        if (in == null || out == null) return;
        for (Path p = out; p != null; p = p.getParent()) {
            if (p.equals(in)) {
                throw new InputException(option + " " + output + " is inside the input " + input
                        + ": what is written there would be read back as activations; write it elsewhere");
            }
        }
    }

    private static Path qualify(String path, Configuration conf) {
        if (path == null || path.isEmpty()) return null;
        try {
            Path p = new Path(path);
            return p.getFileSystem(conf).makeQualified(p);
        } catch (IOException | IllegalArgumentException e) {
            return null; // not a path this check can judge; the command's own open reports it
        }
    }
}
