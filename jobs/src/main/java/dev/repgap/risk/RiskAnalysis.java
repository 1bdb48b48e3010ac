package dev.repgap.risk;

import dev.repgap.analysis.Analysis;
import dev.repgap.analysis.Configured;
import dev.repgap.analysis.Fingerprint;
import dev.repgap.analysis.OptionException;
import dev.repgap.data.ColumnRole;
import dev.repgap.report.ReportSection;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import dev.repgap.stats.ProjectionOptions;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code repgap risk}: kernel ridge regression risk per group: GCV, exact leave-one-out and the measured test risk. */
public final class RiskAnalysis implements Analysis<RiskAnalysis.Options> {
    /** The options of {@code risk}, as on its command line. */
    @Command
    public static final class Options {
        @Option(names = "--lambdas", split = ",", paramLabel = "L1,L2,..",
                description = "Ridge parameters lambda (> 0; scikit-learn's alpha = n lambda). Default: --grid-points"
                        + " values, log-spaced from 1e-7 to 10 times the rows' mean squared norm about the centre.")
        List<Double> lambdas = new ArrayList<>();

        @Option(names = "--grid-points", defaultValue = "60", paramLabel = "G",
                description = "Points of the automatic lambda grid. Default: ${DEFAULT-VALUE}.")
        int gridPoints;

        @Option(names = "--no-intercept", description = "Fit no intercept (do not centre rows and targets).")
        boolean noIntercept;

        @Option(names = "--kernel", defaultValue = "linear", paramLabel = "K",
                description = "linear (default: exact on every row), rbf[:gamma] (exp(-gamma ||x-y||^2); default gamma"
                        + " 1/(p var X), scikit-learn's \"scale\"), laplace[:gamma] (exp(-gamma ||x-y||_1); default 1/(p sd X))"
                        + " or cosine. Kernels other than linear use a seeded subsample of --max-n training rows.")
        String kernel;

        @Option(names = "--max-n", defaultValue = "8000", paramLabel = "N",
                description = "Training rows per group for kernels other than linear (a seeded subsample; the driver holds"
                        + " a few N x N double matrices: about 2.5 GB at 8000). Default: ${DEFAULT-VALUE}.")
        int maxN;

        @Mixin ProjectionOptions projection = new ProjectionOptions();

        @Option(names = "--top-eigenvalues", defaultValue = "10", paramLabel = "K",
                description = "Eigenvalues reported per group. Default: ${DEFAULT-VALUE}.")
        int top;

        @Option(names = "--level", defaultValue = "0.9", paramLabel = "P", description = "Interval level. Default: ${DEFAULT-VALUE}.")
        double level;

        @Option(names = "--bootstrap", defaultValue = "200", paramLabel = "B",
                description = "Bootstrap resamples of the decay exponents' intervals. Default: ${DEFAULT-VALUE}.")
        int bootstrap;
    }

    @Override
    public String name() {
        return "risk";
    }

    @Override
    public String description() {
        return "Kernel ridge regression on the vectors (linear by default; rbf, laplace, cosine) per group, for a grid of ridge"
                + " parameters: GCV, exact"
                + " leave-one-out, training and measured test risk, the lambda GCV picks, and the kernel's spectrum (decay"
                + " exponents of eigenvalues and target energy, kernel-target alignment). Targets: one-hot labels, or a"
                + " numeric target column (--target-col).";
    }

    @Override
    public Options options() {
        return new Options();
    }

    @Override
    public Set<ColumnRole> roles() {
        return Set.of(ColumnRole.TARGET);
    }

    @Override
    public List<String> profileMetrics() {
        return List.of("risk.predicted", "risk.measured");
    }

    @Override
    public List<ReportSection> reportSections() {
        return List.of(new RiskCurvesSection());
    }

    @Override
    public Configured configure(Options o, List<String> groupBy) {
        RiskJob.Options job = job(o);
        Fingerprint fp = Fingerprint.of("risk", 1).with("lambdas", o.lambdas).with("grid_points", o.gridPoints)
                .with("intercept", !o.noIntercept).with("project", o.projection.project)
                .with("seed", o.projection.seed).with("top_eigenvalues", o.top).with("level", o.level).with("bootstrap", o.bootstrap);
        if (!job.linear()) fp = fp.with("kernel", job.kernel().spec()).with("max_n", o.maxN); // linear runs keep their fingerprint
        return new Configured("risk", RiskJob.requirement(job), fp,
                (data, run, results) -> Configured.Output.of(RiskJob.metrics(RiskJob.run(data, job), job.intercept())));
    }

    static RiskJob.Options job(Options o) {
        double[] lambdas = null;
        if (!o.lambdas.isEmpty()) {
            lambdas = new double[o.lambdas.size()];
            for (int i = 0; i < lambdas.length; i++) {
                double l = o.lambdas.get(i);
                if (!(l > 0) || Double.isInfinite(l)) throw new OptionException("--lambdas must be finite and > 0, got " + l);
                lambdas[i] = l;
            }
        }
        if (o.gridPoints < 2 || o.gridPoints > 1000) throw new OptionException("--grid-points must be 2..1000, got " + o.gridPoints);
        o.projection.check();
        if (o.top < 0) throw new OptionException("--top-eigenvalues must be >= 0, got " + o.top);
        if (!(o.level > 0 && o.level < 1)) throw new OptionException("--level must be in (0, 1), got " + o.level);
        if (o.bootstrap < 10) throw new OptionException("--bootstrap must be >= 10, got " + o.bootstrap);
        Kernel kernel;
        try {
            kernel = Kernel.parse(o.kernel);
        } catch (IllegalArgumentException e) {
            throw new OptionException("--kernel: " + e.getMessage());
        }
        if (o.maxN < 2 || o.maxN > 30000) throw new OptionException("--max-n must be 2..30000, got " + o.maxN);
        return new RiskJob.Options(lambdas, o.gridPoints, !o.noIntercept, o.projection.maxDim, o.projection.project,
                o.projection.seed, o.top, o.level, o.bootstrap, kernel, o.maxN);
    }
}
