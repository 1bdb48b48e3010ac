package dev.repgap.io.formats;

import java.io.IOException;
import java.util.List;
import java.util.stream.Collectors;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FSDataInputStream;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

/**
 * A NumPy .npy file: a 2-D float32 or float64 array as one vector column, or a 1-D array of
 * integers, bools, floats or unicode strings as one LONG, DOUBLE or STRING column.
 */
public final class NpyFile implements ColumnarFile {

    private static final long serialVersionUID = 1L;
    private static final String EXPECTED =
            "expected a 2-D float32 or float64 array, or a 1-D array of integers, bools, floats or strings";

    private final String path;
    private final NpyHeader header;
    private final NpyDtype dtype;
    private final FileColumn column;

    private NpyFile(String path, NpyHeader header, NpyDtype dtype, FileColumn column) {
        this.path = path;
        this.header = header;
        this.dtype = dtype;
        this.column = column;
    }

    /** Opens path, reads its header and checks that the data the header promises is there. */
    public static NpyFile open(String path, Configuration conf, String columnName)
            throws IOException {
        Path file = new Path(path);
        FileSystem fs = file.getFileSystem(conf); // shared, cached instance: not ours to close
        long length = ColumnarFile.fileLength(fs, file, path);
        NpyHeader header;
        try (FSDataInputStream in = fs.open(file)) {
            header = NpyHeader.read(path, in);
        }
        NpyDtype dtype = dtypeOf(path, header);
        FileColumn column = columnOf(path, header, dtype, columnName);
        long dataBytes = dataBytes(path, header, dtype);
        if (length - header.dataOffset < dataBytes) {
            throw new InputFormatException(path, "the file is shorter than its header says: shape "
                    + header.shapeText() + " of '" + header.descr + "' needs " + dataBytes
                    + " bytes of data after the " + header.dataOffset + "-byte header, but the file has "
                    + Math.max(0, length - header.dataOffset));
        }
        long extra = length - header.dataOffset - dataBytes;
        if (extra > 0) {
            long rows = header.shape.length == 0 ? 1 : header.shape[0];
            long rowBytes = rows == 0 ? dtype.itemSize() : dataBytes / rows;
            System.err.println("repgap: warning: " + path + ": " + extra + " bytes after the data of shape " + header.shapeText()
                    + " its header describes" + (rowBytes > 0 && extra >= rowBytes ? " (" + extra / rowBytes + " more rows' worth)" : "")
                    + "; only the " + rows + " rows of the header are read");
        }
        return new NpyFile(path, header, dtype, column);
    }

    private static NpyDtype dtypeOf(String path, NpyHeader header) throws InputFormatException {
        if (header.descr == null) {
            throw new InputFormatException(path, EXPECTED + ", found a structured dtype "
                    + fieldNames(header.structuredDescr) + "; save the fields as separate arrays");
        }
        NpyDtype dtype = NpyDtype.parse(header.descr);
        if (dtype == null) {
            throw new InputFormatException(path, EXPECTED + ", found dtype '" + header.descr + "'");
        }
        return dtype;
    }

    private static FileColumn columnOf(String path, NpyHeader header, NpyDtype dtype, String name)
            throws InputFormatException {
        String found = "found a " + header.shape.length + "-D array of dtype '" + dtype.descr()
                + "' (" + dtype.describe() + ")";
        if (header.shape.length == 2) {
            if (!dtype.isVectorFloat()) {
                throw new InputFormatException(path, "expected a 2-D float32 or float64 array, " + found);
            }
            long dim = header.shape[1];
            if (dim < 1 || dim * dtype.itemSize() > Integer.MAX_VALUE / 2) {
                throw new InputFormatException(path, "expected a 2-D array with 1 to "
                        + Integer.MAX_VALUE / 2 / dtype.itemSize() + " columns, found shape " + header.shapeText());
            }
            return new FileColumn(name, dtype.itemSize() == 4
                    ? FileColumn.Kind.VECTOR_F32 : FileColumn.Kind.VECTOR_F64, (int) dim);
        }
        if (header.shape.length == 1) {
            FileColumn.Kind kind = dtype.labelKind();
            if (kind == null) {
                throw new InputFormatException(path,
                        "expected a 1-D array of integers, bools, floats or unicode strings, " + found);
            }
            return FileColumn.scalar(name, kind);
        }
        throw new InputFormatException(path, EXPECTED + ", found shape " + header.shapeText());
    }

    private static long dataBytes(String path, NpyHeader header, NpyDtype dtype)
            throws InputFormatException {
        try {
            long bytes = dtype.itemSize();
            for (long size : header.shape) {
                bytes = Math.multiplyExact(bytes, size);
            }
            return bytes;
        } catch (ArithmeticException e) {
            throw new InputFormatException(path, "implausible shape " + header.shapeText());
        }
    }

    private static String fieldNames(Object descr) {
        if (!(descr instanceof List<?> fields)) {
            return String.valueOf(descr);
        }
        return fields.stream()
                .map(f -> f instanceof List<?> field && !field.isEmpty() ? String.valueOf(field.get(0)) : "?")
                .collect(Collectors.joining(", ", "with fields (", ")"));
    }

    @Override
    public String path() {
        return path;
    }

    @Override
    public long rows() {
        return header.shape[0];
    }

    @Override
    public List<FileColumn> columns() {
        return List.of(column);
    }

    /** True when a row's values are strided through the file (NumPy's fortran_order). */
    /** NumPy's name for the array's dtype ({@code float32}, {@code int64}, ...). */
    public String dtypeName() {
        return dtype.describe();
    }

    public boolean fortranOrder() {
        return header.fortranOrder && header.shape.length == 2;
    }

    @Override
    public List<long[]> splits(long targetRows) {
        return RowRanges.even(rows(), targetRows);
    }

    @Override
    public void read(Configuration conf, long start, long end, RowConsumer consumer)
            throws IOException {
        read(conf, start, end, consumer, NpyReader.DEFAULT_BLOCK_BYTES);
    }

    /** As {@link #read(Configuration, long, long, RowConsumer)}, in blocks of about blockBytes. */
    void read(Configuration conf, long start, long end, RowConsumer consumer, int blockBytes)
            throws IOException {
        RowRanges.checkRange(start, end, rows());
        if (start == end) {
            return;
        }
        Path file = new Path(path);
        NpyReader reader = new NpyReader(path, dtype, rows(), column.dim(), column.isVector(),
                fortranOrder(), header.dataOffset, blockBytes);
        try (FSDataInputStream in = file.getFileSystem(conf).open(file)) {
            reader.read(in, start, end, consumer);
        }
    }

    @Override
    public String toString() {
        return path + " " + header.shapeText() + " '" + dtype.descr() + "'"
                + (fortranOrder() ? " fortran_order" : "") + " as " + column;
    }
}
