package dev.repgap.magnitude;

import dev.repgap.data.Activations;
import dev.repgap.data.DuplicateRows;
import dev.repgap.data.GroupKey;
import dev.repgap.data.GroupSummary;
import dev.repgap.data.InputException;
import dev.repgap.knn.DistanceTiles;
import dev.repgap.knn.KnnJob;
import dev.repgap.knn.PairScan;
import dev.repgap.results.MetricRow;
import dev.repgap.stats.Bootstrap;
import dev.repgap.stats.Measured;
import java.math.BigDecimal;
import java.math.MathContext;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * {@code repgap magnitude}: per group, a seeded subsample of at most {@code maxPoints} distinct rows
 * (exact duplicates removed first, and counted: they make Z singular at every scale; when no group needs a
 * subsample they are read off the distance matrix, else found by {@link DuplicateRows}), their exact
 * pairwise distances computed on the executors in tiles ({@link PairScan} with {@link DistanceTiles}, so
 * rows of any width work) and assembled on the driver, then the magnitude function, its profile and
 * dimension, solved on the driver ({@link MagnitudeSolver}). The subsample is chosen by a seeded hash
 * of the id and the distances do not depend on the blocks, so the results do not depend on partitioning.
 */
public final class MagnitudeJob {
    /** The options, checked. {@code scales} empty: a grid up to t_conv. */
    public record Options(int maxPoints, long seed, boolean l1, double scale, double convergence, int grid,
                          MagnitudeFunction.Spacing spacing, double decades, double[] scales, int bootstrap, double level,
                          int partitions) {}

    private MagnitudeJob() {}

    public static List<MetricRow> run(Activations data, Options o) {
        // When no group has more rows than the subsample takes, every group is scanned whole and its exact
        // duplicates are the pairs at distance exactly 0 (the distances are exact: 0 only for equal vectors), so
        // they are found in the matrix on the driver instead of by a pass over the data.
        boolean whole = data.groups().stream().allMatch(g -> g.rows() <= o.maxPoints());
        DuplicateRows duplicates = whole ? null : DuplicateRows.find(data);
        Activations distinct = whole ? data : duplicates.distinct(data);
        if (!whole) {
            for (GroupSummary g : distinct.groups()) {
                if (g.rows() < 2) throw tooFew(data, g.key(), g.rows(), duplicates.counts(g.key()).rows());
            }
        }
        List<String> groupBy = distinct.names().groupBy();
        Dataset<Row> keyed = KnnJob.IdMapping.of(distinct).keyed(distinct.rows(), groupBy);
        boolean subsampled = distinct.groups().stream().anyMatch(g -> g.rows() > o.maxPoints());
        if (subsampled) keyed = PairScan.sample(keyed, groupBy, o.maxPoints(), o.seed());
        List<GroupSummary> groups = distinct.groups();
        long[] references = groups.stream().mapToLong(g -> Math.min(g.rows(), o.maxPoints())).toArray();

        long started = System.nanoTime();
        PairScan.Result<DistanceTiles.Tiles> scan = PairScan.run(keyed, groupBy,
                groups.stream().map(g -> new PairScan.Group(g.key(), g.dim())).toList(), PairScan.Sides.all(),
                new DistanceTiles(references, o.l1() ? DistanceTiles.Metric.L1 : DistanceTiles.Metric.SQUARED_EUCLIDEAN, true),
                new PairScan.Options(0, o.seed(), 1024, 512, 512L << 20, o.partitions()));
        System.err.printf(Locale.ROOT, "repgap: magnitude: distances of %d group(s): %.1f s%n", groups.size(), seconds(started));

        List<MetricRow> out = new ArrayList<>();
        for (int g = 0; g < groups.size(); g++) {
            GroupSummary s = groups.get(g);
            DistanceTiles.Matrix m = DistanceTiles.matrix(scan.groups().get(g));
            if (!Arrays.equals(m.rows(), m.columns())) {
                throw new IllegalStateException("group " + s.key() + ": the distance matrix is not square");
            }
            DistanceTiles.mirror(m); // only the pairs i <= j were computed
            started = System.nanoTime();
            double[] d = distances(m, o);
            int n = m.rows().length;
            DuplicateRows.Counts counts;
            if (whole) {
                boolean[] redundant = new boolean[n];
                counts = zeroDistances(d, n, redundant);
                if (counts.rows() > 0) {
                    d = without(d, n, redundant);
                    n -= (int) counts.rows();
                }
                if (n < 2) throw tooFew(data, s.key(), n, counts.rows());
            } else {
                counts = duplicates.counts(s.key());
            }
            out.addAll(group(s.key(), d, n, counts, o));
            System.err.printf(Locale.ROOT, "repgap: magnitude: group %s, %d points: %.1f s%n", s.key(), n, seconds(started));
        }
        return out;
    }

    private static InputException tooFew(Activations data, GroupKey key, long rows, long removed) {
        return new InputException("input " + data.input() + ", group " + key + ": only " + rows + " distinct row(s) ("
                + removed + " exact duplicates removed); magnitude needs at least 2");
    }

    /**
     * The exact duplicates among the rows of a distance matrix (rows in ascending id order): a row at distance 0
     * from an earlier row that is kept is redundant (equality of vectors is transitive, so each repeated vector
     * keeps its row with the smallest id, as {@link DuplicateRows} does). Marks them in {@code redundant}.
     */
    static DuplicateRows.Counts zeroDistances(double[] d, int n, boolean[] redundant) {
        long rows = 0, vectors = 0;
        boolean[] repeated = new boolean[n];
        for (int j = 0; j < n; j++) {
            for (int i = 0; i < j; i++) {
                if (!redundant[i] && d[j * n + i] == 0) {
                    redundant[j] = true;
                    rows++;
                    if (!repeated[i]) vectors++;
                    repeated[i] = true;
                    break;
                }
            }
        }
        return new DuplicateRows.Counts(rows, vectors);
    }

    /** The matrix without the rows and columns marked. */
    static double[] without(double[] d, int n, boolean[] drop) {
        int[] kept = java.util.stream.IntStream.range(0, n).filter(i -> !drop[i]).toArray();
        int m = kept.length;
        double[] out = new double[m * m];
        for (int a = 0; a < m; a++) {
            for (int b = 0; b < m; b++) out[a * m + b] = d[kept[a] * n + kept[b]];
        }
        return out;
    }

    /** The distances, scaled, in place of the tiles' values (squared Euclidean or l1). */
    private static double[] distances(DistanceTiles.Matrix m, Options o) {
        double[] d = m.values();
        for (int i = 0; i < d.length; i++) d[i] = (o.l1() ? d[i] : Math.sqrt(d[i])) * o.scale();
        return d;
    }

    /** Every row of one group, from its N x N distances. */
    static List<MetricRow> group(GroupKey key, double[] distances, int n, DuplicateRows.Counts duplicates, Options o) {
        MagnitudeSolver solver;
        try {
            solver = new MagnitudeSolver(distances, n);
        } catch (IllegalArgumentException e) {
            throw new InputException("group " + key + ": " + e.getMessage());
        }
        long count = n;
        List<MetricRow> out = new ArrayList<>();
        out.add(MetricRow.of(key, "magnitude.duplicates", null, duplicates.rows(), count).withScale(o.scale())
                .withDetails("exact duplicate rows removed before the subsample (" + duplicates.vectors()
                        + " distinct vectors occur more than once)"));
        double[] scales = o.scales();
        if (scales.length == 0) {
            double tConv;
            try {
                tConv = MagnitudeFunction.tConv(solver, Arrays.stream(distances).max().orElse(0), o.convergence());
            } catch (IllegalStateException | IllegalArgumentException e) {
                throw new InputException("group " + key + ": no t_conv: " + e.getMessage());
            }
            out.add(MetricRow.of(key, "magnitude.t_conv", null, tConv, count).withScale(o.scale())
                    .withDetails(String.format(Locale.ROOT, "Mag(t_conv) = %s N", o.convergence())));
            scales = MagnitudeFunction.grid(o.spacing(), tConv, o.grid(), o.decades());
        }
        MagnitudeFunction f = MagnitudeFunction.evaluate(solver, scales);
        for (MagnitudeSolver.Solution s : f.solutions()) {
            MetricRow row = MetricRow.of(key, "magnitude.value", "t=" + format(s.t()), s.magnitude(), count).withScale(o.scale());
            if (s.method() == MagnitudeSolver.Method.PIVOTED_LDLT) {
                row = row.withDetails(String.format(Locale.ROOT, "Z not numerically positive definite: solved by pivoted"
                        + " LDL^T, backward error %.2g", s.backwardError()));
            } else if (!s.ok()) {
                row = row.withDetails(s.failure());
            }
            out.add(row);
        }
        for (MagnitudeFunction.Slope s : f.profile()) {
            out.add(MetricRow.of(key, "magnitude.profile", "t=" + format(s.t()), s.slope(), count).withScale(o.scale())
                    .withDetails("slope of log Mag against log t between consecutive scales; t is their geometric mean"));
        }
        MagnitudeFunction.Dimension dim = f.dimension();
        MetricRow dimension = MetricRow.of(key, "magnitude.dimension", null, dim.value(), count).withScale(o.scale());
        StringBuilder details = new StringBuilder(String.format(Locale.ROOT,
                "largest slope of log Mag against log t, at t = %s; %d scales from %s to %s", format(dim.t()), scales.length,
                format(scales[0]), format(scales[scales.length - 1])));
        if (o.bootstrap() > 0 && Double.isFinite(dim.value())) {
            Measured m = MagnitudeFunction.dimensionInterval(distances, n, scales, dim.value(),
                    new Bootstrap(o.bootstrap(), o.seed()), o.level());
            dimension = dimension.withInterval(m.low(), m.high());
            details.append(String.format(Locale.ROOT, "; interval: %d bootstrap replicates, each the distinct points of"
                    + " N draws with replacement (about 0.63 N), so it leans low", o.bootstrap()));
        }
        if (f.pivoted().length > 0) details.append("; pivoted LDL^T at t = ").append(list(f.pivoted()));
        if (!f.failures().isEmpty()) {
            details.append("; no value at t = ").append(list(f.failures().stream()
                    .mapToDouble(MagnitudeSolver.Solution::t).toArray()));
        }
        out.add(dimension.withDetails(details.toString()));
        out.add(MetricRow.of(key, "magnitude.area", null, f.area(), count).withScale(o.scale())
                .withDetails("trapezoid area under Mag/N over ln t on the scales"));
        return out;
    }

    /** A scale as a parameter: 8 significant digits, plain notation. */
    static String format(double t) {
        if (!Double.isFinite(t)) return Double.toString(t);
        return new BigDecimal(t).round(new MathContext(8)).stripTrailingZeros().toPlainString();
    }

    private static String list(double[] t) {
        return Arrays.stream(t).mapToObj(MagnitudeJob::format).collect(Collectors.joining(", "));
    }

    private static double seconds(long since) {
        return (System.nanoTime() - since) / 1e9;
    }
}
