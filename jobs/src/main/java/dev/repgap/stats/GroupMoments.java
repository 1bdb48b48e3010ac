package dev.repgap.stats;

import static org.apache.spark.sql.functions.col;

import dev.repgap.data.Activations;
import dev.repgap.data.ColumnNames;
import dev.repgap.data.GroupKey;
import dev.repgap.data.GroupSummary;
import java.io.Serializable;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import org.apache.spark.api.java.JavaPairRDD;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.catalyst.InternalRow;
import org.apache.spark.sql.types.DataTypes;
import scala.Tuple2;

/**
 * {@link Moments} of many groups in one Spark pass. Every task reads its rows once and fills one state
 * per (group, side) it meets, a block of rows at a time; the states of all tasks are merged by key
 * ({@code reduceByKey}) and collected. A side splits a group's rows, e.g. into train and test rows, so
 * that an analysis needing both gets them from the same pass. A task holds at most
 * {@link #TASK_BYTES} of open states: past that it hands on its largest state (the merge takes a key's
 * states from a task in any number of pieces), so groups of long vectors in one partition do not
 * exhaust its memory.
 */
public final class GroupMoments {
    /** Memory a task may hold in open states before it hands the largest on. */
    public static final long TASK_BYTES = 256L << 20;

    /** Which side of its group a row goes to, from its split ({@code train}, {@code test} or null); -1 skips it. */
    @FunctionalInterface
    public interface Sides extends Serializable {
        int side(String split);
    }

    /** Every row on side 0. */
    public static final Sides ALL = split -> 0;
    /** Test rows on side 1, train and unsplit rows on side 0 (unsplit rows are training rows where a side is needed). */
    public static final Sides TRAIN_TEST = split -> ColumnNames.TEST.equals(split) ? 1 : 0;

    private GroupMoments() {}

    /** One state per group over all its rows, in the order of {@code groups} (a subset of the data's groups). */
    public static List<Moments> byGroup(Activations data, List<GroupSummary> groups) {
        Moments[][] states = compute(data, groups, ALL, 1, null, 0);
        List<Moments> out = new ArrayList<>();
        for (Moments[] s : states) out.add(s[0]);
        return out;
    }

    /**
     * Per group of {@code groups}, {@code [train, test]} states (unsplit rows count as train), with the
     * targets of the array column {@code targets} (numbers, {@code targetDim} per row; null: none).
     */
    public static List<Moments[]> trainTest(Activations data, List<GroupSummary> groups, Column targets,
                                            int targetDim) {
        return Arrays.asList(compute(data, groups, TRAIN_TEST, 2, targets, targetDim));
    }

    /**
     * The general form: {@code result[g][s]} is the state of group {@code groups.get(g)}, side {@code s} (of
     * {@code sides}), an empty state where no row went. Targets, if given, are an array column of numbers
     * of length {@code targetDim} in every row taken (read as double).
     */
    public static Moments[][] compute(Activations data, List<GroupSummary> groups, Sides sideOf, int sides,
                                      Column targets, int targetDim) {
        return compute(data, groups, sideOf, sides, targets, targetDim, TASK_BYTES);
    }

    /** As above, with at most {@code taskBytes} of open states per task. */
    static Moments[][] compute(Activations data, List<GroupSummary> groups, Sides sideOf, int sides, Column targets,
                               int targetDim, long taskBytes) {
        List<String> groupBy = data.names().groupBy();
        Map<List<String>, Integer> index = index(groups);
        int[] dims = new int[groups.size()];
        for (int g = 0; g < groups.size(); g++) dims[g] = groups.get(g).dim();
        int q = targets == null ? 0 : targetDim;
        Moments[][] out = new Moments[groups.size()][sides];
        if (!groups.isEmpty()) {
            int n = groupBy.size();
            JavaPairRDD<Integer, Moments> partial = passRows(data, targets)
                    .mapPartitions(rows -> new Filling(rows, n, index, dims, sideOf, sides, q, taskBytes))
                    .mapToPair(t -> t);
            int partitions = Math.max(1, Math.min(groups.size() * sides, partial.getNumPartitions()));
            for (Map.Entry<Integer, Moments> e : partial.reduceByKey(Moments::addAll, partitions).collectAsMap().entrySet()) {
                out[e.getKey() / sides][e.getKey() % sides] = e.getValue();
            }
        }
        for (int g = 0; g < groups.size(); g++) {
            for (int s = 0; s < sides; s++) {
                if (out[g][s] == null) out[g][s] = Moments.of(dims[g], q);
            }
        }
        return out;
    }

    /** Each group's key values (as a row holds them) to its place in {@code groups}. */
    static Map<List<String>, Integer> index(List<GroupSummary> groups) {
        Map<List<String>, Integer> index = new HashMap<>();
        for (int g = 0; g < groups.size(); g++) index.put(new ArrayList<>(groups.get(g).key().values().values()), g);
        return index;
    }

    /**
     * The rows as a pass reads them: the group columns (strings), the split, the vectors and, when {@code targets} is
     * given, the targets as an array of doubles, in that order.
     */
    static JavaRDD<InternalRow> passRows(Activations data, Column targets) {
        List<Column> columns = new ArrayList<>(List.of(ColumnNames.columns(data.names().groupBy())));
        columns.add(col(ColumnNames.SPLIT));
        columns.add(col(ColumnNames.FEATURES));
        if (targets != null) columns.add(targets.cast(DataTypes.createArrayType(DataTypes.DoubleType)));
        return data.rows().select(columns.toArray(new Column[0])).queryExecution().toRdd().toJavaRDD();
    }

    /** The place in the index of the group of a row of {@link #passRows}, or -1 for a group not asked for. */
    static int groupOf(InternalRow r, int groupColumns, Map<List<String>, Integer> index) {
        Integer group = index.get(GroupKey.values(r, groupColumns));
        return group == null ? -1 : group;
    }

    /** The side of a row of {@link #passRows} (-1: skipped). */
    static int sideOf(InternalRow r, int groupColumns, Sides sides) {
        return sides.side(r.isNullAt(groupColumns) ? null : r.getUTF8String(groupColumns).toString());
    }

    /** A task's states, filled from its rows; yields a state when it is handed on early, then all the rest. */
    private static final class Filling implements Iterator<Tuple2<Integer, Moments>> {
        private final Iterator<InternalRow> rows;
        private final int groupColumns;
        private final Map<List<String>, Integer> index;
        private final int[] dims;
        private final Sides sideOf;
        private final int sides;
        private final int targets;
        private final long taskBytes;
        private final LinkedHashMap<Integer, Moments> open = new LinkedHashMap<>();
        private final ArrayDeque<Tuple2<Integer, Moments>> ready = new ArrayDeque<>();
        private long bytes;
        private boolean drained;

        Filling(Iterator<InternalRow> rows, int groupColumns, Map<List<String>, Integer> index, int[] dims, Sides sideOf,
                int sides, int targets, long taskBytes) {
            this.rows = rows;
            this.taskBytes = taskBytes;
            this.groupColumns = groupColumns;
            this.index = index;
            this.dims = dims;
            this.sideOf = sideOf;
            this.sides = sides;
            this.targets = targets;
        }

        @Override
        public boolean hasNext() {
            while (ready.isEmpty() && !drained) {
                if (rows.hasNext()) {
                    add(rows.next());
                } else {
                    for (Map.Entry<Integer, Moments> e : open.entrySet()) ready.add(handOn(e.getKey(), e.getValue()));
                    open.clear();
                    drained = true;
                }
            }
            return !ready.isEmpty();
        }

        @Override
        public Tuple2<Integer, Moments> next() {
            if (!hasNext()) throw new NoSuchElementException();
            return ready.poll();
        }

        private void add(InternalRow r) {
            int group = groupOf(r, groupColumns, index);
            if (group < 0) return; // a group the caller did not ask for
            int side = sideOf(r, groupColumns, sideOf);
            if (side < 0) return;
            int key = group * sides + side;
            Moments state = open.get(key);
            if (state == null) {
                long size = stateBytes(dims[group], targets);
                while (!open.isEmpty() && bytes + size > taskBytes) handOnLargest();
                state = Moments.of(dims[group], targets);
                open.put(key, state);
                bytes += size;
            }
            float[] x = r.getArray(groupColumns + 1).toFloatArray();
            if (x.length != dims[group]) {
                throw new IllegalStateException("a row of " + x.length + " values in a group of vectors of length " + dims[group]);
            }
            if (targets == 0) {
                state.addRow(x);
            } else {
                double[] y = r.getArray(groupColumns + 2).toDoubleArray();
                if (y.length != targets) {
                    throw new IllegalStateException("a row with " + y.length + " targets where " + targets + " are expected");
                }
                state.addRow(x, y);
            }
        }

        private void handOnLargest() {
            int largest = -1;
            long most = -1;
            for (Map.Entry<Integer, Moments> e : open.entrySet()) {
                long size = stateBytes(e.getValue().dim(), targets);
                if (size > most) {
                    most = size;
                    largest = e.getKey();
                }
            }
            ready.add(handOn(largest, open.remove(largest)));
            bytes -= most;
        }

        private static Tuple2<Integer, Moments> handOn(int key, Moments state) {
            state.flush();
            return new Tuple2<>(key, state);
        }

        /** Second moments and a block of pending rows, in bytes. */
        private static long stateBytes(int dim, int targets) {
            long d = dim + targets;
            return 8 * (d * d + 512 * d);
        }
    }
}
