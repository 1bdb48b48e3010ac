package dev.repgap.knn;

import static org.apache.spark.sql.functions.col;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.repgap.data.Activations;
import dev.repgap.data.ColumnNames;
import dev.repgap.data.GroupSummary;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.Test;

class PairScanTest {

    @Test
    void neighboursOfTheLargestKCutToASmallerKAreTheScanAtThatK() {
        Activations data = ScanRows.table(3, 150, 40, 1, 3, true);
        for (ScanMode mode : ScanMode.values()) {
            for (long queries : new long[] {0, 25}) {
                KnnJob.Result wide = KnnJob.run(data, new KnnJob.Options(9, mode, queries, 4, 32, 16, 4096, 0));
                for (int k : new int[] {1, 2, 5, 9}) {
                    KnnJob.Result narrow = KnnJob.run(data, new KnnJob.Options(k, mode, queries, 4, 32, 16, 1 << 20, 0));
                    KnnJob.Result cut = wide.cut(k);
                    for (int g = 0; g < 3; g++) {
                        String what = mode + ", queries " + queries + ", k " + k + ", group " + g;
                        assertEquals(narrow.groups().get(g).lists(), cut.groups().get(g).lists(), what);
                        assertArrayEquals(narrow.groups().get(g).queryVectors(), cut.groups().get(g).queryVectors(), what);
                    }
                }
            }
        }
    }

    @Test
    void distanceTilesAssembleToTheExactMatrixWhateverTheBlocksAndRounds() {
        Activations data = ScanRows.table(4, 60, 20, 2, 3, false);
        Dataset<Row> keyed = KnnJob.IdMapping.of(data).keyed(data.rows(), List.of("layer"));
        List<PairScan.Group> groups = data.groups().stream().map(g -> new PairScan.Group(g.key(), g.dim())).toList();
        long[] references = data.groups().stream().mapToLong(GroupSummary::train).toArray();
        Map<String, Map<Long, float[]>> train = vectors(keyed, ColumnNames.TRAIN);
        Map<String, Map<Long, float[]>> test = vectors(keyed, ColumnNames.TEST);
        // One block per group and one round, then small blocks in rounds of about one block each.
        for (int[] sizes : new int[][] {{4096, 1024, 1 << 30}, {7, 3, 2000}}) {
            PairScan.Result<DistanceTiles.Tiles> result = PairScan.run(keyed, List.of("layer"), groups,
                    new PairScan.Sides(col(ColumnNames.SPLIT).equalTo(ColumnNames.TEST),
                            col(ColumnNames.SPLIT).equalTo(ColumnNames.TRAIN)),
                    new DistanceTiles(references), new PairScan.Options(0, 1, sizes[0], sizes[1], sizes[2], 0));
            for (PairScan.Scanned<DistanceTiles.Tiles> g : result.groups()) {
                String layer = g.group().key().values().get("layer");
                DistanceTiles.Matrix m = DistanceTiles.matrix(g);
                assertArrayEquals(test.get(layer).keySet().stream().mapToLong(Long::longValue).toArray(), m.rows());
                assertArrayEquals(train.get(layer).keySet().stream().mapToLong(Long::longValue).toArray(), m.columns());
                int dim = g.group().dim();
                for (int r = 0; r < m.rows().length; r++) {
                    for (int c = 0; c < m.columns().length; c++) {
                        double expected = ExactDistance.squared(test.get(layer).get(m.rows()[r]), 0,
                                train.get(layer).get(m.columns()[c]), 0, dim);
                        assertEquals(expected, m.value(r, c), layer + " " + r + " " + c);
                    }
                }
                assertEquals(sizes[1] == 3 ? 7 : 1, g.blockRows().length);
            }
        }
    }

    /** A self scan that computes only the pairs with query key <= reference key, mirrored: the full exact matrix. */
    @Test
    void upperDistanceTilesMirrorToTheExactMatrix() {
        Activations data = ScanRows.table(4, 60, 20, 2, 3, false);
        Dataset<Row> keyed = KnnJob.IdMapping.of(data).keyed(data.rows(), List.of("layer"));
        List<PairScan.Group> groups = data.groups().stream().map(g -> new PairScan.Group(g.key(), g.dim())).toList();
        long[] references = data.groups().stream().mapToLong(GroupSummary::train).toArray();
        Map<String, Map<Long, float[]>> train = vectors(keyed, ColumnNames.TRAIN);
        for (int[] sizes : new int[][] {{4096, 1024, 1 << 30}, {7, 3, 2000}}) {
            PairScan.Result<DistanceTiles.Tiles> result = PairScan.run(keyed, List.of("layer"), groups,
                    PairScan.Sides.self(col(ColumnNames.SPLIT).equalTo(ColumnNames.TRAIN)),
                    new DistanceTiles(references, DistanceTiles.Metric.L1, true),
                    new PairScan.Options(0, 1, sizes[0], sizes[1], sizes[2], 0));
            for (PairScan.Scanned<DistanceTiles.Tiles> g : result.groups()) {
                String layer = g.group().key().values().get("layer");
                DistanceTiles.Matrix m = DistanceTiles.matrix(g);
                int n = m.rows().length;
                assertTrue(Double.isNaN(m.value(n - 1, 0)), "below the diagonal: not computed");
                DistanceTiles.mirror(m);
                for (int r = 0; r < n; r++) {
                    for (int c = 0; c < n; c++) {
                        double expected = ExactDistance.l1(train.get(layer).get(m.rows()[r]), 0,
                                train.get(layer).get(m.columns()[c]), 0, g.group().dim());
                        assertEquals(expected, m.value(r, c), layer + " " + r + " " + c);
                    }
                }
            }
        }
    }

    /** Per layer, the rows of one split by key, in key order. */
    private static Map<String, Map<Long, float[]>> vectors(Dataset<Row> keyed, String split) {
        Map<String, Map<Long, float[]>> out = new HashMap<>();
        for (Row r : keyed.filter(col(ColumnNames.SPLIT).equalTo(split)).collectAsList()) {
            List<Float> v = r.getList(r.fieldIndex(ColumnNames.FEATURES));
            float[] f = new float[v.size()];
            for (int i = 0; i < f.length; i++) f[i] = v.get(i);
            out.computeIfAbsent(r.getAs("layer"), l -> new TreeMap<>()).put(r.getAs(KnnJob.IdMapping.KEY), f);
        }
        return out;
    }
}
