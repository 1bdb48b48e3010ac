package dev.repgap.stats;

import dev.repgap.data.Activations;
import dev.repgap.data.GroupSummary;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.api.java.JavaPairRDD;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.catalyst.InternalRow;
import scala.Tuple2;

/**
 * One pass over the rows of many groups that feeds every row to a per-group accumulator and merges the
 * accumulators of all tasks by group: the pass an analysis makes after it has fitted something on the driver (a
 * small object the accumulators' factory reaches through a broadcast) and needs a sum over rows of what that fit
 * says about each row, e.g. leave-one-out residuals of a ridge fit from its eigenvectors. Rows go to a side of their
 * group as in {@link GroupMoments} (train 0, test 1, or skipped).
 */
public final class GroupRowPass {
    private GroupRowPass() {}

    /** Per-group state of the pass: rows in, mergeable, serialisable (whatever it buffers it adds before it is sent). */
    public interface Accumulator<A extends Accumulator<A>> extends Serializable {
        /** One row of the group on {@code side}, with its targets (null without). */
        void add(int side, float[] x, double[] y);

        /** This state with the other's rows added (returns this or a new state). */
        A merge(A other);
    }

    /** Makes group {@code g}'s empty accumulator, on the executors (so it may read broadcasts) and on the driver. */
    @FunctionalInterface
    public interface Factory<A> extends Serializable {
        A create(int group);
    }

    /**
     * The accumulators of {@code groups}, in their order, after one pass over their rows: {@code targets} (null:
     * none) is an array column of {@code targetDim} numbers per row, read as double.
     */
    public static <A extends Accumulator<A>> List<A> run(Activations data, List<GroupSummary> groups,
                                                         GroupMoments.Sides sideOf, Column targets, int targetDim,
                                                         Factory<A> factory) {
        Map<List<String>, Integer> index = GroupMoments.index(groups);
        List<A> out = new ArrayList<>();
        for (int g = 0; g < groups.size(); g++) out.add(null);
        if (!groups.isEmpty()) {
            int n = data.names().groupBy().size();
            boolean withTargets = targets != null;
            JavaPairRDD<Integer, A> partial = GroupMoments.passRows(data, targets)
                    .mapPartitions(rows -> fill(rows, n, index, sideOf, withTargets, targetDim, factory))
                    .mapToPair(t -> t);
            int partitions = Math.max(1, Math.min(groups.size(), partial.getNumPartitions()));
            for (Map.Entry<Integer, A> e : partial.reduceByKey(Accumulator::merge, partitions).collectAsMap().entrySet()) {
                out.set(e.getKey(), e.getValue());
            }
        }
        for (int g = 0; g < groups.size(); g++) if (out.get(g) == null) out.set(g, factory.create(g));
        return out;
    }

    private static <A extends Accumulator<A>> Iterator<Tuple2<Integer, A>> fill(
            Iterator<InternalRow> rows, int groupColumns, Map<List<String>, Integer> index, GroupMoments.Sides sideOf,
            boolean withTargets, int targetDim, Factory<A> factory) {
        LinkedHashMap<Integer, A> open = new LinkedHashMap<>();
        while (rows.hasNext()) {
            InternalRow r = rows.next();
            int group = GroupMoments.groupOf(r, groupColumns, index);
            if (group < 0) continue;
            int side = GroupMoments.sideOf(r, groupColumns, sideOf);
            if (side < 0) continue;
            float[] x = r.getArray(groupColumns + 1).toFloatArray();
            double[] y = null;
            if (withTargets) {
                y = r.getArray(groupColumns + 2).toDoubleArray();
                if (y.length != targetDim) {
                    throw new IllegalStateException("a row with " + y.length + " targets where " + targetDim + " are expected");
                }
            }
            open.computeIfAbsent(group, factory::create).add(side, x, y);
        }
        List<Tuple2<Integer, A>> out = new ArrayList<>();
        open.forEach((g, a) -> out.add(new Tuple2<>(g, a)));
        return out.iterator();
    }
}
