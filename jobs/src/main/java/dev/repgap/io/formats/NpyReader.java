package dev.repgap.io.formats;

import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.DoubleBuffer;
import java.nio.FloatBuffer;
import org.apache.hadoop.fs.FSDataInputStream;

/**
 * Reads a row range of a .npy array in blocks of about blockBytes: one sequential read per block
 * in C order, one positioned read per column per block in Fortran order.
 */
final class NpyReader {

    static final int DEFAULT_BLOCK_BYTES = 8 << 20;

    private final String path;
    private final NpyDtype dtype;
    private final long rows;
    /** Values per row: the vector length, or 1 for a 1-D array. */
    private final int width;
    private final boolean vector;
    private final boolean fortranOrder;
    private final long dataOffset;
    private final int blockBytes;

    NpyReader(String path, NpyDtype dtype, long rows, int width, boolean vector,
            boolean fortranOrder, long dataOffset, int blockBytes) {
        this.path = path;
        this.dtype = dtype;
        this.rows = rows;
        this.width = width;
        this.vector = vector;
        this.fortranOrder = fortranOrder && vector;
        this.dataOffset = dataOffset;
        this.blockBytes = blockBytes;
    }

    void read(FSDataInputStream in, long start, long end, ColumnarFile.RowConsumer consumer)
            throws IOException {
        int rowBytes = width * dtype.itemSize();
        int blockRows = (int) Math.max(1, Math.min(end - start, blockBytes / rowBytes));
        byte[] block = new byte[blockRows * rowBytes];
        ByteBuffer buf = ByteBuffer.wrap(block).order(dtype.order());
        for (long first = start; first < end; first += blockRows) {
            int n = (int) Math.min(blockRows, end - first);
            fill(in, first, n, rowBytes, block);
            deliver(buf, first, n, consumer);
        }
    }

    /** Reads rows [first, first + n) into block. */
    private void fill(FSDataInputStream in, long first, int n, int rowBytes, byte[] block)
            throws IOException {
        try {
            if (fortranOrder) {
                readColumns(in, first, n, block);
            } else {
                in.seek(dataOffset + first * rowBytes); // cheap after the first block: already there
                in.readFully(block, 0, n * rowBytes);
            }
        } catch (EOFException e) {
            throw new InputFormatException(path, "the file ends within rows [" + first + ", "
                    + (first + n) + ") although its header promises " + rows + " rows; was it cut short?", e);
        }
    }

    /** Fortran order stores column c of all rows contiguously: read rows [first, first + n) of each. */
    private void readColumns(FSDataInputStream in, long first, int n, byte[] block)
            throws IOException {
        int size = dtype.itemSize();
        for (int c = 0; c < width; c++) {
            in.readFully(dataOffset + (c * rows + first) * size, block, c * n * size, n * size);
        }
    }

    private void deliver(ByteBuffer buf, long first, int n, ColumnarFile.RowConsumer consumer)
            throws IOException {
        FloatBuffer floats = buf.asFloatBuffer();
        DoubleBuffer doubles = buf.asDoubleBuffer();
        for (int i = 0; i < n; i++) {
            Object value;
            if (!vector) {
                value = label(buf, first + i, i * dtype.itemSize());
            } else if (fortranOrder) {
                value = stridedRow(buf, i, n);
            } else if (dtype.itemSize() == 4) {
                float[] row = new float[width];
                floats.get(row);
                value = row;
            } else {
                double[] row = new double[width];
                doubles.get(row);
                value = row;
            }
            consumer.accept(first + i, new Object[] {value});
        }
    }

    /** Row i of a block of n rows read column by column. */
    private Object stridedRow(ByteBuffer buf, int i, int n) {
        if (dtype.itemSize() == 4) {
            float[] row = new float[width];
            for (int c = 0; c < width; c++) {
                row[c] = buf.getFloat((c * n + i) * 4);
            }
            return row;
        }
        double[] row = new double[width];
        for (int c = 0; c < width; c++) {
            row[c] = buf.getDouble((c * n + i) * 8);
        }
        return row;
    }

    private Object label(ByteBuffer buf, long row, int at) throws InputFormatException {
        try {
            return dtype.label(buf, at);
        } catch (IllegalArgumentException e) {
            throw new InputFormatException(path, "row " + row + ": " + e.getMessage());
        }
    }
}
