package dev.repgap.data;

import static org.apache.spark.sql.functions.col;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Row;

/** The classes of the training rows' labels (split train or unset), per group: as the validation pass found them, else in one query. */
public final class TrainingLabels {
    private TrainingLabels() {}

    /**
     * Per group of the data, the labels of its training rows read as strings (a group without training rows is absent).
     * A group with a training row without label is refused (bad input), the message ending with {@code need}
     * (e.g. "risk needs one-hot targets from labels ...").
     */
    public static Map<GroupKey, TreeSet<String>> classes(Activations data, String need) {
        Map<GroupKey, TreeSet<String>> classes = new LinkedHashMap<>();
        Map<GroupKey, Long> missing = new HashMap<>();
        if (data.groups().stream().allMatch(g -> g.trainingClasses() != null)) { // as the validation pass found them
            for (GroupSummary g : data.groups()) {
                if (!g.trainingClasses().isEmpty()) classes.put(g.key(), new TreeSet<>(g.trainingClasses()));
                if (g.unlabelledTraining() > 0) missing.put(g.key(), g.unlabelledTraining());
            }
        } else {
            query(data, classes, missing);
        }
        for (GroupSummary g : data.groups()) {
            Long none = missing.get(g.key());
            if (none != null) {
                throw new InputException("input " + data.input() + ", group " + g.key() + ": " + none + " training rows have"
                        + " no label in column '" + data.names().column(ColumnRole.LABEL) + "'; " + need);
            }
        }
        return classes;
    }

    private static void query(Activations data, Map<GroupKey, TreeSet<String>> classes, Map<GroupKey, Long> missing) {
        List<String> groupBy = data.names().groupBy();
        List<Column> keys = new ArrayList<>(List.of(ColumnNames.columns(groupBy)));
        keys.add(col(ColumnNames.LABEL).cast("string").as("_class"));
        for (Row r : data.rows().filter(col(ColumnNames.SPLIT).isNull().or(col(ColumnNames.SPLIT).notEqual(ColumnNames.TEST)))
                .groupBy(keys.toArray(new Column[0])).count().collectAsList()) {
            GroupKey key = GroupKey.of(groupBy, r);
            String c = r.getString(groupBy.size());
            if (c == null) missing.merge(key, r.getLong(groupBy.size() + 1), Long::sum);
            else classes.computeIfAbsent(key, k -> new TreeSet<>()).add(c);
        }
    }
}
