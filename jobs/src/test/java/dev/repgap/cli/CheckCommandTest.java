package dev.repgap.cli;

import static dev.repgap.results.HistoryBuilder.group;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.repgap.data.GroupKey;
import dev.repgap.results.HistoryBuilder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * repgap check on a repository of three nightly runs built row by row: in the last night one group's
 * TwoNN dimension jumps by 30% beyond both intervals (the planted regression); elsewhere values wobble by
 * a few percent, one changes by 15% inside its wide interval, one metric has no interval and another
 * appears for the first time, and a run grouped by other columns sits beside them.
 */
class CheckCommandTest {
    @TempDir static Path tmp;

    private static final Instant NIGHT = Instant.parse("2026-11-01T02:00:00Z");
    private static final GroupKey A = group("layer", "a"), B = group("layer", "b"), C = group("layer", "c");
    private static String planted, clean;

    @BeforeAll
    static void history() {
        planted = tmp.resolve("planted").toString();
        clean = tmp.resolve("clean").toString();
        for (String dir : List.of(planted, clean)) {
            night(dir, 0, 1.00, 1.00, 1.00);
            night(dir, 1, 1.02, 0.99, 1.00);
        }
        night(planted, 2, 0.98, 1.30, 1.15);
    }

    /** One night's id run and describe run; {@code b} scales layer b's TwoNN, {@code cMle} layer c's MLE. */
    private static void night(String dir, int day, double wobble, double b, double cMle) {
        Instant start = NIGHT.plus(Duration.ofDays(day));
        HistoryBuilder id = HistoryBuilder.run(Repgap.spark(), dir, "id", start);
        double[] twonn = {5 * wobble, 8 * b, 3 * (2 - wobble)};
        GroupKey[] groups = {A, B, C};
        for (int i = 0; i < 3; i++) {
            id.add(groups[i], "id.twonn", null, twonn[i], twonn[i] - 0.3, twonn[i] + 0.3);
            double mle = (4 + i) * (i == 2 ? cMle : wobble);
            id.add(groups[i], "id.mle_mean", null, mle, mle - 1.0, mle + 1.0);
            double gride = new double[] {5, 8, 3}[i] * wobble * 1.01;
            id.add(groups[i], "id.gride", "n1-n2=1-2", gride, gride - 0.5, gride + 0.5);
        }
        if (day == 2) id.add(A, "id.kmeans", null, 42, null, null); // new: no history yet
        id.append();
        HistoryBuilder describe = HistoryBuilder.run(Repgap.spark(), dir, "describe", start.plusSeconds(600));
        for (int i = 0; i < 3; i++) {
            describe.add(groups[i], "describe.pr", null, (3 + i) * (1 + 0.04 * (day % 2)), null, null);
            describe.add(groups[i], "describe.rows", "split=train", 20000, null, null);
        }
        describe.append();
        if (day > 0) { // runs grouped by model and layer, from the second night on
            HistoryBuilder other = HistoryBuilder.run(Repgap.spark(), dir, "id", start.plusSeconds(1200));
            other.add(group("model", "m1", "layer", "a"), "id.twonn", null, 6 * wobble, 6 * wobble - 0.3, 6 * wobble + 0.3);
            other.append();
        }
    }

    private static List<JsonNode> anomalies(Repgap.Result r) throws Exception {
        return r.jsonLines();
    }

    private static Path rules(String name, String text) throws Exception {
        Path p = tmp.resolve(name);
        Files.writeString(p, text);
        return p;
    }

    @Test
    void flagsThePlantedRegressionAndNothingElse() throws Exception {
        Repgap.Result r = Repgap.run("check", "--results", planted, "--json");
        assertEquals(1, r.code(), r.toString());
        List<JsonNode> found = anomalies(r);
        assertEquals(1, found.size(), r.toString());
        JsonNode a = found.get(0);
        assertEquals("b", a.get("layer").asText());
        assertEquals("id.twonn", a.get("metric").asText());
        assertTrue(a.get("param").isNull());
        assertEquals(8 * 0.99, a.get("baseline").asDouble(), 1e-12);
        assertEquals(8 * 1.30, a.get("latest").asDouble(), 1e-12);
        assertEquals(1.30 / 0.99 - 1, a.get("change").asDouble(), 1e-12);
        assertTrue(a.get("why").asText().contains("outside the baseline interval"), a.toString());
        assertTrue(r.err().contains("1 anomaly in"), r.err());

        Repgap.Result table = Repgap.run("check", "--results", planted);
        assertEquals(1, table.code(), table.toString());
        String[] lines = table.out().strip().split("\n");
        assertEquals(3, lines.length, table.out()); // header, the anomaly, the summary
        assertTrue(lines[0].startsWith("group") && lines[0].contains("why"), lines[0]);
        assertTrue(lines[1].startsWith("layer=b") && lines[1].contains("id.twonn") && lines[1].contains("+31.3%"), lines[1]);
        // 3 groups x 5 series (twonn, mle_mean, gride, describe.pr, describe.rows) + model=m1's twonn; kmeans is new
        assertTrue(lines[2].contains("in 16 series with history") && lines[2].contains("1 series with one run"), lines[2]);
    }

    @Test
    void aHistoryWithoutTheRegressionPasses() {
        Repgap.Result r = Repgap.run("check", "--results", clean);
        assertEquals(0, r.code(), r.toString());
        assertTrue(r.out().contains("0 anomalies in 15 series with history"), r.out()); // model=m1 has one run
    }

    @Test
    void rulesSetThresholdsDirectionsBaselinesAndIgnores() throws Exception {
        Object[][] cases = {
            // rules, exit code, anomalies
            {"ignore:\n  - {metric: id.twonn, group: {layer: b}}\n", 0, 0},
            {"metrics:\n  \"id.*\": {relative_change: 0.5}\n", 0, 0},
            {"metrics:\n  id.twonn: {direction: down}\n", 0, 0},
            // without the interval condition the 15% change of layer c's MLE counts too
            {"defaults: {outside_interval: false}\n", 1, 2},
            {"{\"defaults\": {\"baseline\": \"median\", \"window\": 2}}", 1, 1},
            // an exact name wins over a glob
            {"metrics:\n  \"id.*\": {relative_change: 0.5}\n  id.twonn: {relative_change: 0.2}\n", 1, 1},
        };
        for (int i = 0; i < cases.length; i++) {
            Path rules = rules("rules" + i + ".yaml", (String) cases[i][0]);
            Repgap.Result r = Repgap.run("check", "--results", planted, "--rules", rules.toString(), "--json");
            assertEquals(cases[i][1], r.code(), cases[i][0] + "\n" + r);
            assertEquals(cases[i][2], anomalies(r).size(), cases[i][0] + "\n" + r);
        }
    }

    @Test
    void theNightlyScheduleRulesAreValid() {
        Path rules = Path.of("..", "cluster", "schedules", "rules.yaml");
        Repgap.Result r = Repgap.run("check", "--results", planted, "--rules", rules.toString(), "--json");
        // 5% for id.*, median of the runs before: still the one planted regression
        assertEquals(1, r.code(), r.toString());
        assertTrue(r.out().contains("\"metric\":\"id.twonn\"") && r.out().strip().split("\n").length == 1, r.out());
    }

    @Test
    void badInputExitsWithTwoAndSaysWhatWasExpected() throws Exception {
        Repgap.Result missing = Repgap.run("check", "--results", tmp.resolve("nowhere").toString());
        assertEquals(2, missing.code(), missing.toString());
        assertTrue(missing.err().contains("nowhere") && missing.err().contains("no table metrics"), missing.err());

        Object[][] cases = {
            {"defaults: {treshold: 0.2}\n", "defaults: unknown key 'treshold'"},
            {"metrics:\n  id.twonn: {direction: sideways}\n", "metrics.id.twonn.direction: expected one of [both, up, down]"},
            {"defaults: {relative_change: ten}\n", "defaults.relative_change: expected a number"},
            {"ignore: {metric: id.twonn}\n", "ignore: expected a list"},
            {"defaults: [unclosed\n", "cannot read it as YAML or JSON"},
        };
        for (int i = 0; i < cases.length; i++) {
            Path rules = rules("bad" + i + ".yaml", (String) cases[i][0]);
            Repgap.Result r = Repgap.run("check", "--results", planted, "--rules", rules.toString());
            assertEquals(2, r.code(), r.toString());
            assertTrue(r.err().contains("rules file " + rules) && r.err().contains((String) cases[i][1]), r.err());
        }
        Repgap.Result noFile = Repgap.run("check", "--results", planted, "--rules", tmp.resolve("absent.yaml").toString());
        assertEquals(2, noFile.code(), noFile.toString());
        assertTrue(noFile.err().contains("absent.yaml: no such file"), noFile.err());
    }
}
