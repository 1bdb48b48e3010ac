package dev.repgap.cli;

import static dev.repgap.results.HistoryBuilder.group;
import static dev.repgap.cli.HtmlPage.all;
import static dev.repgap.cli.HtmlPage.withClass;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.repgap.results.HistoryBuilder;
import java.awt.image.BufferedImage;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import javax.imageio.ImageIO;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.w3c.dom.Document;
import org.w3c.dom.Element;

/**
 * repgap report over a repository of real runs: 2 checkpoints x 2 layers, two id runs, one gap run and
 * hand-written audit rows. The page parses as XML; it has one table row per group, a profile chart per
 * ID metric with a point per (checkpoint, layer), a gap chart per group with a point per grid size, a
 * trend chart per metric with two runs; and, where Chromium is installed, a browser draws every chart.
 */
class ReportCommandTest {
    @TempDir static Path tmp;

    private static final int GRID = 6;
    private static String results;
    private static Path report;
    private static String html;

    @BeforeAll
    static void runs() throws Exception {
        String acts = tmp.resolve("acts").toString();
        results = tmp.resolve("results").toString();
        int seed = 1;
        for (String ck : List.of("0010", "0100")) {
            for (String layer : List.of("l1", "l2")) {
                int d = layer.equals("l1") ? 6 : ck.equals("0010") ? 4 : 2;
                ok(Repgap.run("generate", "--manifold", "gaussian", "--dim", Integer.toString(d), "--ambient", "16", "--n", "1500",
                        "--test", "200", "--seed", Integer.toString(seed++), "--set", "checkpoint=" + ck, "--set", "layer=" + layer,
                        "--out", acts));
            }
        }
        for (String s : List.of("1", "2")) {
            ok(Repgap.run("id", "--input", acts, "--group-by", "checkpoint,layer", "--estimators", "twonn,mle,pr", "--queries",
                    "800", "--bootstrap", "20", "--seed", s, "--out", results));
        }
        ok(Repgap.run("gap", "--input", acts, "--group-by", "checkpoint,layer", "--rankings", "2", "--grid-points",
                Integer.toString(GRID), "--smallest-n", "16", "--bootstrap", "20", "--seed", "3", "--out", results));
        HistoryBuilder.run(Repgap.spark(), results, "audit", Instant.now())
                .add(group("checkpoint", "0100", "layer", "l2"), "audit.test_leaks", null, 0.01, null, null)
                .append();
        report = tmp.resolve("report.html");
        ok(Repgap.run("report", "--results", results, "--out", report.toString()));
        html = Files.readString(report);
    }

    private static void ok(Repgap.Result r) {
        assertEquals(0, r.code(), r.toString());
    }

    private static Document parse() throws Exception {
        return HtmlPage.parse(html);
    }



    private static List<Element> figures(Document doc, String chart, String metric) {
        return all(doc.getDocumentElement(), "figure").stream()
                .filter(e -> e.getAttribute("data-chart").equals(chart) && (metric == null || e.getAttribute("data-metric").equals(metric)))
                .toList();
    }

    @Test
    void aSelfContainedPageWithEverySection() throws Exception {
        Document doc = parse();
        List<String> sections = all(doc.getDocumentElement(), "section").stream().map(e -> e.getAttribute("id")).toList();
        assertEquals(List.of("check", "latest", "profiles", "gap-curves", "audits", "trends", "runs"), sections);
        for (String outside : List.of("<script", "src=", "<link", "url(", "@import", "https://", "http://example")) {
            assertFalse(html.contains(outside), "the page must not load anything: found " + outside);
        }
        // every http reference is an XML namespace name, not a resource
        assertEquals(html.split("http://").length - 1, html.split("xmlns=\"http://www.w3.org/2000/svg\"").length - 1);
        // the two id runs differ in seed only: the check has history to compare and reports on it
        assertTrue(html.contains("series with history checked"), "the trend check's summary");
    }

    @Test
    void oneTableRowPerGroupWithIntervals() throws Exception {
        Document doc = parse();
        for (String command : List.of("id", "gap")) {
            Element table = all(doc.getDocumentElement(), "table").stream()
                    .filter(t -> t.getAttribute("data-command").equals(command)).findFirst().orElseThrow();
            List<String> groups = all(table, "tr").stream().map(e -> e.getAttribute("data-group")).filter(g -> !g.isEmpty()).toList();
            assertEquals(List.of("checkpoint=0010 layer=l1", "checkpoint=0010 layer=l2", "checkpoint=0100 layer=l1",
                    "checkpoint=0100 layer=l2"), groups, command);
            assertFalse(withClass(table, "span", "ci").isEmpty(), command + " shows intervals");
        }
        Element audits = withClass(doc.getDocumentElement(), "table", "audits").get(0);
        assertEquals(1, all(audits, "tr").stream().filter(e -> !e.getAttribute("data-group").isEmpty()).count());
    }

    @Test
    void everyChartHasItsPoints() throws Exception {
        Document doc = parse();
        // ID by layer: one line per checkpoint, a point per layer, at the latest run's value
        for (String metric : List.of("id.twonn", "id.mle_mean", "id.pr", "gap.dimension")) {
            List<Element> profile = figures(doc, "profile", metric);
            assertEquals(1, profile.size(), metric);
            assertEquals(2, withClass(profile.get(0), "path", "line").size(), metric);
            assertEquals(4, withClass(profile.get(0), "circle", "point").size(), metric);
            assertEquals(List.of("l1", "l2"), withClass(profile.get(0), "text", "x-label").stream().map(Element::getTextContent).toList());
        }
        Row latest = Repgap.spark().read().option("mergeSchema", "true").parquet(results + "/metrics")
                .filter("metric = 'id.twonn' and checkpoint = '0100' and layer = 'l2'").orderBy(org.apache.spark.sql.functions.desc("start_time"))
                .first();
        String tip = "checkpoint 0100, l2: " + dev.repgap.chart.LineChart.number(latest.<Double>getAs("value"));
        assertTrue(withClass(figures(doc, "profile", "id.twonn").get(0), "circle", "point").stream()
                .anyMatch(c -> c.getTextContent().startsWith(tip)), tip);
        // gap curves: one chart per group, a point per grid size, the fit and two extrapolations
        List<Element> gaps = figures(doc, "gap", null);
        assertEquals(4, gaps.size());
        for (Element g : gaps) {
            assertEquals(GRID, withClass(g, "circle", "point").size());
            assertEquals(1, withClass(g, "line", "fit").size());
            assertEquals(2, withClass(g, "circle", "extrapolated-point").size());
            assertTrue(withClass(g, "polygon", "band").get(0).getAttribute("points").split(" ").length >= 2 * GRID);
        }
        // trends: metrics with two runs, a line per group and a point per run; gap ran once and has none
        List<Element> trend = figures(doc, "trend", "id.twonn");
        assertEquals(1, trend.size());
        assertEquals(4, withClass(trend.get(0), "path", "line").size());
        assertEquals(8, withClass(trend.get(0), "circle", "point").size());
        assertTrue(figures(doc, "trend", "gap.dimension").isEmpty());
        // every figure holds one drawing with data on it
        for (Element f : all(doc.getDocumentElement(), "figure")) {
            assertEquals(1, all(f, "svg").size());
            assertFalse(withClass(f, "circle", "point").isEmpty(), f.getAttribute("data-title"));
        }
    }

    /** What a person sees: Chromium parses the page into as many drawings as it has, and the screenshot is not blank. */
    @Test
    void aBrowserDrawsEveryChart() throws Exception {
        Path chromium = HtmlPage.chromium();
        int figures = figures(parse(), "profile", null).size() + figures(parse(), "gap", null).size() + figures(parse(), "trend", null).size();
        String dom = HtmlPage.browser(tmp, chromium, "--dump-dom", report.toUri().toString());
        assertEquals(figures, dom.split("<svg").length - 1, "drawings in the browser's DOM");
        Path png = tmp.resolve("report.png");
        HtmlPage.browser(tmp, chromium, "--screenshot=" + png, "--window-size=1200,3000", report.toUri().toString());
        assertTrue(HtmlPage.colouredPixels(png, 1200) > 500, "coloured pixels in the screenshot");
    }

}
