package dev.repgap.data;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.expr;
import static org.apache.spark.sql.functions.lit;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
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

    /** Loads rows the caller already holds (any DataFrame with the columns named); {@code input} names them in messages. */
    public Activations load(Dataset<Row> raw, String input, ColumnNames names, boolean dropInvalid, Requirement requirement,
                            Column filter) {
        Dataset<Row> canonical = canonicalise(input, raw, names);
        if (filter != null) canonical = canonical.filter(filter);
        boolean idsGenerated = findColumn(raw.schema(), names.id()).isEmpty();
        // Cached before the checks, so that the validation pass is also the one read of the Parquet files.
        Dataset<Row> rows = canonical.persist(StorageLevel.MEMORY_AND_DISK());
        try {
            List<GroupSummary> groups = new GroupValidator(input, names, dropInvalid, requirement).validate(rows);
            if (!idsGenerated) checkUniqueIds(input, names, rows);
            long invalid = groups.stream().mapToLong(GroupSummary::droppedInvalid).sum();
            if (invalid > 0) {
                // Rare (--drop-invalid and invalid rows present): cache the rows kept instead, so that
                // Activations.rows() is itself the cached table its user releases. They are read once more.
                Dataset<Row> kept = canonical.filter(expr("NOT " + GroupValidator.INVALID))
                        .persist(StorageLevel.MEMORY_AND_DISK());
                rows.unpersist();
                rows = kept;
            }
            return new Activations(input, rows, names, groups, idsGenerated);
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

    private Dataset<Row> canonicalise(String input, Dataset<Row> raw, ColumnNames names) {
        StructType schema = raw.schema();
        List<Column> select = new ArrayList<>();

        StructField features = findColumn(schema, names.features()).orElseThrow(() -> missing(
                input, schema, names.features(), "the vectors; choose it with --features-col"));
        select.add(vectorColumn(input, features).as(ColumnNames.FEATURES));

        Optional<StructField> id = findColumn(schema, names.id());
        if (id.isPresent()) {
            select.add(idColumn(input, id.get()).as(ColumnNames.ID));
        } else if (names.idGiven()) {
            throw missing(input, schema, names.id(), "the row ids given by --id-col");
        } else {
            select.add(org.apache.spark.sql.functions.monotonically_increasing_id().as(ColumnNames.ID));
        }

        // A partition directory split=__HIVE_DEFAULT_PARTITION__ (rows imported without --split) reads back as a
        // column of type void when no other split is there: all null, i.e. unsplit.
        Optional<StructField> split = findColumn(schema, names.split()).filter(f -> f.dataType() != DataTypes.NullType);
        if (split.isPresent()) {
            if (!(split.get().dataType() instanceof org.apache.spark.sql.types.StringType)) {
                throw wrongType(input, split.get(), "a string column with values 'train' or 'test'");
            }
            select.add(ColumnNames.column((split.get().name())).as(ColumnNames.SPLIT));
        } else {
            select.add(lit(null).cast(DataTypes.StringType).as(ColumnNames.SPLIT));
        }

        Optional<StructField> label = findColumn(schema, names.label()).filter(f -> f.dataType() != DataTypes.NullType);
        if (label.isPresent() && !(label.get().dataType() instanceof AtomicType)) {
            throw wrongType(input, label.get(), "a scalar label (number or string)");
        }

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
            if (ColumnNames.RESERVED.contains(f.name().toLowerCase(java.util.Locale.ROOT))) {
                throw new InputException("input " + input + ": --group-by column '" + f.name()
                        + "' clashes with a column name repgap uses (" + String.join(", ", ColumnNames.RESERVED)
                        + "); group by a column with another name"
                        + (f.name().equalsIgnoreCase(ColumnNames.LABEL) ? " (grouping by the label column works when it is"
                                + " the --label-col)" : ""));
            }
            groups.add(ColumnNames.column((f.name())).cast(DataTypes.StringType).as(f.name()));
        }
        if (label.isPresent()) {
            Column l = ColumnNames.column(label.get().name());
            select.add((groupedByLabel ? l.cast(DataTypes.StringType) : l).as(ColumnNames.LABEL));
        } else {
            select.add(lit(null).cast(DataTypes.StringType).as(ColumnNames.LABEL));
        }
        select.addAll(groups);
        return raw.select(select.toArray(new Column[0]));
    }

    private static Column vectorColumn(String input, StructField f) {
        DataType t = f.dataType();
        if (t instanceof ArrayType a && (a.elementType() == DataTypes.FloatType
                || a.elementType() == DataTypes.DoubleType)) {
            return ColumnNames.column((f.name())).cast(DataTypes.createArrayType(DataTypes.FloatType));
        }
        if (t instanceof UserDefinedType<?> u && u.userClass().getName().endsWith(".linalg.Vector")) {
            return org.apache.spark.ml.functions.vector_to_array(ColumnNames.column((f.name())), "float32");
        }
        throw wrongType(input, f, "array<float>, array<double> or an MLlib vector");
    }

    private static Column idColumn(String input, StructField f) {
        DataType t = f.dataType();
        if (t == DataTypes.LongType || t == DataTypes.IntegerType || t == DataTypes.ShortType
                || t == DataTypes.ByteType) {
            return ColumnNames.column((f.name())).cast(DataTypes.LongType);
        }
        if (t == DataTypes.StringType) return ColumnNames.column((f.name()));
        throw wrongType(input, f, "an integer or string id");
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
