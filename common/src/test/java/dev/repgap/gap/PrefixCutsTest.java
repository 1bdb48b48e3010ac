package dev.repgap.gap;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class PrefixCutsTest {

    /** The cuts of every ranking, built in two passes over keys split into partitions, merged in shuffled order. */
    static PrefixCuts cuts(long[] keys, long seed, int rankings, long[] grid, int partitions) {
        List<PrefixCuts.Histogram> parts = new ArrayList<>();
        for (int p = 0; p < partitions; p++) {
            PrefixCuts.Histogram h = new PrefixCuts.Histogram(seed, rankings);
            for (int i = p; i < keys.length; i += partitions) h.add(keys[i]);
            parts.add(h);
        }
        Collections.shuffle(parts, new Random(seed));
        PrefixCuts.Histogram all = parts.get(0);
        for (int p = 1; p < parts.size(); p++) all = all.merge(parts.get(p));
        PrefixCuts.Plan plan = all.plan(grid);
        List<long[]> candidates = new ArrayList<>();
        for (long k : keys) candidates.addAll(plan.candidates(k));
        Collections.shuffle(candidates, new Random(seed + 1));
        return plan.cuts(candidates);
    }

    /** Bucket of each key by sorting: the first grid point whose prefix (n smallest in the ranking's order) holds it. */
    static int[] bucketsBySorting(long[] keys, long seed, int ranking, long[] grid) {
        Integer[] order = new Integer[keys.length];
        for (int i = 0; i < keys.length; i++) order[i] = i;
        long[] values = new long[keys.length];
        for (int i = 0; i < keys.length; i++) values[i] = RankOrder.value(seed, ranking, keys[i]);
        Arrays.sort(order, (a, b) -> RankOrder.compare(values[a], keys[a], values[b], keys[b]));
        int[] bucket = new int[keys.length];
        int g = 0;
        for (int position = 0; position < keys.length; position++) {
            while (position >= grid[g]) g++;
            bucket[order[position]] = g;
        }
        return bucket;
    }

    @Test
    void bucketsEqualThoseOfASortedOrder() {
        // 300k keys: about 4.6 per histogram bin, so the second pass really picks within bins.
        Random random = new Random(7);
        long[] keys = new long[300_000];
        for (int i = 0; i < keys.length; i++) keys[i] = random.nextLong();
        long[] grid = PrefixGrid.geometric(keys.length, 32, 16);
        PrefixCuts cuts = cuts(keys, 42, 3, grid, 5);
        for (int r = 0; r < 3; r++) {
            int[] expected = bucketsBySorting(keys, 42, r, grid);
            int[] counts = new int[grid.length];
            for (int i = 0; i < keys.length; i++) {
                assertEquals(expected[i], cuts.bucket(r, keys[i]), "key " + keys[i] + " ranking " + r);
                counts[expected[i]]++;
            }
            assertEquals(grid[0], counts[0]);
            for (int g = 1; g < grid.length; g++) assertEquals(grid[g] - grid[g - 1], counts[g], "bucket " + g);
        }
    }

    @Test
    void denseSmallKeysAndPartitioningDoNotMatter() {
        long[] keys = new long[1000];
        for (int i = 0; i < keys.length; i++) keys[i] = i;
        long[] grid = PrefixGrid.geometric(keys.length, 10, 4);
        PrefixCuts one = cuts(keys, 3, 4, grid, 1);
        PrefixCuts seven = cuts(keys, 3, 4, grid, 7);
        byte[] a = new byte[4];
        byte[] b = new byte[4];
        for (long k : keys) {
            one.buckets(k, a, 0);
            seven.buckets(k, b, 0);
            assertArrayEquals(a, b);
            for (int r = 0; r < 4; r++) assertEquals(bucketsBySorting(keys, 3, r, grid)[(int) k], a[r]);
        }
    }

    @Test
    void rankingsDifferAndDependOnTheSeed() {
        long[] keys = new long[500];
        for (int i = 0; i < keys.length; i++) keys[i] = 1000 + i;
        long[] grid = PrefixGrid.geometric(keys.length, 8, 4);
        assertTrue(!Arrays.equals(bucketsBySorting(keys, 1, 0, grid), bucketsBySorting(keys, 1, 1, grid)));
        assertTrue(!Arrays.equals(bucketsBySorting(keys, 1, 0, grid), bucketsBySorting(keys, 2, 0, grid)));
    }

    @Test
    void knownRankValues() {
        // SplitMix64's published first output for seed 0 is mix(0x9E3779B97F4A7C15) = 0xE220A8397B1DCDAF.
        assertEquals(0xE220A8397B1DCDAFL, RankOrder.mix(0x9E3779B97F4A7C15L));
        assertEquals(RankOrder.mix(5L ^ RankOrder.mix(9 + 0x9E3779B97F4A7C15L)), RankOrder.value(9, 0, 5));
    }

    @Test
    void grid() {
        long[] g = PrefixGrid.geometric(1_000_000, 32, 16);
        assertEquals(32, g.length);
        assertEquals(16, g[0]);
        assertEquals(1_000_000, g[31]);
        for (int i = 1; i < g.length; i++) assertTrue(g[i] > g[i - 1]);
        assertArrayEquals(new long[] {2, 3, 4, 5}, PrefixGrid.geometric(5, 10, 2));
        assertThrows(IllegalArgumentException.class, () -> PrefixGrid.geometric(5, 10, 5));
        PrefixCuts.Histogram h = new PrefixCuts.Histogram(1, 1);
        h.add(1);
        assertThrows(IllegalArgumentException.class, () -> h.plan(new long[] {1, 2}));
    }
}
