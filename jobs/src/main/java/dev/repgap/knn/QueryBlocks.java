package dev.repgap.knn;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;

/** A query set cut into blocks, and blocks (of one group or many) cut into rounds that fit a memory budget. */
public final class QueryBlocks implements Serializable {
    private static final long serialVersionUID = 1L;

    private QueryBlocks() {}

    /**
     * Tasks per round: each reference partition is scanned in enough slices of the round's query blocks
     * that every core gets about two tasks, whatever the partitions hold (a group often sits in one file
     * and hence one partition). A slice re-reads its partition, which costs little next to the scan.
     */
    public static int slices(int cores, int partitions, int blocks) {
        int wanted = (2 * cores + Math.max(1, partitions) - 1) / Math.max(1, partitions);
        return Math.max(1, Math.min(blocks, wanted));
    }

    /** Blocks of at most {@code blockRows} rows, in query order. */
    public static List<DenseBlock> blocks(long[] ids, float[] data, int dim, int blockRows) {
        List<DenseBlock> blocks = new ArrayList<>();
        for (int start = 0; start < ids.length; start += blockRows) {
            int rows = Math.min(blockRows, ids.length - start);
            long[] blockIds = java.util.Arrays.copyOfRange(ids, start, start + rows);
            float[] blockData = java.util.Arrays.copyOfRange(data, start * dim, (start + rows) * dim);
            blocks.add(DenseBlock.of(blockIds, blockData, dim));
        }
        return blocks;
    }

    /**
     * The sizes of consecutive runs of blocks whose {@code bytes} (vectors and per-query state) together stay
     * under the budget; a block larger than the budget gets a run of its own.
     */
    public static int[] roundSizes(long[] bytes, long budgetBytes) {
        List<Integer> sizes = new ArrayList<>();
        int current = 0;
        long total = 0;
        for (long cost : bytes) {
            if (current > 0 && total + cost > budgetBytes) {
                sizes.add(current);
                current = 0;
                total = 0;
            }
            current++;
            total += cost;
        }
        if (current > 0) sizes.add(current);
        return sizes.stream().mapToInt(Integer::intValue).toArray();
    }
}
