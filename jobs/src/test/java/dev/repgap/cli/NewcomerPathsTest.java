package dev.repgap.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.FileOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;
import org.apache.arrow.vector.Float4Vector;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.ipc.ArrowFileWriter;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The paths a new user takes first: activations saved with {@code numpy.save} (no split, no labels, no ids),
 * imported and run through every analysis with its defaults; groups added one import after another; CSV and
 * Arrow files without a split; per-label analyses.
 */
class NewcomerPathsTest {
    @TempDir Path tmp;

    private String path(String name) {
        return tmp.resolve(name).toString();
    }

    private static Repgap.Result ok(String... args) {
        Repgap.Result r = Repgap.run(args);
        assertEquals(0, r.code(), String.join(" ", args) + "\n" + r);
        return r;
    }

    @Test
    void bareNpyRunsThroughEveryAnalysis() throws Exception {
        Npy.gaussian(tmp.resolve("x.npy"), 600, 12, 4, 1);
        Repgap.Result imported = ok("import", "--npy", path("x.npy"), "--out", path("d"));
        assertTrue(imported.out().contains(": 600 rows x 12, no split, no labels, ids 0..599"), imported.out());

        assertTrue(ok("describe", "--input", path("d")).out().contains("describe.rank"));

        ok("knn", "--input", path("d"), "--k", "5", "--out", path("k"));
        List<Row> neighbours = Repgap.spark().read().parquet(path("k")).collectAsList();
        assertEquals(600, neighbours.size());
        for (Row r : neighbours) assertEquals(5, r.getList(r.fieldIndex("neighbour_ids")).size(), r.toString());

        Repgap.Result id = ok("id", "--input", path("d"), "--json");
        Set<String> metrics = id.jsonLines().stream().map(j -> j.get("metric").asText()).collect(Collectors.toSet());
        assertTrue(metrics.containsAll(List.of("id.twonn", "id.mle_mean", "id.gride", "id.kmeans", "id.pr")), metrics.toString());
        double twoNN = id.jsonLines().stream().filter(j -> j.get("metric").asText().equals("id.twonn")).findFirst()
                .orElseThrow().get("value").asDouble();
        assertTrue(twoNN > 3 && twoNN < 5.5, "TwoNN of a 4-dimensional Gaussian: " + twoNN);

        Repgap.Result noTest = Repgap.run("gap", "--input", path("d"));
        assertEquals(2, noTest.code(), noTest.toString());
        assertTrue(noTest.err().contains("needs rows with split 'test'") && noTest.err().contains("--test-fraction"),
                noTest.err());
        assertEquals(1, noTest.err().strip().lines().count(), noTest.err());

        Repgap.Result gap = ok("gap", "--input", path("d"), "--test-fraction", "0.2", "--rankings", "2", "--json");
        JsonNode rg = gap.jsonLines().stream().filter(j -> j.get("metric").asText().equals("gap.rg")).reduce((a, b) -> b)
                .orElseThrow();
        long testRows = rg.get("n").asLong();
        assertTrue(testRows > 90 && testRows < 150, "about 20% of 600 rows held out: " + testRows);
        assertEquals(600 - testRows, Long.parseLong(rg.get("param").asText().substring(2)), rg.toString());
        // The same seed holds out the same rows.
        assertEquals(gap.jsonLines().stream().map(j -> j.get("value").asText()).toList(),
                ok("gap", "--input", path("d"), "--test-fraction", "0.2", "--rankings", "2", "--json").jsonLines()
                        .stream().map(j -> j.get("value").asText()).toList());

        assertTrue(ok("audit", "--input", path("d"), "--json").jsonLines().stream()
                .anyMatch(j -> j.get("metric").asText().equals("audit.duplicates_exact")));

        Path spec = tmp.resolve("sweep.yaml");
        Files.writeString(spec, "inputs: [" + path("d") + "]\nresults: " + path("results") + "\nanalyses:\n"
                + "  describe: {}\n  id: {estimators: [twonn, mle]}\n  gap: {test_fraction: 0.2, rankings: 2}\n  audit: {}\n");
        Repgap.Result sweep = ok("sweep", "--spec", spec.toString(), "--json");
        assertEquals(4, sweep.jsonLines().size(), sweep.out());
        for (JsonNode u : sweep.jsonLines()) assertEquals("done", u.get("status").asText(), u.toString());
    }

    @Test
    void groupsImportedOneAfterAnotherWhateverTheirSplit() throws Exception {
        for (String g : List.of("a", "b", "c")) Npy.gaussian(tmp.resolve(g + ".npy"), 300, 8, 3, g.charAt(0));
        String d = path("d");
        ok("import", "--npy", path("a.npy"), "--set", "layer=a", "--out", d);           // unsplit first
        ok("import", "--npy", path("b.npy"), "--set", "layer=b", "--out", d);           // unsplit again
        ok("import", "--npy", path("c.npy"), "--set", "layer=c", "--split", "train", "--out", d); // then a split
        Repgap.Result test = ok("import", "--npy", path("a.npy"), "--set", "layer=c", "--split", "test", "--out", d);
        assertTrue(test.out().contains("300 rows x 8, split test, no labels, ids 300..599"), test.out());

        Repgap.Result id = ok("id", "--input", d, "--group-by", "layer", "--estimators", "twonn", "--json");
        assertEquals(Set.of("a", "b", "c"), id.jsonLines().stream().map(j -> j.get("layer").asText())
                .collect(Collectors.toCollection(TreeSet::new)));
        ok("gap", "--input", d + "/layer=c", "--rankings", "2");

        // Several files in one run, each with its own options; ids of one group count on across them.
        Repgap.Result many = ok("import", "--out", path("e"),
                "--npy", path("a.npy"), "--set", "layer=x", "--split", "train",
                "--npy", path("b.npy"), "--set", "layer=x", "--split", "test",
                "--npy", path("c.npy"), "--set", "layer=y");
        List<String> lines = many.out().strip().lines().toList();
        assertEquals(3, lines.size(), many.out());
        assertTrue(lines.get(0).endsWith("layer=x: 300 rows x 8, split train, no labels, ids 0..299"), lines.get(0));
        assertTrue(lines.get(1).endsWith("layer=x: 300 rows x 8, split test, no labels, ids 300..599"), lines.get(1));
        assertTrue(lines.get(2).endsWith("layer=y: 300 rows x 8, no split, no labels, ids 0..299"), lines.get(2));
    }

    @Test
    void csvAndArrowWithoutSplit() throws Exception {
        StringBuilder csv = new StringBuilder();
        java.util.Random r = new java.util.Random(3);
        for (int i = 0; i < 200; i++) {
            csv.append(r.nextGaussian()).append(',').append(r.nextGaussian()).append(',').append(r.nextGaussian()).append('\n');
        }
        Files.writeString(tmp.resolve("x.csv"), csv);
        Repgap.Result c = ok("import", "--csv", path("x.csv"), "--out", path("c"));
        assertTrue(c.out().contains("200 rows x 3, no split, no labels, ids 0..199"), c.out());
        ok("id", "--input", path("c"), "--estimators", "twonn,mle");

        Path arrow = tmp.resolve("x.arrow");
        try (BufferAllocator alloc = new RootAllocator();
             Float4Vector a = new Float4Vector("a", alloc);
             Float4Vector b = new Float4Vector("b", alloc)) {
            for (int i = 0; i < 100; i++) {
                a.setSafe(i, (float) r.nextGaussian());
                b.setSafe(i, (float) r.nextGaussian());
            }
            a.setValueCount(100);
            b.setValueCount(100);
            try (VectorSchemaRoot root = VectorSchemaRoot.of(a, b);
                 FileOutputStream os = new FileOutputStream(arrow.toFile());
                 ArrowFileWriter w = new ArrowFileWriter(root, null, os.getChannel())) {
                root.setRowCount(100);
                w.start();
                w.writeBatch();
                w.end();
            }
        }
        Repgap.Result a = ok("import", "--arrow", arrow.toString(), "--out", path("a"));
        assertTrue(a.out().contains("100 rows x 2, no split"), a.out());
        ok("knn", "--input", path("a"), "--k", "3", "--out", path("ak"));
    }

    @Test
    void groupByLabel() throws Exception {
        Npy.gaussian(tmp.resolve("x.npy"), 900, 10, 3, 5);
        long[] labels = new long[900];
        for (int i = 0; i < labels.length; i++) labels[i] = i % 3;
        Npy.longs(tmp.resolve("y.npy"), labels);
        Repgap.Result imported = ok("import", "--npy", path("x.npy"), "--labels", path("y.npy"), "--out", path("d"));
        assertTrue(imported.out().contains("no split, 3 labels"), imported.out());

        Repgap.Result id = ok("id", "--input", path("d"), "--group-by", "label", "--estimators", "twonn", "--json",
                "--out", path("results"));
        List<JsonNode> twoNN = id.jsonLines().stream().filter(j -> j.get("metric").asText().equals("id.twonn")).toList();
        assertEquals(List.of("0", "1", "2"), twoNN.stream().map(j -> j.get("label").asText()).sorted().toList());
        for (JsonNode j : twoNN) assertEquals(300, j.get("n").asLong(), j.toString());

        Repgap.Result gap = ok("gap", "--input", path("d"), "--group-by", "label", "--test-fraction", "0.25",
                "--rankings", "2", "--json");
        assertEquals(Set.of("0", "1", "2"), gap.jsonLines().stream().map(j -> j.get("label").asText())
                .collect(Collectors.toSet()));
        assertFalse(gap.err().contains("Exception"), gap.err());
    }
}
