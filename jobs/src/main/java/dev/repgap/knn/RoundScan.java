package dev.repgap.knn;

import java.io.Serializable;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import scala.Tuple2;

/**
 * One broadcast round of query blocks, from any number of groups, and the task side of scanning it:
 * a task streams one partition of reference rows (of all groups) and scans each reference block
 * against the round's query blocks of the reference's group. The round's blocks are dealt into
 * slices; a task scans one slice, so that a partition can be spread over several tasks (and cores)
 * without moving the references. The states of all tasks merge exactly, block by block.
 */
final class RoundScan implements Serializable {
    private static final long serialVersionUID = 1L;

    /** A row of the scan (a query or a reference): its group's index, its key and its vector. */
    record GroupRow(int group, long key, float[] vector) implements Serializable {}

    /** Per block of the round: merged neighbour lists (null while no task has seen a reference of its group). */
    record States(NeighbourLists[] lists, String kernel) implements Serializable {}

    private final List<DenseBlock> blocks;
    private final int[] blockGroup;
    private final float[][] centres;
    private final int slices;

    /**
     * @param blockGroup the group index of each block
     * @param centres per group index, the centre of its queries (see {@link NeighbourScan}); null for groups absent
     * @param slices how many slices the blocks are dealt into (block {@code i} goes to slice {@code i % slices})
     */
    RoundScan(List<DenseBlock> blocks, int[] blockGroup, float[][] centres, int slices) {
        this.blocks = blocks;
        this.blockGroup = blockGroup;
        this.centres = centres;
        this.slices = slices;
    }

    List<DenseBlock> blocks() {
        return blocks;
    }

    int slices() {
        return slices;
    }

    /** Scans the references of one partition against the blocks of one slice; the other blocks stay null. */
    States scan(Iterator<GroupRow> references, int slice, ScanMode mode, int k, int blockRows) {
        NeighbourLists[] states = new NeighbourLists[blocks.size()];
        GroupBuffer[] buffers = new GroupBuffer[centres.length];
        for (int b = slice; b < blocks.size(); b += slices) {
            int g = blockGroup[b];
            if (buffers[g] == null) {
                buffers[g] = new GroupBuffer(new NeighbourScan(mode, centres[g]), blocks.get(b).dim(), blockRows);
            }
            buffers[g].blocks = append(buffers[g].blocks, b);
        }
        String kernel = null;
        while (references.hasNext()) {
            GroupRow r = references.next();
            GroupBuffer buffer = buffers[r.group()];
            if (buffer != null && buffer.add(r)) buffer.flush(states, k);
        }
        for (GroupBuffer buffer : buffers) {
            if (buffer == null) continue;
            buffer.flush(states, k);
            kernel = buffer.scan.kernel().name();
        }
        return new States(states, kernel);
    }

    /** Block by block; a block that one side has not seen takes the other's lists. */
    static States merge(States a, States b) {
        NeighbourLists[] out = new NeighbourLists[a.lists().length];
        for (int i = 0; i < out.length; i++) {
            NeighbourLists x = a.lists()[i], y = b.lists()[i];
            out[i] = x == null ? y : y == null ? x : x.merge(y);
        }
        return new States(out, a.kernel() != null ? a.kernel() : b.kernel());
    }

    private static int[] append(int[] a, int v) {
        int[] out = Arrays.copyOf(a, a.length + 1);
        out[a.length] = v;
        return out;
    }

    /** The references of one group waiting to be scanned, in blocks of up to {@code blockRows}. */
    private final class GroupBuffer {
        final NeighbourScan scan;
        final int dim;
        final int blockRows;
        int[] blocks = new int[0];
        long[] ids;
        float[] values;
        int rows;

        GroupBuffer(NeighbourScan scan, int dim, int blockRows) {
            this.scan = scan;
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

        void flush(NeighbourLists[] states, int k) {
            if (rows == 0) return;
            DenseBlock references = DenseBlock.of(Arrays.copyOf(ids, rows), Arrays.copyOf(values, rows * dim), dim);
            for (int b : blocks) {
                DenseBlock queries = RoundScan.this.blocks.get(b);
                if (states[b] == null) states[b] = NeighbourScan.newState(queries, k);
                scan.scan(queries, states[b], references);
            }
            rows = 0;
        }
    }
}
