package dev.repgap.results;

import dev.repgap.analysis.OptionException;
import dev.repgap.data.GroupKey;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

/**
 * A table of a results repository, declared once: its name (a directory of the repository), the analysis whose
 * metric rows commit its rows (null for the repository's own tables), its typed columns before and after the
 * group columns, and the columns that order its rows within a group. Writers make rows with {@link #rows};
 * readers find the group columns of a stored table with {@link #groupColumns}: every column that is not declared.
 *
 * @param before columns before the group columns (the run's identity)
 * @param after columns after the group columns (what the rows hold)
 * @param order declared columns that order rows within a run and group (exports are sorted by them)
 */
public record ResultTable(String name, String analysis, List<StructField> before, List<StructField> after,
                          List<String> order) {
    /** The partition column every table gets from its directory layout ({@code run_date=...}). */
    public static final String RUN_DATE = "run_date";

    public ResultTable {
        before = List.copyOf(before);
        after = List.copyOf(after);
        order = List.copyOf(order);
    }

    /** A side table of {@code analysis}: {@code run_id}, the group columns, then {@code columns}. */
    public static ResultTable side(String name, String analysis, List<StructField> columns, String... order) {
        return new ResultTable(name, analysis, List.of(column("run_id", DataTypes.StringType)), columns, List.of(order));
    }

    /** A nullable column. */
    public static StructField column(String name, DataType type) {
        return DataTypes.createStructField(name, type, true);
    }

    /** The declared columns' names (not the group columns), and the partition column. */
    public Set<String> declared() {
        Set<String> out = new LinkedHashSet<>();
        for (StructField f : before) out.add(f.name());
        for (StructField f : after) out.add(f.name());
        out.add(RUN_DATE);
        return out;
    }

    /** The group columns of a stored table of this kind: every column not declared, in the table's order. */
    public List<String> groupColumns(StructType schema) {
        Set<String> declared = declared();
        List<String> out = new ArrayList<>();
        for (String f : schema.fieldNames()) if (!declared.contains(f)) out.add(f);
        return out;
    }

    /**
     * Fails when a grouping column takes the name of a declared column: the rows could not hold both. Run before
     * any work, so that the clash costs nothing.
     */
    public void checkGroupColumns(Collection<String> groupBy) {
        Set<String> declared = declared();
        for (String g : groupBy) {
            if (declared.contains(g.toLowerCase(java.util.Locale.ROOT)) || declared.contains(g)) {
                throw new OptionException("--group-by column '" + g + "' clashes with a column of the results table '"
                        + name + "' (" + String.join(", ", new java.util.TreeSet<>(declared)) + "); group by a column with"
                        + " another name");
            }
        }
    }

    /** The schema for these group columns (strings). */
    public StructType schema(Collection<String> groupColumns) {
        List<StructField> fields = new ArrayList<>(before);
        for (String g : groupColumns) fields.add(column(g, DataTypes.StringType));
        fields.addAll(after);
        return new StructType(fields.toArray(new StructField[0]));
    }

    /** Rows of this table for the groups {@code keys} (their columns, in first-seen order, are the group columns). */
    public Rows rows(Collection<GroupKey> keys) {
        Set<String> groupColumns = new LinkedHashSet<>();
        for (GroupKey k : keys) groupColumns.addAll(k.columns());
        checkGroupColumns(groupColumns);
        return new Rows(groupColumns);
    }

    /** Rows being made; {@link #add} takes the declared columns' values in order, the group's values go between. */
    public final class Rows {
        private final Set<String> groupColumns;
        private final List<Row> rows = new ArrayList<>();

        private Rows(Set<String> groupColumns) {
            this.groupColumns = groupColumns;
        }

        /** Adds a row: {@code values} are the {@code before} columns' values, then the {@code after} columns'. */
        public Rows add(GroupKey group, Object... values) {
            if (values.length != before.size() + after.size()) {
                throw new IllegalArgumentException("table " + name + ": " + values.length + " values for "
                        + (before.size() + after.size()) + " declared columns");
            }
            List<Object> v = new ArrayList<>(values.length + groupColumns.size());
            v.addAll(Arrays.asList(values).subList(0, before.size()));
            for (String g : groupColumns) v.add(group == null ? null : group.values().get(g));
            v.addAll(Arrays.asList(values).subList(before.size(), values.length));
            rows.add(RowFactory.create(v.toArray()));
            return this;
        }

        public int size() {
            return rows.size();
        }

        public Dataset<Row> frame(SparkSession spark) {
            return spark.createDataFrame(rows, schema(groupColumns));
        }
    }
}
