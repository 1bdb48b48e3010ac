package dev.repgap.data;

import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * A validated activation table in canonical form: columns {@code id} (long or string),
 * {@code features} (array&lt;float&gt;, no NaN or infinity, one length per group), {@code split}
 * (train, test or null), {@code label}, and the group-by columns as strings.
 */
public record Activations(String input, Dataset<Row> rows, ColumnNames names, List<GroupSummary> groups,
                          boolean idsGenerated) {
    public long droppedInvalid() {
        return groups.stream().mapToLong(GroupSummary::droppedInvalid).sum();
    }
}
