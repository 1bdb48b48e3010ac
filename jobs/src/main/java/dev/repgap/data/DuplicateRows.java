package dev.repgap.data;

import static org.apache.spark.sql.functions.broadcast;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.collect_list;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.min;
import static org.apache.spark.sql.functions.xxhash64;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.expressions.Window;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * Exact duplicate rows per group: rows whose vectors are equal value for value (as Spark compares
 * floats, -0 equals 0; such rows are at distance 0 from each other all the same). Only a 64-bit hash
 * of each vector is shuffled; the vectors themselves are compared only among rows whose hashes meet,
 * so two different vectors that share a hash are never taken for duplicates. Of each repeated vector
 * the row with the smallest id is the one kept; the others are "redundant".
 */
public final class DuplicateRows {
    /** {@code rows}: rows that repeat another row of their group; {@code vectors}: distinct vectors that occur more than once. */
    public record Counts(long rows, long vectors) {
        public static final Counts NONE = new Counts(0, 0);
    }

    private static final String HASH = "_hash";
    private static final String COPIES = "_copies";
    private static final String KEEP = "_keep";
    private static final String IDS = "_ids";

    private final List<String> groupBy;
    private final Map<GroupKey, Counts> counts;
    /** Group values and id of every redundant row, columns {@code _key0.._keyN, _key_id}; null when there are none. */
    private final Dataset<Row> redundant;

    private DuplicateRows(List<String> groupBy, Map<GroupKey, Counts> counts, Dataset<Row> redundant) {
        this.groupBy = groupBy;
        this.counts = counts;
        this.redundant = redundant;
    }

    /** Finds the duplicates of every group in {@code data}: one pass hashing the vectors, a second only if hashes repeat. */
    public static DuplicateRows find(Activations data) {
        return find(data.rows(), data.names().groupBy(), xxhash64(col(ColumnNames.FEATURES)));
    }

    /** With any 64-bit {@code hash} of the vectors: tests plant collisions with a constant. */
    static DuplicateRows find(Dataset<Row> rows, List<String> groupBy, Column hash) {
        List<Column> group = new ArrayList<>(List.of(ColumnNames.columns(groupBy)));
        List<Column> hashKeys = new ArrayList<>(group);
        hashKeys.add(col(HASH));
        List<Column> groupAndId = new ArrayList<>(group);
        groupAndId.add(col(ColumnNames.ID));
        List<Column> hashed = new ArrayList<>(groupAndId);
        hashed.add(hash.as(HASH));

        // Rows whose hash occurs more than once in their group: the only possible duplicates.
        Dataset<Row> candidates = rows.select(hashed.toArray(new Column[0]))
                .withColumn(COPIES, count(lit(1)).over(Window.partitionBy(hashKeys.toArray(new Column[0]))))
                .filter(col(COPIES).gt(1))
                .select(groupAndId.toArray(new Column[0]));
        List<Row> candidateRows = candidates.collectAsList();
        if (candidateRows.isEmpty()) return new DuplicateRows(groupBy, Map.of(), null);

        // Their vectors compared exactly, one aggregate row per vector that occurs more than once.
        Dataset<Row> candidateKeys = keys(rows, groupBy, candidateRows);
        List<Column> exact = new ArrayList<>(group);
        exact.add(col(ColumnNames.FEATURES));
        List<Row> repeated = rows.join(broadcast(candidateKeys), sameRow(groupBy))
                .groupBy(exact.toArray(new Column[0]))
                .agg(min(ColumnNames.ID).as(KEEP), count(lit(1)).as(COPIES), collect_list(ColumnNames.ID).as(IDS))
                .filter(col(COPIES).gt(1))
                .drop(ColumnNames.FEATURES)
                .collectAsList();

        Map<GroupKey, Counts> counts = new HashMap<>();
        List<Row> redundant = new ArrayList<>();
        for (Row r : repeated) {
            GroupKey key = GroupKey.of(groupBy, r);
            long copies = r.getLong(r.fieldIndex(COPIES));
            counts.merge(key, new Counts(copies - 1, 1), (a, b) -> new Counts(a.rows() + b.rows(), a.vectors() + b.vectors()));
            Object keep = r.get(r.fieldIndex(KEEP));
            for (Object id : r.getList(r.fieldIndex(IDS))) {
                if (id.equals(keep)) continue;
                Object[] values = new Object[groupBy.size() + 1];
                for (int i = 0; i < groupBy.size(); i++) values[i] = r.get(r.fieldIndex(groupBy.get(i)));
                values[groupBy.size()] = id;
                redundant.add(RowFactory.create(values));
            }
        }
        return new DuplicateRows(groupBy, counts, keys(rows, groupBy, redundant));
    }

    public Counts counts(GroupKey group) {
        return counts.getOrDefault(group, Counts.NONE);
    }

    /** {@code rows} less the redundant rows: one row per distinct vector and group (a broadcast anti-join, no shuffle). */
    public Dataset<Row> withoutRedundant(Dataset<Row> rows) {
        return redundant == null ? rows : rows.join(broadcast(redundant), sameRow(groupBy), "left_anti");
    }

    /** One row per distinct vector in each group of {@code data}; a group keeps its rows less the duplicates counted. */
    public Activations distinct(Activations data) {
        List<GroupSummary> groups = new ArrayList<>();
        for (GroupSummary g : data.groups()) {
            long kept = g.rows() - counts(g.key()).rows();
            groups.add(new GroupSummary(g.key(), kept, g.train(), g.test(), g.dim(), g.droppedInvalid()));
        }
        return new Activations(data.input(), withoutRedundant(data.rows()), data.names(), groups, data.idsGenerated(),
                data.dropInvalid());
    }

    /** (group values, id) rows as a small table whose columns are renamed so that joins need no qualifiers. */
    private static Dataset<Row> keys(Dataset<Row> rows, List<String> groupBy, List<Row> values) {
        StructType schema = new StructType();
        for (int i = 0; i < groupBy.size(); i++) schema = schema.add(key(i), DataTypes.StringType, true);
        schema = schema.add(key(-1), rows.schema().apply(ColumnNames.ID).dataType(), false);
        return rows.sparkSession().createDataFrame(values, schema);
    }

    /** Same group (null-safe: a group value may be null) and same id. */
    private static Column sameRow(List<String> groupBy) {
        Column c = col(ColumnNames.ID).equalTo(col(key(-1)));
        for (int i = 0; i < groupBy.size(); i++) c = c.and(ColumnNames.column(groupBy.get(i)).eqNullSafe(col(key(i))));
        return c;
    }

    private static String key(int i) {
        return i < 0 ? "_key_id" : "_key" + i;
    }
}
