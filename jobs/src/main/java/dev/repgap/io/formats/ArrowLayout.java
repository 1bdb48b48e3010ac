package dev.repgap.io.formats;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;
import org.apache.arrow.vector.types.FloatingPointPrecision;
import org.apache.arrow.vector.types.pojo.ArrowType;
import org.apache.arrow.vector.types.pojo.Field;
import org.apache.arrow.vector.types.pojo.Schema;

/**
 * Which Arrow fields make which {@link FileColumn}: the features, from one list field or from
 * many scalar fields ("wide", as pandas writes a DataFrame), then the passthrough scalars.
 */
final class ArrowLayout implements Serializable {

    private static final long serialVersionUID = 1L;
    /** Columns pyarrow adds for a pandas index: never features. */
    private static final Pattern PANDAS_INDEX = Pattern.compile("__index_level_\\d+__");

    /** The features column first, then the passthrough columns in file order. */
    final List<FileColumn> columns;
    /** The field holding the features as lists, or null when they are the wide fields. */
    final String listField;
    /** Whether the list field's lists may vary in length, so each row's must be checked. */
    final boolean variableLists;
    final List<String> wideFields;
    final List<String> passthroughFields;

    private ArrowLayout(List<FileColumn> columns, String listField, boolean variableLists,
            List<String> wideFields, List<String> passthroughFields) {
        this.columns = List.copyOf(columns);
        this.listField = listField;
        this.variableLists = variableLists;
        this.wideFields = List.copyOf(wideFields);
        this.passthroughFields = List.copyOf(passthroughFields);
    }

    /**
     * The layout of schema. A features field that is a variable-length List gets dim -1 here:
     * the caller finds the length from the data and calls {@link #withListDim}.
     */
    static ArrowLayout of(String path, Schema schema, String featuresCol, Set<String> passthroughCols)
            throws InputFormatException {
        List<FileColumn> columns = new ArrayList<>();
        columns.add(null); // the features, filled in below
        List<String> passthrough = new ArrayList<>();
        List<String> wide = new ArrayList<>();
        Field listField = null;
        for (Field field : schema.getFields()) {
            String name = field.getName();
            if (name.equals(featuresCol)) {
                listField = field;
            } else if (passthroughCols.contains(name)) {
                columns.add(FileColumn.scalar(name, scalarKind(path, field)));
                passthrough.add(name);
            } else if (!PANDAS_INDEX.matcher(name).matches()) {
                wide.add(name);
            }
        }
        if (listField != null) {
            columns.set(0, listColumn(path, listField));
            return new ArrowLayout(columns, listField.getName(),
                    !(listField.getType() instanceof ArrowType.FixedSizeList), List.of(), passthrough);
        }
        columns.set(0, wideColumn(path, schema, featuresCol, passthroughCols, wide));
        return new ArrowLayout(columns, null, false, wide, passthrough);
    }

    ArrowLayout withListDim(int dim) {
        List<FileColumn> withDim = new ArrayList<>(columns);
        withDim.set(0, new FileColumn(columns.get(0).name(), columns.get(0).kind(), dim));
        return new ArrowLayout(withDim, listField, variableLists, wideFields, passthroughFields);
    }

    private static FileColumn listColumn(String path, Field field) throws InputFormatException {
        ArrowType type = field.getType();
        boolean isList = type instanceof ArrowType.FixedSizeList || type instanceof ArrowType.List
                || type instanceof ArrowType.LargeList;
        FloatingPointPrecision precision = isList && field.getChildren().size() == 1
                ? floatPrecision(field.getChildren().get(0).getType()) : null;
        if (field.getDictionary() != null || precision == null
                || precision == FloatingPointPrecision.HALF) {
            throw new InputFormatException(path, "column '" + field.getName() + "' should hold the "
                    + "feature vectors as a FixedSizeList or List of float32 or float64, found "
                    + describe(field));
        }
        FileColumn.Kind kind = precision == FloatingPointPrecision.SINGLE
                ? FileColumn.Kind.VECTOR_F32 : FileColumn.Kind.VECTOR_F64;
        int dim = type instanceof ArrowType.FixedSizeList fixed ? fixed.getListSize() : -1;
        return new FileColumn(field.getName(), kind, dim);
    }

    private static FileColumn wideColumn(String path, Schema schema, String featuresCol,
            Set<String> passthroughCols, List<String> wide) throws InputFormatException {
        String mode = "there is no column '" + featuresCol + "', so every column except "
                + passthroughCols.stream().sorted().toList() + " is taken as one feature";
        if (wide.isEmpty()) {
            throw new InputFormatException(path, mode + ", but there are no such columns");
        }
        boolean allSingle = true;
        for (String name : wide) {
            Field field = schema.findField(name);
            ArrowType type = field.getType();
            FloatingPointPrecision precision = floatPrecision(type);
            if (field.getDictionary() != null || precision == null && !(type instanceof ArrowType.Int)) {
                throw new InputFormatException(path, mode + ", but column '" + name + "' has type "
                        + describe(field) + "; expected an integer or floating point column");
            }
            allSingle &= precision == FloatingPointPrecision.SINGLE || precision == FloatingPointPrecision.HALF;
        }
        return new FileColumn(featuresCol,
                allSingle ? FileColumn.Kind.VECTOR_F32 : FileColumn.Kind.VECTOR_F64, wide.size());
    }

    private static FileColumn.Kind scalarKind(String path, Field field) throws InputFormatException {
        ArrowType type = field.getType();
        if (field.getDictionary() == null) {
            if (type instanceof ArrowType.Int || type instanceof ArrowType.Bool) {
                return FileColumn.Kind.LONG;
            }
            if (type instanceof ArrowType.FloatingPoint) {
                return FileColumn.Kind.DOUBLE;
            }
            if (type instanceof ArrowType.Utf8 || type instanceof ArrowType.LargeUtf8) {
                return FileColumn.Kind.STRING;
            }
        }
        throw new InputFormatException(path, "column '" + field.getName() + "' has type "
                + describe(field) + "; expected an integer, bool, floating point or string (Utf8) column");
    }

    private static FloatingPointPrecision floatPrecision(ArrowType type) {
        return type instanceof ArrowType.FloatingPoint fp ? fp.getPrecision() : null;
    }

    /** The type as Arrow prints it, with the element type of lists. */
    private static String describe(Field field) {
        String type = field.getType().toString();
        if (!field.getChildren().isEmpty()) {
            type += "<" + field.getChildren().stream().map(ArrowLayout::describe)
                    .reduce((a, b) -> a + ", " + b).orElse("") + ">";
        }
        return field.getDictionary() != null
                ? "dictionary-encoded " + type + " (such as a pandas category: convert it to plain values)"
                : type;
    }
}
