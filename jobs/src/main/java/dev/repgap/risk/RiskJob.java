package dev.repgap.risk;

import static org.apache.spark.sql.functions.array;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.when;

import dev.repgap.data.Activations;
import dev.repgap.data.ColumnNames;
import dev.repgap.data.ColumnRole;
import dev.repgap.data.GroupKey;
import dev.repgap.data.GroupSummary;
import dev.repgap.data.InputException;
import dev.repgap.data.Requirement;
import dev.repgap.data.TrainingLabels;
import dev.repgap.results.MetricRow;
import dev.repgap.stats.Bootstrap;
import dev.repgap.stats.GroupMoments;
import dev.repgap.stats.GroupRowPass;
import dev.repgap.stats.Measured;
import dev.repgap.stats.Moments;
import dev.repgap.stats.RandomProjection;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.sql.Column;

/**
 * {@code repgap risk}: kernel ridge regression per group along a grid of ridge parameters, with GCV, exact
 * leave-one-out, training and measured test risk (docs/formulas.md section 5). The linear kernel, on every row, takes
 * two passes over the rows: the moments of the training and test rows ({@link GroupMoments}), then, after one
 * eigendecomposition per group on the driver, the leave-one-out residuals of every training row and the test rows'
 * predicted classes ({@link GroupRowPass}). Other kernels work on a subsample of the training rows ({@link KernelRisk}).
 */
public final class RiskJob {
    /** Options as the job needs them. {@code lambdas} null: the automatic grid of {@code gridPoints}. */
    public record Options(double[] lambdas, int gridPoints, boolean intercept, int maxDim, Integer project, long seed,
                          int topEigenvalues, double level, int bootstrap, Kernel kernel, int maxN) {
        /** The linear kernel on every row. */
        public Options(double[] lambdas, int gridPoints, boolean intercept, int maxDim, Integer project, long seed,
                       int topEigenvalues, double level, int bootstrap) {
            this(lambdas, gridPoints, intercept, maxDim, project, seed, topEigenvalues, level, bootstrap, Kernel.LINEAR, 0);
        }

        boolean linear() {
            return kernel.type() == Kernel.Type.LINEAR;
        }
    }

    /** What one group gave. */
    public record GroupRisk(GroupKey key, long train, long test, int dim, int outputs, boolean classification,
                            double[] lambdas, double[] gcv, double[] loo, double[] testRisk, double[] trainRisk,
                            double[] df, int chosen, double errorRate, double[] eigenvalues, Measured eigenExponent,
                            Measured targetExponent, int fitTo, double alignment, String kernel, long trainRows) {}

    /** The linear kernel sums over rows and needs no unique ids; other kernels pick their subsample by id. */
    public static Requirement requirement(Options o) {
        Requirement r = new Requirement("risk", 3, true).reading(ColumnRole.TARGET);
        return o.linear() ? r.idsUnused() : r;
    }

    private RiskJob() {}

    public static List<GroupRisk> run(Activations data, Options o) {
        boolean numeric = data.has(ColumnRole.TARGET);
        RandomProjection.checkDimensions(data, o.maxDim(), o.project());
        Activations rows = o.project() == null ? data : RandomProjection.apply(data, o.project(), o.seed());
        // Targets: the numeric target column, else one-hot labels over every class seen.
        Map<GroupKey, Integer> outputs = new HashMap<>();
        Column targets;
        List<String> classes = List.of();
        Map<GroupKey, boolean[]> present = new HashMap<>();
        if (numeric) {
            for (GroupSummary g : rows.groups()) outputs.put(g.key(), g.length(ColumnRole.TARGET));
            targets = col(ColumnNames.TARGET);
        } else {
            Map<GroupKey, TreeSet<String>> perGroup = labels(rows);
            TreeSet<String> all = new TreeSet<>();
            perGroup.values().forEach(all::addAll);
            classes = new ArrayList<>(all);
            List<Column> oneHot = new ArrayList<>();
            Column label = col(ColumnNames.LABEL).cast("string");
            for (String c : classes) oneHot.add(when(label.equalTo(c), lit(1.0)).otherwise(lit(0.0)));
            targets = array(oneHot.toArray(new Column[0]));
            for (GroupSummary g : rows.groups()) {
                outputs.put(g.key(), classes.size());
                boolean[] mask = new boolean[classes.size()];
                for (String c : perGroup.get(g.key())) mask[classes.indexOf(c)] = true;
                present.put(g.key(), mask);
            }
        }
        // Groups of one target length share a pass.
        Map<Integer, List<GroupSummary>> byLength = new TreeMap<>();
        for (GroupSummary g : rows.groups()) byLength.computeIfAbsent(outputs.get(g.key()), k -> new ArrayList<>()).add(g);
        List<GroupRisk> out = new ArrayList<>();
        JavaSparkContext sc = JavaSparkContext.fromSparkContext(rows.rows().sparkSession().sparkContext());
        for (Map.Entry<Integer, List<GroupSummary>> bucket : byLength.entrySet()) {
            int q = bucket.getKey();
            List<GroupSummary> groups = bucket.getValue();
            boolean classification = !numeric;
            if (o.linear()) out.addAll(linear(rows, groups, targets, q, classification, o, sc));
            else {
                for (KernelRisk.Fit f : KernelRisk.run(rows, groups, targets, q, classification, o)) {
                    KernelRidgePath path = f.path();
                    out.add(summarise(f.group(), path.n(), f.testRows(), q, classification, path.lambdas(), path.gcv(),
                            path.loo(), f.testRisk(), path.trainRisk(), path.df(), f.chosen(), f.errorRate(),
                            path.gramEigenvalues(), path.targetEnergy(), path.alignment(), f.kernel().describe(), f.trainRows(), o));
                }
            }
        }
        List<GroupRisk> ordered = new ArrayList<>();
        for (GroupSummary g : data.groups()) {
            for (GroupRisk r : out) if (r.key().equals(g.key())) ordered.add(r);
        }
        return ordered;
    }

    /** The linear kernel on every row: the moments pass, one eigendecomposition per group, the leave-one-out pass. */
    private static List<GroupRisk> linear(Activations rows, List<GroupSummary> groups, Column targets, int q,
                                          boolean classification, Options o, JavaSparkContext sc) {
        List<Moments[]> moments = GroupMoments.trainTest(rows, groups, targets, q);
        List<RidgePath> paths = new ArrayList<>();
        List<RidgeRows> models = new ArrayList<>();
        int[] chosen = new int[groups.size()];
        double[][] gcv = new double[groups.size()][];
        for (int g = 0; g < groups.size(); g++) {
            Moments train = moments.get(g)[0];
            double[] lambdas = o.lambdas() != null ? o.lambdas() : RidgePath.automaticGrid(train, o.intercept(), o.gridPoints());
            RidgePath path = RidgePath.fit(train, o.intercept(), lambdas);
            paths.add(path);
            models.add(path.looModel());
            gcv[g] = path.gcv();
            chosen[g] = argmin(gcv[g]);
        }
        Broadcast<List<RidgeRows>> shared = sc.broadcast(models);
        int[] pick = chosen.clone();
        List<LooSums> sums = GroupRowPass.run(rows, groups,
                classification ? GroupMoments.TRAIN_TEST : split -> ColumnNames.TEST.equals(split) ? -1 : 0, targets, q,
                group -> new LooSums(shared.value().get(group).sums(classification ? pick[group] : -1)));
        shared.destroy();
        List<GroupRisk> out = new ArrayList<>();
        for (int g = 0; g < groups.size(); g++) {
            RidgePath path = paths.get(g);
            Moments test = moments.get(g)[1];
            RidgeRows.Sums s = sums.get(g).sums;
            out.add(summarise(groups.get(g), path.n(), test.n(), q, classification, path.lambdas(), gcv[g], s.loo(),
                    path.testRisk(test), path.trainRisk(), path.df(), chosen[g], classification ? s.errorRate() : Double.NaN,
                    path.gramEigenvalues(), path.targetEnergy(), path.alignment(), Kernel.LINEAR.describe(), path.n(), o));
        }
        return out;
    }

    /** A group's risks along the grid with its kernel's spectrum: the top eigenvalues of K/n and the decay exponents. */
    private static GroupRisk summarise(GroupSummary gs, long n, long test, int q, boolean classification, double[] lambdas,
                                       double[] gcv, double[] loo, double[] testRisk, double[] trainRisk, double[] df,
                                       int chosen, double errorRate, double[] mu, double[] targetEnergy, double alignment,
                                       String kernel, long trainRows, Options o) {
        double[] eig = new double[Math.min(o.topEigenvalues(), mu.length)];
        for (int i = 0; i < eig.length; i++) eig[i] = mu[i] / n;
        int rank = 0;
        for (double m : mu) if (m > mu[0] * 1e-6) rank++;
        rank = (int) Math.min(rank, n - (o.intercept() ? 1 : 0));
        int fitTo = RankDecay.defaultTo(rank);
        Bootstrap boot = new Bootstrap(o.bootstrap(), o.seed());
        Measured eigenExponent = RankDecay.exponent(mu, 1, fitTo, o.level(), boot);
        Measured targetExponent = RankDecay.exponent(targetEnergy, 1, fitTo, o.level(), boot);
        return new GroupRisk(gs.key(), n, test, gs.dim(), q, classification, lambdas, gcv, loo, testRisk, trainRisk, df,
                chosen, errorRate, eig, eigenExponent, targetExponent, fitTo, alignment, kernel, trainRows);
    }

    /** The LOO pass's accumulator: training rows on side 0, test rows on side 1. */
    static final class LooSums implements GroupRowPass.Accumulator<LooSums> {
        private static final long serialVersionUID = 1L;
        final RidgeRows.Sums sums;

        LooSums(RidgeRows.Sums sums) {
            this.sums = sums;
        }

        @Override
        public void add(int side, float[] x, double[] y) {
            if (side == 0) sums.addTrain(x, y);
            else sums.addTest(x, y);
        }

        @Override
        public LooSums merge(LooSums other) {
            sums.merge(other.sums);
            return this;
        }
    }

    /** The classes of each group's training rows; a group with a row without label, or one class, is refused. */
    private static Map<GroupKey, TreeSet<String>> labels(Activations data) {
        Map<GroupKey, TreeSet<String>> classes = TrainingLabels.classes(data, "risk needs one-hot targets from labels"
                + " (--label-col) or a numeric target column (--target-col)");
        String column = data.names().column(ColumnRole.LABEL);
        for (GroupSummary g : data.groups()) {
            String where = "input " + data.input() + ", group " + g.key() + ": ";
            TreeSet<String> c = classes.getOrDefault(g.key(), new TreeSet<>());
            if (c.size() < 2) {
                throw new InputException(where + "the training rows' labels in column '" + column + "' have " + c.size()
                        + " class" + (c.size() == 1 ? " (" + c.first() + ")" : "es") + "; risk needs at least 2 (or a numeric"
                        + " target column, --target-col)");
            }
        }
        return classes;
    }

    static int argmin(double[] v) {
        int best = 0;
        for (int i = 1; i < v.length; i++) if (v[i] < v[best]) best = i;
        return best;
    }

    static String lambdaParam(double lambda) {
        return String.format(Locale.ROOT, "lambda=%.6g", lambda);
    }

    /** The metric rows of every group. */
    public static List<MetricRow> metrics(List<GroupRisk> risks, boolean intercept) {
        List<MetricRow> out = new ArrayList<>();
        for (GroupRisk r : risks) {
            GroupKey k = r.key();
            long n = r.train();
            String risk = "mean over rows of the squared error summed over " + r.outputs() + " output"
                    + (r.outputs() == 1 ? "" : "s") + (intercept ? "" : ", no intercept") + fitted(r);
            for (int l = 0; l < r.lambdas().length; l++) {
                String param = lambdaParam(r.lambdas()[l]);
                out.add(MetricRow.of(k, "risk.gcv", param, r.gcv()[l], n).withDetails("GCV; " + risk));
                out.add(MetricRow.of(k, "risk.loo", param, r.loo()[l], n).withDetails("exact leave-one-out; " + risk));
                out.add(MetricRow.of(k, "risk.test", param, r.testRisk()[l], r.test()).withDetails("measured on the test rows; " + risk));
                out.add(MetricRow.of(k, "risk.train", param, r.trainRisk()[l], n));
                out.add(MetricRow.of(k, "risk.df", param, r.df()[l], n).withDetails("effective degrees of freedom tr S"));
            }
            int c = r.chosen();
            double lambda = r.lambdas()[c];
            String at = "at " + lambdaParam(lambda) + ", the grid point minimising GCV";
            out.add(MetricRow.of(k, "risk.lambda", null, lambda, n).withDetails("the lambda minimising GCV over the grid"
                    + " (scikit-learn alpha = n lambda = " + String.format(Locale.ROOT, "%.6g", n * lambda) + ")"));
            out.add(MetricRow.of(k, "risk.predicted", null, r.gcv()[c], n).withDetails("GCV " + at + fitted(r)));
            out.add(MetricRow.of(k, "risk.measured", null, r.testRisk()[c], r.test()).withDetails("test risk " + at + fitted(r)));
            out.add(MetricRow.of(k, "risk.loo_at_lambda", null, r.loo()[c], n).withDetails("leave-one-out " + at));
            out.add(MetricRow.of(k, "risk.relative_error", null, (r.gcv()[c] - r.testRisk()[c]) / r.testRisk()[c], r.test())
                    .withDetails("(predicted - measured) / measured " + at));
            int best = argmin(r.testRisk());
            out.add(MetricRow.of(k, "risk.best_test", null, r.testRisk()[best], r.test())
                    .withDetails("lowest test risk over the grid, at " + lambdaParam(r.lambdas()[best])));
            if (r.classification()) {
                out.add(MetricRow.of(k, "risk.error_rate", null, r.errorRate(), r.test())
                        .withDetails("test rows whose argmax of the fit " + at + " is not their label"));
            }
            for (int i = 0; i < r.eigenvalues().length; i++) {
                out.add(MetricRow.of(k, "risk.eigenvalue", "i=" + (i + 1), r.eigenvalues()[i], n)
                        .withDetails("eigenvalue of the kernel K/n (" + (r.kernel().equals(Kernel.LINEAR.describe())
                                ? "the features' second moment" : r.kernel() + " kernel matrix of the subsample")
                                + (intercept ? ", centred" : "") + ")"));
            }
            addExponent(out, k, "risk.eigen_exponent", r.eigenExponent(), n, "power-law decay exponent of the eigenvalues"
                    + " against rank, fitted over ranks 1.." + r.fitTo());
            addExponent(out, k, "risk.target_exponent", r.targetExponent(), n, "power-law decay exponent of the target"
                    + " energy y~_i^2 along the eigenvectors against rank, fitted over ranks 1.." + r.fitTo());
            out.add(MetricRow.of(k, "risk.alignment", null, r.alignment(), n)
                    .withDetails("kernel-target alignment <K, Y Y^T> / (||K|| ||Y Y^T||)"));
        }
        return out;
    }

    /** For kernels other than linear: which kernel, on how many of the training rows. */
    private static String fitted(GroupRisk r) {
        if (r.kernel().equals(Kernel.LINEAR.describe())) return "";
        return "; kernel " + r.kernel() + " on " + r.train() + " of " + r.trainRows() + " training rows"
                + (r.train() < r.trainRows() ? " (seeded subsample)" : "");
    }

    private static void addExponent(List<MetricRow> out, GroupKey k, String metric, Measured m, long n, String details) {
        if (m == null) return;
        out.add(MetricRow.of(k, metric, null, m.value(), n).withInterval(m.low(), m.high()).withDetails(details));
    }
}
