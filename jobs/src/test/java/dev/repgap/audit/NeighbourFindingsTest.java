package dev.repgap.audit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.repgap.knn.DenseBlock;
import dev.repgap.knn.NeighbourLists;
import dev.repgap.knn.NeighbourScan;
import dev.repgap.knn.ScanMode;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The findings read off neighbour lists, against brute force, for references split and merged in any order. */
class NeighbourFindingsTest {
    private static final int DIM = 3;

    /** Integer-valued points (many ties), every fifth a copy of an earlier one, some moved by a tiny step. */
    private static float[] points(int n, long seed) {
        Random rng = new Random(seed);
        float[] x = new float[n * DIM];
        for (int i = 0; i < n; i++) {
            if (i % 5 == 4) {
                System.arraycopy(x, rng.nextInt(i) * DIM, x, i * DIM, DIM);
                if (i % 3 == 0) x[i * DIM] += 0.001f;
            } else {
                for (int j = 0; j < DIM; j++) x[i * DIM + j] = rng.nextInt(6);
            }
        }
        return x;
    }

    private static double distance(float[] x, int a, int b) {
        double s = 0;
        for (int j = 0; j < DIM; j++) {
            double d = (double) x[a * DIM + j] - (double) x[b * DIM + j];
            s += d * d;
        }
        return Math.sqrt(s);
    }

    /** Self lists of all rows (ids 100 + 7i) with the references in {@code parts} pieces, merged in the given order. */
    private static List<NeighbourLists> selfLists(float[] x, int k, int parts, boolean reversed) {
        int n = x.length / DIM;
        long[] ids = new long[n];
        for (int i = 0; i < n; i++) ids[i] = 100 + 7L * i;
        DenseBlock queries = DenseBlock.of(ids, x, DIM);
        NeighbourScan scan = new NeighbourScan(ScanMode.SELF, null);
        List<NeighbourLists> states = new ArrayList<>();
        for (int p = 0; p < parts; p++) {
            int from = p * n / parts, to = (p + 1) * n / parts;
            NeighbourLists state = NeighbourScan.newState(queries, k);
            scan.scan(queries, state, DenseBlock.of(Arrays.copyOfRange(ids, from, to), Arrays.copyOfRange(x, from * DIM, to * DIM), DIM));
            states.add(state);
        }
        if (reversed) java.util.Collections.reverse(states);
        NeighbourLists merged = states.get(0);
        for (int p = 1; p < parts; p++) merged = merged.merge(states.get(p));
        return List.of(merged);
    }

    @Test
    void exactSetsAndNearPairsEqualBruteForceWhateverTheSplit() {
        float[] x = points(300, 3);
        int n = x.length / DIM;
        double threshold = 0.01;
        Set<List<Long>> near = new HashSet<>();
        List<Set<Long>> sets = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            Set<Long> same = new java.util.TreeSet<>();
            for (int j = 0; j < n; j++) {
                double d = distance(x, i, j);
                if (d == 0) same.add(100 + 7L * j);
                if (j > i && d > 0 && d <= threshold) near.add(List.of(100 + 7L * i, 100 + 7L * j));
            }
            if (same.size() > 1 && !sets.contains(same)) sets.add(same);
        }
        // k = 60: no row has all its neighbours within the threshold, so every near pair is listed.
        for (int parts : new int[] {1, 3, 7}) {
            for (boolean reversed : new boolean[] {false, true}) {
                List<NeighbourLists> lists = selfLists(x, 60, parts, reversed);
                List<Set<Long>> found = new ArrayList<>();
                for (long[] set : NeighbourFindings.exactDuplicates(lists)) {
                    Set<Long> s = new java.util.TreeSet<>();
                    for (long id : set) s.add(id);
                    found.add(s);
                }
                assertEquals(new HashSet<>(sets), new HashSet<>(found), parts + " parts");
                NeighbourFindings.Within w = NeighbourFindings.nearPairs(lists, threshold);
                Set<List<Long>> pairs = new HashSet<>();
                for (NeighbourFindings.Pair p : w.pairs()) pairs.add(List.of(p.a(), p.b()));
                assertEquals(near, pairs, parts + " parts");
                assertEquals(0, w.truncated());
            }
        }
        assertEquals(true, sets.size() > 10 && near.size() > 5, sets.size() + " sets, " + near.size() + " near pairs");
    }

    @Test
    void exactSetsAreWholeWithFewNeighboursAndFarthestIsOrdered() {
        float[] x = points(200, 5);
        List<NeighbourLists> few = selfLists(x, 2, 4, false);
        List<NeighbourLists> many = selfLists(x, 80, 1, false);
        List<long[]> a = NeighbourFindings.exactDuplicates(few), b = NeighbourFindings.exactDuplicates(many);
        assertEquals(b.size(), a.size());
        for (int i = 0; i < a.size(); i++) assertArrayEquals(b.get(i), a.get(i));
        List<NeighbourFindings.Pair> top = NeighbourFindings.farthest(many, 5);
        for (int i = 1; i < top.size(); i++) {
            NeighbourFindings.Pair p = top.get(i - 1), q = top.get(i);
            assertEquals(true, p.distance() > q.distance() || (p.distance() == q.distance() && p.a() < q.a()), top.toString());
        }
    }
}
