package dev.repgap.io.formats;

import java.io.Serializable;

/** One column of a {@link ColumnarFile}; dim is the vector length for vectors and 1 for scalars. */
public record FileColumn(String name, Kind kind, int dim) implements Serializable {

    /** Values: float[], double[], Long, Double, String; the scalars are null where the file has a null. */
    public enum Kind { VECTOR_F32, VECTOR_F64, LONG, DOUBLE, STRING }

    public static FileColumn scalar(String name, Kind kind) {
        return new FileColumn(name, kind, 1);
    }

    public boolean isVector() {
        return kind == Kind.VECTOR_F32 || kind == Kind.VECTOR_F64;
    }
}
