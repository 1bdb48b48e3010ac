package dev.repgap.io;

import dev.repgap.data.ColumnNames;
import dev.repgap.data.InputException;
import dev.repgap.io.formats.ColumnarFile;
import dev.repgap.io.formats.FileColumn;
import java.io.IOException;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

/**
 * Turns a {@link ColumnarFile} (.npy, Arrow) and an optional labels file into contract rows, read in
 * parallel: each Spark task opens the files itself and reads one row range, so nothing passes
 * through the driver.
 */
final class ColumnarImport implements Serializable {
    private static final long serialVersionUID = 1L;
    /** About this many bytes of vectors per task. */
    private static final long BYTES_PER_TASK = 64L << 20;

    private final ColumnarFile data;
    private final ColumnarFile labels;
    private final int featuresAt, idAt, labelAt, splitAt;
    private final String fixedSplit;
    private final long firstId;
    private final List<Attached> attached;

    /**
     * A 1-D or 2-D file whose rows become the column {@code column} of the imported rows, row i to row i (ids when
     * {@code column} is the id column; otherwise a scalar, or a vector for a 2-D file).
     */
    record Attached(String column, ColumnarFile file) implements Serializable {}

    ColumnarImport(ColumnarFile data, ColumnarFile labels, ColumnNames names, String fixedSplit, long firstId) {
        this(data, labels, names, fixedSplit, firstId, List.of());
    }

    ColumnarImport(ColumnarFile data, ColumnarFile labels, ColumnNames names, String fixedSplit, long firstId,
                   List<Attached> attached) {
        this.data = data;
        this.labels = labels;
        this.fixedSplit = fixedSplit;
        this.firstId = firstId;
        this.attached = List.copyOf(attached);
        for (Attached a : this.attached) {
            if (a.file().rows() != data.rows()) {
                throw new InputException(a.column() + " " + a.file().path() + " has " + a.file().rows()
                        + " rows, but " + data.path() + " has " + data.rows() + " rows");
            }
        }
        List<FileColumn> cols = data.columns();
        this.featuresAt = indexOf(cols, names.features());
        this.idAt = indexOf(cols, names.id());
        this.labelAt = indexOf(cols, names.label());
        this.splitAt = indexOf(cols, names.split());
        if (featuresAt < 0 || !cols.get(featuresAt).isVector()) {
            throw new InputException("input " + data.path() + ": no vector column '" + names.features() + "'");
        }
        if (labels != null && labelAt >= 0) {
            throw new InputException("input " + data.path() + " has a label column '" + names.label()
                    + "'; drop --labels or the column");
        }
        if (labels != null && labels.rows() != data.rows()) {
            throw new InputException("labels " + labels.path() + " has " + labels.rows() + " values, but "
                    + data.path() + " has " + data.rows() + " rows");
        }
        if (labels != null && labels.columns().get(0).isVector()) {
            throw new InputException("labels " + labels.path() + ": expected a 1-D array, found a 2-D one");
        }
        if (splitAt >= 0 && cols.get(splitAt).kind() != FileColumn.Kind.STRING) {
            throw new InputException("input " + data.path() + ": column '" + names.split() + "' must hold strings");
        }
        if (splitAt >= 0 && fixedSplit != null) {
            throw new InputException("input " + data.path() + " has a split column '" + names.split()
                    + "'; drop --split or the column");
        }
    }

    Dataset<Row> rows(SparkSession spark) {
        Map<String, String> conf = new HashMap<>();
        spark.sparkContext().hadoopConfiguration().forEach(e -> conf.put(e.getKey(), e.getValue()));
        int dim = data.columns().get(featuresAt).dim();
        long rowsPerTask = Math.max(1, BYTES_PER_TASK / (4L * Math.max(1, dim)));
        List<long[]> ranges = data.splits(rowsPerTask);
        JavaRDD<Row> rows = JavaSparkContext.fromSparkContext(spark.sparkContext())
                .parallelize(ranges, Math.max(1, ranges.size()))
                .flatMap(range -> read(hadoop(conf), range[0], range[1]).iterator());
        return spark.createDataFrame(rows, schema());
    }

    private List<Row> read(Configuration conf, long start, long end) throws IOException {
        Object[] labelValues = new Object[(int) (end - start)];
        if (labels != null) labels.read(conf, start, end, (i, v) -> labelValues[(int) (i - start)] = v[0]);
        Object[][] attachedValues = new Object[attached.size()][(int) (end - start)];
        for (int a = 0; a < attached.size(); a++) {
            Object[] values = attachedValues[a];
            attached.get(a).file().read(conf, start, end, (i, v) -> values[(int) (i - start)] = v[0]);
        }
        int idFrom = attachedIndex(ColumnNames.ID);
        List<Row> out = new ArrayList<>((int) (end - start));
        data.read(conf, start, end, (i, v) -> {
            Object split = splitAt >= 0 ? v[splitAt] : fixedSplit;
            if (split != null && !split.equals(ColumnNames.TRAIN) && !split.equals(ColumnNames.TEST)) {
                throw new InputException("input " + data.path() + ": row " + i + " has split '" + split
                        + "'; expected 'train' or 'test'");
            }
            int at = (int) (i - start);
            Object id = idFrom >= 0 ? attachedValues[idFrom][at] : idAt >= 0 ? v[idAt] : firstId + i;
            if (id == null) throw new InputException("input " + data.path() + ": row " + i + " has no id");
            Object label = labelAt >= 0 ? v[labelAt] : labelValues[at];
            List<Object> row = new ArrayList<>(List.of(id, v[featuresAt]));
            row.add(split);
            if (hasLabel()) row.add(label);
            for (int a = 0; a < attached.size(); a++) if (a != idFrom) row.add(attachedValues[a][at]);
            out.add(RowFactory.create(row.toArray()));
        });
        return out;
    }

    private int attachedIndex(String column) {
        for (int a = 0; a < attached.size(); a++) if (attached.get(a).column().equals(column)) return a;
        return -1;
    }

    private boolean hasLabel() {
        return labels != null || labelAt >= 0;
    }

    private StructType schema() {
        List<StructField> f = new ArrayList<>();
        int idFrom = attachedIndex(ColumnNames.ID);
        f.add(DataTypes.createStructField(ColumnNames.ID, idFrom >= 0 ? sparkType(attached.get(idFrom).file().columns().get(0))
                : idAt >= 0 ? sparkType(data.columns().get(idAt)) : DataTypes.LongType, false));
        f.add(DataTypes.createStructField(ColumnNames.FEATURES, sparkType(data.columns().get(featuresAt)), false));
        f.add(DataTypes.createStructField(ColumnNames.SPLIT, DataTypes.StringType, true));
        if (hasLabel()) {
            FileColumn label = labels != null ? labels.columns().get(0) : data.columns().get(labelAt);
            f.add(DataTypes.createStructField(ColumnNames.LABEL, sparkType(label), true));
        }
        for (int a = 0; a < attached.size(); a++) {
            if (a == idFrom) continue;
            f.add(DataTypes.createStructField(attached.get(a).column(), sparkType(attached.get(a).file().columns().get(0)), true));
        }
        return new StructType(f.toArray(new StructField[0]));
    }

    private static DataType sparkType(FileColumn c) {
        return switch (c.kind()) {
            case VECTOR_F32 -> DataTypes.createArrayType(DataTypes.FloatType, false);
            case VECTOR_F64 -> DataTypes.createArrayType(DataTypes.DoubleType, false);
            case LONG -> DataTypes.LongType;
            case DOUBLE -> DataTypes.DoubleType;
            case STRING -> DataTypes.StringType;
        };
    }

    private static int indexOf(List<FileColumn> cols, String name) {
        for (int i = 0; i < cols.size(); i++) if (cols.get(i).name().equals(name)) return i;
        return -1;
    }

    private static Configuration hadoop(Map<String, String> entries) {
        Configuration c = new Configuration(false);
        entries.forEach(c::set);
        return c;
    }
}
