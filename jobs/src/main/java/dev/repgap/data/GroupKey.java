package dev.repgap.data;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.catalyst.InternalRow;
import org.apache.spark.sql.functions;

/** The values of the --group-by columns that name one group (all strings; null stays null). */
public record GroupKey(LinkedHashMap<String, String> values) implements Serializable {

    public static final GroupKey ALL = new GroupKey(new LinkedHashMap<>());

    public static GroupKey of(List<String> columns, Row row) {
        LinkedHashMap<String, String> values = new LinkedHashMap<>();
        for (String c : columns) {
            Object v = row.getAs(c);
            values.put(c, v == null ? null : v.toString());
        }
        return new GroupKey(values);
    }

    /**
     * The first {@code count} columns of a row read as strings, null kept: a group's values from a row whose first
     * columns are the group columns (strings after loading).
     */
    public static List<String> values(InternalRow row, int count) {
        List<String> values = new ArrayList<>(count);
        for (int i = 0; i < count; i++) values.add(row.isNullAt(i) ? null : row.getUTF8String(i).toString());
        return values;
    }

    /** The group whose columns hold these values, in order. */
    public static GroupKey of(List<String> columns, List<String> values) {
        LinkedHashMap<String, String> map = new LinkedHashMap<>();
        for (int i = 0; i < columns.size(); i++) map.put(columns.get(i), values.get(i));
        return new GroupKey(map);
    }

    /** A filter that selects this group's rows (group columns are strings after loading). */
    public Column filter() {
        Column c = functions.lit(true);
        for (Map.Entry<String, String> e : values.entrySet()) {
            Column col = ColumnNames.column(e.getKey());
            c = c.and(e.getValue() == null ? col.isNull() : col.equalTo(e.getValue()));
        }
        return c;
    }

    /** A filter that selects the rows of any of these groups. */
    public static Column anyOf(List<GroupKey> groups) {
        Column c = functions.lit(false);
        for (GroupKey g : groups) c = c.or(g.filter());
        return c;
    }

    public List<String> columns() {
        return new ArrayList<>(values.keySet());
    }

    /** {@code model=resnet layer=4}, or {@code (all rows)} without --group-by. */
    @Override
    public String toString() {
        if (values.isEmpty()) return "(all rows)";
        return values.entrySet().stream().map(e -> e.getKey() + "=" + e.getValue())
                .collect(Collectors.joining(" "));
    }
}
