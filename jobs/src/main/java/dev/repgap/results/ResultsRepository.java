package dev.repgap.results;

import dev.repgap.data.InputException;
import java.io.IOException;
import java.sql.Timestamp;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

/**
 * The results repository: a directory holding the tidy table {@code metrics}, Parquet, partitioned by
 * run date. Each run adds one file, written aside and then renamed into place, so a killed run
 * leaves no partial rows: readers see all of a run's rows or none.
 */
public final class ResultsRepository {
    public static final String TABLE = "metrics";
    static final List<String> FIXED_BEFORE_GROUPS = List.of("run_id", "start_time", "command", "input");
    static final List<String> FIXED_AFTER_GROUPS = List.of(
            "metric", "param", "value", "ci_low", "ci_high", "n", "scale", "details");

    private final SparkSession spark;
    private final Path root;

    public ResultsRepository(SparkSession spark, String dir) {
        this.spark = spark;
        this.root = new Path(dir);
    }

    public Path metricsPath() {
        return new Path(root, TABLE);
    }

    /** Appends a run's rows atomically; returns the file that now holds them. */
    public Path append(RunInfo run, List<MetricRow> rows) {
        if (rows.isEmpty()) return null;
        return appendTable(TABLE, run, toDataFrame(run, rows));
    }

    /**
     * Appends {@code table}'s rows of this run as one file, {@code DIR/table/run_date=.../part-RUNID.parquet},
     * written aside and renamed into place, so readers see all of them or none.
     */
    public Path appendTable(String table, RunInfo run, Dataset<Row> df) {
        Path staging = new Path(new Path(new Path(root, "_staging"), run.runId()), table);
        Path target = new Path(new Path(new Path(root, table), "run_date=" + run.runDate()),
                "part-" + run.runId() + ".parquet");
        try {
            FileSystem fs = root.getFileSystem(spark.sparkContext().hadoopConfiguration());
            df.coalesce(1).write().parquet(staging.toString());
            FileStatus[] parts = fs.globStatus(new Path(staging, "part-*.parquet"));
            if (parts == null || parts.length != 1) {
                throw new IOException("expected one Parquet file in " + staging + ", found "
                        + (parts == null ? 0 : parts.length));
            }
            fs.mkdirs(target.getParent());
            if (!fs.rename(parts[0].getPath(), target)) {
                throw new IOException("could not move " + parts[0].getPath() + " to " + target);
            }
            deleteUpTo(fs, staging, new Path(root, "_staging"));
            return target;
        } catch (IOException e) {
            throw new InputException("results repository " + root + ": cannot write: " + e.getMessage(), e);
        }
    }

    /** Deletes {@code dir}, then each parent up to and including {@code top} that is left empty. */
    private static void deleteUpTo(FileSystem fs, Path dir, Path top) throws IOException {
        fs.delete(dir, true);
        for (Path p = dir.getParent(); p != null && p.depth() >= top.depth(); p = p.getParent()) {
            if (!fs.exists(p) || fs.listStatus(p).length > 0) return;
            fs.delete(p, false);
        }
    }

    /** The group columns of these rows, checked not to clash with the fixed columns of the results tables. */
    public static Set<String> groupColumns(List<dev.repgap.data.GroupKey> groups) {
        Set<String> groupColumns = new LinkedHashSet<>();
        for (dev.repgap.data.GroupKey g : groups) groupColumns.addAll(g.columns());
        for (String g : groupColumns) {
            if (FIXED_BEFORE_GROUPS.contains(g) || FIXED_AFTER_GROUPS.contains(g) || g.equals("run_date")) {
                throw new InputException("--group-by column '" + g + "' clashes with a column of the results table");
            }
        }
        return groupColumns;
    }

    /** All rows of every run, the group columns of all runs merged (absent ones are null). */
    public Dataset<Row> read() {
        return spark.read().option("mergeSchema", "true").parquet(metricsPath().toString());
    }

    private Dataset<Row> toDataFrame(RunInfo run, List<MetricRow> rows) {
        Set<String> groupColumns = groupColumns(rows.stream().map(MetricRow::group).toList());
        List<StructField> fields = new ArrayList<>();
        fields.add(DataTypes.createStructField("run_id", DataTypes.StringType, false));
        fields.add(DataTypes.createStructField("start_time", DataTypes.TimestampType, false));
        fields.add(DataTypes.createStructField("command", DataTypes.StringType, false));
        fields.add(DataTypes.createStructField("input", DataTypes.StringType, true));
        for (String g : groupColumns) fields.add(DataTypes.createStructField(g, DataTypes.StringType, true));
        fields.add(DataTypes.createStructField("metric", DataTypes.StringType, false));
        fields.add(DataTypes.createStructField("param", DataTypes.StringType, true));
        fields.add(DataTypes.createStructField("value", DataTypes.DoubleType, false));
        fields.add(DataTypes.createStructField("ci_low", DataTypes.DoubleType, true));
        fields.add(DataTypes.createStructField("ci_high", DataTypes.DoubleType, true));
        fields.add(DataTypes.createStructField("n", DataTypes.LongType, true));
        fields.add(DataTypes.createStructField("scale", DataTypes.DoubleType, true));
        fields.add(DataTypes.createStructField("details", DataTypes.StringType, true));

        List<Row> out = new ArrayList<>(rows.size());
        Timestamp start = Timestamp.from(run.startTime());
        for (MetricRow r : rows) {
            List<Object> v = new ArrayList<>(fields.size());
            v.add(run.runId());
            v.add(start);
            v.add(run.command());
            v.add(run.input());
            for (String g : groupColumns) v.add(r.group().values().get(g));
            v.add(r.metric());
            v.add(r.param());
            v.add(r.value());
            v.add(r.ciLow());
            v.add(r.ciHigh());
            v.add(r.n());
            v.add(r.scale());
            v.add(r.details());
            out.add(RowFactory.create(v.toArray()));
        }
        return spark.createDataFrame(out, new StructType(fields.toArray(new StructField[0])));
    }
}
