package dev.repgap.describe;

import dev.repgap.analysis.Analysis;
import dev.repgap.analysis.Configured;
import dev.repgap.analysis.Fingerprint;
import java.util.List;
import picocli.CommandLine.Command;

/** {@code repgap describe}: counts, norms, duplicates and the covariance spectrum per group. */
public final class DescribeAnalysis implements Analysis<DescribeAnalysis.Options> {
    /** {@code describe} has no options of its own. */
    @Command
    public static final class Options {}

    @Override
    public String name() {
        return "describe";
    }

    @Override
    public String description() {
        return "Per group: rows per split, vector length, norms, duplicate rows, covariance spectrum,"
                + " participation ratio and linear rank.";
    }

    @Override
    public Options options() {
        return new Options();
    }

    @Override
    public Configured configure(Options options, List<String> groupBy) {
        return new Configured("describe", DescribeJob.REQUIREMENT, Fingerprint.of("describe", 1),
                (data, run, results) -> Configured.Output.of(DescribeJob.run(data)));
    }
}
