package dev.repgap.cli;

import static dev.repgap.results.HistoryBuilder.group;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.repgap.results.HistoryBuilder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.w3c.dom.Document;
import org.w3c.dom.Element;

/**
 * repgap correlate on a planted study: 4 models x 10 checkpoints with a recorded test loss y ~ N(0, 1); per layer (fc1,
 * fc2) a measure exp(y + 0.75 e), a monotone function of the target plus noise (Spearman's rho 0.786 in the population),
 * and an independent one; a measure present at 3 checkpoints only; analysis rows of GCV risk beside the measured one.
 */
class CorrelateCommandTest {
    @TempDir static Path tmp;

    private static final double PLANTED_RHO = 6 / Math.PI * Math.asin(0.8 / 2);
    private static String results;

    @BeforeAll
    static void study() throws Exception {
        results = tmp.resolve("results").toString();
        SplittableRandom rng = new SplittableRandom(3);
        StringBuilder targets = new StringBuilder("model,checkpoint,test_loss,sharpness\n");
        StringBuilder measures = new StringBuilder("model,checkpoint,layer,planted,independent\n");
        HistoryBuilder risk = HistoryBuilder.run(Repgap.spark(), results, "risk", Instant.parse("2026-11-01T00:00:00Z"));
        HistoryBuilder sparse = HistoryBuilder.run(Repgap.spark(), results, "id", Instant.parse("2026-11-01T00:00:00Z"));
        for (String model : List.of("a", "b", "c", "d")) {
            for (int c = 0; c < 10; c++) {
                String ck = String.format(Locale.ROOT, "%04d", c);
                double y = gaussian(rng);
                targets.append(model).append(',').append(ck).append(',').append(y).append(',').append(1 + c).append('\n');
                for (String layer : List.of("fc1", "fc2")) {
                    measures.append(model).append(',').append(ck).append(',').append(layer).append(',')
                            .append(Math.exp(y + 0.75 * gaussian(rng))).append(',').append(gaussian(rng)).append('\n');
                    double measured = 1 + c * 0.1;
                    risk.add(group("model", model, "checkpoint", ck, "layer", layer), "risk.predicted", null, measured * 1.05, null, null)
                            .add(group("model", model, "checkpoint", ck, "layer", layer), "risk.measured", null, measured, null, null);
                }
                if (model.equals("a") && c < 3) sparse.add(group("model", model, "checkpoint", ck, "layer", "fc1"), "id.twonn", null, c, null, null);
            }
        }
        risk.append();
        sparse.append();
        Path t = tmp.resolve("targets.csv"), m = tmp.resolve("measures.csv");
        Files.writeString(t, targets);
        Files.writeString(m, measures);
        ok(Repgap.run("record", "--csv", t.toString(), "--results", results));
        ok(Repgap.run("record", "--csv", m.toString(), "--group-cols", "model,checkpoint,layer", "--results", results));
    }

    private static Repgap.Result ok(Repgap.Result r) {
        assertEquals(0, r.code(), r.toString());
        return r;
    }

    private static double gaussian(SplittableRandom rng) {
        double u = 1 - rng.nextDouble(), v = rng.nextDouble();
        return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
    }

    @Test
    void plantedMeasureLeadsAndIsWrittenBack() throws Exception {
        Repgap.Result r = ok(Repgap.run("correlate", "--results", results, "--target", "external.test_loss", "--method",
                "spearman,kendall,pearson", "--bootstrap", "400", "--permutations", "199", "--json", "--metrics",
                "external.planted,external.independent,id.twonn,external.sharpness"));
        List<JsonNode> lines = r.jsonLines();
        JsonNode first = lines.get(0), second = lines.get(1);
        for (JsonNode planted : List.of(first, second)) {
            assertEquals("external.planted", planted.get("metric").asText(), r.out());
            assertEquals(40, planted.get("pairs").asInt());
            assertEquals(0, planted.get("missing").asInt());
            JsonNode s = planted.get("spearman");
            assertTrue(s.get("ci_low").asDouble() <= PLANTED_RHO && PLANTED_RHO <= s.get("ci_high").asDouble(), s.toString());
            assertEquals(1.0 / 200, s.get("p").asDouble(), 1e-12, "no relabelling reaches the planted coefficient");
            assertTrue(planted.has("kendall") && planted.has("pearson"));
        }
        assertEquals(java.util.Set.of("fc1", "fc2"), java.util.Set.of(first.get("group").get("layer").asText(), second.get("group").get("layer").asText()));
        for (JsonNode line : lines) {
            if (line.get("metric").asText().equals("external.independent")) {
                JsonNode s = line.get("spearman");
                assertTrue(s.get("ci_low").asDouble() < 0 && 0 < s.get("ci_high").asDouble(), line.toString());
            }
        }
        JsonNode sparse = lines.stream().filter(l -> l.get("metric").asText().equals("id.twonn")).findFirst().orElseThrow();
        assertEquals(3, sparse.get("pairs").asInt());
        assertEquals("too few groups: 3 pairs, --min-groups 5", sparse.get("status").asText());
        assertFalse(sparse.has("spearman"));
        JsonNode sharp = lines.stream().filter(l -> l.get("metric").asText().equals("external.sharpness")).findFirst().orElseThrow();
        assertEquals(40, sharp.get("pairs").asInt(), "a target's sibling column is a measure too");
        assertTrue(r.err().contains("5 series correlated across model,checkpoint, 1 without a coefficient"), r.err());
        // written back: one row per series with a coefficient and method, the param naming measure and target
        Path out = tmp.resolve("export.jsonl");
        ok(Repgap.run("export", "--results", results, "--out", out.toString(), "--force"));
        List<JsonNode> rows = Repgap.jsonLines(Files.readString(out)).stream().filter(j -> j.get("metric").asText().startsWith("correlate.")).toList();
        assertEquals(5 * 3, rows.size());
        JsonNode row = rows.stream().filter(j -> j.get("metric").asText().equals("correlate.spearman")
                && j.get("param").asText().equals("external.planted ~ external.test_loss") && j.get("layer").asText().equals("fc1"))
                .findFirst().orElseThrow();
        assertEquals(40, row.get("n").asInt());
        assertTrue(row.get("details").asText().startsWith("across model,checkpoint; p=0.005 (199 permutations); q="), row.toString());
    }

    @Test
    void anUnknownTargetNamesTheTargetsThereAre() {
        Repgap.Result r = Repgap.run("correlate", "--results", results, "--target", "external.test_los", "--no-record");
        assertEquals(2, r.code(), r.toString());
        assertTrue(r.err().contains("no rows of target external.test_los") && r.err().contains("external.test_loss"), r.err());
        Repgap.Result m = Repgap.run("correlate", "--results", results, "--target", "external.test_loss", "--method", "tau");
        assertEquals(2, m.code());
        assertTrue(m.err().contains("unknown correlation method 'tau'"), m.err());
    }

    @Test
    void reportShowsTheTableScattersAndThePapersViews() throws Exception {
        String repo = tmp.resolve("report-results").toString();
        // a copy, so the other tests' runs do not race with this one's correlate rows
        org.apache.commons.io.FileUtils.copyDirectory(Path.of(results).toFile(), Path.of(repo).toFile());
        ok(Repgap.run("correlate", "--results", repo, "--target", "external.test_loss", "--bootstrap", "200", "--permutations",
                "99", "--metrics", "external.planted,external.independent"));
        Path report = tmp.resolve("report.html");
        ok(Repgap.run("report", "--results", repo, "--out", report.toString()));
        Document d = HtmlPage.parse(Files.readString(report));
        Element section = HtmlPage.all(d.getDocumentElement(), "section").stream()
                .filter(s -> s.getAttribute("id").equals("predictors")).findFirst().orElseThrow();
        List<Element> tableRows = HtmlPage.all(HtmlPage.withClass(section, "table", "predictors").get(0), "tr");
        assertEquals(1 + 4, tableRows.size(), "header and one row per series");
        assertTrue(tableRows.get(1).getTextContent().contains("external.planted"), tableRows.get(1).getTextContent());
        List<Element> scatters = HtmlPage.all(section, "figure").stream().filter(f -> f.getAttribute("data-chart").equals("scatter")).toList();
        assertEquals(4, scatters.size(), "one scatter per series");
        List<Element> points = HtmlPage.withClass(scatters.get(0), "circle", "point");
        assertEquals(40, points.size(), "one point per model and checkpoint");
        assertEquals(4, HtmlPage.all(HtmlPage.withClass(scatters.get(0), "g", "legend").get(0), "text").size(), "one colour per model");
        List<Element> views = HtmlPage.all(section, "figure").stream().filter(f -> f.getAttribute("data-chart").equals("scatter-view")).toList();
        assertEquals(1, views.stream().filter(v -> v.getAttribute("data-metric").equals("risk.predicted")).count());
        Element risk = views.stream().filter(v -> v.getAttribute("data-metric").equals("risk.predicted")).findFirst().orElseThrow();
        assertEquals(1, HtmlPage.withClass(risk, "line", "identity").size());
        assertEquals(80, HtmlPage.withClass(risk, "circle", "point").size(), "every model, checkpoint and layer");
        // record's rows sit in the latest values beside the analyses', grouped as recorded
        Element external = HtmlPage.withClass(d.getDocumentElement(), "table", "latest").stream()
                .filter(t -> t.getAttribute("data-command").equals("external")).findFirst().orElseThrow();
        assertEquals(1 + 40 + 80, HtmlPage.all(external, "tr").size(), "header, 40 (model, checkpoint) and 80 (.., layer) groups");
        // and a browser draws them
        Path chromium = HtmlPage.chromium();
        String dom = HtmlPage.browser(tmp, chromium, "--dump-dom", report.toUri().toString());
        assertEquals(HtmlPage.all(d.getDocumentElement(), "svg").size(), dom.split("<svg").length - 1);
        assertTrue(dom.contains("What predicts generalisation"));
        Path png = tmp.resolve("report.png");
        HtmlPage.browser(tmp, chromium, "--screenshot=" + png, "--window-size=1000,2600", report.toUri().toString());
        assertTrue(HtmlPage.colouredPixels(png, 1000) > 500);
    }
}
