package dev.repgap.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.FileOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;
import org.apache.arrow.vector.Float4Vector;
import org.apache.arrow.vector.VarCharVector;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.ipc.ArrowFileWriter;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ImportNpyArrowTest {
    @TempDir Path tmp;

    private static String fixture(String name) {
        return Path.of("src/test/resources/formats", name).toAbsolutePath().toString();
    }

    @Test
    void numpyMatrixWithLabelsFromRealNumpyFiles() {
        String out = tmp.resolve("acts").toString();
        Repgap.Result r = Repgap.run("import", "--npy", fixture("numpy_f8_fortran_be.npy"),
                "--labels", fixture("numpy_labels_i8.npy"), "--split", "train", "--set", "layer=x", "--out", out);
        assertEquals(0, r.code(), r.toString());
        List<Row> rows = Repgap.spark().read().parquet(out).orderBy("id").collectAsList();
        assertEquals(5, rows.size());
        long[] labels = {3, -1, 7, 0, 1L << 40};
        for (int i = 0; i < 5; i++) {
            Row row = rows.get(i);
            assertEquals((long) i, row.<Long>getAs("id"));
            // np.asfortranarray((np.arange(15) * 1.5 - 2).reshape(5, 3)): row i holds 3i, 3i+1, 3i+2.
            List<Double> v = row.getList(row.fieldIndex("features"));
            for (int j = 0; j < 3; j++) assertEquals((3 * i + j) * 1.5 - 2, v.get(j), 0.0);
            assertEquals(labels[i], row.<Long>getAs("label"));
            assertEquals("train", row.getAs("split"));
            assertEquals("x", row.getAs("layer"));
        }
        Repgap.Result d = Repgap.run("describe", "--input", out, "--group-by", "layer", "--json");
        assertEquals(0, d.code(), d.toString());
        assertTrue(d.out().contains("\"metric\":\"describe.labels\",\"param\":null,\"value\":5.0"), d.out());
    }

    @Test
    void labelsOfAnotherLengthAreRejected() {
        Repgap.Result r = Repgap.run("import", "--npy", fixture("numpy_f4_c.npy"),
                "--labels", fixture("numpy_labels_i8.npy"), "--out", tmp.resolve("o").toString());
        assertEquals(2, r.code(), r.toString());
        assertTrue(r.err().contains("numpy_labels_i8.npy has 5 values, but") && r.err().contains("has 4 rows"), r.toString());
    }

    @Test
    void pandasStyleFeatherWithOneColumnPerCoordinate() throws Exception {
        Path file = tmp.resolve("acts.feather");
        try (BufferAllocator alloc = new RootAllocator();
             Float4Vector a = new Float4Vector("a", alloc);
             Float4Vector b = new Float4Vector("b", alloc);
             VarCharVector split = new VarCharVector("split", alloc)) {
            String[] splits = {"train", "train", "test"};
            for (int i = 0; i < 3; i++) {
                a.setSafe(i, i);
                b.setSafe(i, 10 + i);
                split.setSafe(i, splits[i].getBytes(StandardCharsets.UTF_8));
            }
            for (var v : List.of(a, b, split)) v.setValueCount(3);
            try (VectorSchemaRoot root = VectorSchemaRoot.of(a, b, split);
                 FileOutputStream os = new FileOutputStream(file.toFile());
                 ArrowFileWriter w = new ArrowFileWriter(root, null, os.getChannel())) {
                root.setRowCount(3);
                w.start();
                w.writeBatch();
                w.end();
            }
        }
        String out = tmp.resolve("acts").toString();
        Repgap.Result r = Repgap.run("import", "--arrow", file.toString(), "--set", "model=m", "--out", out);
        assertEquals(0, r.code(), r.toString());
        List<Row> rows = Repgap.spark().read().parquet(out).orderBy("id").collectAsList();
        assertEquals(List.of(2f, 12f), rows.get(2).getList(rows.get(2).fieldIndex("features")));
        assertEquals("test", rows.get(2).getAs("split"));

        Repgap.Result clash = Repgap.run("import", "--arrow", file.toString(), "--split", "train", "--set", "model=n",
                "--out", out);
        assertEquals(2, clash.code(), clash.toString());
        assertTrue(clash.err().contains("has a split column 'split'; drop --split or the column"), clash.toString());
    }
}
