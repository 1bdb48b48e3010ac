package dev.repgap.gap;

/**
 * R independent seeded random orders of the training rows. In ranking r a row with key k gets the
 * 64-bit value {@code value(seed, r, k)}; rows are ordered by that value read as unsigned, ties (of
 * probability about N^2 / 2^64) broken by the key. "The first n training rows" of ranking r are the n
 * rows that come first in this order. The value is a function of the key alone, so the order does not
 * depend on how the rows are partitioned, and other tools can rebuild it:
 * <pre>
 * mix(z)  = z ^= z >>> 30; z *= 0xBF58476D1CE4E5B9; z ^= z >>> 27; z *= 0x94D049BB133111EB; z ^ z >>> 31
 * salt    = mix(seed + (r + 1) * 0x9E3779B97F4A7C15)
 * value   = mix(key ^ salt)                          (all arithmetic modulo 2^64)
 * </pre>
 */
public final class RankOrder {

    private RankOrder() {}

    /** The rank value of row {@code key} in ranking {@code ranking} (0-based). */
    public static long value(long seed, int ranking, long key) {
        return mix(key ^ salt(seed, ranking));
    }

    /** The per-ranking constant of {@link #value}; {@code value = mix(key ^ salt)}. */
    public static long salt(long seed, int ranking) {
        return mix(seed + (ranking + 1L) * 0x9E3779B97F4A7C15L);
    }

    /** SplitMix64's finaliser: a bijection of 64-bit values that scatters every input bit. */
    public static long mix(long z) {
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }

    /** Order of two rows of one ranking: by value (unsigned), then by key. */
    public static int compare(long value1, long key1, long value2, long key2) {
        int c = Long.compareUnsigned(value1, value2);
        return c != 0 ? c : Long.compare(key1, key2);
    }
}
