package dev.repgap.io;

import dev.repgap.data.ColumnNames;
import dev.repgap.data.InputException;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.catalyst.catalog.ExternalCatalogUtils;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;

/**
 * Adds one group to an activation dataset directory (what `generate` and `import` write and every
 * analysis reads), in the layout Spark and pyarrow discover by themselves:
 * {@code DIR/key1=v1/key2=v2/split=train/part-00000.parquet}. The group is written aside under a
 * hidden name and moved into place by renaming its directory, so readers see it whole or not at all.
 */
public final class DatasetWriter {
    private final SparkSession spark;
    private final Path dir;

    public DatasetWriter(SparkSession spark, String dir) {
        this.spark = spark;
        this.dir = new Path(dir);
    }

    /** What one addition wrote: its files and what they hold (checked before they were moved into place). */
    public record Added(List<Path> files, StagedRows.Summary summary) {
        /** The group directory the files went to. */
        public Path group() {
            return files.get(0).getParent();
        }
    }

    /**
     * Writes {@code rows} (columns id, features, optional label, and split) as the group named by
     * {@code set}, one file per partition of {@code rows} in partition order. The written rows are checked
     * (not empty, splits train/test, ids unique, one vector length) before they become visible, and a
     * failed addition leaves nothing behind, not even {@code DIR} when it made it. {@code what} describes
     * the addition in errors.
     */
    public Added append(Dataset<Row> rows, LinkedHashMap<String, String> set, String what) {
        Path group = group(set);
        FileSystem fs;
        boolean dirExisted;
        try {
            fs = dir.getFileSystem(spark.sparkContext().hadoopConfiguration());
            dirExisted = fs.exists(dir);
        } catch (IOException e) {
            throw new OutputException("output " + dir + ": cannot be read: " + e.getMessage(), e);
        }
        Path staging = new Path(dir, "_staging-" + UUID.randomUUID());
        boolean done = false;
        try {
            checkSameColumns(fs, rows, set, what);
            rows.write().partitionBy(ColumnNames.SPLIT).parquet(staging.toString());
            fs.delete(new Path(staging, "_SUCCESS"), false);
            FileStatus[] splits = fs.listStatus(staging, p -> p.getName().startsWith(ColumnNames.SPLIT + "="));
            StagedRows.Summary summary = StagedRows.check(spark, staging,
                    Arrays.stream(splits).map(FileStatus::getPath).toList(), rows.schema(), what);
            for (FileStatus split : splits) {
                numberParts(fs, split.getPath());
                Path target = new Path(group, split.getPath().getName());
                if (fs.exists(target)) {
                    throw new InputException("output " + dir + " already holds " + what + " (" + target
                            + "); remove it or write to another --out");
                }
            }
            List<Path> written = new ArrayList<>();
            if (!fs.exists(group)) {
                fs.mkdirs(group.getParent());
                rename(fs, staging, group); // all splits of a new group appear in one step
                for (FileStatus split : splits) written.add(new Path(group, split.getPath().getName()));
            } else {
                for (FileStatus split : splits) {
                    Path target = new Path(group, split.getPath().getName());
                    rename(fs, split.getPath(), target);
                    written.add(target);
                }
            }
            done = true;
            return new Added(written, summary);
        } catch (IOException e) {
            throw new OutputException("output " + dir + ": cannot write: " + e.getMessage(), e);
        } finally {
            cleanUp(fs, staging, dirExisted || done);
        }
    }

    /** The directory of the group named by {@code set}: {@code DIR/key1=v1/key2=v2}. */
    public Path group(Map<String, String> set) {
        Path group = dir;
        for (Map.Entry<String, String> e : set.entrySet()) {
            group = new Path(group, e.getKey() + "=" + ExternalCatalogUtils.escapePathName(e.getValue()));
        }
        return group;
    }

    /** Removes the staging directory, and DIR itself when this addition made it and failed. */
    private void cleanUp(FileSystem fs, Path staging, boolean keepDir) {
        try {
            if (fs.exists(staging)) fs.delete(staging, true);
            if (!keepDir && fs.exists(dir) && fs.listStatus(dir).length == 0) fs.delete(dir, false);
        } catch (IOException e) {
            // the addition's own outcome (its result or its error) is what the user needs to see
        }
    }

    /** Spark names part files by task and a random job id; number them instead, so same data gives same names. */
    private static void numberParts(FileSystem fs, Path splitDir) throws IOException {
        FileStatus[] parts = fs.globStatus(new Path(splitDir, "part-*"));
        Arrays.sort(parts);
        for (int i = 0; i < parts.length; i++) {
            rename(fs, parts[i].getPath(), new Path(splitDir, String.format("part-%05d.parquet", i)));
        }
    }

    private static void rename(FileSystem fs, Path from, Path to) throws IOException {
        if (!fs.rename(from, to)) throw new IOException("cannot rename " + from + " to " + to);
    }

    /**
     * A column's type as the check compares it. The split is a partition directory, and one whose groups are
     * all unsplit ({@code split=__HIVE_DEFAULT_PARTITION__}) reads back as type void: that is a string column
     * with no values yet, so any split may join it.
     */
    private static String typeName(StructField f) {
        if (f.name().equals(ColumnNames.SPLIT) && f.dataType() == DataTypes.NullType) return "string";
        return f.dataType().simpleString();
    }

    /** Every group in a directory must have the same columns, or readers could not read them as one table. */
    private void checkSameColumns(FileSystem fs, Dataset<Row> rows, Map<String, String> set, String what)
            throws IOException {
        if (!fs.exists(dir)) return;
        FileStatus[] present = fs.listStatus(dir, p -> !p.getName().startsWith("_") && !p.getName().startsWith("."));
        if (present.length == 0) return;
        Map<String, String> incoming = new TreeMap<>();
        for (StructField f : rows.schema().fields()) incoming.put(f.name(), typeName(f));
        for (String k : set.keySet()) incoming.put(k, DataTypes.StringType.simpleString());
        Map<String, String> existing = new TreeMap<>();
        try {
            for (StructField f : spark.read().parquet(dir.toString()).schema().fields()) {
                existing.put(f.name(), typeName(f));
            }
        } catch (Exception e) { // AnalysisException is checked in Java's eyes
            throw new InputException("output " + dir + " exists but is not a repgap dataset directory ("
                    + e.getMessage().lines().findFirst().orElse("") + "); write to another --out", e);
        }
        if (!existing.equals(incoming)) {
            throw new InputException("output " + dir + " holds data with columns " + existing + ", but " + what
                    + " has columns " + incoming + "; give the same --set keys, in the same order, and the same"
                    + " vector type as before, or write to another --out");
        }
    }
}
