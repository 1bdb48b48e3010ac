package dev.repgap.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** repgap's {@code --json} result lines, keyed by group, metric and parameter, and compared to a tolerance. */
final class ResultRows {
    static final double RELATIVE_TOLERANCE = 1e-9;
    private static final Pattern FIELD = Pattern.compile("\"(\\w+)\":(\"(?:[^\"\\\\]|\\\\.)*\"|[^,}]*)");
    private static final List<String> NUMBERS = List.of("value", "ci_low", "ci_high", "scale");
    /** Fields that describe the run, not the result. */
    private static final List<String> RUN = List.of("run_id", "start_time", "command", "input", "details");

    private ResultRows() {}

    static Map<String, Map<String, String>> parse(String jsonLines) {
        Map<String, Map<String, String>> rows = new TreeMap<>();
        for (String line : jsonLines.split("\n")) {
            if (!line.startsWith("{")) continue;
            Map<String, String> fields = new TreeMap<>();
            Matcher m = FIELD.matcher(line);
            while (m.find()) fields.put(m.group(1), m.group(2));
            RUN.forEach(fields::remove);
            String key = fields.get("layer") + " " + fields.get("metric") + " " + fields.get("param");
            assertEquals(null, rows.put(key, fields), "two rows for " + key);
        }
        assertTrue(rows.size() > 5, "too few result rows:\n" + jsonLines);
        return rows;
    }

    /** Same rows, same fields; numbers equal to {@link #RELATIVE_TOLERANCE}, everything else exactly. */
    static void assertSame(Map<String, Map<String, String>> expected, Map<String, Map<String, String>> actual, String what) {
        assertEquals(expected.keySet(), actual.keySet(), what + ": different rows");
        for (String key : expected.keySet()) {
            Map<String, String> e = expected.get(key), a = actual.get(key);
            assertEquals(e.keySet(), a.keySet(), what + ": " + key);
            for (String field : e.keySet()) {
                if (e.get(field).equals(a.get(field))) continue;
                if (NUMBERS.contains(field) && !e.get(field).equals("null") && !a.get(field).equals("null")) {
                    double x = Double.parseDouble(e.get(field)), y = Double.parseDouble(a.get(field));
                    assertTrue(Math.abs(x - y) <= RELATIVE_TOLERANCE * Math.max(Math.abs(x), Math.abs(y)),
                            what + ": " + key + " " + field + " " + x + " vs " + y);
                } else {
                    assertEquals(e.get(field), a.get(field), what + ": " + key + " " + field);
                }
            }
        }
    }
}
