package dev.repgap.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** repgap record: external metrics become ordinary metric rows that export shows, grouped as written; bad lines are named. */
class RecordCommandTest {
    @TempDir Path tmp;

    private Path write(String name, String text) throws Exception {
        Path p = tmp.resolve(name);
        Files.writeString(p, text);
        return p;
    }

    @Test
    void csvAndJsonLinesBecomeMetricRowsThatExportShows() throws Exception {
        Path csv = write("metrics.csv", "model,checkpoint,test_loss,\"train acc\"\n"
                + "\"mlp, wide\",0010,0.75,0.5\nmlp,0020,0.5,0.875\n\n");
        Path jsonl = write("more.jsonl", "{\"model\":\"cnn\",\"checkpoint\":\"0010\",\"test_loss\":1.25}\n"
                + "{\"model\":\"cnn\",\"checkpoint\":\"0020\",\"sharpness\":3}\n");
        String results = tmp.resolve("results").toString();
        Repgap.Result r = Repgap.run("record", "--csv", csv.toString(), "--results", results);
        assertEquals(0, r.code(), r.toString());
        assertTrue(r.out().startsWith("recorded 4 rows (2 metrics, 2 groups)"), r.out());
        assertEquals(0, Repgap.run("record", "--jsonl", jsonl.toString(), "--results", results).code());
        Path out = tmp.resolve("export.jsonl");
        assertEquals(0, Repgap.run("export", "--results", results, "--out", out.toString()).code());
        List<JsonNode> rows = Repgap.jsonLines(Files.readString(out));
        assertEquals(6, rows.size());
        JsonNode wide = rows.stream().filter(j -> j.get("model").asText().equals("mlp, wide") && j.get("metric").asText()
                .equals("external.train acc")).findFirst().orElseThrow();
        assertEquals("0010", wide.get("checkpoint").asText(), "group values stay as written");
        assertEquals(0.5, wide.get("value").asDouble());
        assertEquals("record", wide.get("command").asText());
        assertTrue(wide.get("param").isNull());
        JsonNode sharp = rows.stream().filter(j -> j.get("metric").asText().equals("external.sharpness")).findFirst().orElseThrow();
        assertEquals("cnn", sharp.get("model").asText());
        assertEquals(3.0, sharp.get("value").asDouble());
    }

    @Test
    void badLinesAreNamedAndNothingIsWritten() throws Exception {
        String results = tmp.resolve("results").toString();
        String[][] cases = {
            {"model,checkpoint,loss\na,1,0.5\nb,2,\n", "line 3: loss is empty"},
            {"model,checkpoint,loss\na,1,0.5\nb,2,high\n", "line 3: loss is 'high', expected a finite number"},
            {"model,checkpoint,loss\na,1,0.5\na,1,0.7\n", "line 3: group model=a checkpoint=1 was already given on line 2"},
            {"model,loss\na,0.5\n", "no group column 'checkpoint' (columns: model, loss)"},
            {"model,checkpoint,loss\n,1,0.5\n", "line 2: group column model is empty"},
            {"model,checkpoint,loss\na,1\n", "line 2: 2 fields, the header has 3"},
        };
        for (int i = 0; i < cases.length; i++) {
            Path csv = write("bad" + i + ".csv", cases[i][0]);
            Repgap.Result r = Repgap.run("record", "--csv", csv.toString(), "--results", results);
            assertEquals(2, r.code(), r.toString());
            assertTrue(r.err().contains(csv.toString()) && r.err().contains(cases[i][1]), r.err());
        }
        assertFalse(Files.exists(tmp.resolve("results/metrics")), "nothing written");
        Path json = write("bad.jsonl", "{\"model\":\"a\",\"checkpoint\":1,\"loss\":0.5}\n[1,2]\n");
        Repgap.Result r = Repgap.run("record", "--jsonl", json.toString(), "--results", results);
        assertEquals(2, r.code(), r.toString());
        assertTrue(r.err().contains("line 2: expected a JSON object"), r.err());
    }
}
