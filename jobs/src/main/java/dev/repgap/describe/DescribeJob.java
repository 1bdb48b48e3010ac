package dev.repgap.describe;

import static org.apache.spark.sql.functions.expr;

import dev.repgap.data.Activations;
import dev.repgap.data.ColumnNames;
import dev.repgap.data.DuplicateRows;
import dev.repgap.data.GroupKey;
import dev.repgap.data.GroupSummary;
import dev.repgap.data.Requirement;
import dev.repgap.results.MetricRow;
import dev.repgap.spectrum.CovarianceSpectrum;
import dev.repgap.stats.GroupMoments;
import dev.repgap.stats.Moments;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * {@code repgap describe}: per group, rows per split, vector length, norms, duplicate rows, and the
 * covariance spectrum with its participation ratio and rank. The covariances of all groups come from
 * one pass over the rows ({@link GroupMoments}: a mergeable moments state per group and task).
 */
public final class DescribeJob {
    public static final Requirement REQUIREMENT = Requirement.rows("describe", 2);
    /** Above this vector length the D x D covariance is too large to build per task. */
    public static final int MAX_SPECTRUM_DIM = 4096;
    public static final int TOP_EIGENVALUES = 10;

    private DescribeJob() {}

    public static List<MetricRow> run(Activations data) {
        List<String> groupBy = data.names().groupBy();
        Column[] keys = ColumnNames.columns(groupBy);
        Map<GroupKey, Row> stats = byGroup(groupBy, data.rows()
                .withColumn("_norm", expr("sqrt(aggregate(features, 0D, (acc, x) -> acc + CAST(x AS DOUBLE) * x))"))
                .groupBy(keys)
                .agg(expr("avg(_norm)").as("norm_mean"),
                        expr("max(_norm)").as("norm_max"),
                        expr("count(DISTINCT label)").as("labels")));
        List<GroupSummary> spectral = new ArrayList<>();
        for (GroupSummary g : data.groups()) {
            if (g.dim() <= MAX_SPECTRUM_DIM) {
                spectral.add(g);
            } else {
                System.err.printf("repgap: group %s: vectors of length %d exceed %d, the covariance spectrum is skipped%n",
                        g.key(), g.dim(), MAX_SPECTRUM_DIM);
            }
        }
        List<Moments> moments = GroupMoments.byGroup(data, spectral);
        Map<GroupKey, Moments> momentsOf = new HashMap<>();
        for (int i = 0; i < spectral.size(); i++) momentsOf.put(spectral.get(i).key(), moments.get(i));
        DuplicateRows duplicates = DuplicateRows.find(data);

        List<MetricRow> out = new ArrayList<>();
        for (GroupSummary g : data.groups()) {
            GroupKey key = g.key();
            Row s = stats.get(key);
            long n = g.rows();
            out.add(MetricRow.of(key, "describe.rows", null, n, n));
            if (g.train() + g.test() > 0) {
                out.add(MetricRow.of(key, "describe.rows", "split=train", g.train(), n));
                out.add(MetricRow.of(key, "describe.rows", "split=test", g.test(), n));
            }
            if (g.droppedInvalid() > 0) {
                out.add(MetricRow.of(key, "describe.invalid_dropped", null, g.droppedInvalid(), n));
            }
            out.add(MetricRow.of(key, "describe.dim", null, g.dim(), n));
            out.add(MetricRow.of(key, "describe.norm_mean", null, s.getDouble(s.fieldIndex("norm_mean")), n));
            out.add(MetricRow.of(key, "describe.norm_max", null, s.getDouble(s.fieldIndex("norm_max")), n));
            long labels = s.getLong(s.fieldIndex("labels"));
            if (labels > 0) out.add(MetricRow.of(key, "describe.labels", null, labels, n));
            DuplicateRows.Counts dup = duplicates.counts(key);
            out.add(MetricRow.of(key, "describe.duplicates", null, dup.rows(), n)
                    .withDetails(dup.vectors() + " distinct vectors occur more than once"));
            Moments m = momentsOf.get(key);
            if (m != null) out.addAll(spectrum(key, m));
        }
        return out;
    }

    private static List<MetricRow> spectrum(GroupKey key, Moments m) {
        long n = m.n();
        double[] covariance = m.covariance();
        CovarianceSpectrum spectrum = CovarianceSpectrum.ofSymmetric(covariance, m.dim());
        double radius = Math.sqrt(spectrum.total());
        List<MetricRow> out = new ArrayList<>();
        out.add(MetricRow.of(key, "describe.pr", null, spectrum.participationRatio(), n).withScale(radius)
                .withDetails("participation ratio (sum lambda)^2 / sum lambda^2 of the covariance;"
                        + " scale = RMS distance to the mean"));
        out.add(MetricRow.of(key, "describe.rank", null, spectrum.rank(), n)
                .withDetails("eigenvalues above " + CovarianceSpectrum.RANK_TOLERANCE + " x the largest"));
        double[] top = spectrum.top(TOP_EIGENVALUES);
        for (int i = 0; i < top.length; i++) {
            out.add(MetricRow.of(key, "describe.eigenvalue", "i=" + (i + 1), top[i], n));
        }
        return out;
    }

    private static Map<GroupKey, Row> byGroup(List<String> groupBy, Dataset<Row> perGroup) {
        Map<GroupKey, Row> m = new HashMap<>();
        for (Row r : perGroup.collectAsList()) m.put(GroupKey.of(groupBy, r), r);
        return m;
    }
}
