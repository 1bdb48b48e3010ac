package dev.repgap.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Many groups print one line each by default; --verbose prints every row; --json is unchanged by either. */
class CompactViewTest {
    @TempDir static Path tmp;
    private static String input;
    private static final List<String> LAYERS = List.of("a", "b", "c", "d");

    @BeforeAll
    static void data() {
        input = tmp.resolve("acts").toString();
        for (int i = 0; i < LAYERS.size(); i++) {
            Repgap.Result r = Repgap.run("generate", "--manifold", "gaussian", "--dim", Integer.toString(i + 1), "--ambient", "6",
                    "--n", "80", "--seed", Integer.toString(i + 1), "--set", "layer=" + LAYERS.get(i), "--out", input);
            assertEquals(0, r.code(), r.toString());
        }
    }

    @Test
    void fourGroupsAreFourLinesAndVerboseShowsEveryRow() {
        Repgap.Result compact = Repgap.run("describe", "--input", input, "--group-by", "layer", "--quiet");
        assertEquals(0, compact.code(), compact.toString());
        List<String> lines = compact.out().lines().toList();
        assertTrue(lines.get(0).startsWith("layer ") && lines.get(0).contains("rank"), compact.out());
        for (int i = 0; i < LAYERS.size(); i++) assertTrue(lines.get(1 + i).startsWith(LAYERS.get(i) + " "), compact.out());
        assertTrue(compact.out().contains("4 groups, one line each") && compact.out().contains("--verbose prints every row"),
                compact.out());
        assertTrue(compact.out().lines().noneMatch(l -> l.startsWith("group ")), compact.out());

        Repgap.Result verbose = Repgap.run("describe", "--input", input, "--group-by", "layer", "--quiet", "--verbose");
        assertEquals(0, verbose.code(), verbose.toString());
        assertEquals(4, verbose.out().lines().filter(l -> l.startsWith("group layer=")).count(), verbose.out());

        // the JSON rows are the verbose rows, whatever the view
        Repgap.Result json = Repgap.run("describe", "--input", input, "--group-by", "layer", "--quiet", "--json");
        long rows = verbose.out().lines().filter(l -> l.startsWith("   describe.")).count();
        assertEquals(rows, json.jsonLines().size(), json.out());
        // the rank of the gaussian of dimension i + 1, read from the compact line
        List<String> header = List.of(lines.get(0).trim().split("\\s{2,}"));
        int rank = header.indexOf("rank");
        assertTrue(rank > 0, lines.get(0));
        for (int i = 0; i < LAYERS.size(); i++) {
            // values with intervals hold spaces; rank has none, so split the line at the header's column start
            int start = lines.get(0).indexOf("rank");
            String cell = lines.get(1 + i).substring(start).trim().split("\\s+")[0];
            assertEquals(Integer.toString(i + 1), cell, lines.get(1 + i));
        }
    }
}
