package dev.repgap.audit;

import dev.repgap.analysis.Analysis;
import dev.repgap.analysis.Configured;
import dev.repgap.analysis.Fingerprint;
import dev.repgap.analysis.OptionException;
import dev.repgap.data.Requirement;
import dev.repgap.report.ReportSection;
import dev.repgap.results.ResultTable;
import java.util.List;
import java.util.Locale;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code repgap audit}: duplicates, leaks, outliers and per-label geometry per group. */
public final class AuditAnalysis implements Analysis<AuditAnalysis.Options> {
    /** The robust thresholds' default z: on Fashion-MNIST it finds its near duplicates (README, audit). */
    static final double DEFAULT_ROBUST = 4;

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
                description = "Near duplicates: distance <= R x the median nearest-neighbour distance r1 of the training rows.")
        Double nearRelative;

        @Option(names = "--near-robust", paramLabel = "Z",
                description = "Near duplicates: distance <= exp(median log r1 - Z x 1.4826 MAD of log r1), Z robust standard"
                        + " deviations below the typical r1. Default (without --near or --near-relative): Z = "
                        + AuditAnalysis.DEFAULT_ROBUST + ".")
        Double nearRobust;

        @Option(names = "--leak", paramLabel = "D", description = "Leaks: test rows at distance <= D of a training row.")
        Double leak;

        @Option(names = "--leak-relative", paramLabel = "R",
                description = "Leaks: distance <= R x the median nearest-neighbour distance r1 of the training rows.")
        Double leakRelative;

        @Option(names = "--leak-robust", paramLabel = "Z",
                description = "Leaks: distance <= exp(median log r1 - Z x 1.4826 MAD of log r1) of the training rows."
                        + " Default (without --leak or --leak-relative): Z = " + AuditAnalysis.DEFAULT_ROBUST + ".")
        Double leakRobust;

        @Option(names = "--top", defaultValue = "10", paramLabel = "N",
                description = "How many closest training pairs, closest test-train pairs and test rows farthest from the"
                        + " training set to list. Default: ${DEFAULT-VALUE}.")
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
        return new AuditJob.Options(o.k, threshold("--near", o.near, o.nearRelative, o.nearRobust),
                threshold("--leak", o.leak, o.leakRelative, o.leakRobust),
                o.top, o.seed, o.level, o.bootstrap, o.partitions);
    }

    private static String text(AuditJob.Threshold t) {
        return t.kind().name().toLowerCase(Locale.ROOT) + " " + t.value();
    }

    private static AuditJob.Threshold threshold(String name, Double absolute, Double relative, Double robust) {
        int given = (absolute != null ? 1 : 0) + (relative != null ? 1 : 0) + (robust != null ? 1 : 0);
        if (given > 1) throw new OptionException(name + ", " + name + "-relative and " + name + "-robust exclude each other");
        AuditJob.Threshold t = absolute != null ? new AuditJob.Threshold(absolute, AuditJob.Threshold.Kind.ABSOLUTE)
                : relative != null ? new AuditJob.Threshold(relative, AuditJob.Threshold.Kind.RELATIVE)
                : new AuditJob.Threshold(robust != null ? robust : DEFAULT_ROBUST, AuditJob.Threshold.Kind.ROBUST);
        if (!(t.value() >= 0) || Double.isInfinite(t.value())) {
            String option = absolute != null ? name : name + "-" + t.kind().name().toLowerCase(Locale.ROOT);
            throw new OptionException(option + " must be a finite number >= 0, got " + t.value());
        }
        return t;
    }
}
