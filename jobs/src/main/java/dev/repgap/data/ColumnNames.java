package dev.repgap.data;

import java.io.Serializable;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Which columns of the user's table hold what (MLlib style: column names are parameters): the user's column for
 * every {@link ColumnRole} (its default unless chosen), which roles' columns were chosen explicitly, and the
 * grouping columns. The loader renames the role columns to their canonical names, so the jobs never see user names.
 *
 * @param columns the user's column for each role; a role not in it reads its default column
 * @param given the roles whose column was chosen explicitly: when such a column is absent, it is an error rather than
 *              an absent optional column (or generated ids)
 */
public record ColumnNames(Map<ColumnRole, String> columns, Set<ColumnRole> given, List<String> groupBy)
        implements Serializable {
    public static final String FEATURES = ColumnRole.FEATURES.canonical();
    public static final String ID = ColumnRole.ID.canonical();
    public static final String SPLIT = ColumnRole.SPLIT.canonical();
    public static final String LABEL = ColumnRole.LABEL.canonical();
    public static final String TARGET = ColumnRole.TARGET.canonical();
    public static final String SOURCE = ColumnRole.SOURCE.canonical();
    public static final String INITIAL = ColumnRole.INITIAL.canonical();
    public static final String RESIDUAL = ColumnRole.RESIDUAL.canonical();
    public static final String NOISE = ColumnRole.NOISE.canonical();
    public static final String TRAIN = "train";
    public static final String TEST = "test";
    /**
     * The names repgap gives its own columns (every role's canonical name, in role order, so that messages list them
     * the same way on every run); grouping columns may not take them.
     */
    public static final Set<String> RESERVED = java.util.Collections.unmodifiableSet(new java.util.LinkedHashSet<>(
            Arrays.stream(ColumnRole.values()).map(ColumnRole::canonical).toList()));

    /** A column by its name as written, whatever characters it holds (dots, spaces, backticks). */
    public static org.apache.spark.sql.Column column(String name) {
        return org.apache.spark.sql.functions.col("`" + name.replace("`", "``") + "`");
    }

    public static org.apache.spark.sql.Column[] columns(java.util.List<String> names) {
        return names.stream().map(ColumnNames::column).toArray(org.apache.spark.sql.Column[]::new);
    }

    public ColumnNames {
        Map<ColumnRole, String> all = new EnumMap<>(ColumnRole.class);
        for (ColumnRole r : ColumnRole.values()) {
            String c = columns.get(r);
            all.put(r, c == null ? r.defaultColumn() : c);
        }
        columns = Map.copyOf(all);
        given = Set.copyOf(given);
        groupBy = List.copyOf(groupBy);
    }

    /** The core roles' columns; only the id's choice is recorded as explicit (other roles: their defaults). */
    public ColumnNames(String features, String id, boolean idGiven, String split, String label, List<String> groupBy) {
        this(core(features, id, split, label), idGiven ? Set.of(ColumnRole.ID) : Set.of(), groupBy);
    }

    /** Every role's default column, none chosen explicitly. */
    public static ColumnNames defaults(List<String> groupBy) {
        return new ColumnNames(Map.of(), Set.of(), groupBy);
    }

    /**
     * The columns a sweep spec's {@code columns:} names, by role key ({@code features}, {@code target}, ...); each
     * one named counts as chosen explicitly. Throws an InputException for a key that is no role's.
     */
    public static ColumnNames fromKeys(Map<String, String> byKey, List<String> groupBy) {
        Map<ColumnRole, String> columns = new EnumMap<>(ColumnRole.class);
        for (Map.Entry<String, String> e : byKey.entrySet()) {
            ColumnRole r = ColumnRole.bySpecKey(e.getKey());
            if (r == null) throw new InputException("unknown column role '" + e.getKey() + "'; expected any of " + specKeys());
            if (e.getValue() != null) columns.put(r, e.getValue());
        }
        return new ColumnNames(columns, columns.keySet(), groupBy);
    }

    /** The roles' sweep spec keys, in role order. */
    public static List<String> specKeys() {
        return Arrays.stream(ColumnRole.values()).map(ColumnRole::specKey).toList();
    }

    /** The same with {@code role} read from {@code column}, chosen explicitly (or not). */
    public ColumnNames with(ColumnRole role, String column, boolean explicit) {
        Map<ColumnRole, String> c = new EnumMap<>(columns);
        c.put(role, column);
        Set<ColumnRole> g = given.isEmpty() ? EnumSet.noneOf(ColumnRole.class) : EnumSet.copyOf(given);
        if (explicit) g.add(role);
        else g.remove(role);
        return new ColumnNames(c, g, groupBy);
    }

    /** The same grouped by other columns. */
    public ColumnNames withGroupBy(List<String> groups) {
        return new ColumnNames(columns, given, groups);
    }

    /** The user's column for {@code role}. */
    public String column(ColumnRole role) {
        return columns.get(role);
    }

    /** Whether the user chose the column for {@code role} explicitly. */
    public boolean given(ColumnRole role) {
        return given.contains(role);
    }

    public String features() {
        return column(ColumnRole.FEATURES);
    }

    public String id() {
        return column(ColumnRole.ID);
    }

    public boolean idGiven() {
        return given(ColumnRole.ID);
    }

    public String split() {
        return column(ColumnRole.SPLIT);
    }

    public String label() {
        return column(ColumnRole.LABEL);
    }

    private static Map<ColumnRole, String> core(String features, String id, String split, String label) {
        Map<ColumnRole, String> m = new LinkedHashMap<>();
        m.put(ColumnRole.FEATURES, features);
        m.put(ColumnRole.ID, id);
        m.put(ColumnRole.SPLIT, split);
        m.put(ColumnRole.LABEL, label);
        return m; // null values: the role's default
    }
}
