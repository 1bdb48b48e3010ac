package dev.repgap.knn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

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

        long perBlock = QueryBlocks.bytes(blocks.get(0), 5);
        assertEquals(4 * (4 * 3 + 8 + 16 * 5), perBlock);
        List<List<DenseBlock>> rounds = QueryBlocks.rounds(blocks, 5, 2 * perBlock);
        assertEquals(List.of(2, 1), rounds.stream().map(List::size).toList());
        // A block larger than the budget still gets a round of its own.
        List<List<DenseBlock>> tight = QueryBlocks.rounds(blocks, 5, 1);
        assertEquals(3, tight.size());
        assertTrue(tight.stream().allMatch(r -> r.size() == 1));
    }
}
