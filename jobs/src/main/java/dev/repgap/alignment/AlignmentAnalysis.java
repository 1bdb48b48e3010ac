package dev.repgap.alignment;

import dev.repgap.analysis.Analysis;
import dev.repgap.analysis.Configured;
import dev.repgap.analysis.Fingerprint;
import dev.repgap.analysis.OptionException;
import dev.repgap.data.ColumnRole;
import dev.repgap.results.MetricRow;
import dev.repgap.results.ResultPrinter;
import dev.repgap.results.ResultTable;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import dev.repgap.stats.ProjectionOptions;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code repgap alignment}: where the residual (outputs minus targets, e.g. at initialisation) lies in the spectrum of
 * the Gram matrix of the vectors, and the training loss of the kernel regime.
 */
public final class AlignmentAnalysis implements Analysis<AlignmentAnalysis.Options> {
    /** The options of {@code alignment}, as on its command line. */
    @Command
    public static final class Options {
        @Option(names = "--fractions", split = ",", paramLabel = "F1,F2,..",
                description = "Fractions (0, 1] of the ranks for alignment.energy_bottom. Default: 0.1,0.5.")
        List<Double> fractions = new ArrayList<>(List.of(0.1, 0.5));

        @Option(names = "--top", split = ",", paramLabel = "K1,K2,..",
                description = "Numbers of leading eigenvalues for alignment.energy_top. Default: 1,10.")
        List<Integer> tops = new ArrayList<>(List.of(1, 10));

        @Option(names = "--times", split = ",", paramLabel = "T1,T2,..",
                description = "Flow times t (learning rate x steps, >= 0) for alignment.train_loss_predicted and"
                        + " alignment.gap_predicted."
                        + " Default: 1,10,100,1000.")
        List<Double> times = new ArrayList<>(List.of(1.0, 10.0, 100.0, 1000.0));

        @Mixin ProjectionOptions projection = new ProjectionOptions();
    }

    @Override
    public String name() {
        return "alignment";
    }

    @Override
    public String description() {
        return "Where the residual (--residual-col; or --initial-col minus targets or one-hot labels; or minus the targets)"
                + " lies in the spectrum of the Gram matrix of the vectors (e.g. per-sample gradient features): energy"
                + " along the smallest and largest eigenvalues, outside the span, the weighted eigenvalue, and the"
                + " kernel-regime training loss under gradient flow.";
    }

    @Override
    public Options options() {
        return new Options();
    }

    @Override
    public Set<ColumnRole> roles() {
        return Set.of(ColumnRole.RESIDUAL, ColumnRole.INITIAL, ColumnRole.TARGET);
    }

    @Override
    public List<ResultTable> tables() {
        return List.of(AlignmentJob.PROFILE);
    }

    @Override
    public List<dev.repgap.report.ReportSection> reportSections() {
        return List.of(new AlignmentSection());
    }

    @Override
    public List<String> profileMetrics() {
        return List.of("alignment.weighted_eigenvalue", "alignment.outside_span");
    }

    @Override
    public Configured configure(Options o, List<String> groupBy) {
        AlignmentJob.Options job = job(o);
        Fingerprint fp = Fingerprint.of("alignment", 2).with("fractions", o.fractions).with("top", o.tops)
                .with("times", o.times).with("project", o.projection.project).with("seed", o.projection.seed);
        return new Configured("alignment", AlignmentJob.requirement(), fp,
                (data, run, results) -> {
                    List<AlignmentJob.GroupAlignment> all = AlignmentJob.run(data, job);
                    List<MetricRow> metrics = AlignmentJob.metrics(all, job);
                    return new Configured.Output(metrics, Map.of(AlignmentJob.PROFILE.name(),
                            AlignmentJob.profile(data.rows().sparkSession(), run, all)),
                            out -> ResultPrinter.table(metrics, out), true);
                });
    }

    static AlignmentJob.Options job(Options o) {
        double[] fractions = new double[o.fractions.size()];
        for (int i = 0; i < fractions.length; i++) {
            double f = o.fractions.get(i);
            if (!(f > 0 && f <= 1)) throw new OptionException("--fractions must be in (0, 1], got " + f);
            fractions[i] = f;
        }
        int[] tops = new int[o.tops.size()];
        for (int i = 0; i < tops.length; i++) {
            int k = o.tops.get(i);
            if (k < 1) throw new OptionException("--top must be >= 1, got " + k);
            tops[i] = k;
        }
        double[] times = new double[o.times.size()];
        for (int i = 0; i < times.length; i++) {
            double t = o.times.get(i);
            if (!(t >= 0) || Double.isInfinite(t)) throw new OptionException("--times must be finite and >= 0, got " + t);
            times[i] = t;
        }
        o.projection.check();
        return new AlignmentJob.Options(fractions, tops, times, o.projection.maxDim, o.projection.project, o.projection.seed);
    }
}
