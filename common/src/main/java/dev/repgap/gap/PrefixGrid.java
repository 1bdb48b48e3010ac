package dev.repgap.gap;

import java.util.Arrays;

/** The training-set sizes n at which the gap curve is read: a geometric grid ending at the whole training set. */
public final class PrefixGrid {

    private PrefixGrid() {}

    /**
     * Up to {@code points} sizes from {@code smallest} to {@code rows}, evenly spaced in log n and rounded
     * to integers (sizes that round to the same integer appear once), ascending, the last equal to {@code rows}.
     */
    public static long[] geometric(long rows, int points, long smallest) {
        if (points < 2) throw new IllegalArgumentException("the grid needs at least 2 points, got " + points);
        if (smallest < 1 || smallest >= rows) {
            throw new IllegalArgumentException("the grid needs 1 <= smallest n < training rows, got smallest "
                    + smallest + " for " + rows + " training rows");
        }
        long[] n = new long[points];
        int size = 0;
        double ratio = Math.log((double) rows / smallest) / (points - 1);
        for (int i = 0; i < points; i++) {
            long v = i == points - 1 ? rows : Math.round(smallest * Math.exp(ratio * i));
            v = Math.max(smallest, Math.min(rows, v));
            if (size == 0 || v > n[size - 1]) n[size++] = v;
        }
        return Arrays.copyOf(n, size);
    }
}
