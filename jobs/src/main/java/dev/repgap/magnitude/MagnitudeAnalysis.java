package dev.repgap.magnitude;

import dev.repgap.analysis.Analysis;
import dev.repgap.analysis.Configured;
import dev.repgap.analysis.Fingerprint;
import dev.repgap.analysis.OptionException;
import dev.repgap.data.Requirement;
import dev.repgap.report.ReportSection;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code repgap magnitude}: the magnitude function of each group's point cloud and its magnitude dimension. */
public final class MagnitudeAnalysis implements Analysis<MagnitudeAnalysis.Options> {
    /** The largest --max-points: the driver holds the N x N distances and Z, in double, and Z in single precision. */
    static final int MAX_POINTS = 20000;

    /** The options of {@code magnitude}, as on its command line. */
    @Command
    public static final class Options {
        @Option(names = "--max-points", defaultValue = "2000", paramLabel = "N",
                description = "Seeded subsample of at most N distinct rows per group (up to " + MAX_POINTS
                        + "; the driver needs about 28 N^2 bytes). Default: ${DEFAULT-VALUE}.")
        int maxPoints;

        @Option(names = "--seed", defaultValue = "0", paramLabel = "S", description = "Seed of the subsample and the bootstrap.")
        long seed;

        @Option(names = "--metric", defaultValue = "euclidean", paramLabel = "euclidean|l1",
                description = "Distance between rows. Default: ${DEFAULT-VALUE}.")
        String metric;

        @Option(names = "--scale", defaultValue = "1", paramLabel = "S",
                description = "Multiplies every distance (e.g. sqrt(n) for Mag(sqrt(n) W)). Default: ${DEFAULT-VALUE}.")
        double scale;

        @Option(names = "--convergence", defaultValue = "0.95", paramLabel = "C",
                description = "t_conv is the scale where Mag reaches C N; the grid ends there. Default: ${DEFAULT-VALUE}.")
        double convergence;

        @Option(names = "--grid", defaultValue = "64", paramLabel = "G", description = "Scales in the grid. Default: ${DEFAULT-VALUE}.")
        int grid;

        @Option(names = "--spacing", defaultValue = "log", paramLabel = "log|linear",
                description = "log: G scales log-spaced from t_conv 10^-decades to t_conv; linear: t_conv i / G, i = 1..G."
                        + " Default: ${DEFAULT-VALUE}.")
        String spacing;

        @Option(names = "--decades", defaultValue = "4", paramLabel = "K",
                description = "Width of the log grid in decades. Default: ${DEFAULT-VALUE}.")
        double decades;

        @Option(names = "--scales", split = ",", paramLabel = "T1,T2,..",
                description = "Evaluate exactly these scales (> 0) instead of a grid; no t_conv is searched.")
        List<Double> scales = new ArrayList<>();

        @Option(names = "--bootstrap", defaultValue = "20", paramLabel = "B",
                description = "Bootstrap replicates of the dimension over the subsample (each one solves the whole grid"
                        + " again); 0: no interval. Default: ${DEFAULT-VALUE}.")
        int bootstrap;

        @Option(names = "--level", defaultValue = "0.9", paramLabel = "P", description = "Interval level. Default: ${DEFAULT-VALUE}.")
        double level;

        @Option(names = "--partitions", defaultValue = "0", paramLabel = "P",
                description = "Partitions of the distance scan (0: as read). Changes nothing in the results.")
        int partitions;
    }

    @Override
    public String name() {
        return "magnitude";
    }

    @Override
    public String description() {
        return "Metric-space magnitude per group: Mag(t) = sum of the weighting w solving exp(-t d) w = 1 on a seeded"
                + " subsample of distinct rows, over a grid of scales up to t_conv (where Mag reaches 95% of the points),"
                + " the slope profile of log Mag against log t, the magnitude dimension (its maximum) with a bootstrap"
                + " interval, and the area under Mag/N over log t.";
    }

    @Override
    public Options options() {
        return new Options();
    }

    @Override
    public List<String> profileMetrics() {
        return List.of("magnitude.dimension");
    }

    @Override
    public List<ReportSection> reportSections() {
        return List.of(new MagnitudeSection());
    }

    @Override
    public Configured configure(Options o, List<String> groupBy) {
        MagnitudeJob.Options job = job(o);
        Fingerprint fp = Fingerprint.of("magnitude", 1).with("max_points", job.maxPoints()).with("seed", job.seed())
                .with("metric", job.l1() ? "l1" : "euclidean").with("scale", job.scale())
                .with("convergence", job.convergence()).with("grid", job.grid()).with("spacing", job.spacing().name())
                .with("decades", job.decades()).with("scales", Arrays.toString(job.scales()))
                .with("bootstrap", job.bootstrap()).with("level", job.level());
        return new Configured("magnitude", Requirement.rows("magnitude", 2), fp,
                (data, run, results) -> Configured.Output.of(MagnitudeJob.run(data, job)));
    }

    static MagnitudeJob.Options job(Options o) {
        String metric = o.metric.trim().toLowerCase(Locale.ROOT);
        if (!metric.equals("euclidean") && !metric.equals("l1")) {
            throw new OptionException("--metric must be euclidean or l1, got '" + o.metric + "'");
        }
        MagnitudeFunction.Spacing spacing;
        try {
            spacing = MagnitudeFunction.Spacing.valueOf(o.spacing.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) { // not a spacing name
            throw new OptionException("--spacing must be log or linear, got '" + o.spacing + "'");
        }
        OptionException.require(o.maxPoints >= 2 && o.maxPoints <= MAX_POINTS,
                "--max-points must be in [2, " + MAX_POINTS + "], got " + o.maxPoints);
        OptionException.require(o.scale > 0 && Double.isFinite(o.scale), "--scale must be finite and > 0, got " + o.scale);
        OptionException.require(o.convergence > 0 && o.convergence < 1, "--convergence must be in (0, 1), got " + o.convergence);
        OptionException.require(o.grid >= 2, "--grid must be >= 2, got " + o.grid);
        OptionException.require(o.decades > 0 && Double.isFinite(o.decades), "--decades must be > 0, got " + o.decades);
        OptionException.require(o.bootstrap == 0 || o.bootstrap >= 2, "--bootstrap must be 0 or >= 2, got " + o.bootstrap);
        OptionException.require(o.level > 0 && o.level < 1, "--level must be in (0, 1), got " + o.level);
        OptionException.require(o.partitions >= 0, "--partitions must be >= 0, got " + o.partitions);
        double[] scales = o.scales.stream().mapToDouble(Double::doubleValue).sorted().distinct().toArray();
        for (double t : scales) {
            OptionException.require(t > 0 && Double.isFinite(t), "--scales: every scale t must be finite and > 0, got " + t);
        }
        OptionException.require(scales.length != 1 || o.bootstrap == 0,
                "--scales with one scale has no dimension to bootstrap; give --bootstrap 0 or more scales");
        return new MagnitudeJob.Options(o.maxPoints, o.seed, metric.equals("l1"), o.scale, o.convergence, o.grid, spacing,
                o.decades, scales, o.bootstrap, o.level, o.partitions);
    }
}
