package dev.repgap.id;

import dev.repgap.gap.RankOrder;
import java.util.Arrays;

/**
 * A seeded random order of rows that depends on their ids (keys) alone, never on how they were
 * partitioned or listed: rows sorted by {@link RankOrder#value} of their key (unsigned), ties by key.
 * Distinct {@code stream}s give independent orders under one seed. The first n rows of the order are
 * a seeded subsample; consecutive runs of it are seeded random blocks.
 */
public final class SeededOrder {
    private SeededOrder() {}

    /** Indices into {@code keys}, in the seeded order of stream {@code stream}. */
    public static int[] of(long[] keys, long seed, int stream) {
        long salt = RankOrder.salt(seed, stream);
        long[] value = new long[keys.length];
        for (int i = 0; i < keys.length; i++) value[i] = RankOrder.mix(keys[i] ^ salt);
        Integer[] order = new Integer[keys.length];
        for (int i = 0; i < order.length; i++) order[i] = i;
        Arrays.sort(order, (a, b) -> RankOrder.compare(value[a], keys[a], value[b], keys[b]));
        return Arrays.stream(order).mapToInt(Integer::intValue).toArray();
    }

    /** The first {@code count} rows of the order (all when fewer), as indices sorted by key. */
    public static int[] subsample(long[] keys, int count, long seed, int stream) {
        int[] order = of(keys, seed, stream);
        Integer[] chosen = new Integer[Math.min(count, order.length)];
        for (int i = 0; i < chosen.length; i++) chosen[i] = order[i];
        Arrays.sort(chosen, (a, b) -> Long.compare(keys[a], keys[b]));
        return Arrays.stream(chosen).mapToInt(Integer::intValue).toArray();
    }
}
