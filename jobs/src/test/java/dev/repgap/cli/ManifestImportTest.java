package dev.repgap.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code import --manifest}: a small capture as notebooks/capture writes it (activations of two checkpoints with
 * shared labels and ids, outputs at initialisation per model, noisy copies with their sources, a weight
 * trajectory), imported in one command and read back bit for bit; and manifests that break the contract.
 */
class ManifestImportTest {
    @TempDir Path tmp;

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int TRAIN = 12, TEST = 6, DIM = 5;

    private ObjectNode manifest;

    private void file(String path, String dataset, String role, Map<String, String> group, String split, int... shape) {
        ObjectNode e = ((ArrayNode) manifest.get("files")).addObject();
        e.put("path", path).put("dataset", dataset).put("role", role);
        ObjectNode g = e.putObject("group");
        group.forEach(g::put);
        if (split != null) e.put("split", split);
        ArrayNode s = e.putArray("shape");
        for (int n : shape) s.add(n);
    }

    /** Group values in the order given (the dataset's partition directories follow it). */
    private static Map<String, String> group(String... kv) {
        Map<String, String> g = new java.util.LinkedHashMap<>();
        for (int i = 0; i < kv.length; i += 2) g.put(kv[i], kv[i + 1]);
        return g;
    }

    /** The capture: writes the .npy files and returns the manifest's path. */
    private Path capture() throws IOException {
        manifest = JSON.createObjectNode().put("repgap_manifest", 1);
        manifest.putObject("experiment").put("note", "test");
        manifest.putArray("files");
        Files.createDirectories(tmp.resolve("cap/acts"));
        long seed = 1;
        for (String ck : List.of("0000", "0005")) {
            for (String split : List.of("train", "test")) {
                int n = split.equals("train") ? TRAIN : TEST;
                String path = "acts/" + ck + "-" + split + ".npy";
                Npy.gaussian(tmp.resolve("cap").resolve(path), n, DIM, 3, seed++);
                file(path, "activations", "activations", group("model", "mlp", "checkpoint", ck, "layer", "fc1"), split, n, DIM);
            }
        }
        long[] trainIds = new long[TRAIN], testIds = new long[TEST], trainLabels = new long[TRAIN], testLabels = new long[TEST];
        for (int i = 0; i < TRAIN; i++) {
            trainIds[i] = 100 + 7L * i;
            trainLabels[i] = i % 3;
        }
        for (int i = 0; i < TEST; i++) {
            testIds[i] = 60000 + i;
            testLabels[i] = (i + 1) % 3;
        }
        Npy.longs(tmp.resolve("cap/train-ids.npy"), trainIds);
        Npy.longs(tmp.resolve("cap/test-ids.npy"), testIds);
        Npy.longs(tmp.resolve("cap/train-labels.npy"), trainLabels);
        Npy.longs(tmp.resolve("cap/test-labels.npy"), testLabels);
        file("train-ids.npy", "activations", "ids", Map.of(), "train", TRAIN);
        file("test-ids.npy", "activations", "ids", Map.of(), "test", TEST);
        file("train-labels.npy", "activations", "labels", Map.of(), "train", TRAIN);
        file("test-labels.npy", "activations", "labels", Map.of(), "test", TEST);
        Npy.gaussian(tmp.resolve("cap/init-train.npy"), TRAIN, 3, 3, 50);
        Npy.gaussian(tmp.resolve("cap/init-test.npy"), TEST, 3, 3, 51);
        file("init-train.npy", "activations", "initial", Map.of("model", "mlp"), "train", TRAIN, 3);
        file("init-test.npy", "activations", "initial", Map.of("model", "mlp"), "test", TEST, 3);
        // Noisy copies: 2 sources x 4 copies; no ids file, so ids are generated.
        Npy.gaussian(tmp.resolve("cap/noisy.npy"), 8, DIM, 2, 60);
        Npy.longs(tmp.resolve("cap/sources.npy"), 100, 100, 100, 100, 107, 107, 107, 107);
        file("noisy.npy", "noisy", "activations", group("model", "mlp", "checkpoint", "0005", "layer", "fc1"), "train", 8, DIM);
        file("sources.npy", "noisy", "sources", Map.of(), null, 8);
        // A weight trajectory: one row per checkpoint, unsplit, ids the epochs.
        Npy.gaussian(tmp.resolve("cap/weights.npy"), 2, 40, 2, 70);
        Npy.longs(tmp.resolve("cap/epochs.npy"), 0, 5);
        file("weights.npy", "weights", "weights", Map.of("model", "mlp"), null, 2, 40);
        file("epochs.npy", "weights", "ids", Map.of("model", "mlp"), null, 2);
        return write();
    }

    private Path write() throws IOException {
        Path m = tmp.resolve("cap/manifest.json");
        JSON.writerWithDefaultPrettyPrinter().writeValue(m.toFile(), manifest);
        return m;
    }

    /** The float32 values of a C-order .npy as written (after its header), as raw bits. */
    private static int[] floatBits(Path npy) throws IOException {
        ByteBuffer b = ByteBuffer.wrap(Files.readAllBytes(npy)).order(ByteOrder.LITTLE_ENDIAN);
        int dataOffset = 10 + (b.getShort(8) & 0xffff);
        int[] bits = new int[(b.capacity() - dataOffset) / 4];
        for (int i = 0; i < bits.length; i++) bits[i] = b.getInt(dataOffset + 4 * i);
        return bits;
    }

    private static int[] rowBits(List<Row> rows, String column) {
        return rows.stream().flatMap(r -> r.<Float>getList(r.fieldIndex(column)).stream())
                .mapToInt(Float::floatToRawIntBits).toArray();
    }

    @Test
    void oneLayerReadsBackBitForBitWithItsAttachedColumns() throws Exception {
        Path m = capture();
        String out = tmp.resolve("data").toString();
        Repgap.Result r = Repgap.run("import", "--manifest", m.toString(), "--out", out);
        assertEquals(0, r.code(), r.toString());
        assertTrue(r.out().contains("imported activations/model=mlp/checkpoint=0005/layer=fc1 into "), r.out());
        assertTrue(r.out().contains(TRAIN + TEST + " rows x " + DIM + ", " + TRAIN + " train, " + TEST + " test, 3 labels"), r.out());

        // The train rows of checkpoint 0005, in file order (the ids file's order, which increases), equal the .npy.
        List<Row> train = Repgap.spark().read().parquet(out + "/activations")
                .filter("checkpoint = '0005' AND split = 'train'").orderBy("id").collectAsList();
        assertEquals(TRAIN, train.size());
        assertArrayEquals(floatBits(tmp.resolve("cap/acts/0005-train.npy")), rowBits(train, "features"));
        assertArrayEquals(floatBits(tmp.resolve("cap/init-train.npy")), rowBits(train, "initial"));
        for (int i = 0; i < TRAIN; i++) {
            Row row = train.get(i);
            assertEquals(100 + 7L * i, row.<Long>getAs("id"));
            assertEquals(i % 3, row.<Long>getAs("label"));
            assertEquals("mlp", row.getAs("model"));
            assertEquals("fc1", row.getAs("layer"));
        }
        List<Row> test = Repgap.spark().read().parquet(out + "/activations")
                .filter("checkpoint = '0000' AND split = 'test'").orderBy("id").collectAsList();
        assertArrayEquals(floatBits(tmp.resolve("cap/acts/0000-test.npy")), rowBits(test, "features"));
        assertEquals(60000L, test.get(0).<Long>getAs("id"));
        assertEquals(1L, test.get(0).<Long>getAs("label"));

        List<Row> noisy = Repgap.spark().read().parquet(out + "/noisy").orderBy("id").collectAsList();
        assertArrayEquals(floatBits(tmp.resolve("cap/noisy.npy")), rowBits(noisy, "features"));
        assertEquals(List.of(100L, 100L, 100L, 100L, 107L, 107L, 107L, 107L),
                noisy.stream().map(x -> x.<Long>getAs("source")).toList());
        assertEquals(0L, noisy.get(0).<Long>getAs("id"));

        List<Row> weights = Repgap.spark().read().parquet(out + "/weights").orderBy("id").collectAsList();
        assertArrayEquals(floatBits(tmp.resolve("cap/weights.npy")), rowBits(weights, "features"));
        assertEquals(5L, weights.get(1).<Long>getAs("id"));
        assertNull(weights.get(0).getAs("split"));
    }

    /** Runs the import of the (broken) manifest; it must fail with exit 2 naming {@code named}, writing nothing. */
    private void rejected(String named, String... also) throws IOException {
        Path m = write();
        Path out = tmp.resolve("bad");
        Repgap.Result r = Repgap.run("import", "--manifest", m.toString(), "--out", out.toString());
        assertEquals(2, r.code(), r.toString());
        assertTrue(r.err().contains(named), r.toString());
        for (String a : also) assertTrue(r.err().contains(a), r.toString());
        assertFalse(Files.exists(out), "nothing written: " + r);
    }

    private ObjectNode entry(String path) {
        for (var e : manifest.get("files")) if (e.get("path").asText().equals(path)) return (ObjectNode) e;
        throw new AssertionError(path);
    }

    @Test
    void aMissingFileIsNamed() throws Exception {
        capture();
        Files.delete(tmp.resolve("cap/acts/0005-test.npy"));
        rejected("acts/0005-test.npy", "no such file");
    }

    @Test
    void aShapeOtherThanTheManifestsIsNamed() throws Exception {
        capture();
        entry("acts/0000-train.npy").putArray("shape").add(TRAIN).add(DIM + 1);
        rejected("acts/0000-train.npy", "[" + TRAIN + ", " + (DIM + 1) + "]", "[" + TRAIN + ", " + DIM + "]");
    }

    @Test
    void labelsOfTheWrongLengthAreNamed() throws Exception {
        capture();
        Npy.longs(tmp.resolve("cap/test-labels.npy"), 1, 2, 3);
        entry("test-labels.npy").putArray("shape").add(3);
        rejected("test-labels.npy", "has 3 rows", TEST + "");
    }

    @Test
    void repeatedIdsAreNamed() throws Exception {
        capture();
        // The test ids repeat one of the training ids: ids must be unique within a group, over its splits.
        Npy.longs(tmp.resolve("cap/test-ids.npy"), 60000, 60001, 107, 60003, 60004, 60005);
        rejected("test-ids.npy", "id 107", "repeated");
    }

    @Test
    void twoFilesGivingOneTablesLabelsAndAnAttachmentWithoutTableAreNamed() throws Exception {
        capture();
        file("train-labels.npy".replace("train", "more"), "activations", "labels", Map.of("model", "mlp"), "train", TRAIN);
        Npy.longs(tmp.resolve("cap/more-labels.npy"), new long[TRAIN]);
        rejected("more-labels.npy", "train-labels.npy", "both give the labels");
        capture();
        Files.copy(tmp.resolve("cap/sources.npy"), tmp.resolve("cap/sources2.npy"));
        file("sources2.npy", "activationz", "sources", Map.of(), null, 8);
        rejected("sources2.npy", "belongs to no table");
    }
}
