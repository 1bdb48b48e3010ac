package dev.repgap.io.formats;

import java.io.IOException;
import java.nio.channels.SeekableByteChannel;
import java.util.ArrayList;
import java.util.List;
import org.apache.arrow.flatbuf.MessageHeader;
import org.apache.arrow.flatbuf.RecordBatch;
import org.apache.arrow.vector.ipc.ReadChannel;
import org.apache.arrow.vector.ipc.message.ArrowBlock;
import org.apache.arrow.vector.ipc.message.MessageMetadataResult;
import org.apache.arrow.vector.ipc.message.MessageSerializer;
import org.apache.arrow.vector.types.pojo.Schema;

/**
 * The row counts of the record batches of an Arrow IPC file or stream, read from the batches'
 * message headers alone: their bodies, which hold the data, are skipped.
 *
 * @param starts the first row of every batch and, last, the total row count
 */
record ArrowBatches(Schema schema, long[] starts) {

    /** The batches of an IPC file, whose footer has already given the schema and the blocks. */
    static ArrowBatches ofFile(SeekableByteChannel channel, Schema schema, List<ArrowBlock> blocks)
            throws IOException {
        long[] starts = new long[blocks.size() + 1];
        ReadChannel in = new ReadChannel(channel);
        for (int b = 0; b < blocks.size(); b++) {
            channel.position(blocks.get(b).getOffset());
            MessageMetadataResult message = MessageSerializer.readMessage(in);
            if (message == null || message.headerType() != MessageHeader.RecordBatch) {
                throw new IllegalStateException("the footer's block " + b + " is not a record batch");
            }
            starts[b + 1] = starts[b] + rows(message);
        }
        return new ArrowBatches(schema, starts);
    }

    /** The schema and batches of an IPC stream, walking it message by message from the start. */
    static ArrowBatches ofStream(SeekableByteChannel channel) throws IOException {
        ReadChannel in = new ReadChannel(channel);
        channel.position(0);
        MessageMetadataResult first = MessageSerializer.readMessage(in);
        if (first == null || first.headerType() != MessageHeader.Schema) {
            throw new IllegalStateException("the stream does not start with a schema message");
        }
        Schema schema = MessageSerializer.deserializeSchema(first);
        List<Long> starts = new ArrayList<>(List.of(0L));
        MessageMetadataResult message;
        while ((message = MessageSerializer.readMessage(in)) != null) {
            if (message.headerType() == MessageHeader.RecordBatch) {
                starts.add(starts.get(starts.size() - 1) + rows(message));
            }
            channel.position(channel.position() + message.getMessageBodyLength());
            if (channel.position() > channel.size()) {
                throw new IllegalStateException("the stream ends inside a message body; was it cut short?");
            }
        }
        return new ArrowBatches(schema, starts.stream().mapToLong(Long::longValue).toArray());
    }

    int count() {
        return starts.length - 1;
    }

    long rows() {
        return starts[starts.length - 1];
    }

    private static long rows(MessageMetadataResult message) {
        return ((RecordBatch) message.getMessage().header(new RecordBatch())).length();
    }
}
