package dev.repgap.stats;

import dev.repgap.analysis.OptionException;
import picocli.CommandLine.Option;

/**
 * The options of an analysis whose driver holds a D x D matrix of the vectors' second moments: the largest D it
 * accepts and the seeded random projection ({@link RandomProjection}) that brings longer vectors under it. Mixed into
 * an analysis's options with picocli's {@code @Mixin}.
 */
public final class ProjectionOptions {
    @Option(names = "--max-dim", defaultValue = "8192", paramLabel = "D",
            description = "Refuse groups with longer vectors (the driver holds D x D matrices). Default: ${DEFAULT-VALUE}.")
    public int maxDim;

    @Option(names = "--project", paramLabel = "P",
            description = "Project the vectors to P dimensions by a seeded Gaussian random projection first.")
    public Integer project;

    @Option(names = "--seed", defaultValue = "0", paramLabel = "S",
            description = "Seed of the projection (and of the bootstrap, where there is one). Default: ${DEFAULT-VALUE}.")
    public long seed;

    /** Refuses (exit 2) a --max-dim below 1 or a --project outside 1..--max-dim. */
    public void check() {
        if (maxDim < 1) throw new OptionException("--max-dim must be >= 1, got " + maxDim);
        if (project != null && (project < 1 || project > maxDim)) {
            throw new OptionException("--project must be 1.." + maxDim + " (--max-dim), got " + project);
        }
    }
}
