package dev.repgap.risk;

import dev.repgap.data.Activations;
import dev.repgap.data.ColumnNames;
import dev.repgap.data.GroupSummary;
import dev.repgap.stats.GroupRowPass;
import dev.repgap.stats.GroupSample;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.sql.Column;
import scala.Tuple2;

/**
 * Kernel ridge regression with a kernel other than the linear one ({@code risk --kernel}), per group, on a seeded
 * subsample of at most {@code --max-n} training rows and on every test row: the subsample comes to the driver
 * ({@link GroupSample}); its kernel matrix is computed on the executors in blocks of rows ({@link Kernel#block}) and
 * assembled on the driver; one eigendecomposition there gives GCV, exact leave-one-out,
 * training risk and df for the whole grid ({@link KernelRidgePath}); one pass over the test rows, with the subsample
 * and the dual weights broadcast, gives the test risk per lambda and the argmax error rate ({@link KernelTestSums}).
 */
final class KernelRisk {
    /** Rows of the kernel matrix per task. */
    private static final int BLOCK = 256;

    private KernelRisk() {}

    /** What one group gave, before the spectrum's summaries. */
    record Fit(GroupSummary group, Kernel kernel, KernelRidgePath path, long trainRows, double[] testRisk, long testRows,
               double errorRate, int chosen) {}

    static List<Fit> run(Activations rows, List<GroupSummary> groups, Column targets, int q, boolean classification,
                         RiskJob.Options o) {
        Kernel spec = o.kernel();
        List<GroupSample.Rows> samples = GroupSample.training(rows, groups, targets, q, o.maxN(), o.seed());
        JavaSparkContext sc = JavaSparkContext.fromSparkContext(rows.rows().sparkSession().sparkContext());
        List<KernelTestSums.Model> models = new ArrayList<>();
        List<KernelRidgePath> paths = new ArrayList<>();
        int[] chosen = new int[groups.size()];
        for (int g = 0; g < groups.size(); g++) {
            GroupSample.Rows s = samples.get(g);
            Kernel kernel = spec.scaledTo(s.x(), s.rows(), s.dim());
            double[] k = matrix(sc, kernel, s);
            double[] lambdas = o.lambdas() != null ? o.lambdas()
                    : KernelRidgePath.automaticGrid(k, s.rows(), o.intercept(), o.gridPoints());
            KernelRidgePath path = KernelRidgePath.fit(k, s.rows(), s.y(), q, o.intercept(), lambdas);
            paths.add(path);
            chosen[g] = RiskJob.argmin(path.gcv());
            models.add(new KernelTestSums.Model(s.x(), s.dim(), kernel, path.predictor()));
        }
        Broadcast<List<KernelTestSums.Model>> shared = sc.broadcast(models);
        int[] pick = chosen.clone();
        List<TestPass> sums = GroupRowPass.run(rows, groups, split -> ColumnNames.TEST.equals(split) ? 0 : -1, targets, q,
                group -> new TestPass(new KernelTestSums(shared.value().get(group), classification ? pick[group] : -1)));
        shared.destroy();
        List<Fit> out = new ArrayList<>();
        for (int g = 0; g < groups.size(); g++) {
            KernelTestSums t = sums.get(g).sums;
            out.add(new Fit(groups.get(g), models.get(g).kernel(), paths.get(g), groups.get(g).train(), t.risk(), t.rows(),
                    classification ? t.errorRate() : Double.NaN, chosen[g]));
        }
        return out;
    }

    /** The n x n kernel matrix of the subsample: blocks of rows (the upper triangle) on the executors, mirrored here. */
    private static double[] matrix(JavaSparkContext sc, Kernel kernel, GroupSample.Rows s) {
        int n = s.rows();
        List<Integer> starts = new ArrayList<>();
        for (int i = 0; i < n; i += BLOCK) starts.add(i);
        Broadcast<GroupSample.Rows> rows = sc.broadcast(s);
        double[] k = new double[n * n];
        try {
            Iterator<Tuple2<Integer, double[]>> blocks = sc.parallelize(starts, Math.max(1, Math.min(starts.size(),
                            sc.defaultParallelism() * 4)))
                    .map(from -> new Tuple2<>(from, upper(kernel, rows.value(), from)))
                    .toLocalIterator();
            while (blocks.hasNext()) {
                Tuple2<Integer, double[]> b = blocks.next();
                int from = b._1(), to = Math.min(n, from + BLOCK), width = n - from;
                for (int i = from; i < to; i++) {
                    for (int j = i; j < n; j++) {
                        double v = b._2()[(i - from) * width + (j - from)];
                        k[i * n + j] = v;
                        k[j * n + i] = v;
                    }
                }
            }
        } finally {
            rows.destroy();
        }
        return k;
    }

    /** Rows {@code from..from+BLOCK} against columns {@code from..n}: the block's part of the upper triangle. */
    private static double[] upper(Kernel kernel, GroupSample.Rows s, int from) {
        int n = s.rows(), to = Math.min(n, from + BLOCK);
        double[] out = new double[(to - from) * (n - from)];
        kernel.block(s.x(), from, to, s.x(), from, n, s.dim(), out);
        return out;
    }

    /** The test pass's accumulator: test rows only. */
    static final class TestPass implements GroupRowPass.Accumulator<TestPass>, Serializable {
        private static final long serialVersionUID = 1L;
        final KernelTestSums sums;

        TestPass(KernelTestSums sums) {
            this.sums = sums;
        }

        @Override
        public void add(int side, float[] x, double[] y) {
            sums.add(x, y);
        }

        @Override
        public TestPass merge(TestPass other) {
            sums.merge(other.sums);
            return this;
        }
    }
}
