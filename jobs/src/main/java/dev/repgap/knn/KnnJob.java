package dev.repgap.knn;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.xxhash64;

import dev.repgap.data.Activations;
import dev.repgap.data.ColumnNames;
import dev.repgap.data.GroupSummary;
import dev.repgap.data.InputException;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.DataTypes;

/**
 * Exact k nearest neighbours on Spark, for every group in one pass of {@link PairScan}: the queries of
 * all groups (a seeded subsample per group, or all) are broadcast in rounds that fit a memory budget,
 * the references of all groups stream through the tasks block by block, each task keeps one bounded
 * neighbour list per query, and the lists of all tasks merge exactly.
 */
public final class KnnJob {
    /** How to scan. {@code queries <= 0} means every row of the query set. */
    public record Options(int k, ScanMode mode, long queries, long seed, int referenceBlockRows, int queryBlockRows,
                          long roundBytes, int partitions) implements Serializable {
        /** The driver's options for groups whose query sides hold these many rows (no subsample where none is needed). */
        PairScan.Options scan(List<Long> querySides) {
            boolean subsampled = queries > 0 && querySides.stream().anyMatch(n -> n > queries);
            return new PairScan.Options(subsampled ? queries : 0, seed, referenceBlockRows, queryBlockRows, roundBytes,
                    partitions);
        }
    }

    /** The merged neighbour lists of one group, its queries' vectors in key order. */
    public record GroupNeighbours(GroupSummary group, long references, List<NeighbourLists> lists, String kernel,
                                  float[] queryVectors) {
        /**
         * The same neighbours at a smaller {@code k}: equal to a scan of the same queries and references at
         * that k (lists are ordered by distance, then id; duplicate counts do not depend on k).
         */
        public GroupNeighbours cut(int k) {
            return new GroupNeighbours(group, references, lists.stream().map(l -> l.cut(k)).toList(), kernel,
                    queryVectors);
        }
    }

    /** All groups' neighbours, and the keyed rows to map keys back to string ids. */
    public record Result(List<GroupNeighbours> groups, IdMapping ids, Dataset<Row> keyed) {
        /** Every group's neighbours at a smaller {@code k}; see {@link GroupNeighbours#cut}. */
        public Result cut(int k) {
            return new Result(groups.stream().map(g -> g.cut(k)).toList(), ids, keyed);
        }
    }

    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(KnnJob.class);

    private KnnJob() {}

    public static Result run(Activations data, Options o) {
        IdMapping ids = IdMapping.of(data);
        List<String> groupBy = data.names().groupBy();
        Dataset<Row> keyed = ids.keyed(data.rows(), groupBy);
        List<GroupSummary> groups = data.groups();
        boolean self = o.mode() == ScanMode.SELF;
        PairScan.Sides sides = self ? PairScan.Sides.all() : new PairScan.Sides(
                col(ColumnNames.SPLIT).equalTo(ColumnNames.TEST), col(ColumnNames.SPLIT).equalTo(ColumnNames.TRAIN));
        PairScan.Result<NeighbourLists> scan = PairScan.run(keyed, groupBy,
                groups.stream().map(g -> new PairScan.Group(g.key(), g.dim())).toList(), sides,
                new NearestNeighbours(o.k(), o.mode()), o.scan(groups.stream().map(g -> self ? g.rows() : g.test()).toList()));

        List<GroupNeighbours> out = new ArrayList<>();
        for (int g = 0; g < groups.size(); g++) {
            GroupSummary s = groups.get(g);
            PairScan.Scanned<NeighbourLists> scanned = scan.groups().get(g);
            long referenceCount = self ? s.rows() : s.train();
            LOG.info("group {}: {} queries x {} references x {} dims scanned with kernel {}", s.key(),
                    scanned.queryKeys().length, referenceCount, s.dim(), scan.kernel());
            out.add(new GroupNeighbours(s, referenceCount, scanned.states(), scan.kernel(), scanned.queryVectors()));
        }
        return new Result(out, ids, keyed);
    }

    /** Integer ids serve as keys directly; string ids are keyed by a 64-bit hash, checked for collisions. */
    public record IdMapping(boolean stringIds) implements Serializable {
        public static final String KEY = "_key";

        public static IdMapping of(Activations data) {
            return new IdMapping(data.rows().schema().apply(ColumnNames.ID).dataType() == DataTypes.StringType);
        }

        public Dataset<Row> keyed(Dataset<Row> rows, List<String> groupBy) {
            if (!stringIds) return rows.withColumn(KEY, col(ColumnNames.ID));
            Dataset<Row> keyed = rows.withColumn(KEY, xxhash64(col(ColumnNames.ID)));
            List<String> keys = new ArrayList<>(groupBy);
            keys.add(KEY);
            long collisions = keyed.groupBy(ColumnNames.columns(keys))
                    .count().filter(col("count").gt(1)).count();
            if (collisions > 0) {
                throw new InputException("string ids hash to the same 64-bit key " + collisions
                        + " times; give the rows integer ids (--id-col)");
            }
            return keyed;
        }
    }
}
