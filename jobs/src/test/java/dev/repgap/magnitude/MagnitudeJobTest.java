package dev.repgap.magnitude;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.repgap.data.DuplicateRows;
import org.junit.jupiter.api.Test;

/** The exact duplicates read off a distance matrix when no group is subsampled. */
class MagnitudeJobTest {
    @Test
    void zeroDistancesMarkAllButTheFirstRowOfEachRepeatedVector() {
        // points on a line: rows 0, 2 and 4 at 0, rows 1 and 3 at 1, row 5 at 3 (ids ascending with the rows)
        double[] x = {0, 1, 0, 1, 0, 3};
        int n = x.length;
        double[] d = new double[n * n];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) d[i * n + j] = Math.abs(x[i] - x[j]);
        }
        boolean[] redundant = new boolean[n];
        assertEquals(new DuplicateRows.Counts(3, 2), MagnitudeJob.zeroDistances(d, n, redundant));
        assertArrayEquals(new boolean[] {false, false, true, true, true, false}, redundant);
        assertArrayEquals(new double[] {0, 1, 3, 1, 0, 2, 3, 2, 0}, MagnitudeJob.without(d, n, redundant));

        boolean[] none = new boolean[3];
        assertEquals(DuplicateRows.Counts.NONE, MagnitudeJob.zeroDistances(new double[] {0, 1, 2, 1, 0, 1, 2, 1, 0}, 3, none));
    }
}
