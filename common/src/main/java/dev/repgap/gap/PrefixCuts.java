package dev.repgap.gap;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Where each grid prefix ends in each ranking of {@link RankOrder}: the value and key of the n-th row
 * for every grid size n but the last (the whole training set). A row's <em>bucket</em> in ranking r is
 * the first grid point whose prefix holds it, so the nearest row among the first n[g] is the nearest
 * among buckets 0..g. The cuts are found exactly, for any number of rows, in two passes over the
 * training keys: a {@link Histogram} of the top 16 bits of the rank values, then, by {@link Plan}, the
 * values in the few bins where a prefix ends.
 */
public final class PrefixCuts implements Serializable {

    private static final long serialVersionUID = 1L;
    static final int BIN_BITS = 16;
    static final int BINS = 1 << BIN_BITS;

    private final long[] grid;
    private final long[] salts;
    private final long[] cutValues;
    private final long[] cutKeys;

    private PrefixCuts(long[] grid, long[] salts, long[] cutValues, long[] cutKeys) {
        this.grid = grid;
        this.salts = salts;
        this.cutValues = cutValues;
        this.cutKeys = cutKeys;
    }

    public int rankings() {
        return salts.length;
    }

    /** The grid sizes n, ascending; the last is the number of training rows. */
    public long[] grid() {
        return grid.clone();
    }

    /** The bucket of row {@code key} in ranking {@code ranking}: the first g whose prefix of n[g] rows holds it. */
    public int bucket(int ranking, long key) {
        long value = RankOrder.mix(key ^ salts[ranking]);
        int cuts = grid.length - 1;
        int base = ranking * cuts;
        int lo = 0;
        int hi = cuts; // the answer is in [lo, hi]; hi = cuts means "after every cut": the last bucket
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (RankOrder.compare(value, key, cutValues[base + mid], cutKeys[base + mid]) <= 0) hi = mid;
            else lo = mid + 1;
        }
        return lo;
    }

    /** The buckets of row {@code key} in every ranking, into {@code out[offset .. offset + rankings)}. */
    public void buckets(long key, byte[] out, int offset) {
        for (int r = 0; r < salts.length; r++) out[offset + r] = (byte) bucket(r, key);
    }

    static int bin(long value) {
        return (int) (value >>> (64 - BIN_BITS));
    }

    /** Pass one: per ranking, how many training rows fall into each bin of rank values. Mergeable in any order. */
    public static final class Histogram implements Serializable {
        private static final long serialVersionUID = 1L;
        private final long[] salts;
        // Allocated on first use: an empty histogram (Spark's zero value, shipped with every task) stays small.
        private long[] counts;

        public Histogram(long seed, int rankings) {
            if (rankings < 1) throw new IllegalArgumentException("need at least one ranking, got " + rankings);
            this.salts = new long[rankings];
            for (int r = 0; r < rankings; r++) salts[r] = RankOrder.salt(seed, r);
        }

        private long[] counts() {
            if (counts == null) counts = new long[salts.length * BINS];
            return counts;
        }

        public void add(long key) {
            long[] c = counts();
            for (int r = 0; r < salts.length; r++) c[r * BINS + bin(RankOrder.mix(key ^ salts[r]))]++;
        }

        /** Adds {@code other}'s counts to this one and returns this. */
        public Histogram merge(Histogram other) {
            if (!Arrays.equals(salts, other.salts)) throw new IllegalArgumentException("histograms of other rankings");
            if (other.counts == null) return this;
            long[] c = counts();
            for (int i = 0; i < c.length; i++) c[i] += other.counts[i];
            return this;
        }

        /** Where, for each ranking, the n-th row of each grid size lies: its bin and its place within the bin. */
        public Plan plan(long[] grid) {
            int rankings = salts.length;
            int cuts = grid.length - 1;
            long[] counts = counts();
            long total = 0;
            for (int b = 0; b < BINS; b++) total += counts[b];
            if (total != grid[cuts]) {
                throw new IllegalArgumentException("the grid ends at " + grid[cuts] + " rows but " + total + " were counted");
            }
            int[] bins = new int[rankings * cuts];
            long[] within = new long[rankings * cuts];
            for (int r = 0; r < rankings; r++) {
                long below = 0;
                int b = 0;
                for (int g = 0; g < cuts; g++) {
                    // The n-th row (1-based) is in the first bin whose cumulative count reaches n.
                    while (below + counts[r * BINS + b] < grid[g]) below += counts[r * BINS + b++];
                    bins[r * cuts + g] = b;
                    within[r * cuts + g] = grid[g] - below;
                }
            }
            return new Plan(grid.clone(), salts.clone(), bins, within);
        }
    }

    /** Pass two: which rank values to collect, and the exact cuts from them. */
    public static final class Plan implements Serializable {
        private static final long serialVersionUID = 1L;
        private final long[] grid;
        private final long[] salts;
        private final int[] bins;
        private final long[] within;
        private final long[] wanted; // per ranking, a bit set over the bins

        Plan(long[] grid, long[] salts, int[] bins, long[] within) {
            this.grid = grid;
            this.salts = salts;
            this.bins = bins;
            this.within = within;
            int cuts = grid.length - 1;
            this.wanted = new long[salts.length * (BINS / 64)];
            for (int r = 0; r < salts.length; r++) {
                for (int g = 0; g < cuts; g++) {
                    int b = bins[r * cuts + g];
                    wanted[r * (BINS / 64) + b / 64] |= 1L << (b % 64);
                }
            }
        }

        /** The (ranking, value, key) triples of row {@code key} that lie in a bin where some prefix ends. */
        public List<long[]> candidates(long key) {
            List<long[]> out = null;
            for (int r = 0; r < salts.length; r++) {
                long value = RankOrder.mix(key ^ salts[r]);
                int b = bin(value);
                if ((wanted[r * (BINS / 64) + b / 64] & (1L << (b % 64))) != 0) {
                    if (out == null) out = new ArrayList<>(2);
                    out.add(new long[] {r, value, key});
                }
            }
            return out == null ? List.of() : out;
        }

        /** The cuts, given every candidate of every training row (in any order). */
        public PrefixCuts cuts(List<long[]> candidates) {
            Map<Long, List<long[]>> byBin = new HashMap<>();
            for (long[] c : candidates) {
                byBin.computeIfAbsent(c[0] * BINS + bin(c[1]), x -> new ArrayList<>()).add(c);
            }
            Comparator<long[]> order = (a, b) -> RankOrder.compare(a[1], a[2], b[1], b[2]);
            byBin.values().forEach(l -> l.sort(order));
            int cuts = grid.length - 1;
            long[] values = new long[salts.length * cuts];
            long[] keys = new long[salts.length * cuts];
            for (int r = 0; r < salts.length; r++) {
                for (int g = 0; g < cuts; g++) {
                    int i = r * cuts + g;
                    List<long[]> inBin = byBin.getOrDefault((long) r * BINS + bins[i], List.of());
                    if (inBin.size() < within[i]) {
                        throw new IllegalStateException("bin " + bins[i] + " of ranking " + r + " holds " + inBin.size()
                                + " candidates, fewer than the histogram counted");
                    }
                    long[] cut = inBin.get((int) within[i] - 1);
                    values[i] = cut[1];
                    keys[i] = cut[2];
                }
            }
            return new PrefixCuts(grid, salts, values, keys);
        }
    }
}
