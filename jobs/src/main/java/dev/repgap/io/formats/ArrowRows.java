package dev.repgap.io.formats;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.apache.arrow.vector.BaseIntVector;
import org.apache.arrow.vector.BitVector;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.FloatingPointVector;
import org.apache.arrow.vector.LargeVarCharVector;
import org.apache.arrow.vector.UInt8Vector;
import org.apache.arrow.vector.VarCharVector;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.complex.FixedSizeListVector;
import org.apache.arrow.vector.complex.LargeListVector;
import org.apache.arrow.vector.complex.ListVector;

/** Turns the rows of one loaded record batch into {@link ColumnarFile} values. */
final class ArrowRows {

    /** One value of one column. */
    private interface Cell {
        Object get(int row, long rowIndex) throws InputFormatException;
    }

    private final String path;
    private final ArrowLayout layout;
    private final Cell features;
    private final Cell[] passthrough;

    ArrowRows(String path, ArrowLayout layout, VectorSchemaRoot batch) {
        this.path = path;
        this.layout = layout;
        this.features = layout.listField != null
                ? listCell(batch.getVector(layout.listField))
                : wideCell(layout.wideFields.stream().map(batch::getVector).toList());
        this.passthrough = layout.passthroughFields.stream()
                .map(name -> scalarCell(batch.getVector(name))).toArray(Cell[]::new);
    }

    /** The values of row (of this batch), which is row rowIndex of the file. */
    Object[] row(int row, long rowIndex) throws InputFormatException {
        Object[] values = new Object[1 + passthrough.length];
        values[0] = features.get(row, rowIndex);
        for (int i = 0; i < passthrough.length; i++) {
            values[i + 1] = passthrough[i].get(row, rowIndex);
        }
        return values;
    }

    /** The length of the first row's list, which all rows must have; -1 if it is null. */
    static int firstListLength(VectorSchemaRoot batch, String listField) {
        FieldVector vector = batch.getVector(listField);
        if (vector.isNull(0)) {
            return -1;
        }
        return vector instanceof ListVector list
                ? list.getElementEndIndex(0) - list.getElementStartIndex(0)
                : (int) (((LargeListVector) vector).getElementEndIndex(0)
                        - ((LargeListVector) vector).getElementStartIndex(0));
    }

    private Cell listCell(FieldVector vector) {
        FileColumn column = layout.columns.get(0);
        FieldVector elements = vector instanceof FixedSizeListVector fixed ? fixed.getDataVector()
                : vector instanceof ListVector list ? list.getDataVector()
                : ((LargeListVector) vector).getDataVector();
        boolean f32 = column.kind() == FileColumn.Kind.VECTOR_F32;
        return (row, rowIndex) -> {
            if (vector.isNull(row)) {
                throw new InputFormatException(path, "row " + rowIndex + ": '" + column.name() + "' is null");
            }
            long start = vector instanceof FixedSizeListVector ? (long) row * column.dim()
                    : vector instanceof ListVector list ? list.getElementStartIndex(row)
                    : ((LargeListVector) vector).getElementStartIndex(row);
            long end = vector instanceof FixedSizeListVector ? start + column.dim()
                    : vector instanceof ListVector list ? list.getElementEndIndex(row)
                    : ((LargeListVector) vector).getElementEndIndex(row);
            if (end - start != column.dim()) {
                throw new InputFormatException(path, "row " + rowIndex + ": '" + column.name() + "' has "
                        + (end - start) + " values, but row 0 has " + column.dim()
                        + "; all feature vectors must have the same length");
            }
            checkNoNullElements(elements, start, end, rowIndex, column.name());
            ByteBuffer bytes = elements.getDataBuffer()
                    .nioBuffer(start * (f32 ? 4 : 8), column.dim() * (f32 ? 4 : 8))
                    .order(ByteOrder.LITTLE_ENDIAN); // the Arrow format is little-endian
            if (f32) {
                float[] values = new float[column.dim()];
                bytes.asFloatBuffer().get(values);
                return values;
            }
            double[] values = new double[column.dim()];
            bytes.asDoubleBuffer().get(values);
            return values;
        };
    }

    private void checkNoNullElements(FieldVector elements, long start, long end, long rowIndex,
            String name) throws InputFormatException {
        if (elements.getNullCount() == 0) {
            return;
        }
        for (long i = start; i < end; i++) {
            if (elements.isNull((int) i)) {
                throw new InputFormatException(path, "row " + rowIndex + ": '" + name
                        + "' has a null at position " + (i - start));
            }
        }
    }

    private Cell wideCell(List<FieldVector> vectors) {
        boolean f32 = layout.columns.get(0).kind() == FileColumn.Kind.VECTOR_F32;
        return (row, rowIndex) -> {
            float[] floats = f32 ? new float[vectors.size()] : null;
            double[] doubles = f32 ? null : new double[vectors.size()];
            for (int c = 0; c < vectors.size(); c++) {
                FieldVector vector = vectors.get(c);
                if (vector.isNull(row)) {
                    throw new InputFormatException(path, "row " + rowIndex + ": feature column '"
                            + vector.getName() + "' is null");
                }
                double value = vector instanceof FloatingPointVector fp
                        ? fp.getValueAsDouble(row) : ((BaseIntVector) vector).getValueAsLong(row);
                if (f32) {
                    floats[c] = (float) value;
                } else {
                    doubles[c] = value;
                }
            }
            return f32 ? floats : doubles;
        };
    }

    private Cell scalarCell(FieldVector vector) {
        if (vector instanceof BitVector bits) {
            return (row, rowIndex) -> bits.isNull(row) ? null : (long) bits.get(row);
        }
        if (vector instanceof FloatingPointVector fp) {
            return (row, rowIndex) -> vector.isNull(row) ? null : fp.getValueAsDouble(row);
        }
        if (vector instanceof VarCharVector text) {
            return (row, rowIndex) -> text.isNull(row) ? null : new String(text.get(row), StandardCharsets.UTF_8);
        }
        if (vector instanceof LargeVarCharVector text) {
            return (row, rowIndex) -> text.isNull(row) ? null : new String(text.get(row), StandardCharsets.UTF_8);
        }
        BaseIntVector ints = (BaseIntVector) vector;
        boolean unsigned64 = vector instanceof UInt8Vector;
        return (row, rowIndex) -> {
            if (vector.isNull(row)) {
                return null;
            }
            long value = ints.getValueAsLong(row);
            if (unsigned64 && value < 0) {
                throw new InputFormatException(path, "row " + rowIndex + ": column '" + vector.getName()
                        + "' holds the uint64 value " + Long.toUnsignedString(value)
                        + ", which does not fit in a signed 64-bit integer");
            }
            return value;
        };
    }
}
