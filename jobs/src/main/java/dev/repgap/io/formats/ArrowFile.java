package dev.repgap.io.formats;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import org.apache.arrow.compression.CommonsCompressionFactory;
import org.apache.arrow.memory.RootAllocator;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.ipc.ArrowFileReader;
import org.apache.arrow.vector.ipc.ArrowReader;
import org.apache.arrow.vector.ipc.ArrowStreamReader;
import org.apache.arrow.vector.ipc.message.ArrowBlock;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

/**
 * An Arrow IPC file (also Feather v2) or IPC stream of activations: the features column first,
 * as one vector, then the passthrough columns that the file has. A file's record batches are
 * read independently; a stream can only be read from its start, so it is one split.
 */
public final class ArrowFile implements ColumnarFile {

    private static final long serialVersionUID = 1L;
    private static final byte[] FILE_MAGIC = "ARROW1".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] FEATHER_V1_MAGIC = "FEA1".getBytes(StandardCharsets.US_ASCII);

    private final String path;
    private final boolean stream;
    private final ArrowLayout layout;
    /** The first row of every record batch and, last, the row count. */
    private final long[] batchStarts;

    private ArrowFile(String path, boolean stream, ArrowLayout layout, long[] batchStarts) {
        this.path = path;
        this.stream = stream;
        this.layout = layout;
        this.batchStarts = batchStarts;
    }

    /**
     * Opens path and works out its columns. Features come from the column featuresCol (a
     * FixedSizeList or List of float32 or float64) or, when there is none, from every column whose
     * name is not in passthroughCols, in file order. The passthroughCols present become scalar
     * columns.
     */
    public static ArrowFile open(String path, Configuration conf, String featuresCol,
            Set<String> passthroughCols) throws IOException {
        Path file = new Path(path);
        FileSystem fs = file.getFileSystem(conf); // shared, cached instance: not ours to close
        long size = ColumnarFile.fileLength(fs, file, path);
        try (RootAllocator allocator = new RootAllocator();
                HadoopSeekableChannel channel = new HadoopSeekableChannel(fs.open(file), size)) {
            boolean stream = !isIpcFile(path, channel, size);
            try {
                ArrowBatches batches = stream ? ArrowBatches.ofStream(channel) : fileBatches(channel, allocator);
                ArrowLayout layout = ArrowLayout.of(path, batches.schema(), featuresCol, passthroughCols);
                ArrowFile opened = new ArrowFile(path, stream, layout, batches.starts());
                return layout.variableLists ? opened.withListDim(channel, allocator) : opened;
            } catch (InputFormatException e) {
                throw e;
            } catch (RuntimeException | IOException e) { // how Arrow reports what it cannot parse
                throw new InputFormatException(path, "not a readable Arrow IPC "
                        + (stream ? "stream" : "file") + ": " + e.getMessage(), e);
            }
        }
    }

    private static ArrowBatches fileBatches(HadoopSeekableChannel channel, RootAllocator allocator)
            throws IOException {
        ArrowFileReader reader = (ArrowFileReader) reader(channel, allocator, false);
        try {
            return ArrowBatches.ofFile(channel, reader.getVectorSchemaRoot().getSchema(),
                    reader.getRecordBlocks());
        } finally {
            reader.close(false);
        }
    }

    /** True for the IPC file format, false for what may be the stream format. */
    private static boolean isIpcFile(String path, HadoopSeekableChannel channel, long size)
            throws IOException {
        byte[] head = readAt(channel, 0, (int) Math.min(size, FILE_MAGIC.length));
        if (startsWith(head, FEATHER_V1_MAGIC)) {
            throw new InputFormatException(path, "this is a Feather version 1 file, which is not "
                    + "supported; write it again as Feather version 2 (pandas to_feather does by default) "
                    + "or as an Arrow IPC file");
        }
        if (!startsWith(head, FILE_MAGIC)) {
            if (size < 8) {
                throw new InputFormatException(path, "not an Arrow IPC file or stream: the file has only "
                        + size + " bytes");
            }
            return false;
        }
        byte[] tail = readAt(channel, Math.max(0, size - FILE_MAGIC.length), FILE_MAGIC.length);
        if (size < 2 * FILE_MAGIC.length + 4 || !startsWith(tail, FILE_MAGIC)) {
            throw new InputFormatException(path, "starts like an Arrow IPC file (ARROW1) but does not "
                    + "end with ARROW1; was it cut short or is it still being written?");
        }
        return true;
    }

    private static ArrowReader reader(HadoopSeekableChannel channel, RootAllocator allocator,
            boolean stream) throws IOException {
        channel.position(0);
        ArrowReader reader = stream
                ? new ArrowStreamReader(channel, allocator, CommonsCompressionFactory.INSTANCE)
                : new ArrowFileReader(channel, allocator, CommonsCompressionFactory.INSTANCE);
        reader.getVectorSchemaRoot(); // reads the schema (and, for a file, the footer) now
        return reader;
    }

    /** This file with the features' length taken from row 0, for variable-length lists. */
    private ArrowFile withListDim(HadoopSeekableChannel channel, RootAllocator allocator)
            throws IOException {
        int first = firstNonEmptyBatch();
        if (first < 0) {
            return new ArrowFile(path, stream, layout.withListDim(0), batchStarts);
        }
        ArrowReader reader = reader(channel, allocator, stream);
        try {
            if (reader instanceof ArrowFileReader file) {
                file.loadRecordBatch(file.getRecordBlocks().get(first));
            } else {
                for (int b = 0; b <= first; b++) {
                    reader.loadNextBatch();
                }
            }
            int dim = ArrowRows.firstListLength(reader.getVectorSchemaRoot(), layout.listField);
            if (dim < 0) {
                throw new InputFormatException(path, "row 0: '" + layout.listField + "' is null, so the "
                        + "length of the feature vectors is unknown");
            }
            return new ArrowFile(path, stream, layout.withListDim(dim), batchStarts);
        } finally {
            reader.close(false);
        }
    }

    private int firstNonEmptyBatch() {
        for (int b = 0; b + 1 < batchStarts.length; b++) {
            if (batchStarts[b + 1] > batchStarts[b]) {
                return b;
            }
        }
        return -1;
    }

    @Override
    public String path() {
        return path;
    }

    @Override
    public long rows() {
        return batchStarts[batchStarts.length - 1];
    }

    @Override
    public List<FileColumn> columns() {
        return layout.columns;
    }

    /** True for the IPC stream format, which is read from its start and so is one split. */
    public boolean isStream() {
        return stream;
    }

    @Override
    public List<long[]> splits(long targetRows) {
        if (stream) {
            return RowRanges.even(rows(), Math.max(1, rows()));
        }
        return RowRanges.alignedTo(batchStarts, targetRows);
    }

    @Override
    public void read(Configuration conf, long start, long end, RowConsumer consumer)
            throws IOException {
        RowRanges.checkRange(start, end, rows());
        if (start == end) {
            return;
        }
        Path file = new Path(path);
        FileSystem fs = file.getFileSystem(conf);
        long size = fs.getFileStatus(file).getLen();
        try (RootAllocator allocator = new RootAllocator();
                HadoopSeekableChannel channel = new HadoopSeekableChannel(fs.open(file), size);
                ArrowReader reader = arrow(() -> reader(channel, allocator, stream))) {
            List<ArrowBlock> blocks = stream ? null : arrow(((ArrowFileReader) reader)::getRecordBlocks);
            if (blocks != null && blocks.size() != batchStarts.length - 1) {
                throw new InputFormatException(path, "the file has " + blocks.size()
                        + " record batches, but had " + (batchStarts.length - 1) + " when it was opened");
            }
            // a file loads just the batches of the range; a stream loads every batch from its start
            for (int b = stream ? 0 : batchOf(start); b + 1 < batchStarts.length && batchStarts[b] < end; b++) {
                ArrowBlock block = stream ? null : blocks.get(b);
                boolean loaded = arrow(() -> stream ? reader.loadNextBatch()
                        : ((ArrowFileReader) reader).loadRecordBatch(block));
                if (batchStarts[b + 1] > start) {
                    deliver(reader.getVectorSchemaRoot(), b, loaded, start, end, consumer);
                }
            }
        }
    }

    private void deliver(VectorSchemaRoot batch, int b, boolean loaded, long start, long end,
            RowConsumer consumer) throws IOException {
        long batchRows = batchStarts[b + 1] - batchStarts[b];
        if (!loaded || batch.getRowCount() != batchRows) {
            throw new InputFormatException(path, "record batch " + b + " has "
                    + (loaded ? batch.getRowCount() + " rows" : "gone missing") + ", but had " + batchRows
                    + " rows when the file was opened");
        }
        ArrowRows rows = new ArrowRows(path, layout, batch);
        for (long r = Math.max(start, batchStarts[b]); r < Math.min(end, batchStarts[b + 1]); r++) {
            long row = r;
            consumer.accept(r, arrow(() -> rows.row((int) (row - batchStarts[b]), row)));
        }
    }

    /** An Arrow call whose unchecked exceptions, which is how Arrow reports a damaged file, name the file. */
    private <T> T arrow(ArrowCall<T> call) throws IOException {
        try {
            return call.run();
        } catch (RuntimeException e) {
            throw new InputFormatException(path, "cannot read the Arrow data: " + e.getMessage(), e);
        }
    }

    private interface ArrowCall<T> {
        T run() throws IOException;
    }

    /** The batch holding row, skipping empty batches. */
    private int batchOf(long row) {
        int found = Arrays.binarySearch(batchStarts, row);
        if (found < 0) {
            return -found - 2;
        }
        while (found + 1 < batchStarts.length && batchStarts[found + 1] == row) {
            found++; // several batches start at row: all but the last are empty
        }
        return found;
    }

    private static byte[] readAt(HadoopSeekableChannel channel, long position, int length)
            throws IOException {
        ByteBuffer buf = ByteBuffer.allocate(length);
        channel.position(position);
        while (buf.hasRemaining() && channel.read(buf) > 0) {
            // read on until full or at the end
        }
        return Arrays.copyOf(buf.array(), buf.position());
    }

    private static boolean startsWith(byte[] bytes, byte[] prefix) {
        return bytes.length >= prefix.length
                && Arrays.equals(bytes, 0, prefix.length, prefix, 0, prefix.length);
    }

    @Override
    public String toString() {
        return path + " (Arrow IPC " + (stream ? "stream" : "file") + ", " + rows() + " rows in "
                + (batchStarts.length - 1) + " batches) as " + columns();
    }
}
