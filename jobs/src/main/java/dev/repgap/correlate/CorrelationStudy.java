package dev.repgap.correlate;

import dev.repgap.correlate.Correlation.Method;
import dev.repgap.data.InputException;
import dev.repgap.results.StoredMetric;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Which measures track a target (test loss, generalisation gap) across groups: for every series of a results
 * repository, its correlation with the target over the groups named by the {@code across} columns (checkpoints and
 * models), separately for each value of the other group columns (layers).
 *
 * <ul>
 *   <li>Each (group, metric, param) counts with its latest row: a series re-run later replaces the earlier value.
 *   <li>A <b>series</b> is a metric at one param and one value of the group columns that are not {@code across} (e.g.
 *       {@code id.twonn} at {@code layer=fc1}); its points are the groups that differ in the {@code across} columns.
 *   <li>A measure row is <b>paired</b> with the target row whose group is the measure's group restricted to the target's
 *       group columns (the target recorded per model and checkpoint pairs with every layer's measure of that model and
 *       checkpoint; a target recorded per layer pairs within its layer), the most specific one when several fit.
 *   <li>Groups where the measure or the target is missing are left out pairwise and counted; a series with fewer than
 *       {@code minGroups} pairs gets no coefficient, only that statement.
 *   <li>Metrics with more than {@link #MAX_PARAMS} params (spectra, per-k curves) are left out unless named in
 *       {@code metrics}: each param would be its own test.
 *   <li>With many series some correlate by chance: each finding carries the Benjamini-Hochberg q-value over the
 *       findings of its target and method (the false discovery rate at which it would be called).
 * </ul>
 */
public final class CorrelationStudy {
    /**
     * Metrics with more params than this (spectra, curves over n or k, quantiles) are left out unless asked for by
     * name: each param is its own test, and dozens of near-copies of one measure crowd the table and the q-values.
     */
    public static final int MAX_PARAMS = 4;
    /** The prefix of the rows correlate writes; they are never measures themselves. */
    public static final String PREFIX = "correlate.";

    /** What to correlate and how. {@code by} empty: every group column that is not an across column. */
    public record Options(List<String> targets, List<String> across, List<String> by, List<Method> methods, List<String> metrics,
                          int minGroups, int replicates, int permutations, double level, long seed) {}

    /** One point of a series: the across values, the measure and the target. */
    public record Pair(LinkedHashMap<String, String> across, double measure, double target) {}

    /**
     * A series against a target: its pairs, how many groups had one of the two only, and a result per method (empty
     * with a {@code status} when there is no coefficient), each with its q-value.
     */
    public record Finding(String target, String metric, String param, LinkedHashMap<String, String> by, List<Pair> pairs,
                          int missing, List<Correlation.Result> results, double[] qValues, String status) {
        /** {@code id.mle_mean[k=5:20]}: the measure as a param of correlate's rows names it. */
        public String measure() {
            return param == null ? metric : metric + "[" + param + "]";
        }

        /** The row param of correlate's rows: {@code measure ~ target}. */
        public String rowParam() {
            return measure() + " ~ " + target;
        }

        /** The first method's coefficient, NaN when there is none. */
        public double strength() {
            return results.isEmpty() ? Double.NaN : results.get(0).coefficient().value();
        }
    }

    /** The outcome: findings strongest first, and what was left out. */
    public record Outcome(List<Finding> findings, List<String> across, Set<String> leftOutMetrics, int rowsOutsideColumns) {}

    private CorrelationStudy() {}

    /** Runs the study on a repository's rows. */
    public static Outcome run(List<StoredMetric> rows, Options o) {
        Map<Key, StoredMetric> latest = latest(rows);
        Map<String, Set<String>> params = new HashMap<>();
        for (StoredMetric m : latest.values()) params.computeIfAbsent(m.metric(), k -> new LinkedHashSet<>()).add(Objects.toString(m.param(), ""));
        List<Finding> findings = new ArrayList<>();
        Set<String> leftOut = new TreeSet<>();
        int outside = 0;
        List<String> across = null;
        for (String target : o.targets()) {
            Targets t = targets(latest.values(), target);
            List<String> acrossHere = o.across().isEmpty() ? t.columns() : o.across();
            if (across == null) across = acrossHere;
            Map<SeriesKey, List<StoredMetric>> series = new LinkedHashMap<>();
            for (StoredMetric m : latest.values()) {
                if (m.metric().startsWith(PREFIX) || o.targets().contains(m.metric()) || !Double.isFinite(m.value())) continue;
                if (!o.metrics().isEmpty() && !o.metrics().contains(m.metric())) continue;
                if (o.metrics().isEmpty() && params.get(m.metric()).size() > MAX_PARAMS) {
                    leftOut.add(m.metric());
                    continue;
                }
                if (!m.group().keySet().containsAll(acrossHere)) continue;
                LinkedHashMap<String, String> rest = rest(m.group(), acrossHere);
                if (!o.by().isEmpty() && !o.by().containsAll(rest.keySet())) {
                    outside++;
                    continue;
                }
                series.computeIfAbsent(new SeriesKey(m.metric(), m.param(), rest), k -> new ArrayList<>()).add(m);
            }
            for (Map.Entry<SeriesKey, List<StoredMetric>> s : series.entrySet()) {
                findings.add(finding(target, s.getKey(), s.getValue(), t, acrossHere, o));
            }
        }
        findings = withQValues(findings, o.methods().size());
        findings.sort(Comparator.comparingDouble((Finding f) -> Double.isNaN(f.strength()) ? -1 : Math.abs(f.strength())).reversed()
                .thenComparing(Finding::target).thenComparing(Finding::measure).thenComparing(f -> f.by().toString()));
        return new Outcome(findings, across == null ? List.of() : across, leftOut, outside);
    }

    /**
     * The pairs of a measure with a target, for charts: per value of the group columns outside {@code across} (a series
     * each), what {@link #run} correlates. {@code across} empty: the target rows' group columns.
     */
    public static Map<LinkedHashMap<String, String>, List<Pair>> pairs(List<StoredMetric> rows, String metric, String param,
                                                                       String target, List<String> across) {
        Map<Key, StoredMetric> latest = latest(rows);
        Targets t = targets(latest.values(), target);
        List<String> columns = across.isEmpty() ? t.columns() : across;
        Map<LinkedHashMap<String, String>, List<StoredMetric>> series = new LinkedHashMap<>();
        for (StoredMetric m : latest.values()) {
            if (m.metric().equals(metric) && Objects.equals(m.param(), param) && m.group().keySet().containsAll(columns)) {
                series.computeIfAbsent(rest(m.group(), columns), k -> new ArrayList<>()).add(m);
            }
        }
        Map<LinkedHashMap<String, String>, List<Pair>> out = new LinkedHashMap<>();
        series.forEach((by, measure) -> {
            List<Pair> p = paired(measure, t, columns);
            if (!p.isEmpty()) out.put(by, p);
        });
        return out;
    }

    /** The measure rows that have a target, as pairs in the order of their across values. */
    private static List<Pair> paired(List<StoredMetric> measure, Targets t, List<String> across) {
        List<Pair> out = new ArrayList<>();
        for (StoredMetric m : measure) {
            Double y = t.valueFor(m.group());
            if (y != null) out.add(new Pair(restrict(m.group(), across), m.value(), y));
        }
        out.sort(Comparator.comparing(p -> p.across().toString()));
        return out;
    }

    private static Finding finding(String target, SeriesKey key, List<StoredMetric> rows, Targets t, List<String> across, Options o) {
        List<Pair> pairs = paired(rows, t, across);
        Set<Map<String, String>> withTarget = new LinkedHashSet<>();
        for (Pair p : pairs) withTarget.add(p.across());
        int unmatched = rows.size() - pairs.size();
        // target groups of this series' layer (or of all layers, for a target without one) that the measure lacks
        int lacking = 0;
        for (Map.Entry<LinkedHashMap<String, String>, Double> e : t.rowsFitting(key.rest()).entrySet()) {
            if (e.getKey().keySet().containsAll(across) && !withTarget.contains(restrict(e.getKey(), across))) lacking++;
        }
        int missing = unmatched + lacking;
        if (pairs.size() < o.minGroups()) {
            return new Finding(target, key.metric(), key.param(), key.rest(), pairs, missing, List.of(), new double[0],
                    "too few groups: " + pairs.size() + " pairs, --min-groups " + o.minGroups());
        }
        double[] x = pairs.stream().mapToDouble(Pair::measure).toArray();
        double[] y = pairs.stream().mapToDouble(Pair::target).toArray();
        if (Double.isNaN(Method.PEARSON.of(x, y))) {
            return new Finding(target, key.metric(), key.param(), key.rest(), pairs, missing, List.of(), new double[0],
                    "no coefficient: the " + (Correlation.constant(x) ? "measure" : "target") + " is the same in every group");
        }
        Correlation c = new Correlation(o.replicates(), o.permutations(), o.level(), o.seed());
        List<Correlation.Result> results = o.methods().stream().map(m -> c.of(m, x, y)).toList();
        return new Finding(target, key.metric(), key.param(), key.rest(), pairs, missing, results, new double[results.size()], null);
    }

    /** Fills each finding's q-values: Benjamini-Hochberg over the findings of one target, per method. */
    private static List<Finding> withQValues(List<Finding> findings, int methods) {
        Map<String, List<Finding>> byTarget = new LinkedHashMap<>();
        for (Finding f : findings) if (f.status() == null) byTarget.computeIfAbsent(f.target(), k -> new ArrayList<>()).add(f);
        for (List<Finding> fs : byTarget.values()) {
            for (int j = 0; j < methods; j++) {
                final int method = j;
                List<Finding> sorted = new ArrayList<>(fs);
                sorted.sort(Comparator.comparingDouble(f -> f.results().get(method).pValue()));
                double next = 1;
                for (int i = sorted.size() - 1; i >= 0; i--) {
                    double p = sorted.get(i).results().get(method).pValue();
                    next = Math.min(next, p * sorted.size() / (i + 1));
                    sorted.get(i).qValues()[method] = Double.isNaN(p) ? Double.NaN : next;
                }
            }
        }
        return new ArrayList<>(findings);
    }

    private static Map<Key, StoredMetric> latest(List<StoredMetric> rows) {
        Map<Key, StoredMetric> latest = new LinkedHashMap<>();
        for (StoredMetric m : rows) latest.put(new Key(m.group(), m.metric(), m.param()), m); // rows come oldest first
        return latest;
    }

    /** The target's rows, indexed by their set of group columns. */
    private record Targets(String metric, Map<Set<String>, Map<Map<String, String>, Double>> byColumns) {
        /** The group columns of the target's rows (those of the first row when they differ). */
        List<String> columns() {
            return new ArrayList<>(byColumns.keySet().iterator().next());
        }

        /** The target of the most specific row whose group is part of {@code group}; null when none is. */
        Double valueFor(Map<String, String> group) {
            Double best = null;
            int size = -1;
            for (Map.Entry<Set<String>, Map<Map<String, String>, Double>> e : byColumns.entrySet()) {
                if (e.getKey().size() <= size || !group.keySet().containsAll(e.getKey())) continue;
                Double v = e.getValue().get(restrictTo(group, e.getKey()));
                if (v != null) {
                    best = v;
                    size = e.getKey().size();
                }
            }
            return best;
        }

        /** The target rows whose group columns outside the series' across columns agree with {@code rest}. */
        Map<LinkedHashMap<String, String>, Double> rowsFitting(Map<String, String> rest) {
            Map<LinkedHashMap<String, String>, Double> out = new LinkedHashMap<>();
            for (Map<Map<String, String>, Double> rows : byColumns.values()) {
                for (Map.Entry<Map<String, String>, Double> r : rows.entrySet()) {
                    boolean fits = true;
                    for (Map.Entry<String, String> g : r.getKey().entrySet()) {
                        if (rest.containsKey(g.getKey()) && !rest.get(g.getKey()).equals(g.getValue())) fits = false;
                    }
                    if (fits) out.put(new LinkedHashMap<>(r.getKey()), r.getValue());
                }
            }
            return out;
        }
    }

    private static Targets targets(Collection<StoredMetric> latest, String target) {
        Map<Set<String>, Map<Map<String, String>, Double>> byColumns = new LinkedHashMap<>();
        Set<String> params = new TreeSet<>();
        for (StoredMetric m : latest) {
            if (!m.metric().equals(target)) continue;
            if (m.param() != null) {
                params.add(m.param());
                continue;
            }
            if (Double.isFinite(m.value())) {
                byColumns.computeIfAbsent(new LinkedHashSet<>(m.group().keySet()), k -> new HashMap<>()).put(new TreeMap<>(m.group()), m.value());
            }
        }
        if (byColumns.isEmpty()) {
            Set<String> names = new TreeSet<>();
            for (StoredMetric m : latest) if (m.metric().startsWith("external.") || m.metric().endsWith(".measured")) names.add(m.metric());
            throw new InputException("no rows of target " + target + (params.isEmpty() ? "" : " without a param (it has params "
                    + String.join(", ", params) + ")") + " in the results repository; " + (names.isEmpty()
                    ? "add the targets with repgap record" : "targets there: " + String.join(", ", names)));
        }
        return new Targets(target, byColumns);
    }

    private static Map<String, String> restrictTo(Map<String, String> group, Set<String> columns) {
        Map<String, String> out = new TreeMap<>();
        for (String c : columns) out.put(c, group.get(c));
        return out;
    }

    private static LinkedHashMap<String, String> restrict(Map<String, String> group, List<String> columns) {
        LinkedHashMap<String, String> out = new LinkedHashMap<>();
        for (String c : columns) out.put(c, group.get(c));
        return out;
    }

    private static LinkedHashMap<String, String> rest(Map<String, String> group, List<String> across) {
        LinkedHashMap<String, String> out = new LinkedHashMap<>(group);
        out.keySet().removeAll(across);
        return out;
    }

    private record Key(Map<String, String> group, String metric, String param) {}

    private record SeriesKey(String metric, String param, LinkedHashMap<String, String> rest) {}
}
