package dev.repgap.results;

import dev.repgap.data.InputException;
import java.io.IOException;
import java.sql.Timestamp;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Set;
import dev.repgap.data.ColumnNames;
import dev.repgap.sweep.InputFiles;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.LocatedFileStatus;
import org.apache.hadoop.fs.RemoteIterator;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.AnalysisException;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.functions;
import org.apache.spark.sql.types.StructType;

/**
 * Reads a results repository back for checks, reports and exports. The tables are small (rows per
 * group, metric and run), so they are collected to the driver.
 */
public final class ResultsHistory {
    private ResultsHistory() {}

    /**
     * Every table of {@code dir} (metrics, gap_curves), mergeSchema; InputException when it is not there or unreadable
     * (naming the file that is not Parquet). A table directory without data files, or with empty partition directories
     * only (what a killed run may leave), is a table without rows.
     */
    public static Dataset<Row> table(SparkSession spark, String dir, String table) {
        Path path = new Path(new Path(dir), table);
        String where = "results repository " + dir + ": table " + table + ": ";
        try {
            FileSystem fs = path.getFileSystem(spark.sparkContext().hadoopConfiguration());
            if (!fs.exists(path)) {
                throw new InputException("results repository " + dir + ": no table " + table + " (expected " + path
                        + ", written by repgap commands run with --out " + dir + ")");
            }
            if (!hasDataFiles(fs, path)) {
                StructType schema = table.equals(ResultsRepository.TABLE) ? ResultsRepository.emptySchema() : new StructType();
                return spark.createDataFrame(List.of(), schema);
            }
        } catch (IOException e) {
            throw new InputException("results repository " + dir + ": cannot read: " + e.getMessage(), e);
        }
        try {
            return spark.read().option("mergeSchema", "true").parquet(path.toString());
        } catch (Exception e) { // Spark's AnalysisException is checked in Java's eyes but thrown undeclared
            InputException unreadable = InputException.unreadableFile(e, where);
            if (unreadable != null) throw unreadable;
            if (e instanceof AnalysisException) {
                throw new InputException(where + "not readable Parquet: " + InputException.firstLine(e.getMessage()), e);
            }
            if (e instanceof RuntimeException r) throw r;
            throw new IllegalStateException(e);
        }
    }

    /** True when {@code dir} holds a file Spark reads: one whose path below {@code dir} has no part starting with _ or . */
    private static boolean hasDataFiles(FileSystem fs, Path dir) throws IOException {
        RemoteIterator<LocatedFileStatus> files = fs.listFiles(dir, true);
        int depth = dir.depth();
        while (files.hasNext()) {
            if (!InputFiles.hiddenBelow(files.next().getPath(), depth)) return true;
        }
        return false;
    }

    /**
     * The rows of a side table ({@code gap_curves}, {@code audit/...}) whose run committed metric rows of the same
     * analysis for the same group; other tables as they are. The metric rows are a unit's commit record: a unit killed
     * between its side tables and its metric rows left side rows that no reader shows.
     */
    public static Dataset<Row> committed(SparkSession spark, String dir, ResultTable table, Dataset<Row> rows) {
        Set<String> columns = Set.of(rows.columns());
        if (table.analysis() == null || !columns.contains("run_id")) return rows;
        if (!has(spark, dir, ResultsRepository.TABLE)) return rows.limit(0);
        Dataset<Row> metrics = table(spark, dir, ResultsRepository.TABLE);
        List<String> groups = groupColumns(metrics.schema());
        List<Column> keys = new ArrayList<>();
        keys.add(functions.col("run_id").as("_k_run_id"));
        Column match = ColumnNames.column("run_id").equalTo(functions.col("_k_run_id"));
        for (int i = 0; i < groups.size(); i++) {
            keys.add(ColumnNames.column(groups.get(i)).as("_k_" + i));
            Column side = columns.contains(groups.get(i)) ? ColumnNames.column(groups.get(i)) : functions.lit(null).cast("string");
            match = match.and(side.eqNullSafe(functions.col("_k_" + i)));
        }
        Dataset<Row> committed = metrics.filter(functions.col("metric").startsWith(table.analysis() + "."))
                .select(keys.toArray(new Column[0])).distinct();
        return rows.join(committed, match, "left_semi");
    }

    /** True when the repository holds {@code table}. */
    public static boolean has(SparkSession spark, String dir, String table) {
        Path path = new Path(new Path(dir), table);
        try {
            return path.getFileSystem(spark.sparkContext().hadoopConfiguration()).exists(path);
        } catch (IOException e) {
            return false;
        }
    }

    /** The group columns of a metrics table: every column but the declared ones, in the table's order. */
    public static List<String> groupColumns(StructType schema) {
        return RepositoryTables.METRICS.groupColumns(schema);
    }

    /** The group of one row: its group columns that are set. */
    public static LinkedHashMap<String, String> group(Row r, List<String> groupColumns) {
        LinkedHashMap<String, String> g = new LinkedHashMap<>();
        for (String c : groupColumns) {
            Object v = r.getAs(c);
            if (v != null) g.put(c, v.toString());
        }
        return g;
    }

    /** All metric rows, oldest run first. */
    public static List<StoredMetric> metrics(SparkSession spark, String dir) {
        Dataset<Row> df = table(spark, dir, ResultsRepository.TABLE);
        List<String> groups = groupColumns(df.schema());
        List<StoredMetric> out = new ArrayList<>();
        for (Row r : df.collectAsList()) {
            Timestamp start = r.getAs("start_time");
            out.add(new StoredMetric(r.getAs("run_id"), start.toInstant(), r.getAs("command"), r.getAs("input"),
                    group(r, groups), r.getAs("metric"), r.getAs("param"), ((Number) r.getAs("value")).doubleValue(),
                    r.getAs("ci_low"), r.getAs("ci_high"), r.getAs("n"), r.getAs("scale"), r.getAs("details")));
        }
        out.sort(Comparator.comparing(StoredMetric::startTime).thenComparing(StoredMetric::runId));
        return out;
    }
}
