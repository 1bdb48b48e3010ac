package dev.repgap.data;

import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * A validated activation table in canonical form: columns {@code id} (long or string),
 * {@code features} (array&lt;float&gt;, no NaN or infinity, one length per group), {@code split}
 * (train, test or null), {@code label}, and the group-by columns as strings.
 */
public record Activations(String input, Dataset<Row> rows, ColumnNames names, List<GroupSummary> groups,
                          boolean idsGenerated) {
    /** The same table restricted to these groups (a filter over the cached rows; nothing is read again). */
    public Activations restrict(List<GroupKey> keys) {
        Set<GroupKey> keep = new HashSet<>(keys);
        List<GroupSummary> kept = groups.stream().filter(g -> keep.contains(g.key())).toList();
        return new Activations(input, names.groupBy().isEmpty() ? rows : rows.filter(GroupKey.anyOf(keys)), names, kept,
                idsGenerated);
    }

    public long droppedInvalid() {
        return groups.stream().mapToLong(GroupSummary::droppedInvalid).sum();
    }
}
