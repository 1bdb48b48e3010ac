package dev.repgap.io.formats;

import java.util.ArrayList;
import java.util.List;

/** Cuts rows into ranges {start, end} for {@link ColumnarFile#splits}. */
final class RowRanges {

    private RowRanges() {}

    /** Ranges of targetRows rows each; the last one may be shorter. */
    static List<long[]> even(long rows, long targetRows) {
        checkTarget(targetRows);
        List<long[]> ranges = new ArrayList<>();
        for (long start = 0; start < rows; start += targetRows) {
            ranges.add(new long[] {start, Math.min(rows, start + targetRows)});
        }
        return ranges;
    }

    /**
     * Ranges made of whole batches, each closed once it holds at least targetRows rows.
     * batchStarts holds the first row of every batch and, last, the total row count.
     */
    static List<long[]> alignedTo(long[] batchStarts, long targetRows) {
        checkTarget(targetRows);
        List<long[]> ranges = new ArrayList<>();
        long rows = batchStarts[batchStarts.length - 1];
        long start = 0;
        for (int b = 1; b < batchStarts.length; b++) {
            long end = batchStarts[b];
            if (end - start >= targetRows || (end == rows && end > start)) {
                ranges.add(new long[] {start, end});
                start = end;
            }
        }
        return ranges;
    }

    static void checkRange(long start, long end, long rows) {
        if (start < 0 || end < start || end > rows) {
            throw new IndexOutOfBoundsException(
                    "row range [" + start + ", " + end + ") is not within [0, " + rows + ")");
        }
    }

    private static void checkTarget(long targetRows) {
        if (targetRows <= 0) {
            throw new IllegalArgumentException("targetRows must be positive, got " + targetRows);
        }
    }
}
