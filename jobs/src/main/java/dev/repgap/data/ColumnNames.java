package dev.repgap.data;

import java.io.Serializable;
import java.util.List;

/**
 * Which columns of the user's table hold what (MLlib style: column names are parameters).
 * The loader renames them to the canonical names below, so the jobs never see user names.
 */
public record ColumnNames(String features, String id, boolean idGiven, String split, String label,
                          List<String> groupBy) implements Serializable {
    public static final String FEATURES = "features";
    public static final String ID = "id";
    public static final String SPLIT = "split";
    public static final String LABEL = "label";
    public static final String TRAIN = "train";
    public static final String TEST = "test";
    /** The names repgap gives its own columns; grouping columns may not take them. */
    public static final java.util.Set<String> RESERVED = java.util.Set.of(FEATURES, ID, SPLIT, LABEL);

    /** A column by its name as written, whatever characters it holds (dots, spaces, backticks). */
    public static org.apache.spark.sql.Column column(String name) {
        return org.apache.spark.sql.functions.col("`" + name.replace("`", "``") + "`");
    }

    public static org.apache.spark.sql.Column[] columns(java.util.List<String> names) {
        return names.stream().map(ColumnNames::column).toArray(org.apache.spark.sql.Column[]::new);
    }

    public ColumnNames {
        groupBy = List.copyOf(groupBy);
    }
}
