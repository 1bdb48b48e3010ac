package dev.repgap.alignment;

import static org.apache.spark.sql.functions.array;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.element_at;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.negate;
import static org.apache.spark.sql.functions.transform;
import static org.apache.spark.sql.functions.when;
import static org.apache.spark.sql.functions.zip_with;
import static dev.repgap.results.ResultTable.column;

import dev.repgap.data.Activations;
import dev.repgap.data.ColumnNames;
import dev.repgap.data.ColumnRole;
import dev.repgap.data.GroupKey;
import dev.repgap.data.GroupSummary;
import dev.repgap.data.InputException;
import dev.repgap.data.Requirement;
import dev.repgap.data.TrainingLabels;
import dev.repgap.results.MetricRow;
import dev.repgap.results.ResultTable;
import dev.repgap.results.RunInfo;
import dev.repgap.stats.GroupMoments;
import dev.repgap.stats.GroupRowPass;
import dev.repgap.stats.Moments;
import dev.repgap.stats.RandomProjection;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;

/**
 * {@code repgap alignment}: where the residual lies in the spectrum of the Gram matrix of the vectors, per group
 * (docs/formulas.md section 7). One pass over the training rows gathers {@code Phi^T Phi}, {@code Phi^T r} and
 * {@code r^T r} ({@link GroupMoments}, the residual as the target vector), from which the driver finds the Gram's
 * eigenbasis and the residual's place in it ({@link GramAlignment}); a second pass adds each row's term of the
 * predicted gap ({@link GapPredictor}, its eigenvectors broadcast).
 */
public final class AlignmentJob {
    /** Options as the job needs them. */
    public record Options(double[] fractions, int[] tops, double[] times, int maxDim, Integer project, long seed) {}

    /** What one group gave: the alignment, the predicted gap at each time; {@code source} says how the residual was formed. */
    public record GroupAlignment(GroupKey key, GramAlignment alignment, double[] gap, String source) {}

    private AlignmentJob() {}

    /** The side table {@code alignment_profile}: per group and eigenvalue rank, the residual's energy there. */
    public static final ResultTable PROFILE = ResultTable.side("alignment_profile", "alignment", List.of(
            column("rank", DataTypes.IntegerType), column("eigenvalue", DataTypes.DoubleType),
            column("energy", DataTypes.DoubleType), column("cumulative_energy", DataTypes.DoubleType)), "rank");

    /**
     * The profile's rows: rank k (1 = largest), the eigenvalue {@code mu_k / n} of G/n, the share {@code a_k} of
     * {@code ||r||^2} along u_k and its sum over ranks 1..k.
     */
    public static Dataset<Row> profile(SparkSession spark, RunInfo run, List<GroupAlignment> all) {
        ResultTable.Rows rows = PROFILE.rows(all.stream().map(GroupAlignment::key).toList());
        for (GroupAlignment ga : all) {
            GramAlignment a = ga.alignment();
            double[] mu = a.eigenvalues(), share = a.alignment();
            double cumulative = 0;
            for (int k = 0; k < mu.length; k++) {
                cumulative += share[k];
                rows.add(ga.key(), run.runId(), k + 1, mu[k] / a.n(), share[k], cumulative);
            }
        }
        return rows.frame(spark);
    }

    /** Sums over rows only: no unique ids needed. */
    public static Requirement requirement() {
        return new Requirement("alignment", 1, false).reading(ColumnRole.RESIDUAL, ColumnRole.INITIAL, ColumnRole.TARGET)
                .idsUnused();
    }

    /** Training rows (and unsplit ones) on side 0; test rows are not read. */
    private static final GroupMoments.Sides TRAIN = split -> ColumnNames.TEST.equals(split) ? -1 : 0;

    public static List<GroupAlignment> run(Activations data, Options o) {
        RandomProjection.checkDimensions(data, o.maxDim(), o.project());
        Activations rows = o.project() == null ? data : RandomProjection.apply(data, o.project(), o.seed());
        String input = rows.input();
        // The residual column and its length per group.
        Map<GroupKey, Integer> lengths = new TreeMap<>(Comparator.comparing(GroupKey::toString));
        Column residual;
        String source;
        if (rows.has(ColumnRole.RESIDUAL)) {
            residual = col(ColumnNames.RESIDUAL);
            source = "the residual column '" + rows.names().column(ColumnRole.RESIDUAL) + "'";
            for (GroupSummary g : rows.groups()) lengths.put(g.key(), g.length(ColumnRole.RESIDUAL));
        } else {
            boolean initial = rows.has(ColumnRole.INITIAL);
            String f0 = initial ? "the initial outputs '" + rows.names().column(ColumnRole.INITIAL) + "'" : null;
            if (rows.has(ColumnRole.TARGET)) {
                Column y = col(ColumnNames.TARGET);
                String target = "the targets '" + rows.names().column(ColumnRole.TARGET) + "'";
                for (GroupSummary g : rows.groups()) {
                    int q = g.length(ColumnRole.TARGET);
                    if (initial && g.length(ColumnRole.INITIAL) != q) {
                        throw new InputException("input " + input + ", group " + g.key() + ": " + f0 + " have "
                                + g.length(ColumnRole.INITIAL) + " values per row and " + target + " " + q
                                + "; the residual (initial outputs minus targets) needs equal lengths");
                    }
                    lengths.put(g.key(), q);
                }
                residual = initial ? zip_with(col(ColumnNames.INITIAL), y, (a, b) -> a.minus(b)) : transform(y, v -> negate(v));
                source = initial ? f0 + " minus " + target : "minus " + target + " (zero initial outputs)";
            } else {
                List<String> classes = classes(rows);
                String labels = "one-hot labels '" + rows.names().column(ColumnRole.LABEL) + "' (classes in the order "
                        + (classes.size() <= 12 ? String.join(", ", classes) : classes.size() + " sorted") + ")";
                Column label = col(ColumnNames.LABEL).cast("string");
                List<Column> entries = new ArrayList<>();
                for (int j = 0; j < classes.size(); j++) {
                    Column y = when(label.equalTo(classes.get(j)), lit(1.0)).otherwise(lit(0.0));
                    entries.add(initial ? element_at(col(ColumnNames.INITIAL), j + 1).minus(y) : negate(y));
                }
                for (GroupSummary g : rows.groups()) {
                    if (initial && g.length(ColumnRole.INITIAL) != classes.size()) {
                        throw new InputException("input " + input + ", group " + g.key() + ": " + f0 + " have "
                                + g.length(ColumnRole.INITIAL) + " values per row but the training rows' labels have "
                                + classes.size() + " classes; the residual needs one output per class (or give"
                                + " --residual-col or --target-col)");
                    }
                    lengths.put(g.key(), classes.size());
                }
                residual = array(entries.toArray(new Column[0]));
                source = initial ? f0 + " minus " + labels : "minus " + labels + " (zero initial outputs)";
            }
        }
        // Groups of one residual length share a pass.
        Map<Integer, List<GroupSummary>> byLength = new TreeMap<>();
        for (GroupSummary g : rows.groups()) byLength.computeIfAbsent(lengths.get(g.key()), k -> new ArrayList<>()).add(g);
        List<GroupAlignment> out = new ArrayList<>();
        for (Map.Entry<Integer, List<GroupSummary>> bucket : byLength.entrySet()) {
            List<GroupSummary> groups = bucket.getValue();
            int q = bucket.getKey();
            Moments[][] moments = GroupMoments.compute(rows, groups, TRAIN, 1, residual, q);
            List<GramAlignment> alignments = new ArrayList<>();
            List<GapPredictor> predictors = new ArrayList<>();
            for (int g = 0; g < groups.size(); g++) {
                Moments m = moments[g][0];
                if (m.n() < 1) {
                    throw new InputException("input " + input + ", group " + groups.get(g).key() + ": no training rows"
                            + " (alignment reads the rows whose split is train or unset)");
                }
                alignments.add(GramAlignment.of(m));
                predictors.add(alignments.get(g).gapPredictor(o.times()));
            }
            // The gap predictor's pass: each training row's own term, the eigenvectors broadcast.
            Broadcast<List<GapPredictor>> shared = JavaSparkContext.fromSparkContext(rows.rows().sparkSession().sparkContext())
                    .broadcast(predictors);
            List<GapSums> sums = GroupRowPass.run(rows, groups, TRAIN, residual, q, group -> new GapSums(shared.value().get(group).sums()));
            shared.destroy();
            for (int g = 0; g < groups.size(); g++) {
                out.add(new GroupAlignment(groups.get(g).key(), alignments.get(g), predictors.get(g).predict(sums.get(g).sums), source));
            }
        }
        List<GroupAlignment> ordered = new ArrayList<>();
        for (GroupSummary g : data.groups()) {
            for (GroupAlignment a : out) if (a.key().equals(g.key())) ordered.add(a);
        }
        return ordered;
    }

    /** The gap predictor's pass accumulator (training rows only). */
    static final class GapSums implements GroupRowPass.Accumulator<GapSums> {
        private static final long serialVersionUID = 1L;
        final GapPredictor.Sums sums;

        GapSums(GapPredictor.Sums sums) {
            this.sums = sums;
        }

        @Override
        public void add(int side, float[] x, double[] y) {
            sums.add(x, y);
        }

        @Override
        public GapSums merge(GapSums other) {
            sums.merge(other.sums);
            return this;
        }
    }

    /**
     * The classes of the training rows' labels over all groups, sorted (numerically when every label is an integer);
     * a training row without label is refused.
     */
    private static List<String> classes(Activations data) {
        TreeSet<String> all = new TreeSet<>();
        TrainingLabels.classes(data, "alignment needs a residual: --residual-col, or targets (--target-col) or labels"
                + " (--label-col), with --initial-col for non-zero initial outputs").values().forEach(all::addAll);
        List<String> out = new ArrayList<>(all);
        if (out.stream().allMatch(c -> c.matches("-?\\d{1,18}"))) out.sort(Comparator.comparingLong(Long::parseLong));
        return out;
    }

    private static String number(double v) {
        return String.format(Locale.ROOT, "%.6g", v);
    }

    /** The metric rows of every group. */
    public static List<MetricRow> metrics(List<GroupAlignment> all, Options o) {
        List<MetricRow> out = new ArrayList<>();
        for (GroupAlignment ga : all) {
            GramAlignment a = ga.alignment();
            GroupKey k = ga.key();
            long n = a.n();
            String residual = "residual: " + ga.source() + (a.outputs() > 1 ? ", energies summed over " + a.outputs()
                    + " outputs" : "");
            String gram = "the Gram matrix of the training rows' vectors (rank " + a.rank() + ")";
            for (double f : o.fractions()) {
                out.add(MetricRow.of(k, "alignment.energy_bottom", "fraction=" + number(f), a.energyBottom(f), n)
                        .withDetails("share of ||r||^2 along the eigenvectors of the " + a.bottomCount(f) + " smallest non-zero"
                                + " eigenvalues of " + gram + "; " + residual));
            }
            for (int t : o.tops()) {
                out.add(MetricRow.of(k, "alignment.energy_top", "k=" + t, a.energyTop(t), n)
                        .withDetails("share of ||r||^2 along the eigenvectors of the " + Math.min(t, a.rank())
                                + " largest eigenvalues of " + gram + "; " + residual));
            }
            out.add(MetricRow.of(k, "alignment.outside_span", null, a.outsideSpan(), n)
                    .withDetails("share of ||r||^2 outside the span of " + gram + "; " + residual));
            out.add(MetricRow.of(k, "alignment.weighted_eigenvalue", null, a.weightedEigenvalue(), n)
                    .withDetails("r^T G r / (n ||r||^2): eigenvalues of G/n weighted by the residual's energy; " + residual));
            for (int i = 0; i < o.times().length; i++) {
                double t = o.times()[i];
                out.add(MetricRow.of(k, "alignment.train_loss_predicted", "t=" + number(t), a.trainLoss(t), n)
                        .withDetails("||r(t)||^2 / (2n), r(t) = exp(-G t / n) r(0): gradient flow on the squared loss with"
                                + " the Gram fixed (kernel regime), t = learning rate x steps; " + residual));
                out.add(MetricRow.of(k, "alignment.gap_predicted", "t=" + number(t), ga.gap()[i], n)
                        .withDetails("reconstructed: first-order replace-one stability of gradient flow with the Gram fixed,"
                                + " (1/n^2) int_0^t r(t)^T [Diag A(t-s) - A(t-s)/n] r(s) ds, A(tau) = exp(-G tau/n) G; expected"
                                + " test minus training loss (1/2)||f - y||^2; reads low when p approaches n; " + residual));
            }
        }
        return out;
    }
}
