package dev.repgap.results;

import java.io.IOException;
import java.sql.Timestamp;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * The results repository: a directory holding the tidy table {@code metrics}, Parquet, partitioned by
 * run date, and side tables beside it ({@code gap_curves}, {@code audit/...}, {@code runs}). Each run (or each
 * unit of a sweep) adds one file per table, written aside and then renamed into place, the metrics file last,
 * so a killed run leaves no partial rows: readers see all of a run's rows or none.
 */
public final class ResultsRepository {
    public static final String TABLE = RepositoryTables.METRICS.name();

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
        return commit(run, null, Map.of(), rows, null).get(TABLE);
    }

    /**
     * Writes what one unit of work found: each side table ({@code DIR/name/run_date=.../part-RUNID[-PART].parquet})
     * and then its metric rows, each as one file written under {@code DIR/_staging} and renamed into place.
     * The metrics file goes last: it is the commit record, so a run killed before it leaves no metric rows, and
     * readers of the side tables keep only rows whose run and group have metric rows (as the report does).
     *
     * @param part distinguishes the files of several units of one run (null: the run is one unit)
     * @param fingerprints the input and options fingerprint of each group's rows, or null
     * @return the files written, by table
     */
    public Map<String, Path> commit(RunInfo run, String part, Map<String, Dataset<Row>> tables, List<MetricRow> rows,
                                    Fingerprints fingerprints) {
        String name = run.runId() + (part == null ? "" : "-" + part);
        Path stagingRoot = new Path(new Path(root, "_staging"), name);
        Map<String, Path> staged = new LinkedHashMap<>();
        try {
            FileSystem fs = root.getFileSystem(spark.sparkContext().hadoopConfiguration());
            for (Map.Entry<String, Dataset<Row>> t : tables.entrySet()) staged.put(t.getKey(), stage(fs, stagingRoot, t.getKey(), t.getValue()));
            if (!rows.isEmpty()) staged.put(TABLE, stage(fs, stagingRoot, TABLE, toDataFrame(spark, run, rows, fingerprints)));
            Map<String, Path> written = new LinkedHashMap<>();
            for (Map.Entry<String, Path> e : staged.entrySet()) { // insertion order: the side tables, then metrics
                written.put(e.getKey(), moveIntoPlace(fs, stagingRoot, e.getKey(), run.runDate(), name, e.getValue()));
            }
            deleteUpTo(fs, stagingRoot, new Path(root, "_staging"));
            return written;
        } catch (IOException e) {
            throw new dev.repgap.io.OutputException("results repository " + root + ": cannot write: " + e.getMessage(), e);
        }
    }

    /**
     * Moves a staged file to {@code DIR/table/run_date=D/part-NAME.parquet}. A date directory is never created empty
     * where readers look: when it does not exist yet, the file is put in a date directory under staging and that whole
     * directory is renamed into place, so a kill at any moment leaves either no trace in the table or the whole file.
     */
    private Path moveIntoPlace(FileSystem fs, Path stagingRoot, String table, String runDate, String name, Path file)
            throws IOException {
        Path tableDir = new Path(root, table);
        Path dateDir = new Path(tableDir, "run_date=" + runDate);
        Path target = new Path(dateDir, "part-" + name + ".parquet");
        if (!fs.exists(dateDir)) {
            Path holder = new Path(new Path(new Path(stagingRoot, "_commit"), table), dateDir.getName());
            fs.mkdirs(holder);
            Path held = new Path(holder, target.getName());
            if (!fs.rename(file, held)) throw new IOException("could not move " + file + " to " + held);
            fs.mkdirs(tableDir); // an empty table directory reads as a table without rows
            if (fs.rename(holder, dateDir) && fs.exists(target)) return target;
            // Another writer made the date directory meanwhile: the rename failed, or moved ours inside theirs.
            Path nested = new Path(new Path(dateDir, holder.getName()), target.getName());
            file = fs.exists(nested) ? nested : held;
        }
        if (!fs.rename(file, target)) throw new IOException("could not move " + file + " to " + target);
        Path nestedDir = new Path(dateDir, dateDir.getName());
        if (fs.exists(nestedDir) && fs.listStatus(nestedDir).length == 0) fs.delete(nestedDir, false);
        return target;
    }

    /** Writes {@code df} as one Parquet file under the staging directory; returns it. */
    private static Path stage(FileSystem fs, Path stagingRoot, String table, Dataset<Row> df) throws IOException {
        Path dir = new Path(stagingRoot, table);
        df.coalesce(1).write().parquet(dir.toString());
        FileStatus[] parts = fs.globStatus(new Path(dir, "part-*.parquet"));
        if (parts == null || parts.length != 1) {
            throw new IOException("expected one Parquet file in " + dir + ", found " + (parts == null ? 0 : parts.length));
        }
        return parts[0].getPath();
    }

    /** Deletes {@code dir}, then each parent up to and including {@code top} that is left empty. */
    private static void deleteUpTo(FileSystem fs, Path dir, Path top) throws IOException {
        fs.delete(dir, true);
        for (Path p = dir.getParent(); p != null && p.depth() >= top.depth(); p = p.getParent()) {
            if (!fs.exists(p) || fs.listStatus(p).length > 0) return;
            fs.delete(p, false);
        }
    }

    /** All rows of every run, the group columns of all runs merged (absent ones are null). */
    public Dataset<Row> read() {
        return ResultsHistory.table(spark, root.toString(), TABLE);
    }

    /** The fingerprints a sweep records on each row: of the group's input files and of the analysis options. */
    public interface Fingerprints {
        String input(dev.repgap.data.GroupKey group);

        String options();
    }

    /** The schema of a metrics table without rows: the fixed columns and the partition column, no group columns. */
    public static StructType emptySchema() {
        return RepositoryTables.METRICS.schema(List.of())
                .add(DataTypes.createStructField(ResultTable.RUN_DATE, DataTypes.StringType, true));
    }

    /** The rows of the metrics table for a run's metric rows ({@code fingerprints} null: none). */
    public static Dataset<Row> toDataFrame(SparkSession spark, RunInfo run, List<MetricRow> rows, Fingerprints fingerprints) {
        ResultTable.Rows out = RepositoryTables.METRICS.rows(rows.stream().map(MetricRow::group).toList());
        Timestamp start = Timestamp.from(run.startTime());
        for (MetricRow r : rows) {
            out.add(r.group(), run.runId(), start, run.command(), run.input(), r.metric(), r.param(), r.value(), r.ciLow(),
                    r.ciHigh(), r.n(), r.scale(), r.details(), fingerprints == null ? null : fingerprints.input(r.group()),
                    fingerprints == null ? null : fingerprints.options());
        }
        return out.frame(spark);
    }
}
