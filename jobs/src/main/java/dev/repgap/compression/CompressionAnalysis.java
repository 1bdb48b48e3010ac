package dev.repgap.compression;

import dev.repgap.analysis.Analysis;
import dev.repgap.analysis.Configured;
import dev.repgap.analysis.Fingerprint;
import dev.repgap.analysis.OptionException;
import dev.repgap.data.ColumnRole;
import dev.repgap.report.ReportSection;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code repgap compression}: from a layer's outputs at noise-perturbed copies of clean inputs, per source the
 * squared singular values of the layer's Jacobian, and per group the maximum local sensitivity, the log volume, the
 * local dimensionality and {@code ||J||_F^2}, each a mean over sources with a bootstrap interval.
 */
public final class CompressionAnalysis implements Analysis<CompressionAnalysis.Options> {
    /** The options of {@code compression}, as on its command line. */
    @Command
    public static final class Options {
        @Option(names = "--sigma", paramLabel = "S",
                description = "Noise level of every copy: the standard deviation of the Gaussian noise added to the clean"
                        + " input. Without it, the noise column (--noise-col) gives each copy's sigma.")
        Double sigma;

        @Option(names = "--volume-rank", defaultValue = "3", paramLabel = "K",
                description = "Singular values summed in the log volume. Default: ${DEFAULT-VALUE}.")
        int volumeRank;

        @Option(names = "--min-copies", defaultValue = "4", paramLabel = "M",
                description = "Sources with fewer copies are refused (or skipped with --drop-invalid); at least 2."
                        + " Default: ${DEFAULT-VALUE}.")
        int minCopies;

        @Option(names = "--quantiles", split = ",", paramLabel = "Q1,Q2,..",
                description = "Quantiles over sources reported for every quantity (param q=..). Default: 0.1,0.5,0.9.")
        List<Double> quantiles = new ArrayList<>(List.of(0.1, 0.5, 0.9));

        @Option(names = "--bootstrap", defaultValue = "200", paramLabel = "B",
                description = "Bootstrap replicates over sources for the intervals; 0: none. Default: ${DEFAULT-VALUE}.")
        int bootstrap;

        @Option(names = "--level", defaultValue = "0.9", paramLabel = "P", description = "Interval level. Default: ${DEFAULT-VALUE}.")
        double level;

        @Option(names = "--seed", defaultValue = "0", paramLabel = "S", description = "Seed of the bootstrap.")
        long seed;

        @Option(names = "--partitions", defaultValue = "0", paramLabel = "P",
                description = "Partitions of the shuffle that brings together the copies of sources split across"
                        + " partitions (0: as read). Changes nothing in the results.")
        int partitions;
    }

    @Override
    public String name() {
        return "compression";
    }

    @Override
    public String description() {
        return "Compression of representations from noise-perturbed copies (--source-col, --sigma or --noise-col): per"
                + " source the squared singular values of the layer's Jacobian as the eigenvalues of the copies'"
                + " covariance over sigma^2; per group the mean over sources of the maximum local sensitivity s_1, the"
                + " log volume sum_{k<=K} ln s_k, the local dimensionality (sum s^2)^2 / sum s^4 and ||J||_F^2, with"
                + " bootstrap intervals over sources and quantiles.";
    }

    @Override
    public Options options() {
        return new Options();
    }

    @Override
    public Set<ColumnRole> roles() {
        return Set.of(ColumnRole.SOURCE, ColumnRole.NOISE);
    }

    @Override
    public List<String> profileMetrics() {
        return List.of("compression.mls", "compression.local_dim");
    }

    @Override
    public List<ReportSection> reportSections() {
        return List.of(new CompressionSection());
    }

    @Override
    public Configured configure(Options o, List<String> groupBy) {
        CompressionJob.Options job = job(o);
        Fingerprint fp = Fingerprint.of("compression", 1).with("sigma", o.sigma == null ? "column" : o.sigma)
                .with("volume_rank", job.volumeRank()).with("min_copies", job.minCopies())
                .with("quantiles", o.quantiles).with("bootstrap", job.bootstrap()).with("level", job.level())
                .with("seed", job.seed());
        return new Configured("compression", CompressionJob.requirement(), fp,
                (data, run, results) -> Configured.Output.of(CompressionJob.run(data, job)));
    }

    static CompressionJob.Options job(Options o) {
        OptionException.require(o.sigma == null || (o.sigma > 0 && Double.isFinite(o.sigma)),
                "--sigma must be finite and > 0, got " + o.sigma);
        OptionException.require(o.volumeRank >= 1, "--volume-rank must be >= 1, got " + o.volumeRank);
        OptionException.require(o.minCopies >= 2, "--min-copies must be >= 2 (a covariance needs two copies), got "
                + o.minCopies);
        OptionException.require(o.bootstrap == 0 || o.bootstrap >= 2, "--bootstrap must be 0 or >= 2, got " + o.bootstrap);
        OptionException.require(o.level > 0 && o.level < 1, "--level must be in (0, 1), got " + o.level);
        OptionException.require(o.partitions >= 0, "--partitions must be >= 0, got " + o.partitions);
        double[] q = new double[o.quantiles.size()];
        for (int i = 0; i < q.length; i++) {
            double p = o.quantiles.get(i);
            OptionException.require(p >= 0 && p <= 1, "--quantiles must be in [0, 1], got " + p);
            q[i] = p;
        }
        return new CompressionJob.Options(o.sigma, o.volumeRank, o.minCopies, q, o.bootstrap, o.level, o.seed,
                o.partitions);
    }
}
