package dev.repgap.knn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

class QueryBlocksTest {
    @Test
    void blocksKeepOrderAndRoundsRespectTheBudget() {
        int n = 10, dim = 3;
        long[] ids = new long[n];
        float[] data = new float[n * dim];
        for (int i = 0; i < n; i++) {
            ids[i] = 100 + i;
            for (int j = 0; j < dim; j++) data[i * dim + j] = i * 10 + j;
        }
        List<DenseBlock> blocks = QueryBlocks.blocks(ids, data, dim, 4);
        assertEquals(List.of(4, 4, 2), blocks.stream().map(DenseBlock::rows).toList());
        assertArrayEquals(new long[] {108, 109}, blocks.get(2).ids());
        assertArrayEquals(new float[] {80, 81, 82, 90, 91, 92}, blocks.get(2).data());

        // Consecutive runs under the budget; a block larger than the budget gets a round of its own.
        long[] bytes = {5, 5, 5, 12, 1, 1, 1};
        assertArrayEquals(new int[] {2, 1, 1, 3}, QueryBlocks.roundSizes(bytes, 10));
        assertArrayEquals(new int[] {7}, QueryBlocks.roundSizes(bytes, 100));
        assertArrayEquals(new int[] {1, 1, 1, 1, 1, 1, 1}, QueryBlocks.roundSizes(bytes, 1));
        assertArrayEquals(new int[0], QueryBlocks.roundSizes(new long[0], 1));
    }
}
