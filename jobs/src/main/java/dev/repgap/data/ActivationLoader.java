package dev.repgap.data;

import static org.apache.spark.sql.functions.array;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.expr;
import static org.apache.spark.sql.functions.lit;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.EnumMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.ArrayType;
import org.apache.spark.sql.types.AtomicType;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.NumericType;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;
import org.apache.spark.sql.types.UserDefinedType;
import org.apache.spark.storage.StorageLevel;

/**
 * Reads activations from Parquet, maps the user's columns onto the canonical ones and checks the
 * data contract in one pass per input, before any analysis runs. Every failure is an
 * {@link InputException} naming the input, column, group or row and what was expected.
 */
public final class ActivationLoader {
    private final SparkSession spark;

    public ActivationLoader(SparkSession spark) {
        this.spark = spark;
    }

    public Activations load(String input, ColumnNames names, boolean dropInvalid, Requirement requirement) {
        return load(input, names, dropInvalid, requirement, null);
    }

    /**
     * Loads only the rows {@code filter} keeps (over the canonical columns; null: all). A filter on group
     * columns that are partition directories prunes the files read.
     */
    public Activations load(String input, ColumnNames names, boolean dropInvalid, Requirement requirement, Column filter) {
        return load(readParquet(input), input, names, dropInvalid, requirement, filter);
    }

    /**
     * Maps and checks a table the caller already holds, as for a file; {@code name} stands for the input in every
     * message. The table is read once to validate it; the rows returned are cached (release them with
     * {@code rows().unpersist()}).
     */
    public Activations load(Dataset<Row> raw, String name, ColumnNames names, boolean dropInvalid, Requirement requirement) {
        return load(raw, name, names, dropInvalid, requirement, null);
    }

    /** As {@link #load(Dataset, String, ColumnNames, boolean, Requirement)}, only the rows {@code filter} keeps. */
    public Activations load(Dataset<Row> raw, String input, ColumnNames names, boolean dropInvalid, Requirement requirement,
                            Column filter) {
        if (raw.schema().isEmpty()) throw new InputException("input " + input + ": the table has no columns");
        Canonical c = canonicalise(input, raw, names, requirement);
        Dataset<Row> canonical = c.rows();
        if (filter != null) canonical = canonical.filter(filter);
        boolean idsGenerated = !c.roles().contains(ColumnRole.ID);
        GroupValidator validator = new GroupValidator(input, names, dropInvalid, requirement, c.roles());
        // Cached before the checks, so that the validation pass is also the one read of the Parquet files.
        Dataset<Row> rows = canonical.persist(StorageLevel.MEMORY_AND_DISK());
        try {
            List<GroupSummary> groups = validator.validate(rows);
            if (!idsGenerated && requirement.uniqueIds()) checkUniqueIds(input, names, rows);
            long invalid = groups.stream().mapToLong(GroupSummary::droppedInvalid).sum();
            if (invalid > 0) {
                // Rare (--drop-invalid and invalid rows present): cache the rows kept instead, so that
                // Activations.rows() is itself the cached table its user releases. They are read once more.
                Dataset<Row> kept = canonical.filter(expr("NOT (" + validator.invalid() + ")"))
                        .persist(StorageLevel.MEMORY_AND_DISK());
                rows.unpersist();
                rows = kept;
            }
            return new Activations(input, rows, names, groups, idsGenerated, dropInvalid);
        } catch (RuntimeException e) {
            rows.unpersist();
            throw e;
        }
    }

    /** Throws an InputException naming the input when the path or glob matches nothing. */
    public static void requireExists(String input, Configuration conf) {
        try {
            Path path = new Path(input);
            FileStatus[] matches = path.getFileSystem(conf).globStatus(path);
            if (matches == null || matches.length == 0) {
                throw new InputException("input " + input + ": no such file or directory");
            }
        } catch (IOException | IllegalArgumentException e) {
            throw new InputException("input " + input + ": cannot be opened: " + e.getMessage(), e);
        }
    }

    private Dataset<Row> readParquet(String input) {
        requireExists(input, spark.sparkContext().hadoopConfiguration());
        try {
            Dataset<Row> df = spark.read().parquet(input);
            if (df.schema().isEmpty()) throw new InputException("input " + input + ": no Parquet data found");
            return df;
        } catch (InputException e) {
            throw e;
        } catch (Exception e) { // Spark's AnalysisException is a checked exception in Java's eyes
            throw new InputException("input " + input + ": not readable as Parquet: " + InputException.firstLine(String.valueOf(e.getMessage())), e);
        }
    }

    /** The canonical table and the roles whose columns were read from the input. */
    private record Canonical(Dataset<Row> rows, Set<ColumnRole> roles) {}

    /**
     * Selects the columns of the roles the requirement uses, each cast by its kind to its canonical name, then the
     * group-by columns as strings, then the other roles read. The core roles are always there: ids generated when
     * absent, split and label null when absent. Other roles' columns are read only when the analysis uses them.
     */
    private Canonical canonicalise(String input, Dataset<Row> raw, ColumnNames names, Requirement requirement) {
        StructType schema = raw.schema();
        Map<ColumnRole, StructField> found = new EnumMap<>(ColumnRole.class);
        for (ColumnRole role : ColumnRole.values()) {
            if (!requirement.uses(role)) continue;
            String name = names.column(role);
            Optional<StructField> f = findColumn(schema, name);
            // A partition directory split=__HIVE_DEFAULT_PARTITION__ (rows imported without --split) reads back as a
            // column of type void when no other split is there: all null, i.e. unsplit (likewise a label).
            if (role.kind() == ColumnRole.Kind.SPLIT || role.kind() == ColumnRole.Kind.LABEL) {
                f = f.filter(x -> x.dataType() != DataTypes.NullType);
            }
            if (f.isPresent()) {
                checkType(input, role, f.get());
                found.put(role, f.get());
            } else if (requirement.requires(role)) {
                throw missing(input, schema, name, role.meaning() + "; choose it with " + role.option());
            } else if (names.given(role) && role.kind() != ColumnRole.Kind.SPLIT && role.kind() != ColumnRole.Kind.LABEL) {
                // A split or label column that is absent is read as all null, chosen or not.
                throw missing(input, schema, name, role.meaning() + " given by " + role.option());
            }
        }

        Set<String> reserved = new LinkedHashSet<>();
        for (ColumnRole role : ColumnRole.values()) if (requirement.uses(role)) reserved.add(role.canonical());
        Optional<StructField> label = Optional.ofNullable(found.get(ColumnRole.LABEL));
        Set<String> seen = new HashSet<>();
        boolean groupedByLabel = false;
        List<Column> groups = new ArrayList<>();
        for (String g : names.groupBy()) {
            StructField f = findColumn(schema, g).orElseThrow(() -> missing(input, schema, g, "a --group-by column"));
            if (!(f.dataType() instanceof AtomicType)) {
                throw wrongType(input, f, "a scalar column (string or number) to group by");
            }
            if (!seen.add(f.name())) {
                throw new InputException("--group-by names column '" + f.name() + "' twice");
            }
            if (label.isPresent() && f.name().equals(label.get().name())
                    && f.name().equalsIgnoreCase(ColumnNames.LABEL)) {
                groupedByLabel = true; // --group-by label: the label column is also the group column, as a string
                continue;
            }
            if (reserved.contains(f.name().toLowerCase(java.util.Locale.ROOT))) {
                throw new InputException("input " + input + ": --group-by column '" + f.name()
                        + "' clashes with a column name repgap uses (" + String.join(", ", reserved)
                        + "); group by a column with another name"
                        + (f.name().equalsIgnoreCase(ColumnNames.LABEL) ? " (grouping by the label column works when it is"
                                + " the --label-col)" : ""));
            }
            groups.add(ColumnNames.column((f.name())).cast(DataTypes.StringType).as(f.name()));
        }

        List<Column> select = new ArrayList<>();
        List<Column> others = new ArrayList<>();
        for (ColumnRole role : ColumnRole.values()) {
            if (!requirement.uses(role)) continue;
            StructField f = found.get(role);
            Column c;
            if (f != null) {
                c = read(role, f, groupedByLabel);
            } else if (role == ColumnRole.ID) {
                c = org.apache.spark.sql.functions.monotonically_increasing_id();
            } else if (role.core()) {
                c = lit(null).cast(DataTypes.StringType);
            } else {
                continue; // an optional role the input has not
            }
            (role.core() ? select : others).add(c.as(role.canonical()));
        }
        select.addAll(groups);
        select.addAll(others);
        return new Canonical(raw.select(select.toArray(new Column[0])), found.keySet());
    }

    /** Throws an InputException naming the column when its type does not suit the role. */
    private static void checkType(String input, ColumnRole role, StructField f) {
        DataType t = f.dataType();
        switch (role.kind()) {
            case FLOAT_VECTOR -> {
                if (!(t instanceof ArrayType a && (a.elementType() == DataTypes.FloatType
                        || a.elementType() == DataTypes.DoubleType)) && !isMllibVector(t)) {
                    throw wrongType(input, f, "array<float>, array<double> or an MLlib vector");
                }
            }
            case NUMERIC_VECTOR -> {
                if (!(t instanceof NumericType) && !(t instanceof ArrayType a && a.elementType() instanceof NumericType)
                        && !isMllibVector(t)) {
                    throw wrongType(input, f, "a number, an array of numbers or an MLlib vector");
                }
            }
            case ID -> {
                if (!isInteger(t) && t != DataTypes.StringType) throw wrongType(input, f, "an integer or string id");
            }
            case SPLIT -> {
                if (!(t instanceof org.apache.spark.sql.types.StringType)) {
                    throw wrongType(input, f, "a string column with values 'train' or 'test'");
                }
            }
            case LABEL -> {
                if (!(t instanceof AtomicType)) throw wrongType(input, f, "a scalar label (number or string)");
            }
        }
    }

    /** The role's column as its kind is stored: float vectors as array<float>, numeric vectors as array<double>, ids as long or string. */
    private static Column read(ColumnRole role, StructField f, boolean groupedByLabel) {
        Column c = ColumnNames.column(f.name());
        DataType t = f.dataType();
        return switch (role.kind()) {
            case FLOAT_VECTOR -> isMllibVector(t) ? org.apache.spark.ml.functions.vector_to_array(c, "float32")
                    : c.cast(DataTypes.createArrayType(DataTypes.FloatType));
            case NUMERIC_VECTOR -> isMllibVector(t) ? org.apache.spark.ml.functions.vector_to_array(c, "float64")
                    : t instanceof ArrayType ? c.cast(DataTypes.createArrayType(DataTypes.DoubleType))
                    : array(c.cast(DataTypes.DoubleType));
            case ID -> isInteger(t) ? c.cast(DataTypes.LongType) : c;
            case SPLIT -> c;
            case LABEL -> groupedByLabel ? c.cast(DataTypes.StringType) : c;
        };
    }

    private static boolean isMllibVector(DataType t) {
        return t instanceof UserDefinedType<?> u && u.userClass().getName().endsWith(".linalg.Vector");
    }

    private static boolean isInteger(DataType t) {
        return t == DataTypes.LongType || t == DataTypes.IntegerType || t == DataTypes.ShortType || t == DataTypes.ByteType;
    }

    private void checkUniqueIds(String input, ColumnNames names, Dataset<Row> canonical) {
        List<Column> keys = new ArrayList<>();
        for (String g : names.groupBy()) keys.add(ColumnNames.column(g));
        keys.add(col(ColumnNames.ID));
        Row[] repeated = (Row[]) canonical.groupBy(keys.toArray(new Column[0])).count()
                .filter(col("count").gt(1)).limit(1).collect();
        if (repeated.length > 0) {
            Row r = repeated[0];
            throw new InputException("input " + input + ": column '" + names.id() + "': id "
                    + r.getAs(ColumnNames.ID) + " appears " + r.getAs("count") + " times in group "
                    + GroupKey.of(names.groupBy(), r) + "; ids must be unique within a group");
        }
    }

    static Optional<StructField> findColumn(StructType schema, String name) {
        if (name == null) return Optional.empty();
        return Arrays.stream(schema.fields()).filter(f -> f.name().equals(name)).findFirst()
                .or(() -> Arrays.stream(schema.fields()).filter(f -> f.name().equalsIgnoreCase(name)).findFirst());
    }

    private static InputException missing(String input, StructType schema, String name, String role) {
        String columns = Arrays.stream(schema.fields())
                .map(f -> f.name() + " " + f.dataType().simpleString()).collect(Collectors.joining(", "));
        return new InputException("input " + input + ": no column '" + name + "' (" + role + "); its columns are: "
                + columns);
    }

    private static InputException wrongType(String input, StructField f, String expected) {
        return new InputException("input " + input + ": column '" + f.name() + "' has type "
                + f.dataType().simpleString() + "; expected " + expected);
    }
}
