package dev.repgap.compression;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.element_at;
import static org.apache.spark.sql.functions.lit;

import dev.repgap.data.Activations;
import dev.repgap.data.ColumnNames;
import dev.repgap.data.ColumnRole;
import dev.repgap.data.GroupKey;
import dev.repgap.data.GroupSummary;
import dev.repgap.data.InputException;
import dev.repgap.data.Requirement;
import dev.repgap.results.MetricRow;
import dev.repgap.stats.Bootstrap;
import dev.repgap.stats.Measured;
import dev.repgap.stats.Quantiles;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.catalyst.InternalRow;
import org.apache.spark.sql.types.DataTypes;
import scala.Tuple2;

/**
 * {@code repgap compression} (docs/formulas.md, "Compression from noisy copies"). A first pass over the source column
 * finds the sources whose copies lie in more than one partition (none when the rows are stored by source, as
 * {@code import --sources} writes them). A second pass computes every other source in the task that holds its
 * copies, without moving them; the split sources' copies alone go through a shuffle that brings each one's together.
 * Either way a source's copies are taken in id order (ids compared as strings) and only its four quantities of
 * {@link JacobianSpectrum} come back: the driver collects those (a few numbers per source, never the rows) and forms
 * per group the means over sources with bootstrap intervals and the quantiles, sources in source order, so the
 * results do not depend on partitioning or row order.
 *
 * <p>A row whose source is null is a clean input: it is not a copy and is not read (only counted); the covariance of a
 * source's copies is about the copies' own mean, not about the clean row's outputs.
 */
public final class CompressionJob {
    /** Options as the job needs them; {@code sigma} null: from the noise column. */
    public record Options(Double sigma, int volumeRank, int minCopies, double[] quantiles, int bootstrap, double level,
                          long seed, int partitions) {}

    /**
     * What one source gave, or a group's count of clean rows ({@code source} null). {@code sigmaLow}/{@code sigmaHigh}
     * are the smallest and largest noise levels of its copies; the quantities are NaN when it has fewer than
     * {@code minCopies} copies.
     */
    record SourceResult(GroupKey group, String source, int copies, double sigmaLow, double sigmaHigh, double mls,
                        double logVolume, int volumeRank, double localDim, double frobenius2) implements Serializable {}

    /** The metrics, in the order of their rows. */
    private static final String[] METRICS = {"compression.mls", "compression.log_volume", "compression.local_dim",
            "compression.jacobian_fro2"};

    private CompressionJob() {}

    public static Requirement requirement() {
        return new Requirement("compression", 2, false).needing(ColumnRole.SOURCE).reading(ColumnRole.NOISE);
    }

    public static List<MetricRow> run(Activations data, Options o) {
        String input = data.input();
        boolean fromColumn = o.sigma() == null;
        if (fromColumn && !data.has(ColumnRole.NOISE)) {
            throw new InputException("input " + input + ": compression needs the noise level: give --sigma S, or a noise"
                    + " column '" + data.names().column(ColumnRole.NOISE) + "' (choose it with --noise-col)");
        }
        if (fromColumn) {
            for (GroupSummary g : data.groups()) {
                if (g.length(ColumnRole.NOISE) != 1) {
                    throw new InputException("input " + input + ", group " + g.key() + ": the noise column '"
                            + data.names().column(ColumnRole.NOISE) + "' holds " + g.length(ColumnRole.NOISE)
                            + " values per row; expected one number (sigma)");
                }
            }
        }
        List<String> groupBy = data.names().groupBy();
        int g = groupBy.size();
        List<Column> select = new ArrayList<>(List.of(ColumnNames.columns(groupBy)));
        select.add(col(ColumnNames.SOURCE).cast(DataTypes.StringType));
        Dataset<Row> keyed = data.rows().select(select.toArray(new Column[0]));
        select.add(col(ColumnNames.ID).cast(DataTypes.StringType));
        select.add(fromColumn ? element_at(col(ColumnNames.NOISE), 1) : lit(o.sigma()));
        select.add(col(ColumnNames.FEATURES));
        JavaRDD<InternalRow> rows = data.rows().select(select.toArray(new Column[0])).queryExecution().toRdd().toJavaRDD();
        int volumeRank = o.volumeRank(), minCopies = o.minCopies();
        long started = System.nanoTime();
        // 1. The sources whose copies are in more than one partition (none when the rows are stored by source).
        Set<List<String>> split = new HashSet<>(keyed.queryExecution().toRdd().toJavaRDD()
                .mapPartitions(it -> sourcesOf(it, g)).mapToPair(k -> new Tuple2<>(k, 1)).reduceByKey(Integer::sum)
                .filter(t -> t._2() > 1).keys().collect());
        Broadcast<Set<List<String>>> shipped = JavaSparkContext.fromSparkContext(data.rows().sparkSession().sparkContext())
                .broadcast(split);
        // 2. Every other source where its copies are, without moving them; clean rows counted.
        List<SourceResult> all = new ArrayList<>(rows.mapPartitions(it -> local(it, groupBy, shipped.value(), volumeRank,
                minCopies)).collect());
        // 3. The split sources' copies brought together by a shuffle.
        if (!split.isEmpty()) {
            int partitions = o.partitions() > 0 ? o.partitions() : Math.max(1, rows.getNumPartitions());
            all.addAll(rows.mapPartitions(it -> copiesOf(it, g, shipped.value())).mapToPair(t -> t)
                    .groupByKey(partitions).map(t -> {
                        List<Copy> copies = new ArrayList<>();
                        t._2().forEach(copies::add);
                        return source(groupBy, t._1(), copies, volumeRank, minCopies);
                    }).collect());
        }
        shipped.destroy();
        System.err.printf(Locale.ROOT, "repgap: compression: %d source(s) of %d group(s), %d split across partitions: %.1f s%n",
                all.stream().filter(r -> r.source() != null).count(), data.groups().size(), split.size(),
                (System.nanoTime() - started) / 1e9);

        Map<GroupKey, List<SourceResult>> byGroup = new HashMap<>();
        Map<GroupKey, Long> clean = new HashMap<>();
        for (SourceResult r : all) {
            if (r.source() == null) {
                clean.merge(r.group(), (long) r.copies(), Long::sum);
            } else {
                byGroup.computeIfAbsent(r.group(), k -> new ArrayList<>()).add(r);
            }
        }
        List<MetricRow> out = new ArrayList<>();
        for (GroupSummary s : data.groups()) {
            List<SourceResult> sources = byGroup.getOrDefault(s.key(), new ArrayList<>());
            sources.sort(Comparator.comparing(SourceResult::source));
            out.addAll(group(input, s, sources, clean.getOrDefault(s.key(), 0L), data.dropInvalid(), fromColumn
                    ? "the noise column '" + data.names().column(ColumnRole.NOISE) + "'" : "--sigma", o));
        }
        return out;
    }

    /** One copy: its id (as a string: the order copies are taken in), noise level and outputs. */
    record Copy(String id, double sigma, float[] x) implements Serializable {}

    /** The (group values..., source) of a row of the key columns; null for a clean row. */
    private static List<String> key(InternalRow r, int groupColumns) {
        if (r.isNullAt(groupColumns)) return null;
        return GroupKey.values(r, groupColumns + 1);
    }

    private static Copy copy(InternalRow r, int groupColumns) {
        return new Copy(r.getUTF8String(groupColumns + 1).toString(),
                r.isNullAt(groupColumns + 2) ? Double.NaN : r.getDouble(groupColumns + 2), r.getArray(groupColumns + 3).toFloatArray());
    }

    /** The sources a task's rows hold, each once. */
    private static Iterator<List<String>> sourcesOf(Iterator<InternalRow> rows, int groupColumns) {
        Set<List<String>> seen = new HashSet<>();
        while (rows.hasNext()) {
            List<String> key = key(rows.next(), groupColumns);
            if (key != null) seen.add(key);
        }
        return seen.iterator();
    }

    /** A task's sources not in {@code split}, computed from its own rows, and its clean rows per group. */
    private static Iterator<SourceResult> local(Iterator<InternalRow> rows, List<String> groupBy, Set<List<String>> split,
                                                int volumeRank, int minCopies) {
        int g = groupBy.size();
        Map<List<String>, List<Copy>> sources = new LinkedHashMap<>();
        Map<List<String>, Long> clean = new LinkedHashMap<>();
        while (rows.hasNext()) {
            InternalRow r = rows.next();
            List<String> key = key(r, g);
            if (key == null) {
                clean.merge(GroupKey.values(r, g), 1L, Long::sum);
            } else if (!split.contains(key)) {
                sources.computeIfAbsent(key, k -> new ArrayList<>()).add(copy(r, g));
            }
        }
        List<SourceResult> out = new ArrayList<>();
        clean.forEach((group, n) -> out.add(new SourceResult(GroupKey.of(groupBy, group), null, (int) Math.min(Integer.MAX_VALUE, n),
                Double.NaN, Double.NaN, Double.NaN, Double.NaN, 0, Double.NaN, Double.NaN)));
        for (Iterator<Map.Entry<List<String>, List<Copy>>> it = sources.entrySet().iterator(); it.hasNext(); ) {
            Map.Entry<List<String>, List<Copy>> e = it.next();
            out.add(source(groupBy, e.getKey(), e.getValue(), volumeRank, minCopies));
            it.remove(); // its copies can go
        }
        return out.iterator();
    }

    /** A task's copies of the sources in {@code split}, keyed by source, to be brought together. */
    private static Iterator<Tuple2<List<String>, Copy>> copiesOf(Iterator<InternalRow> rows, int groupColumns,
                                                                  Set<List<String>> split) {
        List<Tuple2<List<String>, Copy>> out = new ArrayList<>();
        while (rows.hasNext()) {
            InternalRow r = rows.next();
            List<String> key = key(r, groupColumns);
            if (key != null && split.contains(key)) out.add(new Tuple2<>(key, copy(r, groupColumns)));
        }
        return out.iterator();
    }

    /**
     * One source's quantities from all its copies, taken in id order (NaN when too few copies or the noise levels are
     * unusable: the driver says which).
     */
    private static SourceResult source(List<String> groupBy, List<String> key, List<Copy> copies, int volumeRank,
                                       int minCopies) {
        copies.sort(Comparator.comparing(Copy::id));
        GroupKey group = GroupKey.of(groupBy, key.subList(0, groupBy.size()));
        String source = key.get(groupBy.size());
        double low = Double.POSITIVE_INFINITY, high = Double.NEGATIVE_INFINITY;
        for (Copy c : copies) {
            if (Double.isNaN(c.sigma())) {
                low = high = Double.NaN;
                break;
            }
            low = Math.min(low, c.sigma());
            high = Math.max(high, c.sigma());
        }
        int m = copies.size();
        if (m < minCopies || !(low > 0) || low != high || Double.isInfinite(high)) {
            return new SourceResult(group, source, m, low, high, Double.NaN, Double.NaN, 0, Double.NaN, Double.NaN);
        }
        int d = copies.get(0).x().length;
        double[] x = new double[m * d];
        for (int i = 0; i < m; i++) {
            float[] c = copies.get(i).x();
            if (c.length != d) throw new IllegalStateException("copies of source " + source + " of different lengths");
            for (int j = 0; j < d; j++) x[i * d + j] = c[j];
        }
        JacobianSpectrum.Quantities q = JacobianSpectrum.quantities(JacobianSpectrum.squaredSingularValues(x, m, d, low),
                volumeRank);
        return new SourceResult(group, source, m, low, high, q.mls(), q.logVolume(), q.volumeRank(), q.localDim(), q.frobenius2());
    }

    /** The rows of one group from its sources (sorted by source). */
    static List<MetricRow> group(String input, GroupSummary g, List<SourceResult> sources, long clean, boolean dropInvalid,
                                 String sigmaFrom, Options o) {
        String where = "input " + input + ", group " + g.key() + ": ";
        List<SourceResult> used = new ArrayList<>();
        int skipped = 0;
        SourceResult firstShort = null;
        for (SourceResult s : sources) {
            if (!(s.sigmaLow() > 0) || Double.isInfinite(s.sigmaHigh())) {
                throw new InputException(where + "source " + s.source() + ": noise level " + s.sigmaLow() + " from "
                        + sigmaFrom + "; sigma must be finite and > 0 for a perturbed copy");
            }
            if (s.sigmaLow() != s.sigmaHigh()) {
                throw new InputException(where + "source " + s.source() + ": its copies have different noise levels ("
                        + s.sigmaLow() + " to " + s.sigmaHigh() + ") in " + sigmaFrom + "; one sigma per source is expected");
            }
            if (s.copies() < o.minCopies()) {
                skipped++;
                if (firstShort == null) firstShort = s;
            } else {
                used.add(s);
            }
        }
        if (firstShort != null && !dropInvalid) {
            throw new InputException(where + "source " + firstShort.source() + " has " + firstShort.copies() + " cop"
                    + (firstShort.copies() == 1 ? "y" : "ies") + (skipped > 1 ? " (and " + (skipped - 1) + " other sources"
                    + " have too few)" : "") + "; compression needs at least --min-copies " + o.minCopies()
                    + " per source (skip such sources with --drop-invalid)");
        }
        if (used.isEmpty()) {
            throw new InputException(where + "no source with at least --min-copies " + o.minCopies() + " copies ("
                    + sources.size() + " sources" + (clean > 0 ? ", " + clean + " clean rows without a source" : "")
                    + "); compression needs perturbed copies with a source id (--source-col)");
        }
        int n = used.size();
        int[] m = used.stream().mapToInt(SourceResult::copies).toArray();
        double[] sigma = used.stream().mapToDouble(SourceResult::sigmaLow).toArray();
        int minM = Arrays.stream(m).min().getAsInt(), maxM = Arrays.stream(m).max().getAsInt();
        double minS = Arrays.stream(sigma).min().getAsDouble(), maxS = Arrays.stream(sigma).max().getAsDouble();
        int minRank = used.stream().mapToInt(SourceResult::volumeRank).min().getAsInt();
        StringBuilder common = new StringBuilder(String.format(Locale.ROOT, "M = %s copies per source, sigma = %s (%s)",
                minM == maxM ? Integer.toString(minM) : minM + ".." + maxM,
                minS == maxS ? number(minS) : number(minS) + ".." + number(maxS), sigmaFrom));
        if (skipped > 0) common.append("; ").append(skipped).append(" source(s) with fewer than ").append(o.minCopies())
                .append(" copies skipped (--drop-invalid)");
        if (clean > 0) common.append("; ").append(clean).append(" clean row(s) (no source) not read");
        int warnBelow = 4 * o.volumeRank() + 1;
        if (minM < warnBelow) {
            String warning = String.format(Locale.ROOT, "WARNING: M = %d < 4 K + 1 = %d copies: the eigenvalues of the"
                    + " copies' covariance are biased estimates of s_k^2 (too few copies)", minM, warnBelow);
            common.append("; ").append(warning);
            System.err.println("repgap: compression: " + where + warning);
        }
        double[][] values = new double[4][n];
        for (int i = 0; i < n; i++) {
            SourceResult s = used.get(i);
            values[0][i] = s.mls();
            values[1][i] = s.logVolume();
            values[2][i] = s.localDim();
            values[3][i] = s.frobenius2();
        }
        String[] what = {"s_1, the largest singular value of the Jacobian (maximum local sensitivity)",
                "sum_{k<=" + minRank + "} ln s_k (log volume" + (minRank < o.volumeRank() ? ", only " + minRank
                        + " singular values estimable of --volume-rank " + o.volumeRank() : "") + ")",
                "(sum s_k^2)^2 / sum s_k^4 (local dimensionality)", "sum s_k^2 = ||J||_F^2"};
        List<MetricRow> out = new ArrayList<>();
        for (int k = 0; k < 4; k++) {
            double[] v = Arrays.stream(values[k]).filter(Double::isFinite).toArray();
            int left = n - v.length;
            String details = "mean over " + v.length + " sources of " + what[k] + ", s_k^2 the eigenvalues of the copies'"
                    + " covariance / sigma^2" + (left > 0 ? "; " + left + " source(s) left out (a zero singular value)" : "")
                    + "; " + common;
            if (v.length == 0) {
                out.add(MetricRow.of(g.key(), METRICS[k], null, Double.NaN, 0L).withDetails(details));
                continue;
            }
            double mean = Arrays.stream(v).sum() / v.length;
            MetricRow row = MetricRow.of(g.key(), METRICS[k], null, mean, (long) v.length);
            if (o.bootstrap() > 0) {
                Measured ci = new Bootstrap(o.bootstrap(), o.seed()).mean(v, o.level());
                row = row.withInterval(ci.low(), ci.high());
                details += "; interval: " + o.bootstrap() + " bootstrap replicates over sources";
            }
            out.add(row.withDetails(details));
            double[] q = Quantiles.quantiles(v, o.quantiles());
            for (int j = 0; j < q.length; j++) {
                out.add(MetricRow.of(g.key(), METRICS[k], String.format(Locale.ROOT, "q=%.2f", o.quantiles()[j]), q[j],
                        (long) v.length).withDetails("quantile over sources; " + common));
            }
        }
        return out;
    }

    private static String number(double v) {
        return String.format(Locale.ROOT, "%.6g", v);
    }
}
