package dev.repgap.data;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.expr;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.when;

import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import org.apache.spark.sql.Column;
import java.util.List;
import java.util.Set;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * A validated activation table in canonical form: columns {@code id} (long or string),
 * {@code features} (array&lt;float&gt;, no NaN or infinity, one length per group), {@code split}
 * (train, test or null), {@code label}, the group-by columns as strings, and the canonical column of every other
 * role that was read ({@link #has}): numeric vectors ({@code target}, {@code initial}) as array&lt;double&gt;, finite,
 * one length per group; ids ({@code source}) as long or string. {@code dropInvalid}: the user asked to drop invalid
 * rows rather than refuse them ({@code --drop-invalid}), which an analysis with its own validity rules also honours.
 */
public record Activations(String input, Dataset<Row> rows, ColumnNames names, List<GroupSummary> groups,
                          boolean idsGenerated, boolean dropInvalid) {
    /** Invalid rows refused ({@code dropInvalid} false). */
    public Activations(String input, Dataset<Row> rows, ColumnNames names, List<GroupSummary> groups, boolean idsGenerated) {
        this(input, rows, names, groups, idsGenerated, false);
    }

    /** The same table restricted to these groups (a filter over the cached rows; nothing is read again). */
    public Activations restrict(List<GroupKey> keys) {
        Set<GroupKey> keep = new HashSet<>(keys);
        List<GroupSummary> kept = groups.stream().filter(g -> keep.contains(g.key())).toList();
        return new Activations(input, names.groupBy().isEmpty() ? rows : rows.filter(GroupKey.anyOf(keys)), names, kept,
                idsGenerated, dropInvalid);
    }

    /**
     * The same table with a seeded fraction of each group's unsplit rows made test rows and the rest train rows;
     * rows with a split keep it. A row is chosen by a hash of its id and the seed, so the choice does not depend
     * on partitioning or on the other rows. Counts the groups' rows per split anew (one pass over the rows).
     */
    public Activations holdOut(double testFraction, long seed) {
        Column u = expr("(xxhash64(id, CAST(" + seed + " AS BIGINT)) & 9007199254740991) / 9007199254740992.0");
        Column split = col(ColumnNames.SPLIT);
        Dataset<Row> resplit = rows.withColumn(ColumnNames.SPLIT, when(split.isNotNull(), split)
                .when(u.lt(testFraction), lit(ColumnNames.TEST)).otherwise(lit(ColumnNames.TRAIN)));
        Map<GroupKey, long[]> counts = new HashMap<>();
        Column[] keys = ColumnNames.columns(names.groupBy());
        for (Row r : resplit.groupBy(keys).agg(expr("count_if(split = 'train')"), expr("count_if(split = 'test')"))
                .collectAsList()) {
            counts.put(GroupKey.of(names.groupBy(), r), new long[] {r.getLong(keys.length), r.getLong(keys.length + 1)});
        }
        List<GroupSummary> resplitGroups = groups.stream().map(g -> {
            long[] c = counts.getOrDefault(g.key(), new long[2]);
            return g.withCounts(g.rows(), c[0], c[1]);
        }).toList();
        return new Activations(input, resplit, names, resplitGroups, idsGenerated, dropInvalid);
    }

    /** Whether the role's column was read from the input (an id that was generated was not). */
    public boolean has(ColumnRole role) {
        return !groups.isEmpty() && groups.get(0).roles().contains(role);
    }

    public long droppedInvalid() {
        return groups.stream().mapToLong(GroupSummary::droppedInvalid).sum();
    }
}
