package dev.repgap.knn;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;

/** The query set of one group cut into blocks, and the blocks cut into rounds that fit a memory budget. */
public final class QueryBlocks implements Serializable {
    private static final long serialVersionUID = 1L;

    private QueryBlocks() {}

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

    /** Consecutive runs of blocks whose vectors and neighbour states together stay under {@code budgetBytes}. */
    static List<List<DenseBlock>> rounds(List<DenseBlock> blocks, int k, long budgetBytes) {
        return rounds(blocks, b -> bytes(b, k), budgetBytes);
    }

    /** Consecutive runs of blocks whose {@code bytes} (vectors and per-query state) together stay under the budget. */
    public static List<List<DenseBlock>> rounds(List<DenseBlock> blocks, java.util.function.ToLongFunction<DenseBlock> bytes,
            long budgetBytes) {
        List<List<DenseBlock>> rounds = new ArrayList<>();
        List<DenseBlock> current = new ArrayList<>();
        long total = 0;
        for (DenseBlock b : blocks) {
            long cost = bytes.applyAsLong(b);
            if (!current.isEmpty() && total + cost > budgetBytes) {
                rounds.add(current);
                current = new ArrayList<>();
                total = 0;
            }
            current.add(b);
            total += cost;
        }
        if (!current.isEmpty()) rounds.add(current);
        return rounds;
    }

    /** Vectors, ids and a k-long (id, distance) list per query. */
    static long bytes(DenseBlock b, int k) {
        return (long) b.rows() * (4L * b.dim() + 8 + 16L * k);
    }
}
