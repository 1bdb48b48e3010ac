package dev.repgap.audit;

import dev.repgap.analysis.Analysis;
import dev.repgap.analysis.Configured;
import dev.repgap.analysis.Fingerprint;
import dev.repgap.analysis.OptionException;
import dev.repgap.data.Requirement;
import dev.repgap.report.ReportSection;
import dev.repgap.results.ResultTable;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code repgap audit}: duplicates, leaks, outliers and per-label geometry per group. */
public final class AuditAnalysis implements Analysis<AuditAnalysis.Options> {
    static final double DEFAULT_RELATIVE = 0.01;

    /** The options of {@code audit}, as on its command line. */
    @Command
    public static final class Options {
        @Option(names = "--k", defaultValue = "20", paramLabel = "K",
                description = "Neighbours kept per row in both scans; the local ID is m_K(x). Near duplicates and leaks are"
                        + " listed among each row's K nearest. Default: ${DEFAULT-VALUE}.")
        int k;

        @Option(names = "--near", paramLabel = "D", description = "Near duplicates: training rows at 0 < distance <= D.")
        Double near;

        @Option(names = "--near-relative", paramLabel = "R",
                description = "Near duplicates: distance <= R x the median nearest-neighbour distance of the training rows."
                        + " Default (without --near): " + AuditAnalysis.DEFAULT_RELATIVE + ".")
        Double nearRelative;

        @Option(names = "--leak", paramLabel = "D", description = "Leaks: test rows at distance <= D of a training row.")
        Double leak;

        @Option(names = "--leak-relative", paramLabel = "R",
                description = "Leaks: distance <= R x the median nearest-neighbour distance of the training rows."
                        + " Default (without --leak): " + AuditAnalysis.DEFAULT_RELATIVE + ".")
        Double leakRelative;

        @Option(names = "--top", defaultValue = "10", paramLabel = "N",
                description = "Test rows farthest from the training set to list. Default: ${DEFAULT-VALUE}.")
        int top;

        @Option(names = "--seed", defaultValue = "0", paramLabel = "S", description = "Seed of the bootstrap intervals.")
        long seed;

        @Option(names = "--level", defaultValue = "0.9", paramLabel = "P", description = "Interval level. Default: ${DEFAULT-VALUE}.")
        double level;

        @Option(names = "--bootstrap", defaultValue = "200", paramLabel = "B",
                description = "Bootstrap resamples of the per-label MLE interval. Default: ${DEFAULT-VALUE}.")
        int bootstrap;

        @Option(names = "--partitions", defaultValue = "0", paramLabel = "P",
                description = "Tasks of the neighbour scans (0: as read, but at least one per core).")
        int partitions;
    }

    @Override
    public String name() {
        return "audit";
    }

    @Override
    public String description() {
        return "Data-quality audit per group: exact and near-duplicate training rows, test rows that leak from the"
                + " training set, the test rows farthest from it, the local-ID distribution, and per label the ID and the"
                + " gap; from one self scan of the training rows and one cross scan of the test rows (exact distances).";
    }

    @Override
    public Options options() {
        return new Options();
    }

    @Override
    public List<ResultTable> tables() {
        return AuditOutputs.TABLES;
    }

    @Override
    public List<ReportSection> reportSections() {
        return List.of(new AuditSection());
    }

    @Override
    public Configured configure(Options options, List<String> groupBy) {
        AuditJob.Options o = job(options);
        // --partitions changes how the scans are cut, not what they find: not part of the fingerprint
        Fingerprint fp = Fingerprint.of("audit", 1).with("k", o.k()).with("near", text(o.near())).with("leak", text(o.leak()))
                .with("top", o.top()).with("seed", o.seed()).with("level", o.level()).with("bootstrap", o.bootstrap());
        return new Configured("audit", Requirement.rows("audit", 2), fp, (data, run, results) -> {
            List<AuditJob.GroupAudit> audits = AuditJob.run(data, o);
            return new Configured.Output(AuditOutputs.metrics(audits, o),
                    AuditOutputs.tables(data.rows().sparkSession(), run, audits), out -> AuditOutputs.print(audits, o, out));
        });
    }

    static AuditJob.Options job(Options o) {
        if (o.k < 2) throw new OptionException("--k must be at least 2, got " + o.k);
        if (o.top < 0 || o.partitions < 0 || o.bootstrap < 10) {
            throw new OptionException("--top >= 0, --partitions >= 0 and --bootstrap >= 10 are needed");
        }
        if (!(o.level > 0 && o.level < 1)) throw new OptionException("--level must be in (0, 1), got " + o.level);
        return new AuditJob.Options(o.k, threshold("--near", o.near, o.nearRelative), threshold("--leak", o.leak, o.leakRelative),
                o.top, o.seed, o.level, o.bootstrap, o.partitions);
    }

    private static String text(AuditJob.Threshold t) {
        return (t.relative() ? "relative " : "absolute ") + t.value();
    }

    private static AuditJob.Threshold threshold(String name, Double absolute, Double relative) {
        if (absolute != null && relative != null) {
            throw new OptionException(name + " and " + name + "-relative exclude each other");
        }
        double v = absolute != null ? absolute : relative != null ? relative : DEFAULT_RELATIVE;
        if (!(v >= 0) || Double.isInfinite(v)) {
            throw new OptionException((absolute != null ? name : name + "-relative") + " must be a finite"
                    + " number >= 0, got " + v);
        }
        return new AuditJob.Threshold(v, absolute == null);
    }
}
