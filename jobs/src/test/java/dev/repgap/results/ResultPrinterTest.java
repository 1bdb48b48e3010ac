package dev.repgap.results;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.repgap.data.GroupKey;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

/** The readable views: every row per group, and one line per group for many groups, with the decisive notes. */
class ResultPrinterTest {

    private static List<MetricRow> rows(int groups) {
        List<MetricRow> out = new ArrayList<>();
        for (int g = 0; g < groups; g++) {
            GroupKey key = HistoryBuilder.group("label", Integer.toString(g));
            out.add(MetricRow.of(key, "gap.dimension", null, 4 + g, 100L).withInterval(3.5 + g, 4.5 + g));
            out.add(MetricRow.of(key, "gap.constant_theory", null, 0.4566, 100L).withDetails("applies to volume-1 data only"
                    + " (a uniform law on a manifold of volume 1; any other volume V scales C by V^(2/d)): Gamma(1 + 2/d)"
                    + " omega_d^(-2/d) at the fitted d"));
            out.add(MetricRow.of(key, "gap.drift", null, 0.01 * g, 100L).withDetails((g == 1 ? "DRIFTING, not yet asymptotic: "
                    : "asymptotic within 10%: ") + "d on the lower / upper half of the fit range = 4 / 4.1"));
            out.add(MetricRow.of(key, "gap.rg_extrapolated", "n=200", 0.5, 100L).withDetails("C n^(-2/d) at 2x"));
            out.add(MetricRow.of(key, "gap.rg_extrapolated", "n=1000", 0.25, 100L).withDetails("C n^(-2/d) at 10x"));
        }
        return out;
    }

    private static String print(Consumer<PrintWriter> p) {
        StringWriter s = new StringWriter();
        p.accept(new PrintWriter(s));
        return s.toString();
    }

    @Test
    void compactViewIsOneLinePerGroupWithHeadlineEstimatesAndNotes() {
        List<MetricRow> rows = rows(5);
        String text = print(out -> ResultPrinter.compact(rows, out));
        List<String> lines = text.lines().toList();
        assertTrue(lines.get(0).matches("label\\s+dimension\\s+constant_theory\\s+drift"), lines.get(0));
        for (int g = 0; g < 5; g++) {
            String line = lines.get(1 + g);
            assertTrue(line.startsWith(g + " "), line);
            assertTrue(line.contains((4 + g) + " [" + (3.5 + g) + ", " + (4.5 + g) + "]"), line);
            assertTrue(line.contains("0.4566"), line);
        }
        // the condition of the theory constant once for all groups, the drift verdict per group (they differ)
        assertTrue(text.contains("note gap.constant_theory: applies to volume-1 data only (a uniform law on a manifold of volume 1;"
                + " any other volume V scales C by V^(2/d))\n"), text);
        assertTrue(text.contains("note gap.drift, label=1: DRIFTING, not yet asymptotic: d on the lower / upper half"), text);
        assertTrue(text.contains("note gap.drift, label=0: asymptotic within 10%"), text);
        assertFalse(text.contains("Gamma(1 + 2/d)"), "formulas stay in the JSON: " + text);
        assertTrue(text.contains("5 groups, one line each; rows per group not shown: gap.rg_extrapolated (2); --verbose"), text);
        assertEquals(1 + 5 + 1 + 5 + 1 + 1, lines.size(), text); // header, groups, notes, footer, blank
    }

    @Test
    void fullViewKeepsEveryRowAndAddsTheNotesUnderEachGroup() {
        List<MetricRow> rows = rows(2);
        String text = print(out -> ResultPrinter.table(rows, out));
        assertEquals(2, text.lines().filter(l -> l.startsWith("group label=")).count(), text);
        assertEquals(4, text.lines().filter(l -> l.contains("gap.rg_extrapolated")).count(), text);
        assertEquals(2, text.lines().filter(l -> l.startsWith("  note gap.constant_theory: applies to volume-1 data only")).count(), text);
        assertTrue(text.contains("  note gap.drift: DRIFTING"), text);
    }

    @Test
    void aMetricsRowWithoutParamIsItsHeadlineBesideItsQuantiles() {
        List<MetricRow> rows = new java.util.ArrayList<>();
        for (int g = 0; g < 4; g++) {
            GroupKey k = new GroupKey(new java.util.LinkedHashMap<>(java.util.Map.of("layer", "l" + g)));
            rows.add(MetricRow.of(k, "compression.mls", "q=0.5", 10 + g, 64L));
            rows.add(MetricRow.of(k, "compression.mls", null, 2 + g, 64L).withInterval(1.5 + g, 2.5 + g));
            rows.add(MetricRow.of(k, "compression.mls", "q=0.9", 20 + g, 64L));
        }
        String text = print(out -> ResultPrinter.compact(rows, out));
        assertTrue(text.contains("l3     5 [4.5, 5.5]"), text);
        assertTrue(text.contains("rows per group not shown: compression.mls with a param (2)"), text);
    }

    @Test
    void aNoteEveryParamOfAMetricCarriesIsPrintedOnce() {
        GroupKey g = GroupKey.ALL;
        List<MetricRow> rows = List.of(
                MetricRow.of(g, "alignment.gap_predicted", "t=1", 0.1, 10L).withDetails("reconstructed: a formula"),
                MetricRow.of(g, "alignment.gap_predicted", "t=10", 0.2, 10L).withDetails("reconstructed: a formula"),
                MetricRow.of(g, "gap.drift", "k=1", 0.2, 10L).withDetails("DRIFTING, not yet"),
                MetricRow.of(g, "gap.drift", "k=2", 0.2, 10L).withDetails("asymptotic within 10%"));
        String text = print(out -> ResultPrinter.table(rows, out));
        assertEquals(1, text.lines().filter(l -> l.startsWith("  note alignment.gap_predicted: reconstructed")).count(), text);
        assertTrue(text.contains("  note gap.drift k=1: DRIFTING, not yet\n  note gap.drift k=2: asymptotic within 10%"), text);
    }

    @Test
    void onlyDecisiveClausesOfTheDetailsAreNotes() {
        GroupKey g = GroupKey.ALL;
        assertNull(ResultPrinter.note(MetricRow.of(g, "id.twonn", null, 5, 10L).withDetails("d = (n - 1) / sum log mu; 0.3 s")));
        assertEquals("interval at 0.90 widened for shared neighbours", ResultPrinter.note(MetricRow.of(g, "id.twonn", null, 5, 10L)
                .withDetails("d = (n - 1) / sum log mu; interval at 0.90 widened for shared neighbours; 0.3 s")));
        assertEquals("interval at 0.90 widened for shared neighbours (f = 1.121)", ResultPrinter.note(MetricRow.of(g, "id.twonn",
                null, 5, 10L).withDetails("d = (n - 1) / sum log mu; interval at 0.90 widened for shared neighbours: f [q_lo, q_hi]"
                + " / sum log mu with Gamma(N/f, 1) quantiles, f = 1.121 the variance inflation, effective N = 1785; 0.3 s")));
        assertNull(ResultPrinter.note(MetricRow.of(g, "id.twonn", null, 5, 10L)));
    }

    @Test
    void briefNumbersHaveFourSignificantDigits() {
        assertEquals("4.935", ResultPrinter.brief(4.93456));
        assertEquals("54.92", ResultPrinter.brief(54.9249));
        assertEquals("0.25", ResultPrinter.brief(0.25));
        assertEquals("12", ResultPrinter.brief(12));
        assertEquals("1.235e+07", ResultPrinter.brief(12345678.9));
    }
}
