package dev.repgap.data;

import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.expr;
import static org.apache.spark.sql.functions.lit;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/** The per-group checks of the data contract, computed in one aggregation over the canonical table. */
final class GroupValidator {
    private final String input;
    private final ColumnNames names;
    private final boolean dropInvalid;
    private final Requirement requirement;
    private final Set<ColumnRole> roles;
    /** The vector roles read, each checked for invalid values and one length per group; the vectors first. */
    private final List<ColumnRole> vectors;

    /** {@code roles}: the roles whose columns the canonical table holds, read from the input. */
    GroupValidator(String input, ColumnNames names, boolean dropInvalid, Requirement requirement, Set<ColumnRole> roles) {
        this.input = input;
        this.names = names;
        this.dropInvalid = dropInvalid;
        this.requirement = requirement;
        this.roles = Set.copyOf(roles);
        List<ColumnRole> v = new ArrayList<>();
        for (ColumnRole r : ColumnRole.values()) if (r.kind().isVector() && (r == ColumnRole.FEATURES || roles.contains(r))) v.add(r);
        this.vectors = List.copyOf(v);
    }

    /**
     * The condition, over the canonical table, that a row's vector in a vector role's column is missing or holds a
     * null, NaN or infinite value (for the float vectors also one beyond float32 range, cast to infinity).
     * {@code array_contains} is compiled, unlike a lambda ({@code exists(features, x -> ...)}), which Spark
     * interprets element by element at about 15 times the cost. Its semantics do the work: it finds NaN
     * (Spark's equality holds for NaN = NaN), it is null when it finds no match but the array holds a null
     * element, and null when the vector itself is null; {@code coalesce(.., true)} turns both nulls into "invalid".
     */
    static String invalid(ColumnRole role) {
        String c = role.canonical();
        String type = role.kind() == ColumnRole.Kind.FLOAT_VECTOR ? "float" : "double";
        return "coalesce(array_contains(" + c + ", " + type + "('NaN'))"
                + " OR array_contains(" + c + ", " + type + "('inf')) OR array_contains(" + c + ", " + type + "('-inf')), true)";
    }

    /** The condition that a row holds an invalid value in any vector role's column: the rows --drop-invalid drops. */
    String invalid() {
        return vectors.stream().map(r -> "(" + invalid(r) + ")").collect(Collectors.joining(" OR "));
    }

    List<GroupSummary> validate(Dataset<Row> canonical) {
        Column[] keys = ColumnNames.columns(names.groupBy());
        Dataset<Row> flagged = canonical;
        for (ColumnRole r : vectors) flagged = flagged.withColumn("_invalid_" + r.canonical(), expr(invalid(r)));
        flagged = flagged.withColumn("_invalid", expr(vectors.stream().map(r -> "_invalid_" + r.canonical())
                .collect(Collectors.joining(" OR "))));
        List<Column> aggregates = new ArrayList<>(List.of(
                expr("count_if(_invalid)").as("invalid"),
                expr("count_if(NOT _invalid AND split = 'train')").as("train"),
                expr("count_if(NOT _invalid AND split = 'test')").as("test"),
                expr("count_if(split IS NOT NULL AND split NOT IN ('train', 'test'))").as("bad_splits"),
                expr("min(CASE WHEN split IS NOT NULL AND split NOT IN ('train', 'test') THEN struct(id, split) END)")
                        .as("bad_split")));
        for (ColumnRole r : vectors) {
            String c = r.canonical();
            String dim = "CASE WHEN _invalid THEN NULL ELSE size(" + c + ") END";
            aggregates.add(expr("count_if(_invalid_" + c + ")").as("invalid_" + c));
            aggregates.add(expr("min(CASE WHEN _invalid_" + c + " THEN id END)").as("invalid_id_" + c));
            aggregates.add(expr("min(CASE WHEN NOT _invalid THEN struct(" + dim + ", id) END)").as("shortest_" + c));
            aggregates.add(expr("max(CASE WHEN NOT _invalid THEN struct(" + dim + ", id) END)").as("longest_" + c));
        }
        Dataset<Row> perGroup = flagged.groupBy(keys).agg(count(lit(1)).as("rows"), aggregates.toArray(new Column[0]));
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
            for (ColumnRole v : vectors) {
                long bad = r.getAs("invalid_" + v.canonical());
                if (bad == 0) continue;
                throw new InputException(where + "column '" + names.column(v) + "': " + bad + " of " + rows
                        + " rows have a missing, NaN or infinite value" + (v.kind() == ColumnRole.Kind.FLOAT_VECTOR
                                ? ", or one outside float32 range (|x| > 3.4028235e38, which vectors are analysed in)" : "")
                        + " (first: row id " + r.getAs("invalid_id_" + v.canonical()) + "); pass --drop-invalid to skip them");
            }
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
        Map<ColumnRole, Integer> lengths = new EnumMap<>(ColumnRole.class);
        for (ColumnRole v : vectors) {
            String column = names.column(v);
            Row shortest = r.getAs("shortest_" + v.canonical());
            Row longest = r.getAs("longest_" + v.canonical());
            int minDim = shortest.getInt(0);
            int maxDim = longest.getInt(0);
            if (minDim != maxDim) {
                throw new InputException(where + "column '" + column + "': vectors of different lengths: row id "
                        + shortest.get(1) + " has " + minDim + " values, row id " + longest.get(1) + " has " + maxDim);
            }
            if (minDim == 0) {
                throw new InputException(where + "column '" + column + "': row id " + shortest.get(1)
                        + " has an empty vector");
            }
            lengths.put(v, minDim);
        }
        GroupSummary summary = new GroupSummary(key, kept, r.getAs("train"), r.getAs("test"),
                lengths.get(ColumnRole.FEATURES), invalid, roles, lengths);
        requirement.check(input, names, summary);
        return summary;
    }
}
