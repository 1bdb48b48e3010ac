package dev.repgap.knn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class NeighbourListsTest {

    private static final int K = 9;

    /** References shuffled, cut into parts, each part scanned into its own state. */
    private static List<NeighbourLists> partStates(DenseBlock queries, DenseBlock references, int parts, long seed) {
        List<Integer> order = new ArrayList<>();
        for (int r = 0; r < references.rows(); r++) {
            order.add(r);
        }
        Collections.shuffle(order, new Random(seed));
        int dim = references.dim();
        NeighbourScan scan = new NeighbourScan(ScanMode.SELF, references.columnMeans());
        List<NeighbourLists> states = new ArrayList<>();
        for (int p = 0; p < parts; p++) {
            int from = p * order.size() / parts;
            int to = (p + 1) * order.size() / parts;
            float[] data = new float[(to - from) * dim];
            long[] ids = new long[to - from];
            for (int i = from; i < to; i++) {
                System.arraycopy(references.data(), order.get(i) * dim, data, (i - from) * dim, dim);
                ids[i - from] = references.id(order.get(i));
            }
            NeighbourLists state = NeighbourScan.newState(queries, K);
            scan.scan(queries, state, DenseBlock.of(ids, data, dim));
            states.add(state);
        }
        return states;
    }

    @Test
    void mergeOverPartitionsInAnyOrderGivesIdenticalResults() {
        DenseBlock references = TestData.tiesAndDuplicates(350, 6, 0, 31);
        DenseBlock queries = TestData.slice(references, 0, 60);
        NeighbourLists whole = partStates(queries, references, 1, 0).get(0);
        Random random = new Random(5);
        for (int parts : new int[] {1, 3, 7}) {
            for (int trial = 0; trial < 3; trial++) {
                List<NeighbourLists> states = partStates(queries, references, parts, random.nextLong());
                Collections.shuffle(states, random);
                NeighbourLists leftFold = states.get(0);
                for (int i = 1; i < states.size(); i++) {
                    leftFold = leftFold.merge(states.get(i));
                }
                NeighbourLists rightFold = states.get(states.size() - 1);
                for (int i = states.size() - 2; i >= 0; i--) {
                    rightFold = states.get(i).merge(rightFold);
                }
                assertEquals(whole, leftFold, parts + " parts, left fold");
                assertEquals(whole, rightFold, parts + " parts, right fold");
            }
        }
        // Scanning the parts one after another into one state is the same as merging.
        NeighbourLists sequential = NeighbourScan.newState(queries, K);
        NeighbourScan scan = new NeighbourScan(ScanMode.SELF, references.columnMeans());
        for (int p = 0; p < 7; p++) {
            scan.scan(queries, sequential, TestData.slice(references, p * 50, (p + 1) * 50));
        }
        assertEquals(whole, sequential);
    }

    @Test
    void mergingAStateWithItselfKeepsEachNeighbourOnce() {
        DenseBlock references = TestData.gaussian(30, 4, 0f, 0, 2);
        NeighbourLists state = partStates(references, references, 1, 0).get(0);
        NeighbourLists twice = state.merge(state);
        for (int q = 0; q < state.queries(); q++) {
            for (int rank = 0; rank < state.size(q); rank++) {
                assertEquals(state.neighbourId(q, rank), twice.neighbourId(q, rank));
            }
        }
    }

    @Test
    void serialisationRoundTripsAndIsCompact() throws Exception {
        DenseBlock references = TestData.tiesAndDuplicates(200, 5, 0, 8);
        NeighbourLists state = partStates(references, references, 1, 0).get(0);
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
            out.writeObject(state);
        }
        try (ObjectInputStream in = new ObjectInputStream(new ByteArrayInputStream(bytes.toByteArray()))) {
            assertEquals(state, in.readObject());
        }
        // Ids, counts and filled (id, distance) pairs, plus stream framing of about 1%.
        long payload = 200L * (8 + 8 + 4 + K * 16);
        assertTrue(bytes.size() < payload * 1.02 + 300, bytes.size() + " bytes for a payload of " + payload);
    }

    @Test
    void listsCutToASmallerKAreTheScanAtThatK() {
        // Ties, exact duplicates beyond the k-th, and a reference set smaller than K.
        for (int rows : new int[] {350, 6}) {
            DenseBlock references = TestData.tiesAndDuplicates(rows, 4, 0, 17);
            DenseBlock queries = TestData.slice(references, 0, Math.min(rows, 40));
            NeighbourScan scan = new NeighbourScan(ScanMode.SELF, references.columnMeans());
            NeighbourLists wide = NeighbourScan.newState(queries, K);
            scan.scan(queries, wide, references);
            for (int k = 1; k <= K; k++) {
                NeighbourLists narrow = NeighbourScan.newState(queries, k);
                scan.scan(queries, narrow, references);
                assertEquals(narrow, wide.cut(k), rows + " references, k = " + k);
            }
        }
        NeighbourLists lists = NeighbourLists.empty(new long[] {1}, 3);
        assertThrows(IllegalArgumentException.class, () -> lists.cut(4));
        assertThrows(IllegalArgumentException.class, () -> lists.cut(0));
    }

    @Test
    void mergeRejectsOtherQueries() {
        NeighbourLists a = NeighbourLists.empty(new long[] {1, 2}, 3);
        assertThrows(IllegalArgumentException.class, () -> a.merge(NeighbourLists.empty(new long[] {1, 3}, 3)));
        assertThrows(IllegalArgumentException.class, () -> a.merge(NeighbourLists.empty(new long[] {1, 2}, 4)));
    }
}
