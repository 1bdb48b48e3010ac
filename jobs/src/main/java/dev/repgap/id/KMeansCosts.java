package dev.repgap.id;

import static org.apache.spark.sql.functions.col;

import dev.repgap.data.ColumnNames;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.ml.clustering.KMeans;
import org.apache.spark.ml.clustering.KMeansModel;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.storage.StorageLevel;

/** Mean squared distance to the nearest k-means centre (MLlib KMeans) for each K of a geometric grid. */
final class KMeansCosts {
    record Curve(double[] k, double[] costPerPoint) {}

    private KMeansCosts() {}

    /** K = 2^i for i = 2.. while K <= maxK and K <= rows / minPointsPerCentre. */
    static List<Integer> grid(long rows, int maxK, int minPointsPerCentre) {
        List<Integer> ks = new ArrayList<>();
        for (int k = 4; k <= maxK && (long) k * minPointsPerCentre <= rows; k *= 2) ks.add(k);
        return ks;
    }

    static Curve fit(Dataset<Row> groupRows, long rows, List<Integer> ks, long seed) {
        Dataset<Row> vectors = groupRows
                .select(org.apache.spark.ml.functions.array_to_vector(col(ColumnNames.FEATURES)).as("v"))
                .persist(StorageLevel.MEMORY_AND_DISK());
        try {
            double[] k = new double[ks.size()];
            double[] cost = new double[ks.size()];
            for (int i = 0; i < ks.size(); i++) {
                KMeansModel model = new KMeans().setK(ks.get(i)).setSeed(seed).setFeaturesCol("v")
                        .setMaxIter(30).setTol(1e-6).fit(vectors);
                k[i] = ks.get(i);
                cost[i] = model.summary().trainingCost() / rows;
            }
            return new Curve(k, cost);
        } finally {
            vectors.unpersist();
        }
    }
}
