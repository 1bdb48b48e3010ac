package dev.repgap.io.formats;

import static dev.repgap.io.formats.NpyBytes.dict;
import static dev.repgap.io.formats.NpyBytes.doubles;
import static dev.repgap.io.formats.NpyBytes.floats;
import static dev.repgap.io.formats.NpyBytes.ints;
import static dev.repgap.io.formats.NpyBytes.npy;
import static dev.repgap.io.formats.NpyBytes.unicode;
import static java.nio.ByteOrder.BIG_ENDIAN;
import static java.nio.ByteOrder.LITTLE_ENDIAN;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.io.RandomAccessFile;
import java.net.URISyntaxException;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class NpyFileTest {

    @TempDir Path dir;

    private String write(String name, byte[] bytes) throws IOException {
        Path file = dir.resolve(name);
        Files.write(file, bytes);
        return file.toString();
    }

    private static NpyFile open(String path) throws IOException {
        return NpyFile.open(path, new Configuration(), "features");
    }

    /** value(r, c) of the test matrices: distinct, exact in float32. */
    private static double value(int r, int c) {
        return r * 10 + c + 0.25;
    }

    /** The rows x cols test matrix, flattened in C order or Fortran order. */
    private static double[] matrix(int rows, int cols, boolean fortran) {
        double[] flat = new double[rows * cols];
        for (int r = 0; r < rows; r++) {
            for (int c = 0; c < cols; c++) {
                flat[fortran ? c * rows + r : r * cols + c] = value(r, c);
            }
        }
        return flat;
    }

    private static float[] toFloats(double[] values) {
        float[] out = new float[values.length];
        for (int i = 0; i < values.length; i++) {
            out[i] = (float) values[i];
        }
        return out;
    }

    private static void assertMatrix(List<Object[]> rows, int firstRow, int cols) {
        for (int i = 0; i < rows.size(); i++) {
            Object vector = rows.get(i)[0];
            double[] expected = new double[cols];
            for (int c = 0; c < cols; c++) {
                expected[c] = value(firstRow + i, c);
            }
            if (vector instanceof float[] f) {
                assertArrayEquals(toFloats(expected), f, "row " + (firstRow + i));
            } else {
                assertArrayEquals(expected, (double[]) vector, "row " + (firstRow + i));
            }
        }
    }

    static Stream<Arguments> matrices() {
        return Stream.of(
                Arguments.of(1, "<f4", false), Arguments.of(1, ">f4", false),
                Arguments.of(2, "<f8", false), Arguments.of(3, ">f8", false),
                Arguments.of(1, "<f4", true), Arguments.of(2, ">f4", true),
                Arguments.of(3, "<f8", true), Arguments.of(1, ">f8", true));
    }

    @ParameterizedTest(name = "v{0} {1} fortran={2}")
    @MethodSource("matrices")
    void readsEveryValueOfAMatrix(int version, String descr, boolean fortran) throws IOException {
        ByteOrder order = descr.charAt(0) == '>' ? BIG_ENDIAN : LITTLE_ENDIAN;
        double[] flat = matrix(7, 3, fortran);
        byte[] data = descr.endsWith("4") ? floats(order, toFloats(flat)) : doubles(order, flat);
        NpyFile file = open(write("m.npy", npy(version, dict(descr, fortran, "(7, 3)"), data)));

        assertEquals(7, file.rows());
        assertEquals(List.of(new FileColumn("features", descr.endsWith("4")
                ? FileColumn.Kind.VECTOR_F32 : FileColumn.Kind.VECTOR_F64, 3)), file.columns());
        assertEquals(fortran, file.fortranOrder());
        assertMatrix(RowCollector.readBySplits(file, 3), 0, 3);
        assertMatrix(RowCollector.read(file, 2, 6), 2, 3);
    }

    @ParameterizedTest(name = "fortran={0}")
    @MethodSource("orders")
    void readsRangesThatStraddleReadBlocks(boolean fortran) throws IOException {
        NpyFile file = open(write("m.npy",
                npy(1, dict("<f4", fortran, "(9, 3)"), floats(LITTLE_ENDIAN, toFloats(matrix(9, 3, fortran))))));
        List<Object[]> rows = new ArrayList<>();
        // 24-byte blocks hold 2 rows of 12 bytes: [1, 6) is read as [1, 3), [3, 5), [5, 6)
        file.read(new Configuration(), 1, 6, (i, v) -> rows.add(v), 24);
        assertMatrix(rows, 1, 3);
        rows.clear();
        file.read(new Configuration(), 0, 9, (i, v) -> rows.add(v), 5); // block smaller than a row
        assertMatrix(rows, 0, 3);
    }

    static Stream<Boolean> orders() {
        return Stream.of(false, true);
    }

    @Test
    void readsEmptyAndLastPartialRanges() throws IOException {
        NpyFile file = open(write("m.npy",
                npy(1, dict("<f8", false, "(5, 2)"), doubles(LITTLE_ENDIAN, matrix(5, 2, false)))));
        assertEquals(List.of("[0, 2]", "[2, 4]", "[4, 5]"),
                file.splits(2).stream().map(Arrays::toString).toList());
        assertTrue(RowCollector.read(file, 3, 3).isEmpty());
        assertTrue(RowCollector.read(file, 5, 5).isEmpty());
        assertMatrix(RowCollector.read(file, 4, 5), 4, 2);
        assertThrows(IndexOutOfBoundsException.class, () -> RowCollector.read(file, 4, 6));
    }

    @Test
    void readsAnArrayWithNoRows() throws IOException {
        NpyFile file = open(write("empty.npy", npy(1, dict("<f4", false, "(0, 8)"), new byte[0])));
        assertEquals(0, file.rows());
        assertEquals(8, file.columns().get(0).dim());
        assertTrue(file.splits(100).isEmpty());
        assertTrue(RowCollector.read(file, 0, 0).isEmpty());
    }

    @Test
    void readsAHeaderInTheOldStyle() throws IOException {
        // NumPy before 1.9 under Python 2: 16-byte alignment and long literals such as 3L
        String header = "{'descr': '<f8', 'fortran_order': False, 'shape': (3L, 2L), }";
        NpyFile file = open(write("old.npy", npy(1, header, doubles(LITTLE_ENDIAN, matrix(3, 2, false)), 16)));
        assertMatrix(RowCollector.read(file, 0, 3), 0, 2);
    }

    static Stream<Arguments> labels() {
        Long[] small = {0L, 1L, -1L, 127L, -128L};
        Long[] unsignedByte = {0L, 1L, 255L, 128L, 7L};
        return Stream.of(
                Arguments.of("|i1", ints(LITTLE_ENDIAN, 1, 0, 1, -1, 127, -128), small),
                Arguments.of("<i2", ints(LITTLE_ENDIAN, 2, 0, 1, -1, 32767, -32768),
                        new Long[] {0L, 1L, -1L, 32767L, -32768L}),
                Arguments.of(">i2", ints(BIG_ENDIAN, 2, 0, 1, -1, 127, -128), small),
                Arguments.of("<i4", ints(LITTLE_ENDIAN, 4, 0, 1, -1, Integer.MAX_VALUE, Integer.MIN_VALUE),
                        new Long[] {0L, 1L, -1L, (long) Integer.MAX_VALUE, (long) Integer.MIN_VALUE}),
                Arguments.of(">i4", ints(BIG_ENDIAN, 4, 0, 1, -1, 127, -128), small),
                Arguments.of("<i8", ints(LITTLE_ENDIAN, 8, 0, 1, -1, Long.MAX_VALUE, Long.MIN_VALUE),
                        new Long[] {0L, 1L, -1L, Long.MAX_VALUE, Long.MIN_VALUE}),
                Arguments.of(">i8", ints(BIG_ENDIAN, 8, 0, 1, -1, 127, -128), small),
                Arguments.of("|u1", ints(LITTLE_ENDIAN, 1, 0, 1, 255, 128, 7), unsignedByte),
                Arguments.of("<u2", ints(LITTLE_ENDIAN, 2, 0, 1, 65535, 32768, 7),
                        new Long[] {0L, 1L, 65535L, 32768L, 7L}),
                Arguments.of(">u4", ints(BIG_ENDIAN, 4, 0, 1, 4294967295L, 2147483648L, 7),
                        new Long[] {0L, 1L, 4294967295L, 2147483648L, 7L}),
                Arguments.of(">u8", ints(BIG_ENDIAN, 8, 0, 1, Long.MAX_VALUE, 255, 7),
                        new Long[] {0L, 1L, Long.MAX_VALUE, 255L, 7L}),
                Arguments.of("|b1", new byte[] {0, 1, 1, 0, 1}, new Long[] {0L, 1L, 1L, 0L, 1L}),
                Arguments.of("<f4", floats(LITTLE_ENDIAN, 0.5f, -1.25f, Float.NaN, 3e38f, 0f),
                        new Double[] {0.5, -1.25, Double.NaN, (double) 3e38f, 0.0}),
                Arguments.of(">f8", doubles(BIG_ENDIAN, 0.1, -1e300, Double.NEGATIVE_INFINITY, 2, 0),
                        new Double[] {0.1, -1e300, Double.NEGATIVE_INFINITY, 2.0, 0.0}),
                Arguments.of("<U3", unicode(LITTLE_ENDIAN, 3, "cat", "dög", "日本", "😀", ""),
                        new String[] {"cat", "dög", "日本", "😀", ""}),
                Arguments.of(">U3", unicode(BIG_ENDIAN, 3, "a", "ab", "abc", "x😀", "z"),
                        new String[] {"a", "ab", "abc", "x😀", "z"}));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("labels")
    void readsEveryLabelType(String descr, byte[] data, Object[] expected) throws IOException {
        String path = write("labels.npy", npy(1, dict(descr, false, "(5,)"), data));
        NpyFile file = NpyFile.open(path, new Configuration(), "label");
        FileColumn.Kind kind = expected[0] instanceof Long ? FileColumn.Kind.LONG
                : expected[0] instanceof Double ? FileColumn.Kind.DOUBLE : FileColumn.Kind.STRING;
        assertEquals(List.of(FileColumn.scalar("label", kind)), file.columns());
        List<Object[]> rows = RowCollector.readBySplits(file, 2);
        assertArrayEquals(expected, rows.stream().map(v -> v[0]).toArray());
    }

    @Test
    void readsFilesWrittenByNumPy() throws IOException, URISyntaxException {
        NpyFile c = open(fixture("numpy_f4_c.npy"));
        List<Object[]> rows = RowCollector.readBySplits(c, 3);
        for (int i = 0; i < 12; i++) {
            assertEquals(i / 4.0 - 1, ((float[]) rows.get(i / 3)[0])[i % 3], 0.0, "element " + i);
        }
        NpyFile fortran = open(fixture("numpy_f8_fortran_be.npy"));
        assertTrue(fortran.fortranOrder());
        rows = RowCollector.readBySplits(fortran, 2);
        for (int i = 0; i < 15; i++) { // numpy filled it in C order before making it Fortran-ordered
            assertEquals(i * 1.5 - 2, ((double[]) rows.get(i / 3)[0])[i % 3], 0.0, "element " + i);
        }
        NpyFile v2 = open(fixture("numpy_f4_v2.npy"));
        rows = RowCollector.read(v2, 0, 2);
        assertArrayEquals(new float[] {-2.5f, -1.5f, -0.5f}, (float[]) rows.get(0)[0]);
        assertArrayEquals(new float[] {0.5f, 1.5f, 2.5f}, (float[]) rows.get(1)[0]);
        assertEquals(List.of(3L, -1L, 7L, 0L, 1L << 40), labels(fixture("numpy_labels_i8.npy")));
        assertEquals(List.of("cat", "dög", "日本語", "😀", ""), labels(fixture("numpy_labels_str.npy")));
        assertEquals(List.of(0L, 1L, 65535L), labels(fixture("numpy_u2_v3.npy")));
    }

    private List<Object> labels(String path) throws IOException {
        NpyFile file = open(path);
        return RowCollector.read(file, 0, file.rows()).stream().map(v -> v[0]).toList();
    }

    private static String fixture(String name) throws URISyntaxException {
        return Path.of(NpyFileTest.class.getResource("/formats/" + name).toURI()).toString();
    }

    @Test
    void readsAfterJavaSerialization() throws Exception {
        NpyFile file = open(write("m.npy",
                npy(1, dict(">f4", true, "(4, 2)"), floats(BIG_ENDIAN, toFloats(matrix(4, 2, true))))));
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
            out.writeObject(file);
        }
        assertTrue(bytes.size() < 2000, "carries no data: " + bytes.size() + " bytes");
        ColumnarFile copy;
        try (ObjectInputStream in = new ObjectInputStream(new ByteArrayInputStream(bytes.toByteArray()))) {
            copy = (ColumnarFile) in.readObject();
        }
        assertEquals(file.columns(), copy.columns());
        assertMatrix(RowCollector.read(copy, 1, 4), 1, 2);
    }

    // ---- bad input: every message names the file and the problem ----

    private void assertRejected(byte[] bytes, String... expectedParts) throws IOException {
        String path = write("bad.npy", bytes);
        InputFormatException e = assertThrows(InputFormatException.class, () -> open(path));
        assertMessage(e, path, expectedParts);
    }

    private static void assertMessage(Exception e, String path, String... expectedParts) {
        assertTrue(e.getMessage().startsWith(path + ": "), e.getMessage());
        for (String part : expectedParts) {
            assertTrue(e.getMessage().contains(part), "'" + part + "' in: " + e.getMessage());
        }
    }

    @Test
    void rejectsBadMagic() throws IOException {
        assertRejected("NUMPY\u0001\u0000 not really".getBytes(), "not a .npy file", "\\x93NUMPY",
                "found 'NUMPY\\x01'");
        assertRejected(new byte[] {'P', 'K', 3, 4, 20, 0, 0, 0}, "not a .npy file", ".npz");
        assertRejected(new byte[0], "not a .npy file", "found an empty file");
    }

    @Test
    void rejectsUnknownVersion() throws IOException {
        byte[] bytes = npy(2, dict("<f4", false, "(1, 1)"), floats(LITTLE_ENDIAN, 1f));
        bytes[6] = 4;
        assertRejected(bytes, "unsupported .npy format version 4.0", "expected 1.0, 2.0 or 3.0");
    }

    @Test
    void rejectsTruncatedHeader() throws IOException {
        byte[] whole = npy(1, dict("<f4", false, "(1, 1)"), floats(LITTLE_ENDIAN, 1f));
        assertRejected(Arrays.copyOf(whole, 40), "truncated", "header should be 118 bytes",
                "ends after 30");
        assertRejected(Arrays.copyOf(whole, 9), "truncated", "ends inside the header");
    }

    @Test
    void rejectsAFileShorterThanItsHeaderSays() throws IOException {
        byte[] whole = npy(1, dict("<f8", false, "(4, 3)"), doubles(LITTLE_ENDIAN, matrix(4, 3, false)));
        assertRejected(Arrays.copyOf(whole, whole.length - 8), "shorter than its header says",
                "shape (4, 3) of '<f8' needs 96 bytes", "the file has 88");
    }

    @Test
    void rejectsAFileCutShortAfterItWasOpened() throws IOException {
        String path = write("m.npy",
                npy(1, dict("<f4", false, "(6, 2)"), floats(LITTLE_ENDIAN, toFloats(matrix(6, 2, false)))));
        NpyFile file = open(path);
        try (RandomAccessFile raf = new RandomAccessFile(path, "rw")) {
            raf.setLength(raf.length() - 20);
        }
        InputFormatException e =
                assertThrows(InputFormatException.class, () -> RowCollector.read(file, 0, 6));
        assertMessage(e, path, "the file ends within rows", "promises 6 rows");
    }

    @Test
    void rejectsShapesOtherThan1Or2D() throws IOException {
        assertRejected(npy(1, dict("<f4", false, "(10, 3, 4)"), new byte[480]),
                "expected a 2-D float32 or float64 array", "found shape (10, 3, 4)");
        assertRejected(npy(1, dict("<f4", false, "()"), new byte[4]), "found shape ()");
    }

    @Test
    void rejectsDtypesItCannotRead() throws IOException {
        assertRejected(npy(1, dict("|O", false, "(3,)"), new byte[24]), "found dtype '|O'");
        assertRejected(npy(1, dict("<c8", false, "(2, 2)"), new byte[32]),
                "expected a 2-D float32 or float64 array", "dtype '<c8' (complex64)");
        assertRejected(npy(1, dict("<i8", false, "(2, 2)"), new byte[32]),
                "expected a 2-D float32 or float64 array", "dtype '<i8' (int64)");
        assertRejected(npy(1, dict("<f2", false, "(2,)"), new byte[4]),
                "expected a 1-D array of integers, bools, floats or unicode strings", "'<f2' (float16)");
        assertRejected(npy(1, dict("|S5", false, "(2,)"), new byte[10]), "'|S5' (byte string of 5 bytes)");
        assertRejected(npy(1, dict("<M8[ns]", false, "(2,)"), new byte[16]), "found dtype '<M8[ns]'");
        String structured = "{'descr': [('x', '<f4'), ('y', '<i4')], 'fortran_order': False, 'shape': (2,), }";
        assertRejected(npy(1, structured, new byte[16]), "found a structured dtype with fields (x, y)");
    }

    @Test
    void rejectsMalformedHeaders() throws IOException {
        assertRejected(npy(1, "{'descr': '<f4', 'shape': (2, 2), }", new byte[16]),
                "malformed .npy header", "'fortran_order'");
        assertRejected(npy(1, "{'descr': '<f4', 'fortran_order': False, 'shape': (2, 2)", new byte[16]),
                "malformed .npy header", "missing '}'");
        assertRejected(npy(1, "{'descr': '<f4', 'fortran_order': False, 'shape': (-2,), }", new byte[16]),
                "malformed .npy header", "non-negative");
    }

    @Test
    void rejectsUint64ValuesBeyondLong() throws IOException {
        String path = write("u8.npy", npy(1, dict("<u8", false, "(3,)"), ints(LITTLE_ENDIAN, 8, 1, -1, 2)));
        NpyFile file = open(path);
        InputFormatException e =
                assertThrows(InputFormatException.class, () -> RowCollector.read(file, 0, 3));
        assertMessage(e, path, "row 1: uint64 value 18446744073709551615 does not fit");
        assertFalse(RowCollector.read(file, 2, 3).isEmpty());
    }
}
