package dev.repgap.io.formats;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.NonWritableChannelException;
import java.nio.channels.SeekableByteChannel;
import org.apache.hadoop.fs.FSDataInputStream;

/**
 * A read-only {@link SeekableByteChannel} over a Hadoop input stream, so that Arrow's readers
 * can jump to the footer and to single record batches of a file on any Hadoop file system.
 */
final class HadoopSeekableChannel implements SeekableByteChannel {

    private static final int MAX_COPY_BYTES = 1 << 20;

    private final FSDataInputStream in;
    private final long size;
    private long position;
    private byte[] copy = new byte[0];
    private boolean open = true;

    HadoopSeekableChannel(FSDataInputStream in, long size) {
        this.in = in;
        this.size = size;
    }

    @Override
    public int read(ByteBuffer dst) throws IOException {
        ensureOpen();
        if (!dst.hasRemaining()) {
            return 0;
        }
        if (position >= size) {
            return -1;
        }
        int want = (int) Math.min(dst.remaining(), size - position);
        // seek only when needed, then read on: the file system keeps its read-ahead across a batch
        if (in.getPos() != position) {
            in.seek(position);
        }
        int n;
        if (dst.hasArray()) {
            n = in.read(dst.array(), dst.arrayOffset() + dst.position(), want);
            if (n > 0) {
                dst.position(dst.position() + n);
            }
        } else { // Arrow reads into direct buffers: go through a heap copy
            if (copy.length < Math.min(want, MAX_COPY_BYTES)) {
                copy = new byte[Math.min(want, MAX_COPY_BYTES)];
            }
            n = in.read(copy, 0, Math.min(want, copy.length));
            if (n > 0) {
                dst.put(copy, 0, n);
            }
        }
        if (n > 0) {
            position += n;
        }
        return n;
    }

    @Override
    public long position() throws IOException {
        ensureOpen();
        return position;
    }

    @Override
    public SeekableByteChannel position(long newPosition) throws IOException {
        ensureOpen();
        if (newPosition < 0) {
            throw new IllegalArgumentException("negative position " + newPosition);
        }
        position = newPosition;
        return this;
    }

    @Override
    public long size() throws IOException {
        ensureOpen();
        return size;
    }

    @Override
    public int write(ByteBuffer src) {
        throw new NonWritableChannelException();
    }

    @Override
    public SeekableByteChannel truncate(long newSize) {
        throw new NonWritableChannelException();
    }

    @Override
    public boolean isOpen() {
        return open;
    }

    /** Closes the stream too. */
    @Override
    public void close() throws IOException {
        if (open) {
            open = false;
            in.close();
        }
    }

    private void ensureOpen() throws ClosedChannelException {
        if (!open) {
            throw new ClosedChannelException();
        }
    }
}
