package dev.repgap.gap;

import dev.repgap.analysis.Analysis;
import dev.repgap.analysis.Configured;
import dev.repgap.analysis.Fingerprint;
import dev.repgap.analysis.OptionException;
import dev.repgap.data.Activations;
import dev.repgap.data.GroupSummary;
import dev.repgap.data.Requirement;
import dev.repgap.report.ReportSection;
import dev.repgap.results.ResultTable;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.SparkSession;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code repgap gap}: the Representation Gap per group, its law and the dimension it implies. */
public final class GapAnalysis implements Analysis<GapAnalysis.Options> {
    /** The options of {@code gap}, as on its command line. */
    @Command
    public static final class Options {
        @Option(names = "--rankings", defaultValue = "8", paramLabel = "R",
                description = "Independent seeded random orders of the training rows. Default: ${DEFAULT-VALUE}.")
        int rankings;

        @Option(names = "--grid-points", defaultValue = "32", paramLabel = "G",
                description = "Training-set sizes n on the curve, geometric up to all training rows (at most 127)."
                        + " Default: ${DEFAULT-VALUE}.")
        int points;

        @Option(names = "--smallest-n", defaultValue = "16", paramLabel = "N", description = "Smallest n. Default: ${DEFAULT-VALUE}.")
        long smallest;

        @Option(names = "--fit-from", paramLabel = "N",
                description = "Fit the law on grid sizes n >= N. Default: the upper half of the grid in log n.")
        Long fitFrom;

        @Option(names = "--target", paramLabel = "RG",
                description = "A target gap: report the training-set size that reaches it (repeatable).")
        List<Double> targets = new ArrayList<>();

        @Option(names = "--symmetry", paramLabel = "SPEC",
                description = "A symmetry of the architecture (repeatable; together they generate the group): perm:(0 2 4)(1 3 5)"
                        + " (coordinate cycles), sign:0,3 (sign flips), shift[:S] (cyclic shifts of a 1-D signal),"
                        + " and with --image-shape: hflip, vflip, rot90, translate[:S].")
        List<String> symmetries = new ArrayList<>();

        @Option(names = "--image-shape", paramLabel = "HxWxC",
                description = "Vectors are images, row-major H, W, C (NumPy HWC order), for the image symmetries.")
        String imageShape;

        @Option(names = "--max-group-order", defaultValue = "4096", paramLabel = "K",
                description = "Refuse symmetry groups with more elements (each multiplies the scan). Default: ${DEFAULT-VALUE}.")
        int maxOrder;

        @Option(names = "--queries", defaultValue = "0", paramLabel = "N",
                description = "Seeded subsample of N test rows per group; 0: all. Default: ${DEFAULT-VALUE}.")
        long queries;

        @Option(names = "--seed", defaultValue = "0", paramLabel = "S", description = "Seed of rankings, subsample and bootstrap.")
        long seed;

        @Option(names = "--test-fraction", paramLabel = "F",
                description = "Hold out a seeded fraction F of each group's rows without a split as its test rows (chosen by a"
                        + " hash of id and --seed), the rest as training rows; rows with a split keep it. Default: none"
                        + " (the input's own split).")
        Double testFraction;

        @Option(names = "--level", defaultValue = "0.9", paramLabel = "P", description = "Interval level. Default: ${DEFAULT-VALUE}.")
        double level;

        @Option(names = "--bootstrap", defaultValue = "200", paramLabel = "B",
                description = "Bootstrap resamples (over test rows and rankings). Default: ${DEFAULT-VALUE}.")
        int bootstrap;

        @Option(names = "--charts", paramLabel = "DIR",
                description = "Where to save one SVG chart per group. Default: DIR/charts of --out, none without --out.")
        String charts;

        @Option(names = "--partitions", defaultValue = "0", paramLabel = "P",
                description = "Training-row partitions of the scan (0: as read). Each is scanned in enough slices of the"
                        + " test rows to keep every core busy.")
        int partitions;

        @Option(names = "--block-rows", defaultValue = "4096", paramLabel = "N",
                description = "Training rows (with their symmetric copies) per block in a task. Default: ${DEFAULT-VALUE}.")
        int blockRows;

        @Option(names = "--round-mb", defaultValue = "512", paramLabel = "MB",
                description = "Memory for one round of broadcast test rows and their curves. Default: ${DEFAULT-VALUE}.")
        double roundMb;
    }

    @Override
    public String name() {
        return "gap";
    }

    @Override
    public String description() {
        return "The Representation Gap per group: RG(n), the mean squared distance from a test row to its nearest"
                + " among n training rows, over a grid of n from one cross scan; its law C n^(-2/d), the dimension d and"
                + " constant C it implies, extrapolations, and the gap under architecture symmetries.";
    }

    @Override
    public List<String> profileMetrics() {
        return List.of("gap.dimension");
    }

    @Override
    public Options options() {
        return new Options();
    }

    @Override
    public List<ResultTable> tables() {
        return List.of(GapOutputs.CURVES);
    }

    @Override
    public List<ReportSection> reportSections() {
        return List.of(new GapCurvesSection());
    }

    /** Charts go to --charts, else beside the results (DIR/charts), else nowhere. */
    @Override
    public Configured configure(Options options, List<String> groupBy) {
        GapJob.Options o = job(options);
        String chartsOption = options.charts;
        Double fraction = options.testFraction;
        long holdOutSeed = options.seed;
        Requirement need = new Requirement("gap", options.smallest + 2, true);
        // Memory and partitioning settings (--partitions, --block-rows, --round-mb) and --charts change no result.
        GapScan.Options scan = o.scan();
        Fingerprint fp = Fingerprint.of("gap", 1).with("rankings", scan.rankings()).with("grid_points", scan.points())
                .with("smallest_n", scan.smallest()).with("queries", scan.queries()).with("seed", scan.seed())
                .with("fit_from", o.fitFrom()).with("targets", o.targets()).with("symmetries", o.symmetries())
                .with("image_shape", o.imageShape()).with("max_group_order", o.maxOrder()).with("level", o.level())
                .with("bootstrap", o.bootstrap()).with("test_fraction", fraction);
        // With --test-fraction the split is made here, so the groups are checked for test rows after it.
        return new Configured("gap", fraction == null ? need : Requirement.rows("gap", need.minRows()), fp,
                java.util.Arrays.asList("--charts", chartsOption),
                (loaded, run, results) -> {
                    Activations data = fraction == null ? loaded : loaded.holdOut(fraction, holdOutSeed);
                    for (GroupSummary g : data.groups()) need.check(data.input(), data.names(), g);
                    List<GapJob.GroupGap> gaps = GapJob.run(data, o);
                    SparkSession session = data.rows().sparkSession();
                    String chartDir = chartsOption != null ? chartsOption : results == null ? null : results + "/charts";
                    if (chartDir != null) GapOutputs.writeCharts(session, chartDir, run, gaps);
                    return new Configured.Output(GapJob.metrics(gaps, o.targets()),
                            Map.of(GapOutputs.CURVES.name(), GapOutputs.curves(session, run, gaps)),
                            out -> GapJob.print(gaps, o.targets(), out), true);
                });
    }

    static GapJob.Options job(Options o) {
        if (o.rankings < 1 || o.rankings > 64) throw new OptionException("--rankings must be 1..64, got " + o.rankings);
        if (o.points < 3 || o.points > 127) throw new OptionException("--grid-points must be 3..127, got " + o.points);
        if (o.smallest < 1) throw new OptionException("--smallest-n must be >= 1, got " + o.smallest);
        if (!(o.level > 0 && o.level < 1)) throw new OptionException("--level must be in (0, 1), got " + o.level);
        if (o.bootstrap < 10 || o.queries < 0 || o.partitions < 0 || o.blockRows < 1 || !(o.roundMb > 0)) {
            throw new OptionException("--bootstrap >= 10, --queries >= 0, --partitions >= 0, --block-rows >= 1"
                    + " and --round-mb > 0 are needed");
        }
        if (o.testFraction != null && !(o.testFraction > 0 && o.testFraction < 1)) {
            throw new OptionException("--test-fraction must be in (0, 1), got " + o.testFraction);
        }
        for (double t : o.targets) {
            if (!(t > 0)) throw new OptionException("--target must be a positive gap, got " + t);
        }
        if (o.imageShape != null) {
            try {
                SymmetryGroup.parseImageShape(o.imageShape);
            } catch (IllegalArgumentException e) { // a malformed shape: said now, not after the scan
                throw new OptionException("--image-shape: " + e.getMessage(), e);
            }
        }
        GapScan.Options scan = new GapScan.Options(o.rankings, o.points, o.smallest, o.queries, o.seed, o.blockRows, 1024,
                (long) (o.roundMb * (1 << 20)), o.partitions);
        return new GapJob.Options(scan, o.fitFrom, o.targets, o.symmetries, o.imageShape, o.maxOrder, o.level, o.bootstrap);
    }
}
