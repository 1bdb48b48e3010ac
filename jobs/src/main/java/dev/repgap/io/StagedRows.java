package dev.repgap.io;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.expr;

import dev.repgap.data.ColumnNames;
import dev.repgap.data.InputException;
import java.util.Arrays;
import java.util.List;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

/**
 * The contract checks of rows about to be added to a dataset directory, run on the files as written aside
 * (so every format, .npy, Arrow, CSV or generated, is checked the same way, and after any conversion), in one
 * aggregation: at least one row, splits only train or test, ids unique, one vector length. What it finds
 * is also what {@code import} reports.
 */
public final class StagedRows {
    private StagedRows() {}

    /** What an addition holds; {@code labels} is -1 without a label column. Ids as text (they may be strings). */
    public record Summary(long rows, long train, long test, long unsplit, int dim, String firstId, String lastId, long labels) {
        /** One line: {@code 5000 rows x 100, split train, 10 labels, ids 0..4999}. */
        public String describe() {
            String split = train == rows ? "split train" : test == rows ? "split test" : unsplit == rows ? "no split"
                    : train + " train, " + test + " test" + (unsplit > 0 ? ", " + unsplit + " unsplit" : "");
            return rows + " rows x " + dim + ", " + split + ", " + (labels < 0 ? "no labels" : labels + " labels")
                    + ", ids " + firstId + ".." + lastId;
        }
    }

    /** {@code splitDirs}: the {@code split=..} directories written aside under {@code staged}; {@code written}: their rows' schema. */
    static Summary check(SparkSession spark, Path staged, List<Path> splitDirs, StructType written, String what) {
        if (splitDirs.isEmpty()) throw new InputException(what + ": no rows to import");
        // The split directories by name: Spark skips a path whose own name starts with '_', as staging's does. The
        // schema as written (the split a string partition column), so that no Spark job infers it from the files.
        StructType schema = new StructType(java.util.Arrays.stream(written.fields())
                .filter(f -> !f.name().equals(ColumnNames.SPLIT)).toArray(StructField[]::new))
                .add(ColumnNames.SPLIT, DataTypes.StringType, true);
        Dataset<Row> rows = spark.read().schema(schema).option("basePath", staged.toString())
                .parquet(splitDirs.stream().map(Path::toString).toArray(String[]::new));
        boolean labelled = Arrays.asList(rows.columns()).contains(ColumnNames.LABEL);
        Row r = rows.agg(
                expr("count(1)"),
                expr("count_if(split = 'train')"),
                expr("count_if(split = 'test')"),
                expr("count_if(split IS NULL)"),
                expr("min(struct(size(features), id))"),
                expr("max(struct(size(features), id))"),
                expr("min(id)"),
                expr("max(id)"),
                expr("count(DISTINCT id)"),
                expr(labelled ? "count(DISTINCT label)" : "-1L"),
                expr("min(CASE WHEN split IS NOT NULL AND split NOT IN ('train', 'test') THEN struct(id, split) END)"),
                expr("count_if(id IS NULL)")
        ).first();
        long n = r.getLong(0);
        if (n == 0) throw new InputException(what + ": no rows to import");
        if (!r.isNullAt(10)) {
            Row bad = r.getStruct(10);
            throw new InputException(what + ": row id " + bad.get(0) + " has split '" + bad.get(1)
                    + "'; expected 'train' or 'test' (or none)");
        }
        if (r.getLong(11) > 0) throw new InputException(what + ": " + r.getLong(11) + " rows have no id");
        Row shortest = r.getStruct(4), longest = r.getStruct(5);
        if (shortest.getInt(0) != longest.getInt(0)) {
            throw new InputException(what + ": vectors of different lengths: row id " + shortest.get(1) + " has "
                    + shortest.getInt(0) + " values, row id " + longest.get(1) + " has " + longest.getInt(0));
        }
        if (r.getLong(8) != n) {
            Row repeated = rows.groupBy(ColumnNames.ID).count().filter(col("count").gt(1)).orderBy(ColumnNames.ID)
                    .first();
            throw new InputException(what + ": id " + repeated.get(0) + " appears " + repeated.getLong(1)
                    + " times; ids must be unique within a group");
        }
        return new Summary(n, r.getLong(1), r.getLong(2), r.getLong(3), shortest.getInt(0), String.valueOf(r.get(6)),
                String.valueOf(r.get(7)), r.getLong(9));
    }
}
