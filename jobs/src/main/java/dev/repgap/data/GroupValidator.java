package dev.repgap.data;

import static org.apache.spark.sql.functions.col;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.catalyst.InternalRow;
import org.apache.spark.sql.catalyst.util.ArrayData;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.unsafe.types.UTF8String;

/**
 * The per-group checks of the data contract, tallied in one pass over the canonical table (the pass that also fills
 * its cache): each task tallies its rows per group, the driver merges the tallies and checks them.
 */
final class GroupValidator {
    private static final UTF8String TRAIN = UTF8String.fromString(ColumnNames.TRAIN);
    private static final UTF8String TEST = UTF8String.fromString(ColumnNames.TEST);

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
     * null, NaN or infinite value (for the float vectors also one beyond float32 range, cast to infinity): the
     * same test as {@link Tally#invalid}, for Spark. {@code array_contains} is compiled, unlike a lambda
     * ({@code exists(features, x -> ...)}), which Spark interprets element by element at about 15 times the cost.
     * Its semantics do the work: it finds NaN (Spark's equality holds for NaN = NaN), it is null when it finds no
     * match but the array holds a null element, and null when the vector itself is null; {@code coalesce(.., true)}
     * turns both nulls into "invalid".
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
        int groupColumns = names.groupBy().size();
        List<Column> columns = new ArrayList<>(List.of(ColumnNames.columns(names.groupBy())));
        columns.add(col(ColumnNames.ID));
        columns.add(col(ColumnNames.SPLIT));
        columns.add(col(ColumnNames.LABEL).cast(DataTypes.StringType));
        boolean[] floats = new boolean[vectors.size()];
        for (int v = 0; v < vectors.size(); v++) {
            columns.add(col(vectors.get(v).canonical()));
            floats[v] = vectors.get(v).kind() == ColumnRole.Kind.FLOAT_VECTOR;
        }
        Dataset<Row> selected = canonical.select(columns.toArray(new Column[0]));
        boolean longIds = selected.schema().fields()[groupColumns].dataType() == DataTypes.LongType;
        JavaRDD<InternalRow> rows = selected.queryExecution().toRdd().toJavaRDD();
        List<Map<List<String>, Tally>> parts = rows.mapPartitions(it -> {
            Map<List<String>, Tally> part = new HashMap<>();
            while (it.hasNext()) {
                InternalRow r = it.next();
                part.computeIfAbsent(GroupKey.values(r, groupColumns), k -> new Tally(floats.length)).add(r, groupColumns, longIds, floats);
            }
            return List.of(part).iterator();
        }).collect();
        Map<List<String>, Tally> tallies = new HashMap<>();
        for (Map<List<String>, Tally> part : parts) part.forEach((key, t) -> tallies.merge(key, t, Tally::merge));
        if (tallies.values().stream().mapToLong(t -> t.rows).sum() == 0) {
            throw new InputException("input " + input + ": no rows");
        }

        List<GroupSummary> groups = new ArrayList<>();
        tallies.forEach((key, tally) -> groups.add(check(GroupKey.of(names.groupBy(), key), tally)));
        groups.sort(Comparator.comparing(g -> g.key().toString()));
        return groups;
    }

    private GroupSummary check(GroupKey key, Tally t) {
        String where = "input " + input + ", group " + key + ": ";
        if (t.invalid > 0 && !dropInvalid) {
            for (int v = 0; v < vectors.size(); v++) {
                if (t.invalidIn[v] == 0) continue;
                ColumnRole role = vectors.get(v);
                throw new InputException(where + "column '" + names.column(role) + "': " + t.invalidIn[v] + " of " + t.rows
                        + " rows have a missing, NaN or infinite value" + (role.kind() == ColumnRole.Kind.FLOAT_VECTOR
                                ? ", or one outside float32 range (|x| > 3.4028235e38, which vectors are analysed in)" : "")
                        + " (first: row id " + t.firstInvalidId[v] + "); pass --drop-invalid to skip them");
            }
        }
        if (t.badSplits > 0) {
            throw new InputException(where + "column '" + names.split() + "': " + t.badSplits
                    + " rows have a split other than 'train' or 'test' (first: row id " + t.badSplitId
                    + " has '" + t.badSplit + "')");
        }
        long kept = t.rows - t.invalid;
        if (kept == 0) {
            throw new InputException(where + "the group is empty after dropping " + t.invalid
                    + " invalid rows; " + requirement.analysis() + " needs at least " + requirement.minRows());
        }
        Map<ColumnRole, Integer> lengths = new EnumMap<>(ColumnRole.class);
        for (int v = 0; v < vectors.size(); v++) {
            String column = names.column(vectors.get(v));
            if (t.shortest[v] != t.longest[v]) {
                throw new InputException(where + "column '" + column + "': vectors of different lengths: row id "
                        + t.shortestId[v] + " has " + t.shortest[v] + " values, row id " + t.longestId[v] + " has "
                        + t.longest[v]);
            }
            if (t.shortest[v] == 0) {
                throw new InputException(where + "column '" + column + "': row id " + t.shortestId[v]
                        + " has an empty vector");
            }
            lengths.put(vectors.get(v), t.shortest[v]);
        }
        GroupSummary summary = new GroupSummary(key, kept, t.train, t.test, lengths.get(ColumnRole.FEATURES), t.invalid,
                roles, lengths, t.classes == null ? null : t.classes.stream().map(UTF8String::toString)
                        .collect(Collectors.toCollection(TreeSet::new)), t.unlabelled);
        requirement.check(input, names, summary);
        return summary;
    }

    /**
     * One group's counts and the rows the messages name, over some of its rows. Where a message names "the first"
     * row, it is the one of least id (ids compare as longs or as UTF-8 bytes, a missing id first), so the tally does
     * not depend on how the rows are partitioned.
     */
    private static final class Tally implements Serializable {
        long rows;
        /** Rows with an invalid value in any vector column. */
        long invalid;
        long train;
        long test;
        long badSplits;
        Object badSplitId;
        String badSplit;
        /** Per vector role: rows invalid in it and the least id among them. */
        final long[] invalidIn;
        final Object[] firstInvalidId;
        /** Per vector role, over the valid rows: the least and greatest length, each with the least id that has it. */
        final int[] shortest;
        final Object[] shortestId;
        final int[] longest;
        final Object[] longestId;
        boolean anyValid;
        /** The labels of the valid training rows (split train or unset), while at most MAX_CLASSES; else null. */
        Set<UTF8String> classes = new HashSet<>();
        long unlabelled;

        Tally(int vectors) {
            invalidIn = new long[vectors];
            firstInvalidId = new Object[vectors];
            shortest = new int[vectors];
            shortestId = new Object[vectors];
            longest = new int[vectors];
            longestId = new Object[vectors];
        }

        /**
         * Adds a row: group columns, then id, split, label (as a string) and the vector columns ({@code floats[v]}:
         * float, else double).
         */
        void add(InternalRow r, int at, boolean longIds, boolean[] floats) {
            rows++;
            Object id = r.isNullAt(at) ? null : longIds ? (Object) r.getLong(at) : r.getUTF8String(at).clone();
            UTF8String split = r.isNullAt(at + 1) ? null : r.getUTF8String(at + 1);
            if (split != null && !split.equals(TRAIN) && !split.equals(TEST)) noteBadSplit(1, id, split.toString());
            boolean rowInvalid = false;
            for (int v = 0; v < floats.length; v++) {
                if (invalid(r, at + 3 + v, floats[v])) {
                    rowInvalid = true;
                    noteInvalid(v, 1, id);
                }
            }
            if (rowInvalid) {
                invalid++;
                return;
            }
            if (TRAIN.equals(split)) train++;
            else if (TEST.equals(split)) test++;
            if (!TEST.equals(split)) {
                if (r.isNullAt(at + 2)) unlabelled++;
                else if (classes != null && !classes.contains(r.getUTF8String(at + 2))) noteClasses(Set.of(r.getUTF8String(at + 2).clone()));
            }
            for (int v = 0; v < floats.length; v++) {
                int dim = r.getArray(at + 3 + v).numElements();
                noteLengths(v, dim, id, dim, id);
            }
            anyValid = true;
        }

        Tally merge(Tally o) {
            if (o.badSplits > 0) noteBadSplit(o.badSplits, o.badSplitId, o.badSplit);
            for (int v = 0; v < invalidIn.length; v++) {
                if (o.invalidIn[v] > 0) noteInvalid(v, o.invalidIn[v], o.firstInvalidId[v]);
                if (o.anyValid) noteLengths(v, o.shortest[v], o.shortestId[v], o.longest[v], o.longestId[v]);
            }
            anyValid |= o.anyValid;
            if (o.classes == null) classes = null;
            else noteClasses(o.classes);
            unlabelled += o.unlabelled;
            rows += o.rows;
            invalid += o.invalid;
            train += o.train;
            test += o.test;
            return this;
        }

        private void noteClasses(Set<UTF8String> labels) {
            if (classes == null) return;
            classes.addAll(labels);
            if (classes.size() > GroupSummary.MAX_CLASSES) classes = null;
        }

        /** Rows with a split other than train or test; the least (id, split) of them is named. */
        private void noteBadSplit(long count, Object id, String split) {
            if (badSplits == 0 || compareIds(id, badSplitId) < 0 || compareIds(id, badSplitId) == 0 && split.compareTo(badSplit) < 0) {
                badSplitId = id;
                badSplit = split;
            }
            badSplits += count;
        }

        /** Rows invalid in vector role v; the least id among them is named (a missing id only when no other is there). */
        private void noteInvalid(int v, long count, Object id) {
            if (id != null && (firstInvalidId[v] == null || compareIds(id, firstInvalidId[v]) < 0)) firstInvalidId[v] = id;
            invalidIn[v] += count;
        }

        /**
         * Valid rows' lengths in vector role v: the least (length, id) and the greatest (length, id) are named, as
         * Spark's min and max of struct(length, id) would.
         */
        private void noteLengths(int v, int shortDim, Object shortId, int longDim, Object longId) {
            if (!anyValid || shortDim < shortest[v] || shortDim == shortest[v] && compareIds(shortId, shortestId[v]) < 0) {
                shortest[v] = shortDim;
                shortestId[v] = shortId;
            }
            if (!anyValid || longDim > longest[v] || longDim == longest[v] && compareIds(longId, longestId[v]) > 0) {
                longest[v] = longDim;
                longestId[v] = longId;
            }
        }

        /** Whether the vector is missing or holds a null, NaN or infinite value. */
        private static boolean invalid(InternalRow r, int column, boolean floats) {
            if (r.isNullAt(column)) return true;
            ArrayData a = r.getArray(column);
            int n = a.numElements();
            for (int i = 0; i < n; i++) {
                if (a.isNullAt(i)) return true;
                if (floats ? !Float.isFinite(a.getFloat(i)) : !Double.isFinite(a.getDouble(i))) return true;
            }
            return false;
        }

        /** Ids in Spark's ascending order: longs, or strings by their UTF-8 bytes; a missing id first. */
        @SuppressWarnings("unchecked")
        private static int compareIds(Object a, Object b) {
            if (a == null || b == null) return a == null ? (b == null ? 0 : -1) : 1;
            return ((Comparable<Object>) a).compareTo(b);
        }
    }
}
