package dev.repgap.io.formats;

import static dev.repgap.io.formats.ArrowTestFiles.F32;
import static dev.repgap.io.formats.ArrowTestFiles.F64;
import static dev.repgap.io.formats.ArrowTestFiles.field;
import static dev.repgap.io.formats.ArrowTestFiles.list;
import static dev.repgap.io.formats.ArrowTestFiles.set;
import static dev.repgap.io.formats.ArrowTestFiles.setList;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.IntVector;
import org.apache.arrow.vector.VarCharVector;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.compression.CompressionUtil.CodecType;
import org.apache.arrow.vector.dictionary.Dictionary;
import org.apache.arrow.vector.dictionary.DictionaryProvider;
import org.apache.arrow.vector.types.DateUnit;
import org.apache.arrow.vector.types.pojo.ArrowType;
import org.apache.arrow.vector.types.pojo.DictionaryEncoding;
import org.apache.arrow.vector.types.pojo.Field;
import org.apache.arrow.vector.types.pojo.FieldType;
import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ArrowFileTest {

    private static final Set<String> PASSTHROUGH = Set.of("id", "label", "split", "model", "layer", "score", "absent");
    /** Batch sizes with an empty batch in the middle: rows 0-3, (none), 4-6, 7-11. */
    private static final int[] BATCHES = {4, 0, 3, 5};
    private static final int ROWS = 12;

    @TempDir Path dir;
    private BufferAllocator allocator;

    @BeforeEach
    void allocate() {
        allocator = new RootAllocator();
    }

    @AfterEach
    void release() {
        allocator.close();
    }

    // The values of row r of the test tables.
    private static double feature(long r, int c) {
        return r * 10 + c + 0.5;
    }

    private static double[] features(long r, int dim) {
        double[] v = new double[dim];
        for (int c = 0; c < dim; c++) {
            v[c] = feature(r, c);
        }
        return v;
    }

    private static Long label(long r) {
        return r % 4 == 1 ? null : r * 7 - 20;
    }

    private static String split(long r) {
        return r == 5 ? null : r % 3 == 0 ? "test" : "träin";
    }

    /** id Int32, features, label Int64, split Utf8, model LargeUtf8, layer UInt8 (250-255), score Float32, note (not passthrough). */
    private String writeTable(String name, boolean stream, Field features, CodecType codec) throws IOException {
        Path file = dir.resolve(name);
        try (VectorSchemaRoot root = ArrowTestFiles.root(allocator,
                field("id", new ArrowType.Int(32, true)), features,
                field("label", new ArrowType.Int(64, true)), field("split", new ArrowType.Utf8()),
                field("model", new ArrowType.LargeUtf8()), field("layer", new ArrowType.Int(8, false)),
                field("score", F32), field("note", new ArrowType.Utf8()))) {
            ArrowTestFiles.write(file, stream, root, null, codec, BATCHES, (batch, first, rows) -> {
                for (int i = 0; i < rows; i++) {
                    long r = first + i;
                    set(batch.getVector("id"), i, r + 1000);
                    setList(batch.getVector(features.getName()), i, features(r, 3));
                    set(batch.getVector("label"), i, label(r));
                    set(batch.getVector("split"), i, split(r));
                    set(batch.getVector("model"), i, "m" + r % 2);
                    set(batch.getVector("layer"), i, 250 + r % 6);
                    set(batch.getVector("score"), i, r / 4.0);
                    set(batch.getVector("note"), i, "ignored");
                }
            });
        }
        return file.toString();
    }

    private static ArrowFile open(String path) throws IOException {
        return ArrowFile.open(path, new Configuration(), "features", PASSTHROUGH);
    }

    private static void assertTableRows(List<Object[]> rows, long firstRow, FileColumn.Kind kind) {
        for (int i = 0; i < rows.size(); i++) {
            long r = firstRow + i;
            Object[] v = rows.get(i);
            String at = "row " + r;
            if (kind == FileColumn.Kind.VECTOR_F32) {
                float[] expected = new float[3];
                for (int c = 0; c < 3; c++) {
                    expected[c] = (float) feature(r, c);
                }
                assertArrayEquals(expected, (float[]) v[0], at);
            } else {
                assertArrayEquals(features(r, 3), (double[]) v[0], at);
            }
            assertEquals(r + 1000, v[1], at);
            assertEquals(label(r), v[2], at);
            assertEquals(split(r), v[3], at);
            assertEquals("m" + r % 2, v[4], at);
            assertEquals(250L + r % 6, v[5], at);
            assertEquals(r / 4.0, v[6], at);
        }
    }

    private static List<FileColumn> tableColumns(FileColumn.Kind kind) {
        return List.of(new FileColumn("features", kind, 3), FileColumn.scalar("id", FileColumn.Kind.LONG),
                FileColumn.scalar("label", FileColumn.Kind.LONG), FileColumn.scalar("split", FileColumn.Kind.STRING),
                FileColumn.scalar("model", FileColumn.Kind.STRING), FileColumn.scalar("layer", FileColumn.Kind.LONG),
                FileColumn.scalar("score", FileColumn.Kind.DOUBLE));
    }

    private static List<String> text(List<long[]> splits) {
        return splits.stream().map(Arrays::toString).toList();
    }

    @Test
    void readsFixedSizeListFeaturesByBatchAlignedSplits() throws IOException {
        ArrowFile file = open(writeTable("fixed.arrow", false,
                list("features", new ArrowType.FixedSizeList(3), F32), CodecType.NO_COMPRESSION));
        assertEquals(ROWS, file.rows());
        assertEquals(tableColumns(FileColumn.Kind.VECTOR_F32), file.columns());
        assertEquals(List.of("[0, 7]", "[7, 12]"), text(file.splits(5)));
        assertEquals(List.of("[0, 4]", "[4, 7]", "[7, 12]"), text(file.splits(1)));
        assertEquals(List.of("[0, 12]"), text(file.splits(100)));
        assertTableRows(RowCollector.readBySplits(file, 1), 0, FileColumn.Kind.VECTOR_F32);
        assertTableRows(RowCollector.readBySplits(file, 5), 0, FileColumn.Kind.VECTOR_F32);
    }

    @Test
    void readsRangesAcrossBatchBoundaries() throws IOException {
        ArrowFile file = open(writeTable("fixed.arrow", false,
                list("features", new ArrowType.FixedSizeList(3), F32), CodecType.NO_COMPRESSION));
        assertTableRows(RowCollector.read(file, 2, 9), 2, FileColumn.Kind.VECTOR_F32);
        assertTableRows(RowCollector.read(file, 4, 7), 4, FileColumn.Kind.VECTOR_F32); // after the empty batch
        assertTableRows(RowCollector.read(file, 3, 4), 3, FileColumn.Kind.VECTOR_F32);
        assertTableRows(RowCollector.read(file, 11, 12), 11, FileColumn.Kind.VECTOR_F32);
        assertTrue(RowCollector.read(file, 4, 4).isEmpty());
        assertTrue(RowCollector.read(file, 12, 12).isEmpty());
        assertThrows(IndexOutOfBoundsException.class, () -> RowCollector.read(file, 10, 13));
    }

    @ParameterizedTest(name = "stream={0}")
    @ValueSource(booleans = {false, true})
    void readsListFeatures(boolean stream) throws IOException {
        ArrowFile file = open(writeTable("list.arrow", stream,
                list("features", new ArrowType.List(), F64), CodecType.NO_COMPRESSION));
        assertEquals(stream, file.isStream());
        assertEquals(tableColumns(FileColumn.Kind.VECTOR_F64), file.columns());
        if (stream) {
            assertEquals(List.of("[0, 12]"), text(file.splits(5)));
        }
        assertTableRows(RowCollector.readBySplits(file, 5), 0, FileColumn.Kind.VECTOR_F64);
        assertTableRows(RowCollector.read(file, 3, 8), 3, FileColumn.Kind.VECTOR_F64);
        assertTableRows(RowCollector.read(file, 11, 12), 11, FileColumn.Kind.VECTOR_F64);
        assertTrue(RowCollector.read(file, 6, 6).isEmpty());
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"ZSTD", "LZ4_FRAME"})
    void readsCompressedBuffers(String codec) throws IOException {
        ArrowFile file = open(writeTable("zipped.arrow", false,
                list("features", new ArrowType.FixedSizeList(3), F64), CodecType.valueOf(codec)));
        assertTableRows(RowCollector.readBySplits(file, 1), 0, FileColumn.Kind.VECTOR_F64);
    }

    /** As pandas DataFrame.to_feather writes activations: one column per dimension. */
    private String writeWide(String name, ArrowType second, boolean nullFeature) throws IOException {
        Path file = dir.resolve(name);
        try (VectorSchemaRoot root = ArrowTestFiles.root(allocator,
                field("0", F32), field("1", second), field("label", new ArrowType.Int(16, true)),
                field("2", F32), field("split", new ArrowType.Utf8()),
                field("__index_level_0__", new ArrowType.Int(64, true)))) {
            ArrowTestFiles.write(file, false, root, null, CodecType.NO_COMPRESSION, BATCHES, (batch, first, rows) -> {
                for (int i = 0; i < rows; i++) {
                    long r = first + i;
                    set(batch.getVector("0"), i, feature(r, 0));
                    set(batch.getVector("1"), i, nullFeature && r == 9 ? null : r * 10 + 1);
                    set(batch.getVector("2"), i, feature(r, 2));
                    set(batch.getVector("label"), i, label(r));
                    set(batch.getVector("split"), i, split(r));
                    set(batch.getVector("__index_level_0__"), i, r);
                }
            });
        }
        return file.toString();
    }

    @Test
    void readsWideTablesAsPandasWritesThem() throws IOException {
        ArrowFile file = open(writeWide("wide.feather", F32, false));
        assertEquals(List.of(new FileColumn("features", FileColumn.Kind.VECTOR_F32, 3),
                FileColumn.scalar("label", FileColumn.Kind.LONG), FileColumn.scalar("split", FileColumn.Kind.STRING)),
                file.columns());
        List<Object[]> rows = RowCollector.readBySplits(file, 4);
        for (int r = 0; r < ROWS; r++) {
            assertArrayEquals(new float[] {(float) feature(r, 0), r * 10 + 1, (float) feature(r, 2)},
                    (float[]) rows.get(r)[0], "row " + r);
            assertEquals(label(r), rows.get(r)[1]);
            assertEquals(split(r), rows.get(r)[2]);
        }
    }

    @Test
    void widensMixedWideColumnsToFloat64() throws IOException {
        ArrowFile file = open(writeWide("mixed.feather", new ArrowType.Int(32, true), false));
        assertEquals(new FileColumn("features", FileColumn.Kind.VECTOR_F64, 3), file.columns().get(0));
        List<Object[]> rows = RowCollector.read(file, 5, 9);
        for (int i = 0; i < 4; i++) {
            int r = 5 + i;
            assertArrayEquals(new double[] {feature(r, 0), r * 10 + 1, feature(r, 2)}, (double[]) rows.get(i)[0]);
        }
    }

    @Test
    void readsAfterJavaSerialization() throws Exception {
        ArrowFile file = open(writeTable("list.arrow", false,
                list("features", new ArrowType.List(), F32), CodecType.NO_COMPRESSION));
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
            out.writeObject(file);
        }
        ColumnarFile copy;
        try (ObjectInputStream in = new ObjectInputStream(new ByteArrayInputStream(bytes.toByteArray()))) {
            copy = (ColumnarFile) in.readObject();
        }
        assertEquals(file.columns(), copy.columns());
        assertTableRows(RowCollector.read(copy, 2, 9), 2, FileColumn.Kind.VECTOR_F32);
    }

    // ---- bad input: every message names the file and the problem ----

    private static void assertMessage(Exception e, String path, String... parts) {
        assertTrue(e.getMessage().startsWith(path + ": "), e.getMessage());
        for (String part : parts) {
            assertTrue(e.getMessage().contains(part), "'" + part + "' in: " + e.getMessage());
        }
    }

    private void assertOpenFails(String path, String... parts) {
        InputFormatException e = assertThrows(InputFormatException.class, () -> open(path));
        assertMessage(e, path, parts);
    }

    private void assertReadFails(String path, String... parts) throws IOException {
        ArrowFile file = open(path);
        InputFormatException e = assertThrows(InputFormatException.class, () -> RowCollector.read(file, 0, ROWS));
        assertMessage(e, path, parts);
    }

    private String writeBytes(String name, byte[] bytes) throws IOException {
        Path file = dir.resolve(name);
        Files.write(file, bytes);
        return file.toString();
    }

    @Test
    void rejectsFilesThatAreNotArrow() throws IOException {
        assertOpenFails(writeBytes("x.arrow", "col_a,col_b\n1,2\n3,4\n".getBytes(StandardCharsets.US_ASCII)),
                "not a readable Arrow IPC stream");
        assertOpenFails(writeBytes("v1.feather", "FEA1\0\0\0\0 and more".getBytes(StandardCharsets.US_ASCII)),
                "Feather version 1");
        assertOpenFails(writeBytes("tiny.arrow", new byte[] {1, 2, 3}), "not an Arrow IPC file or stream", "3 bytes");
    }

    @Test
    void rejectsTruncatedFilesAndStreams() throws IOException {
        byte[] whole = Files.readAllBytes(Path.of(writeTable("fixed.arrow", false,
                list("features", new ArrowType.FixedSizeList(3), F32), CodecType.NO_COMPRESSION)));
        assertOpenFails(writeBytes("cut.arrow", Arrays.copyOf(whole, whole.length - 10)),
                "does not end with ARROW1");
        byte[] stream = Files.readAllBytes(Path.of(writeTable("s.arrows", true,
                list("features", new ArrowType.FixedSizeList(3), F32), CodecType.NO_COMPRESSION)));
        assertOpenFails(writeBytes("cut.arrows", Arrays.copyOf(stream, stream.length - 40)),
                "not a readable Arrow IPC stream", "cut short");
    }

    @Test
    void rejectsFeaturesOfTheWrongType() throws IOException {
        assertOpenFails(writeTable("ints.arrow", false, list("features", new ArrowType.List(),
                new ArrowType.Int(32, true)), CodecType.NO_COMPRESSION),
                "column 'features' should hold the feature vectors as a FixedSizeList or List of float32 or float64",
                "found List<Int(32, true)>");
    }

    @Test
    void rejectsRaggedListFeatures() throws IOException {
        String path = dir.resolve("ragged.arrow").toString();
        try (VectorSchemaRoot root = ArrowTestFiles.root(allocator, list("features", new ArrowType.List(), F32))) {
            ArrowTestFiles.write(Path.of(path), false, root, null, CodecType.NO_COMPRESSION, BATCHES, (batch, first, rows) -> {
                for (int i = 0; i < rows; i++) {
                    setList(batch.getVector("features"), i, features(first + i, first + i == 9 ? 2 : 3));
                }
            });
        }
        assertReadFails(path, "row 9: 'features' has 2 values, but row 0 has 3");
    }

    @Test
    void rejectsNullFeatures() throws IOException {
        String path = dir.resolve("nulls.arrow").toString();
        try (VectorSchemaRoot root = ArrowTestFiles.root(allocator, list("features", new ArrowType.FixedSizeList(3), F64))) {
            ArrowTestFiles.write(Path.of(path), false, root, null, CodecType.NO_COMPRESSION, BATCHES, (batch, first, rows) -> {
                for (int i = 0; i < rows; i++) {
                    setList(batch.getVector("features"), i, first + i == 8 ? null : features(first + i, 3));
                }
            });
        }
        assertReadFails(path, "row 8: 'features' is null");
        String firstNull = dir.resolve("first-null.arrow").toString();
        try (VectorSchemaRoot root = ArrowTestFiles.root(allocator, list("features", new ArrowType.List(), F32))) {
            ArrowTestFiles.write(Path.of(firstNull), false, root, null, CodecType.NO_COMPRESSION, BATCHES, (batch, first, rows) -> {
                for (int i = 0; i < rows; i++) {
                    setList(batch.getVector("features"), i, first + i == 0 ? null : features(first + i, 3));
                }
            });
        }
        assertOpenFails(firstNull, "row 0: 'features' is null");
        assertReadFails(writeWide("wide-null.feather", F32, true), "row 9: feature column '1' is null");
    }

    @Test
    void rejectsColumnsOfUnsupportedTypes() throws IOException {
        Path file = dir.resolve("date.arrow");
        try (VectorSchemaRoot root = ArrowTestFiles.root(allocator, list("features", new ArrowType.FixedSizeList(1), F32),
                field("label", new ArrowType.Date(DateUnit.DAY)))) {
            ArrowTestFiles.write(file, false, root, null, CodecType.NO_COMPRESSION, new int[] {1}, (batch, first, rows) -> {
                setList(batch.getVector("features"), 0, new double[] {1});
            });
        }
        assertOpenFails(file.toString(), "column 'label' has type Date(DAY)", "expected an integer, bool, floating point or string");
        assertOpenFails(writeWideWithText(), "there is no column 'features', so every column except",
                "column 'name' has type Utf8; expected an integer or floating point column");
    }

    private String writeWideWithText() throws IOException {
        Path file = dir.resolve("wide-text.feather");
        try (VectorSchemaRoot root = ArrowTestFiles.root(allocator, field("0", F32), field("name", new ArrowType.Utf8()))) {
            ArrowTestFiles.write(file, false, root, null, CodecType.NO_COMPRESSION, new int[] {2}, (batch, first, rows) -> {
                set(batch.getVector("0"), 0, 1.0);
                set(batch.getVector("name"), 0, "a");
            });
        }
        return file.toString();
    }

    @Test
    void rejectsTablesWithoutFeatures() throws IOException {
        Path file = dir.resolve("labels.arrow");
        try (VectorSchemaRoot root = ArrowTestFiles.root(allocator, field("label", new ArrowType.Int(64, true)))) {
            ArrowTestFiles.write(file, false, root, null, CodecType.NO_COMPRESSION, new int[] {2}, (batch, first, rows) -> {
                set(batch.getVector("label"), 0, 1);
            });
        }
        assertOpenFails(file.toString(), "there is no column 'features'", "but there are no such columns");
    }

    @Test
    void rejectsDictionaryEncodedColumns() throws IOException {
        Path file = dir.resolve("category.arrow");
        DictionaryEncoding encoding = new DictionaryEncoding(1L, false, new ArrowType.Int(32, true));
        try (VarCharVector values = new VarCharVector("dict", allocator)) {
            values.allocateNew();
            set(values, 0, "train");
            set(values, 1, "test");
            values.setValueCount(2);
            DictionaryProvider.MapDictionaryProvider provider = new DictionaryProvider.MapDictionaryProvider();
            provider.put(new Dictionary(values, encoding));
            Field split = new Field("split", new FieldType(true, new ArrowType.Int(32, true), encoding), null);
            try (VectorSchemaRoot root = ArrowTestFiles.root(allocator, list("features", new ArrowType.FixedSizeList(1), F32), split)) {
                ArrowTestFiles.write(file, false, root, provider, CodecType.NO_COMPRESSION, new int[] {2}, (batch, first, rows) -> {
                    for (int i = 0; i < rows; i++) {
                        setList(batch.getVector("features"), i, new double[] {i});
                        ((IntVector) batch.getVector("split")).setSafe(i, i);
                    }
                });
            }
        }
        assertOpenFails(file.toString(), "column 'split' has type dictionary-encoded", "pandas category");
    }

    @Test
    void rejectsUint64PassthroughValuesBeyondLong() throws IOException {
        Path file = dir.resolve("u64.arrow");
        try (VectorSchemaRoot root = ArrowTestFiles.root(allocator, list("features", new ArrowType.FixedSizeList(1), F32),
                field("id", new ArrowType.Int(64, false)))) {
            ArrowTestFiles.write(file, false, root, null, CodecType.NO_COMPRESSION, new int[] {3}, (batch, first, rows) -> {
                for (int i = 0; i < rows; i++) {
                    setList(batch.getVector("features"), i, new double[] {i});
                    FieldVector id = batch.getVector("id");
                    set(id, i, i == 2 ? -1L : i);
                }
            });
        }
        ArrowFile opened = open(file.toString());
        assertEquals(List.of(0L, 1L), RowCollector.read(opened, 0, 2).stream().map(v -> v[1]).toList());
        InputFormatException e = assertThrows(InputFormatException.class, () -> RowCollector.read(opened, 0, 3));
        assertMessage(e, file.toString(), "row 2: column 'id' holds the uint64 value 18446744073709551615");
    }
}
