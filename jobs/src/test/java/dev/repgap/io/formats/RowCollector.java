package dev.repgap.io.formats;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.hadoop.conf.Configuration;

/** Reads rows of a {@link ColumnarFile} and checks that each comes once, in order, within range. */
final class RowCollector {

    private RowCollector() {}

    /** Rows [start, end), checking they arrive in order. */
    static List<Object[]> read(ColumnarFile file, long start, long end) throws IOException {
        List<Object[]> rows = new ArrayList<>();
        file.read(new Configuration(), start, end, (index, values) -> {
            assertEquals(start + rows.size(), index, "row index");
            assertEquals(file.columns().size(), values.length, "values per row");
            rows.add(values);
        });
        assertEquals(end - start, rows.size(), "rows read from [" + start + ", " + end + ")");
        return rows;
    }

    /** All rows, read split by split in reverse order, as independent tasks would in any order. */
    static List<Object[]> readBySplits(ColumnarFile file, long targetRows) throws IOException {
        List<long[]> splits = new ArrayList<>(file.splits(targetRows));
        long covered = 0;
        for (long[] split : splits) {
            assertEquals(covered, split[0], "splits are contiguous");
            assertTrue(split[1] > split[0], "splits are not empty");
            covered = split[1];
        }
        assertEquals(file.rows(), covered, "splits cover all rows");
        Collections.reverse(splits);
        Map<Long, Object[]> byIndex = new TreeMap<>();
        for (long[] split : splits) {
            List<Object[]> rows = read(file, split[0], split[1]);
            for (int i = 0; i < rows.size(); i++) {
                assertNull(byIndex.put(split[0] + i, rows.get(i)), "row read twice");
            }
        }
        return new ArrayList<>(byIndex.values());
    }
}
