package dev.repgap.audit;

import dev.repgap.knn.NeighbourLists;
import dev.repgap.stats.Quantiles;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * What the audit reads off merged neighbour lists (Spark-free): exact duplicate sets, pairs within a
 * distance, the rows farthest from their nearest neighbour. Everything is ordered by distance and
 * then by key, so the answer is the same whatever the partitioning of the scan.
 */
final class NeighbourFindings {
    /** Two rows by internal key and their Euclidean distance ({@code a} is the query in cross scans). */
    record Pair(long a, long b, double distance) {}

    /** Pairs within a threshold, and the queries whose k-th neighbour was still within it (there may be more). */
    record Within(List<Pair> pairs, long truncated) {}

    private static final Comparator<Pair> NEAREST_FIRST = Comparator.comparingDouble(Pair::distance)
            .thenComparingLong(Pair::a).thenComparingLong(Pair::b);

    private NeighbourFindings() {}

    /**
     * Sets of rows with equal vectors (distance exactly 0), each sorted by key, the sets by their first
     * key. Complete even when a vector has more than k copies: every copy's list holds the copies with
     * the smallest keys, so all of them join the set of the smallest one.
     */
    static List<long[]> exactDuplicates(List<NeighbourLists> lists) {
        Map<Long, Long> parent = new HashMap<>();
        for (NeighbourLists l : lists) {
            for (int q = 0; q < l.queries(); q++) {
                for (int r = 0; r < l.size(q) && l.squaredDistance(q, r) == 0; r++) {
                    union(parent, l.queryId(q), l.neighbourId(q, r));
                }
            }
        }
        TreeMap<Long, List<Long>> sets = new TreeMap<>();
        for (Long key : parent.keySet()) sets.computeIfAbsent(find(parent, key), x -> new ArrayList<>()).add(key);
        List<long[]> out = new ArrayList<>();
        for (List<Long> members : sets.values()) {
            long[] keys = members.stream().mapToLong(Long::longValue).sorted().toArray();
            out.add(keys);
        }
        out.sort(Comparator.comparingLong(s -> s[0]));
        return out;
    }

    private static long find(Map<Long, Long> parent, long key) {
        long root = key;
        while (parent.get(root) != root) root = parent.get(root);
        return root;
    }

    private static void union(Map<Long, Long> parent, long a, long b) {
        parent.putIfAbsent(a, a);
        parent.putIfAbsent(b, b);
        long ra = find(parent, a), rb = find(parent, b);
        if (ra != rb) parent.put(Math.max(ra, rb), Math.min(ra, rb));
    }

    /**
     * Self scan: pairs of distinct rows at {@code 0 < distance <= threshold} among each row's k nearest,
     * each pair once (smaller key first).
     */
    static Within nearPairs(List<NeighbourLists> lists, double threshold) {
        Map<List<Long>, Pair> pairs = new LinkedHashMap<>();
        long truncated = forEachWithin(lists, threshold, (query, neighbour, d) -> {
            if (d == 0) return;
            long a = Math.min(query, neighbour), b = Math.max(query, neighbour);
            pairs.putIfAbsent(List.of(a, b), new Pair(a, b, d));
        });
        List<Pair> out = new ArrayList<>(pairs.values());
        out.sort(NEAREST_FIRST);
        return new Within(out, truncated);
    }

    /** Cross scan: every (query, reference) pair at {@code distance <= threshold} among the query's k nearest. */
    static Within within(List<NeighbourLists> lists, double threshold) {
        List<Pair> out = new ArrayList<>();
        long truncated = forEachWithin(lists, threshold, (query, neighbour, d) -> out.add(new Pair(query, neighbour, d)));
        out.sort(NEAREST_FIRST);
        return new Within(out, truncated);
    }

    private interface PairSink {
        void accept(long query, long neighbour, double distance);
    }

    /**
     * Hands every (query, neighbour, distance) at {@code distance <= threshold} to {@code sink}, nearest first per
     * query; returns how many queries had their k-th neighbour still within the threshold (there may be more).
     */
    private static long forEachWithin(List<NeighbourLists> lists, double threshold, PairSink sink) {
        long truncated = 0;
        for (NeighbourLists l : lists) {
            for (int q = 0; q < l.queries(); q++) {
                for (int r = 0; r < l.size(q); r++) {
                    double d = Math.sqrt(l.squaredDistance(q, r));
                    if (d > threshold) break;
                    sink.accept(l.queryId(q), l.neighbourId(q, r), d);
                }
                if (full(l, q) && Math.sqrt(l.squaredDistance(q, l.k() - 1)) <= threshold) truncated++;
            }
        }
        return truncated;
    }

    /**
     * The {@code top} closest pairs at distance above 0, nearest first, whatever any threshold says. A pair among
     * the {@code top} closest overall is among the {@code top} nearest of its query (each closer neighbour of that
     * query makes a closer pair), so each query's first {@code top} neighbours above 0 are the only candidates.
     * {@code self}: both rows from the same scan, each pair once (smaller key first); else (query, reference).
     */
    static List<Pair> closest(List<NeighbourLists> lists, int top, boolean self) {
        Map<List<Long>, Pair> pairs = new HashMap<>();
        for (NeighbourLists l : lists) {
            for (int q = 0; q < l.queries(); q++) {
                int taken = 0;
                for (int r = 0; r < l.size(q) && taken < top; r++) {
                    double d2 = l.squaredDistance(q, r);
                    if (d2 == 0) continue;
                    taken++;
                    long a = l.queryId(q), b = l.neighbourId(q, r);
                    if (self && a > b) {
                        long t = a;
                        a = b;
                        b = t;
                    }
                    pairs.putIfAbsent(List.of(a, b), new Pair(a, b, Math.sqrt(d2)));
                }
            }
        }
        List<Pair> out = new ArrayList<>(pairs.values());
        out.sort(NEAREST_FIRST);
        return List.copyOf(out.subList(0, Math.min(top, out.size())));
    }

    /** The {@code top} queries farthest from their nearest reference, farthest first (ties: smaller key first). */
    static List<Pair> farthest(List<NeighbourLists> lists, int top) {
        List<Pair> all = new ArrayList<>();
        for (NeighbourLists l : lists) {
            for (int q = 0; q < l.queries(); q++) {
                if (l.size(q) > 0) all.add(new Pair(l.queryId(q), l.neighbourId(q, 0), Math.sqrt(l.squaredDistance(q, 0))));
            }
        }
        all.sort(Comparator.comparingDouble(Pair::distance).reversed().thenComparingLong(Pair::a));
        return List.copyOf(all.subList(0, Math.min(top, all.size())));
    }

    /** Squared distance to the nearest reference, by query key. */
    static Map<Long, Double> nearestSquared(List<NeighbourLists> lists) {
        Map<Long, Double> out = new HashMap<>();
        for (NeighbourLists l : lists) {
            for (int q = 0; q < l.queries(); q++) if (l.size(q) > 0) out.put(l.queryId(q), l.squaredDistance(q, 0));
        }
        return out;
    }

    /** The nearest-neighbour distances r1 above 0: their median, and the median and MAD of their logarithms (NaN if none). */
    record Scale(double median, double logMedian, double logMad) {}

    static Scale scale(List<NeighbourLists> lists) {
        double[] d = nearestSquared(lists).values().stream().mapToDouble(Double::doubleValue).filter(x -> x > 0)
                .map(Math::sqrt).toArray();
        double[] logs = Arrays.stream(d).map(Math::log).toArray();
        double logMedian = Quantiles.median(logs);
        double logMad = Quantiles.median(Arrays.stream(logs).map(x -> Math.abs(x - logMedian)).toArray());
        return new Scale(Quantiles.median(d), logMedian, logMad);
    }

    private static boolean full(NeighbourLists l, int q) {
        return l.size(q) == l.k();
    }
}
