package dev.repgap.data;

import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.expr;
import static org.apache.spark.sql.functions.lit;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/** The per-group checks of the data contract, computed in one aggregation over the canonical table. */
final class GroupValidator {
    /**
     * A row whose vector is missing or holds a null, NaN or infinite value (or one beyond float32 range).
     * {@code array_contains} is compiled, unlike a lambda ({@code exists(features, x -> ...)}), which Spark
     * interprets element by element at about 15 times the cost. Its semantics do the work: it finds NaN
     * (Spark's equality holds for NaN = NaN), it is null when it finds no match but the array holds a null
     * element, and null when the vector itself is null; {@code coalesce(.., true)} turns both nulls into "invalid".
     */
    static final String INVALID = "coalesce(array_contains(features, float('NaN'))"
            + " OR array_contains(features, float('inf')) OR array_contains(features, float('-inf')), true)";

    private final String input;
    private final ColumnNames names;
    private final boolean dropInvalid;
    private final Requirement requirement;

    GroupValidator(String input, ColumnNames names, boolean dropInvalid, Requirement requirement) {
        this.input = input;
        this.names = names;
        this.dropInvalid = dropInvalid;
        this.requirement = requirement;
    }

    List<GroupSummary> validate(Dataset<Row> canonical) {
        Column[] keys = ColumnNames.columns(names.groupBy());
        Dataset<Row> perGroup = canonical
                .withColumn("_invalid", expr(INVALID))
                .withColumn("_dim", expr("CASE WHEN _invalid THEN NULL ELSE size(features) END"))
                .groupBy(keys)
                .agg(count(lit(1)).as("rows"),
                        expr("count_if(_invalid)").as("invalid"),
                        expr("min(CASE WHEN _invalid THEN id END)").as("invalid_id"),
                        expr("min(CASE WHEN NOT _invalid THEN struct(_dim, id) END)").as("shortest"),
                        expr("max(CASE WHEN NOT _invalid THEN struct(_dim, id) END)").as("longest"),
                        expr("count_if(NOT _invalid AND split = 'train')").as("train"),
                        expr("count_if(NOT _invalid AND split = 'test')").as("test"),
                        expr("count_if(split IS NOT NULL AND split NOT IN ('train', 'test'))").as("bad_splits"),
                        expr("min(CASE WHEN split IS NOT NULL AND split NOT IN ('train', 'test') THEN struct(id, split) END)")
                                .as("bad_split"));
        List<Row> rows = perGroup.collectAsList();
        if (rows.stream().mapToLong(r -> r.<Long>getAs("rows")).sum() == 0) {
            throw new InputException("input " + input + ": no rows");
        }

        List<GroupSummary> groups = new ArrayList<>();
        for (Row r : rows) groups.add(check(r));
        groups.sort(Comparator.comparing(g -> g.key().toString()));
        return groups;
    }

    private GroupSummary check(Row r) {
        GroupKey key = GroupKey.of(names.groupBy(), r);
        String where = "input " + input + ", group " + key + ": ";
        long rows = r.getAs("rows");
        long invalid = r.getAs("invalid");
        if (invalid > 0 && !dropInvalid) {
            throw new InputException(where + "column '" + names.features() + "': " + invalid + " of " + rows
                    + " rows have a missing, NaN or infinite value, or one outside float32 range (|x| > 3.4028235e38, which"
                    + " vectors are analysed in) (first: row id " + r.getAs("invalid_id")
                    + "); pass --drop-invalid to skip them");
        }
        long badSplits = r.getAs("bad_splits");
        if (badSplits > 0) {
            Row example = r.getAs("bad_split");
            throw new InputException(where + "column '" + names.split() + "': " + badSplits
                    + " rows have a split other than 'train' or 'test' (first: row id " + example.get(0)
                    + " has '" + example.get(1) + "')");
        }
        long kept = rows - invalid;
        if (kept == 0) {
            throw new InputException(where + "the group is empty after dropping " + invalid
                    + " invalid rows; " + requirement.analysis() + " needs at least " + requirement.minRows());
        }
        Row shortest = r.getAs("shortest");
        Row longest = r.getAs("longest");
        int minDim = shortest.getInt(0);
        int maxDim = longest.getInt(0);
        if (minDim != maxDim) {
            throw new InputException(where + "column '" + names.features() + "': vectors of different lengths: row id "
                    + shortest.get(1) + " has " + minDim + " values, row id " + longest.get(1) + " has " + maxDim);
        }
        if (minDim == 0) {
            throw new InputException(where + "column '" + names.features() + "': row id " + shortest.get(1)
                    + " has an empty vector");
        }
        GroupSummary summary = new GroupSummary(key, kept, r.getAs("train"), r.getAs("test"), minDim, invalid);
        requirement.check(input, names, summary);
        return summary;
    }
}
