package dev.repgap.cli;

import dev.repgap.audit.AuditJob;
import dev.repgap.audit.AuditOutputs;
import dev.repgap.data.Requirement;

import dev.repgap.results.Analysis;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

@Command(name = "audit", mixinStandardHelpOptions = true,
        description = "Data-quality audit per group: exact and near-duplicate training rows, test rows that leak from the"
                + " training set, the test rows farthest from it, the local-ID distribution, and per label the ID and the"
                + " gap; from one self scan of the training rows and one cross scan of the test rows (exact distances).")
final class AuditCommand implements Callable<Integer> {
    @Mixin InputOptions input;
    @Mixin OutputOptions output;
    @Mixin SparkOptions spark;
    @Spec CommandSpec spec;

    static final double DEFAULT_RELATIVE = 0.01;

    @Option(names = "--k", defaultValue = "20", paramLabel = "K",
            description = "Neighbours kept per row in both scans; the local ID is m_K(x). Near duplicates and leaks are"
                    + " listed among each row's K nearest. Default: ${DEFAULT-VALUE}.")
    int k;

    @Option(names = "--near", paramLabel = "D", description = "Near duplicates: training rows at 0 < distance <= D.")
    Double near;

    @Option(names = "--near-relative", paramLabel = "R",
            description = "Near duplicates: distance <= R x the median nearest-neighbour distance of the training rows."
                    + " Default (without --near): " + DEFAULT_RELATIVE + ".")
    Double nearRelative;

    @Option(names = "--leak", paramLabel = "D", description = "Leaks: test rows at distance <= D of a training row.")
    Double leak;

    @Option(names = "--leak-relative", paramLabel = "R",
            description = "Leaks: distance <= R x the median nearest-neighbour distance of the training rows."
                    + " Default (without --leak): " + DEFAULT_RELATIVE + ".")
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

    @Override
    public Integer call() {
        return output.run(analysis(), input, spark, spec);
    }

    Analysis analysis() {
        AuditJob.Options o = options();
        return new Analysis("audit", Requirement.rows("audit", 2), o.toString(), (data, run, results) -> {
            List<AuditJob.GroupAudit> audits = AuditJob.run(data, o);
            return new Analysis.Output(AuditOutputs.metrics(audits, o),
                    AuditOutputs.tables(data.rows().sparkSession(), run, audits), out -> AuditOutputs.print(audits, o, out));
        });
    }

    private AuditJob.Options options() {
        if (k < 2) throw new IllegalArgumentException("--k must be at least 2, got " + k);
        if (top < 0 || partitions < 0 || bootstrap < 10) {
            throw new IllegalArgumentException("--top >= 0, --partitions >= 0 and --bootstrap >= 10 are needed");
        }
        for (String g : input.groupBy) {
            if (AuditOutputs.TABLE_COLUMNS.contains(g.toLowerCase(java.util.Locale.ROOT))) {
                throw new IllegalArgumentException("--group-by column '" + g + "' clashes with a column of the audit"
                        + " tables (" + String.join(", ", new java.util.TreeSet<>(AuditOutputs.TABLE_COLUMNS))
                        + "); group by a column with another name");
            }
        }
        if (!(level > 0 && level < 1)) throw new IllegalArgumentException("--level must be in (0, 1), got " + level);
        return new AuditJob.Options(k, threshold("--near", near, nearRelative), threshold("--leak", leak, leakRelative),
                top, seed, level, bootstrap, partitions);
    }

    private static AuditJob.Threshold threshold(String name, Double absolute, Double relative) {
        if (absolute != null && relative != null) {
            throw new IllegalArgumentException(name + " and " + name + "-relative exclude each other");
        }
        double v = absolute != null ? absolute : relative != null ? relative : DEFAULT_RELATIVE;
        if (!(v >= 0) || Double.isInfinite(v)) {
            throw new IllegalArgumentException((absolute != null ? name : name + "-relative") + " must be a finite"
                    + " number >= 0, got " + v);
        }
        return new AuditJob.Threshold(v, absolute == null);
    }
}
