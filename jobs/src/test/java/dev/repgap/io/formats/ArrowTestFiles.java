package dev.repgap.io.formats;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.Map;
import org.apache.arrow.compression.CommonsCompressionFactory;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.vector.BaseIntVector;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.FloatingPointVector;
import org.apache.arrow.vector.LargeVarCharVector;
import org.apache.arrow.vector.VarCharVector;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.compression.CompressionCodec;
import org.apache.arrow.vector.compression.CompressionUtil;
import org.apache.arrow.vector.compression.NoCompressionCodec;
import org.apache.arrow.vector.complex.FixedSizeListVector;
import org.apache.arrow.vector.complex.ListVector;
import org.apache.arrow.vector.dictionary.DictionaryProvider;
import org.apache.arrow.vector.ipc.ArrowFileWriter;
import org.apache.arrow.vector.ipc.ArrowStreamWriter;
import org.apache.arrow.vector.ipc.ArrowWriter;
import org.apache.arrow.vector.ipc.message.IpcOption;
import org.apache.arrow.vector.types.FloatingPointPrecision;
import org.apache.arrow.vector.types.pojo.ArrowType;
import org.apache.arrow.vector.types.pojo.Field;
import org.apache.arrow.vector.types.pojo.FieldType;

/** Writes Arrow IPC files and streams with Arrow Java, batch by batch, for the tests. */
final class ArrowTestFiles {

    private ArrowTestFiles() {}

    static final ArrowType F32 = new ArrowType.FloatingPoint(FloatingPointPrecision.SINGLE);
    static final ArrowType F64 = new ArrowType.FloatingPoint(FloatingPointPrecision.DOUBLE);

    /** Fills the root's vectors with rows [firstRow, firstRow + rows); row counts are set after. */
    interface Filler {
        void fill(VectorSchemaRoot root, long firstRow, int rows);
    }

    static Field field(String name, ArrowType type) {
        return new Field(name, FieldType.nullable(type), null);
    }

    static Field list(String name, ArrowType listType, ArrowType element) {
        return new Field(name, FieldType.nullable(listType), List.of(field("item", element)));
    }

    /** Writes one batch per entry of batchSizes, as an IPC stream or file, compressed if codec says. */
    static void write(Path file, boolean stream, VectorSchemaRoot root, DictionaryProvider dictionaries,
            CompressionUtil.CodecType codec, int[] batchSizes, Filler filler) throws IOException {
        CompressionCodec.Factory codecs = codec == CompressionUtil.CodecType.NO_COMPRESSION
                ? NoCompressionCodec.Factory.INSTANCE : CommonsCompressionFactory.INSTANCE;
        try (FileChannel out = FileChannel.open(file, StandardOpenOption.CREATE,
                        StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING);
                ArrowWriter writer = stream
                        ? new ArrowStreamWriter(root, dictionaries, out, IpcOption.DEFAULT,
                                codecs, codec)
                        : new ArrowFileWriter(root, dictionaries, out, Map.of(), IpcOption.DEFAULT,
                                codecs, codec)) {
            writer.start();
            long first = 0;
            for (int rows : batchSizes) {
                root.allocateNew();
                filler.fill(root, first, rows);
                for (FieldVector vector : root.getFieldVectors()) {
                    vector.setValueCount(rows);
                }
                root.setRowCount(rows);
                writer.writeBatch();
                first += rows;
            }
            writer.end();
        }
    }

    static VectorSchemaRoot root(BufferAllocator allocator, Field... fields) {
        return VectorSchemaRoot.create(new org.apache.arrow.vector.types.pojo.Schema(List.of(fields)), allocator);
    }

    /** Sets row i of a scalar vector: null, a number or a string. */
    static void set(FieldVector vector, int i, Object value) {
        if (value == null) {
            vector.setNull(i);
        } else if (vector instanceof VarCharVector text) {
            text.setSafe(i, ((String) value).getBytes(StandardCharsets.UTF_8));
        } else if (vector instanceof LargeVarCharVector text) {
            text.setSafe(i, ((String) value).getBytes(StandardCharsets.UTF_8));
        } else if (vector instanceof FloatingPointVector fp) {
            fp.setSafeWithPossibleTruncate(i, ((Number) value).doubleValue());
        } else if (vector instanceof org.apache.arrow.vector.BitVector bits) {
            bits.setSafe(i, ((Number) value).intValue());
        } else {
            BaseIntVector ints = (BaseIntVector) vector;
            ints.setWithPossibleTruncate(i, ((Number) value).longValue());
        }
    }

    /** Sets row i of a FixedSizeList or List vector of numbers; null for a null row. */
    static void setList(FieldVector vector, int i, double[] values) {
        if (vector instanceof FixedSizeListVector fixed) {
            int size = fixed.getListSize();
            for (int c = 0; c < size; c++) {
                set(fixed.getDataVector(), i * size + c, values == null ? 0 : values[c]);
            }
            if (values == null) {
                fixed.setNull(i);
            } else {
                fixed.setNotNull(i);
            }
            fixed.getDataVector().setValueCount((i + 1) * size);
            return;
        }
        ListVector list = (ListVector) vector;
        if (values == null) {
            list.startNewValue(i);
            list.endValue(i, 0);
            list.setNull(i);
            return;
        }
        int offset = list.startNewValue(i);
        for (int c = 0; c < values.length; c++) {
            set(list.getDataVector(), offset + c, values[c]);
        }
        list.endValue(i, values.length);
    }
}
