package dev.repgap.io;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;

import dev.repgap.data.ColumnNames;
import dev.repgap.data.InputException;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import dev.repgap.io.formats.ArrowFile;
import dev.repgap.io.formats.ColumnarFile;
import dev.repgap.io.formats.FileColumn;
import dev.repgap.io.formats.InputFormatException;
import dev.repgap.io.formats.NpyFile;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.NumericType;
import org.apache.spark.sql.types.StructField;

/**
 * {@code repgap import}: brings activations saved by NumPy, PyTorch, pandas or any CSV writer into
 * the data contract (id, features, split, label, grouping columns) and adds them to a dataset
 * directory as one group.
 */
public final class ImportJob {
    /** Where the rows come from and how they are labelled. */
    public record Options(String out, String split, LinkedHashMap<String, String> set, ColumnNames names) {}

    private final SparkSession spark;
    private final Options options;

    public ImportJob(SparkSession spark, Options options) {
        this.spark = spark;
        this.options = options;
    }

    /** A CSV file or directory with one row per sample: the numeric columns that are not id/label/split are the vector. */
    public DatasetWriter.Added importCsv(String file, boolean header) {
        requireExists(file);
        Dataset<Row> raw;
        try {
            raw = spark.read().option("header", header).option("inferSchema", true).option("mode", "FAILFAST").csv(file);
        } catch (RuntimeException e) {
            throw new InputException("input " + file + ": not readable as CSV: " + e.getMessage(), e);
        }
        ColumnNames n = options.names();
        List<Column> featureCols = new ArrayList<>();
        Column id = null, label = null, split = null;
        for (StructField f : raw.schema().fields()) {
            Column c = ColumnNames.column(f.name());
            if (f.name().equals(n.id())) {
                id = c;
            } else if (f.name().equals(n.label())) {
                label = c;
            } else if (f.name().equals(n.split())) {
                split = c;
            } else if (f.dataType() instanceof NumericType) {
                featureCols.add(c.cast(DataTypes.FloatType));
            } else {
                throw new InputException("input " + file + ": column '" + f.name() + "' has type "
                        + f.dataType().simpleString() + "; every column other than id ('" + n.id() + "'), label ('"
                        + n.label() + "') and split ('" + n.split() + "') must be numeric: it is part of the vector"
                        + (header ? "" : " (pass --header if the first line holds column names)"));
            }
        }
        if (featureCols.isEmpty()) throw new InputException("input " + file + ": no numeric columns to form vectors");
        if (id == null) {
            raw = withRowIndex(raw, nextId());
            id = col(ROW_INDEX);
        }
        Dataset<Row> rows = raw.select(
                id.as(ColumnNames.ID),
                org.apache.spark.sql.functions.array(featureCols.toArray(new Column[0])).as(ColumnNames.FEATURES),
                splitColumn(file, split),
                label == null ? lit(null).cast(DataTypes.StringType).as(ColumnNames.LABEL) : label.as(ColumnNames.LABEL));
        return write(label == null ? rows.drop(ColumnNames.LABEL) : rows, file);
    }

    /** A NumPy .npy matrix, with labels from a second 1-D .npy file if given. */
    public DatasetWriter.Added importNpy(String file, String labelsFile) {
        return importNpy(file, labelsFile, null);
    }

    /** As {@link #importNpy(String, String)}, with source ids (column {@code source}) from a 1-D integer .npy if given. */
    public DatasetWriter.Added importNpy(String file, String labelsFile, String sourcesFile) {
        Configuration conf = spark.sparkContext().hadoopConfiguration();
        ColumnarFile data = open(() -> NpyFile.open(file, conf, ColumnNames.FEATURES));
        ColumnarFile labels = labelsFile == null ? null : open(() -> NpyFile.open(labelsFile, conf, ColumnNames.LABEL));
        ColumnarFile sources = sourcesFile == null ? null : open(() -> NpyFile.open(sourcesFile, conf, ColumnNames.SOURCE));
        if (sources != null && (sources.rows() != data.rows() || sources.columns().get(0).kind() != FileColumn.Kind.LONG)) {
            throw new InputException("sources " + sources.path() + ": expected a 1-D integer array of " + data.rows()
                    + " source ids (one per row of " + data.path() + "), found " + sources.rows() + " values of kind "
                    + sources.columns().get(0).kind());
        }
        ColumnNames plain = new ColumnNames(ColumnNames.FEATURES, ColumnNames.ID, false, ColumnNames.SPLIT,
                ColumnNames.LABEL, List.of());
        List<ColumnarImport.Attached> attached = sources == null ? List.of()
                : List.of(new ColumnarImport.Attached(ColumnNames.SOURCE, sources));
        return write(new ColumnarImport(data, labels, plain, options.split(), nextId(), attached).rows(spark), file);
    }

    /** An Arrow IPC file or stream (Feather v2): a list column of vectors, or one numeric column per coordinate. */
    public DatasetWriter.Added importArrow(String file) {
        ColumnNames n = options.names();
        ColumnarFile data = open(() -> ArrowFile.open(file, spark.sparkContext().hadoopConfiguration(), n.features(),
                Set.of(n.id(), n.label(), n.split())));
        return write(new ColumnarImport(data, null, n, options.split(), nextId()).rows(spark), file);
    }

    private interface Opener {
        ColumnarFile open() throws IOException;
    }

    private static ColumnarFile open(Opener opener) {
        try {
            return opener.open();
        } catch (InputFormatException e) {
            throw new InputException(e.getMessage(), e);
        } catch (java.io.FileNotFoundException e) {
            throw new InputException(e.getMessage() + ": no such file", e);
        } catch (IOException e) {
            throw new InputException("cannot read: " + e.getMessage(), e);
        }
    }

    private static final String ROW_INDEX = "_row_index";

    /** Numbers rows first, first + 1, ... in file order, in parallel (zipWithIndex), not through one task. */
    private Dataset<Row> withRowIndex(Dataset<Row> raw, long first) {
        org.apache.spark.sql.types.StructType schema = raw.schema().add(ROW_INDEX, DataTypes.LongType, false);
        org.apache.spark.api.java.JavaRDD<Row> numbered = raw.javaRDD().zipWithIndex().map(t -> {
            Object[] values = new Object[t._1().length() + 1];
            for (int i = 0; i < t._1().length(); i++) values[i] = t._1().get(i);
            values[values.length - 1] = first + t._2();
            return org.apache.spark.sql.RowFactory.create(values);
        });
        return spark.createDataFrame(numbered, schema);
    }

    Column splitColumn(String file, Column fromFile) {
        if (fromFile != null && options.split() != null) {
            throw new InputException("input " + file + " has a split column '" + options.names().split()
                    + "'; drop --split or the column");
        }
        if (fromFile != null) return fromFile.cast(DataTypes.StringType).as(ColumnNames.SPLIT);
        return lit(options.split()).cast(DataTypes.StringType).as(ColumnNames.SPLIT);
    }

    /** The directory this import adds to. */
    public Path group() {
        return new DatasetWriter(spark, options.out()).group(options.set());
    }

    /** Ids continue after the largest id already stored for this group, so train and test imported apart stay unique. */
    long nextId() {
        Path group = group();
        try {
            FileSystem fs = group.getFileSystem(spark.sparkContext().hadoopConfiguration());
            if (!fs.exists(group)) return 0; // a new group: no Spark job needed
        } catch (IOException e) {
            throw new OutputException("output " + group + ": cannot be read: " + e.getMessage(), e);
        }
        Dataset<Row> existing;
        try {
            existing = spark.read().parquet(options.out());
        } catch (Exception e) { // nothing readable there yet; DatasetWriter reports what is wrong
            return 0;
        }
        if (!Arrays.asList(existing.columns()).contains(ColumnNames.ID)
                || existing.schema().apply(ColumnNames.ID).dataType() != DataTypes.LongType) {
            return 0;
        }
        for (Map.Entry<String, String> e : options.set().entrySet()) {
            if (!Arrays.asList(existing.columns()).contains(e.getKey())) return 0;
            existing = existing.filter(ColumnNames.column(e.getKey()).equalTo(e.getValue()));
        }
        Row max = existing.agg(org.apache.spark.sql.functions.max(ColumnNames.ID)).first();
        return max.isNullAt(0) ? 0 : max.getLong(0) + 1;
    }

    DatasetWriter.Added write(Dataset<Row> rows, String source) {
        String what = "import of " + source + (options.set().isEmpty() ? "" : " for " + options.set())
                + (options.split() == null ? "" : " split " + options.split());
        try {
            return new DatasetWriter(spark, options.out()).append(rows, options.set(), what);
        } catch (InputException e) {
            throw e;
        } catch (Exception e) { // SparkException is checked in Java's eyes
            // A CSV row Spark cannot parse (too few or too many fields, text in a numeric column) fails the write.
            for (Throwable t = e; t != null; t = t.getCause()) {
                String m = String.valueOf(t.getMessage());
                if (m.contains("MALFORMED_RECORD") || m.contains("Malformed")) {
                    throw new InputException("input " + source + ": a malformed row ("
                            + InputException.firstLine(m) + "); every row needs the same fields, as numbers", e);
                }
            }
            if (e instanceof RuntimeException r) throw r;
            throw new IllegalStateException(e);
        }
    }

    private void requireExists(String file) {
        try {
            Path p = new Path(file);
            FileSystem fs = p.getFileSystem(spark.sparkContext().hadoopConfiguration());
            if (!fs.exists(p)) throw new InputException("input " + file + ": no such file or directory");
        } catch (IOException e) {
            throw new InputException("input " + file + ": cannot be opened: " + e.getMessage(), e);
        }
    }
}
