package dev.repgap.cli;

import static dev.repgap.results.HistoryBuilder.group;
import static dev.repgap.cli.HtmlPage.all;
import static dev.repgap.cli.HtmlPage.withClass;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.repgap.results.HistoryBuilder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.w3c.dom.Document;
import org.w3c.dom.Element;

/**
 * The report's lower half on a repository of classes, not layers: trend charts only for series that are series,
 * in panels on one scale beyond 20 groups with distinct colours in each; classes as dots with intervals; the
 * audit as tables of findings and a histogram, not a dump of metric rows.
 */
class ReportViewTest {
    @TempDir static Path tmp;
    private static Document doc;
    private static String html;
    private static final int CLASSES = 25;

    @BeforeAll
    static void report() throws Exception {
        String results = tmp.resolve("results").toString();
        for (int run = 0; run < 2; run++) {
            HistoryBuilder h = HistoryBuilder.run(Repgap.spark(), results, "id", Instant.parse("2026-11-0" + (run + 1) + "T02:00:00Z"));
            for (int c = 0; c < CLASSES; c++) {
                double v = 10 + c + 0.5 * run;
                h.add(group("class", Integer.toString(c)), "id.twonn", null, v, v - 0.3, v + 0.3);
                h.add(group("class", Integer.toString(c)), "id.duplicates", "policy=drop", 0, null, null);
            }
            if (run == 0) h.add(group("dataset", "fm"), "id.twonn", null, 20, 19.0, 21.0); // one run: no trend line
            h.append();
        }
        // a real audit: its findings tables and its local-ID histogram
        String acts = tmp.resolve("acts").toString();
        assertEquals(0, Repgap.run("generate", "--manifold", "gaussian", "--dim", "3", "--ambient", "5", "--n", "300",
                "--test", "40", "--seed", "1", "--set", "dataset=gauss", "--out", acts).code());
        Repgap.Result audit = Repgap.run("audit", "--input", acts, "--group-by", "dataset", "--out", results, "--quiet");
        assertEquals(0, audit.code(), audit.toString());
        Path out = tmp.resolve("report.html");
        Repgap.Result r = Repgap.run("report", "--results", results, "--out", out.toString());
        assertEquals(0, r.code(), r.toString());
        html = Files.readString(out);
        doc = HtmlPage.parse(html);
    }



    private static List<Element> figures(String chart, String metric) {
        return all(doc.getDocumentElement(), "figure").stream()
                .filter(e -> e.getAttribute("data-chart").equals(chart) && e.getAttribute("data-metric").equals(metric)).toList();
    }

    @Test
    void trendsOnlyForChangingSeriesInPanelsOnOneScale() {
        assertTrue(figures("trend", "id.duplicates").isEmpty(), "a constant is not a trend");
        List<Element> panels = figures("trend", "id.twonn");
        assertEquals(4, panels.size(), "25 classes in panels of 8");
        Set<String> scales = new HashSet<>();
        int lines = 0;
        for (Element p : panels) {
            List<Element> paths = withClass(p, "path", "line");
            lines += paths.size();
            Set<String> colours = new HashSet<>();
            for (Element l : paths) colours.add(l.getAttribute("stroke"));
            assertEquals(paths.size(), colours.size(), "distinct colours in a panel");
            scales.add(String.join(",", withClass(p, "text", "y-label").stream().map(Element::getTextContent).toList()));
        }
        assertEquals(CLASSES, lines, "one line per class, none for dataset=fm (one run)");
        assertEquals(1, scales.size(), "one y scale for all panels: " + scales);
    }

    @Test
    void classesAreDotsWithIntervals() {
        List<Element> dots = figures("category", "id.twonn").stream()
                .filter(e -> e.getAttribute("data-title").contains("by class")).toList();
        assertEquals(1, dots.size());
        assertTrue(withClass(dots.get(0), "path", "line").isEmpty(), "no line between classes");
        assertEquals(CLASSES, withClass(dots.get(0), "circle", "point").size());
        assertEquals(CLASSES, withClass(dots.get(0), "path", "error-bar").size());
    }

    @Test
    void theAuditIsTablesOfFindingsAndAHistogram() {
        Element section = all(doc.getDocumentElement(), "section").stream().filter(s -> s.getAttribute("id").equals("audits"))
                .findFirst().orElseThrow();
        List<Element> outliers = all(section, "table").stream()
                .filter(t -> t.getAttribute("data-table").equals("audit/outliers")).toList();
        assertEquals(1, outliers.size(), "the outliers table");
        List<Element> rows = all(outliers.get(0), "tr").subList(1, all(outliers.get(0), "tr").size());
        assertFalse(rows.isEmpty());
        // ranked 1, 2, ... with a test id and a distance
        String header = all(outliers.get(0), "thead").get(0).getTextContent();
        assertTrue(header.contains("rank") && header.contains("test id") && header.contains("distance"), header);
        assertTrue(rows.get(0).getTextContent().contains("dataset=gauss"), rows.get(0).getTextContent());
        List<Element> histogram = withClass(section, "rect", "bar");
        assertFalse(histogram.isEmpty(), "the local-ID histogram");
        long drawn = histogram.stream().mapToLong(b -> Long.parseLong(b.getTextContent().replaceAll(".*: ", ""))).sum();
        assertTrue(drawn > 0 && drawn <= 300, "rows in the histogram: " + drawn);
        // no dump: the details (formulas, lists) stay in tooltips, and the run time is not a column
        assertFalse(section.getTextContent().contains("histogram: edges"), "the histogram's numbers are not printed");
        for (Element th : all(section, "th")) assertFalse(th.getTextContent().equals("details"), "a details column");
    }
}
