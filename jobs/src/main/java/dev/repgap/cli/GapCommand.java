package dev.repgap.cli;

import dev.repgap.data.Activations;
import dev.repgap.data.GroupSummary;
import dev.repgap.data.Requirement;
import dev.repgap.gap.GapJob;
import dev.repgap.gap.GapOutputs;
import dev.repgap.gap.GapScan;
import dev.repgap.gap.SymmetryGroup;

import dev.repgap.results.Analysis;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.apache.spark.sql.SparkSession;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

@Command(name = "gap", mixinStandardHelpOptions = true,
        description = "The Representation Gap per group: RG(n), the mean squared distance from a test row to its nearest"
                + " among n training rows, over a grid of n from one cross scan; its law C n^(-2/d), the dimension d and"
                + " constant C it implies, extrapolations, and the gap under architecture symmetries.")
final class GapCommand implements Callable<Integer> {
    @Mixin InputOptions input;
    @Mixin OutputOptions output;
    @Mixin SparkOptions spark;
    @Spec CommandSpec spec;

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

    @Override
    public Integer call() {
        OutputPaths.directory("--charts", charts);
        return output.run(analysis(), input, spark, spec);
    }

    /** Charts go to --charts, else beside the results (DIR/charts), else nowhere. */
    Analysis analysis() {
        GapJob.Options o = options();
        String chartsOption = charts;
        Double fraction = testFraction;
        long holdOutSeed = seed;
        Requirement need = new Requirement("gap", smallest + 2, true);
        // With --test-fraction the split is made here, so the groups are checked for test rows after it.
        return new Analysis("gap", fraction == null ? need : Requirement.rows("gap", need.minRows()),
                fraction == null ? o.toString() : o + ", testFraction=" + fraction,
                (loaded, run, results) -> {
                    Activations data = fraction == null ? loaded : loaded.holdOut(fraction, holdOutSeed);
                    for (GroupSummary g : data.groups()) need.check(data.input(), data.names(), g);
                    List<GapJob.GroupGap> gaps = GapJob.run(data, o);
                    SparkSession session = data.rows().sparkSession();
                    String chartDir = chartsOption != null ? chartsOption : results == null ? null : results + "/charts";
                    if (chartDir != null) GapOutputs.writeCharts(session, chartDir, run, gaps);
                    return new Analysis.Output(GapJob.metrics(gaps, o.targets()),
                            Map.of(GapOutputs.CURVES, GapOutputs.curves(session, run, gaps)),
                            out -> GapJob.print(gaps, o.targets(), out));
                });
    }

    private GapJob.Options options() {
        if (rankings < 1 || rankings > 64) throw new IllegalArgumentException("--rankings must be 1..64, got " + rankings);
        if (points < 3 || points > 127) throw new IllegalArgumentException("--grid-points must be 3..127, got " + points);
        if (smallest < 1) throw new IllegalArgumentException("--smallest-n must be >= 1, got " + smallest);
        if (!(level > 0 && level < 1)) throw new IllegalArgumentException("--level must be in (0, 1), got " + level);
        if (bootstrap < 10 || queries < 0 || partitions < 0 || blockRows < 1 || !(roundMb > 0)) {
            throw new IllegalArgumentException("--bootstrap >= 10, --queries >= 0, --partitions >= 0, --block-rows >= 1"
                    + " and --round-mb > 0 are needed");
        }
        if (testFraction != null && !(testFraction > 0 && testFraction < 1)) {
            throw new IllegalArgumentException("--test-fraction must be in (0, 1), got " + testFraction);
        }
        for (double t : targets) {
            if (!(t > 0)) throw new IllegalArgumentException("--target must be a positive gap, got " + t);
        }
        if (imageShape != null) SymmetryGroup.parseImageShape(imageShape); // fails early on a malformed shape
        GapScan.Options scan = new GapScan.Options(rankings, points, smallest, queries, seed, blockRows, 1024,
                (long) (roundMb * (1 << 20)), partitions);
        return new GapJob.Options(scan, fitFrom, targets, symmetries, imageShape, maxOrder, level, bootstrap);
    }
}
