package dev.repgap.io.formats;

import java.io.IOException;
import java.io.Serializable;
import java.util.List;
import org.apache.hadoop.conf.Configuration;

/**
 * A table of activations in a file, readable in row ranges by independent Spark tasks.
 * Serializable: carries only the path and the parsed header/schema, never data.
 */
public interface ColumnarFile extends Serializable {

    /**
     * The length of {@code file} ({@code path} as given), which must be a file: a directory (e.g. one named x.npy)
     * is said to be one, not reported as missing.
     */
    static long fileLength(org.apache.hadoop.fs.FileSystem fs, org.apache.hadoop.fs.Path file, String path) throws IOException {
        org.apache.hadoop.fs.FileStatus status = fs.getFileStatus(file);
        if (status.isDirectory()) throw new InputFormatException(path, "is a directory, not a file");
        return status.getLen();
    }

    /** The path as given: a Hadoop path string, a local path or any Hadoop URI. */
    String path();

    long rows();

    /** The columns in the order of the values handed to {@link RowConsumer#accept}. */
    List<FileColumn> columns();

    /**
     * Row ranges {start, end} (end exclusive) covering all rows in order, each readable on its own
     * and about targetRows long; aligned to record batches where the format needs it.
     */
    List<long[]> splits(long targetRows);

    /**
     * Reads rows [start, end) and calls consumer.accept(rowIndex, values) per row, values[i] for
     * columns().get(i). Opens and closes its own stream with the given Hadoop configuration.
     */
    void read(Configuration conf, long start, long end, RowConsumer consumer) throws IOException;

    /** Receives one row; each call gets a new values array that the consumer may keep. */
    interface RowConsumer {
        void accept(long rowIndex, Object[] values) throws IOException;
    }
}
