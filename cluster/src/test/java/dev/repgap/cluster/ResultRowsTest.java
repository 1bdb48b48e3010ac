package dev.repgap.cluster;

import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Map;
import org.junit.jupiter.api.Test;

/** The comparison the cluster tests rest on must fail on a real difference and pass on run metadata. */
class ResultRowsTest {
    private static String lines(String run, String value, String ciLow, String extraRow) {
        StringBuilder b = new StringBuilder("log line that is not JSON\n");
        for (int i = 0; i < 6; i++) {
            b.append("{\"run_id\":\"").append(run).append("\",\"start_time\":\"t").append(run)
                    .append("\",\"command\":\"id\",\"input\":\"/x\",\"layer\":\"a,b\",\"metric\":\"id.mle\",\"param\":\"k=")
                    .append(i).append("\",\"value\":").append(value).append(",\"ci_low\":").append(ciLow)
                    .append(",\"ci_high\":null,\"n\":20000,\"scale\":0.5,\"details\":\"run ").append(run).append("\"}\n");
        }
        return b.append(extraRow).toString();
    }

    @Test
    void runMetadataAndRoundingBelowTheToleranceAreIgnored() {
        Map<String, Map<String, String>> a = ResultRows.parse(lines("1", "3.0000000000", "2.9", ""));
        ResultRows.assertSame(a, ResultRows.parse(lines("2", "3.0000000001", "2.9", "")), "same");
    }

    @Test
    void aDifferentValueOrIntervalOrRowFails() {
        Map<String, Map<String, String>> a = ResultRows.parse(lines("1", "3.0", "2.9", ""));
        assertThrows(AssertionError.class, () -> ResultRows.assertSame(a, ResultRows.parse(lines("1", "3.00001", "2.9", "")), "value"));
        assertThrows(AssertionError.class, () -> ResultRows.assertSame(a, ResultRows.parse(lines("1", "3.0", "null", "")), "interval"));
        assertThrows(AssertionError.class, () -> ResultRows.assertSame(a, ResultRows.parse(lines("1", "3.0", "2.9",
                "{\"layer\":\"a,b\",\"metric\":\"id.twonn\",\"param\":null,\"value\":3.0}\n")), "extra row"));
        assertThrows(AssertionError.class, () -> ResultRows.parse("{\"metric\":\"x\"}\n"), "too few rows");
    }
}
