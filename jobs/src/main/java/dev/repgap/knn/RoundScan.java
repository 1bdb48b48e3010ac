package dev.repgap.knn;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;

/**
 * One broadcast round of query blocks, from any number of groups, and the task side of scanning it:
 * a task streams one partition of reference rows (of all groups) and scans each reference block
 * against the round's query blocks of the reference's group. The round's blocks are dealt into
 * slices; a task scans one slice, so that a partition can be spread over several tasks (and cores)
 * without moving the references. The states of all tasks merge exactly, block by block.
 */
final class RoundScan<S> implements Serializable {
    private static final long serialVersionUID = 1L;

    /** A row of the scan (a query or a reference): its group's index, its key and its vector. */
    record GroupRow(int group, long key, float[] vector) implements Serializable {}

    /** Per block of the round: its merged state (null while no task has seen a reference of its group). */
    record States(Object[] states, String kernel) implements Serializable {}

    private final List<DenseBlock> blocks;
    private final int[] blockGroup;
    private final float[][] centres;
    private final int slices;

    /**
     * @param blockGroup the group index of each block
     * @param centres per group index, the centre of its queries; null for groups without queries
     * @param slices how many slices the blocks are dealt into (block {@code i} goes to slice {@code i % slices})
     */
    RoundScan(List<DenseBlock> blocks, int[] blockGroup, float[][] centres, int slices) {
        this.blocks = blocks;
        this.blockGroup = blockGroup;
        this.centres = centres;
        this.slices = slices;
    }

    int slices() {
        return slices;
    }

    /** Scans the references of one partition against the blocks of one slice; the other blocks stay null. */
    States scan(Iterator<GroupRow> references, int slice, PairScan.Work<S> work, int blockRows) {
        Object[] states = new Object[blocks.size()];
        @SuppressWarnings("unchecked")
        GroupBuffer<S>[] buffers = (GroupBuffer<S>[]) new GroupBuffer<?>[centres.length];
        for (int b = slice; b < blocks.size(); b += slices) {
            int g = blockGroup[b];
            if (buffers[g] == null) {
                buffers[g] = new GroupBuffer<>(g, work.scanner(g, centres[g]), blocks, blocks.get(b).dim(), blockRows);
            }
            buffers[g].blocks.add(b);
        }
        String kernel = null;
        while (references.hasNext()) {
            GroupRow r = references.next();
            GroupBuffer<S> buffer = buffers[r.group()];
            if (buffer != null && buffer.add(r)) buffer.flush(states, work);
        }
        for (GroupBuffer<S> buffer : buffers) {
            if (buffer == null) continue;
            buffer.flush(states, work);
            kernel = buffer.scanner.kernel();
        }
        return new States(states, kernel);
    }

    /** Block by block; a block that one side has not seen takes the other's state. */
    @SuppressWarnings("unchecked")
    static <S> States merge(States a, States b, PairScan.Work<S> work) {
        Object[] out = new Object[a.states().length];
        for (int i = 0; i < out.length; i++) {
            Object x = a.states()[i], y = b.states()[i];
            out[i] = x == null ? y : y == null ? x : work.merge((S) x, (S) y);
        }
        return new States(out, a.kernel() != null ? a.kernel() : b.kernel());
    }

    /** The references of one group waiting to be scanned, in blocks of up to {@code blockRows}. */
    private static final class GroupBuffer<S> {
        final int group;
        final PairScan.Scanner<S> scanner;
        final List<DenseBlock> queryBlocks;
        final int dim;
        final int blockRows;
        final List<Integer> blocks = new ArrayList<>();
        long[] ids;
        float[] values;
        int rows;

        GroupBuffer(int group, PairScan.Scanner<S> scanner, List<DenseBlock> queryBlocks, int dim, int blockRows) {
            this.group = group;
            this.scanner = scanner;
            this.queryBlocks = queryBlocks;
            this.dim = dim;
            this.blockRows = blockRows;
            this.ids = new long[Math.min(16, blockRows)];
            this.values = new float[ids.length * dim];
        }

        /** Adds a row; true when the block is full. Grows on demand: a task may hold rows of many groups. */
        boolean add(GroupRow r) {
            if (rows == ids.length) {
                int grown = Math.min(blockRows, 2 * rows);
                ids = Arrays.copyOf(ids, grown);
                values = Arrays.copyOf(values, grown * dim);
            }
            ids[rows] = r.key();
            System.arraycopy(r.vector(), 0, values, rows * dim, dim);
            return ++rows >= blockRows;
        }

        @SuppressWarnings("unchecked")
        void flush(Object[] states, PairScan.Work<S> work) {
            if (rows == 0) return;
            DenseBlock references = DenseBlock.of(Arrays.copyOf(ids, rows), Arrays.copyOf(values, rows * dim), dim);
            List<DenseBlock> queries = new ArrayList<>(blocks.size());
            List<S> own = new ArrayList<>(blocks.size());
            for (int b : blocks) {
                if (states[b] == null) states[b] = work.empty(group, queryBlocks.get(b));
                queries.add(queryBlocks.get(b));
                own.add((S) states[b]);
            }
            scanner.scan(references, queries, own);
            rows = 0;
        }
    }
}
