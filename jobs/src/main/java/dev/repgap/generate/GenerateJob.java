package dev.repgap.generate;

import dev.repgap.data.ColumnNames;
import dev.repgap.io.DatasetWriter;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.SplittableRandom;
import org.apache.hadoop.fs.Path;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

/**
 * {@code repgap generate}: points on a manifold of known intrinsic dimension, as an activation
 * dataset. Rows are drawn in fixed chunks, each from its own seeded stream, so the same arguments
 * give the same bytes whatever the cluster or parallelism.
 */
public final class GenerateJob {
    /** Rows per output file; fixed so that the files do not depend on the cluster. */
    static final int ROWS_PER_CHUNK = 50_000;

    public record Spec(Manifold manifold, int dim, int ambient, long train, long test, double noise, long seed,
                       LinkedHashMap<String, String> set) implements Serializable {}

    private record Chunk(long firstId, int rows, String split, long streamSeed) implements Serializable {}

    private GenerateJob() {}

    public static List<Path> run(SparkSession spark, Spec spec, String out) {
        ManifoldSampler sampler = new ManifoldSampler(spec.manifold(), spec.dim(), spec.ambient(), spec.noise(), spec.seed());
        List<Chunk> chunks = new ArrayList<>();
        SplittableRandom seeds = new SplittableRandom(spec.seed() ^ 0x5DEECE66DL);
        addChunks(chunks, 0, spec.train(), ColumnNames.TRAIN, seeds);
        addChunks(chunks, spec.train(), spec.test(), ColumnNames.TEST, seeds);

        JavaRDD<Row> rows = JavaSparkContext.fromSparkContext(spark.sparkContext())
                .parallelize(chunks, Math.max(1, chunks.size()))
                .flatMap(chunk -> rowsOf(chunk, sampler));
        String what = "generated data for " + (spec.set().isEmpty() ? "this group" : "group " + spec.set());
        return new DatasetWriter(spark, out).append(spark.createDataFrame(rows, SCHEMA), spec.set(), what).files();
    }

    private static void addChunks(List<Chunk> chunks, long firstId, long count, String split, SplittableRandom seeds) {
        for (long start = 0; start < count; start += ROWS_PER_CHUNK) {
            int rows = (int) Math.min(ROWS_PER_CHUNK, count - start);
            chunks.add(new Chunk(firstId + start, rows, split, seeds.nextLong()));
        }
    }

    private static Iterator<Row> rowsOf(Chunk chunk, ManifoldSampler sampler) {
        SplittableRandom rng = new SplittableRandom(chunk.streamSeed());
        int d = sampler.ambient();
        return new Iterator<>() {
            int i = 0;

            @Override
            public boolean hasNext() {
                return i < chunk.rows();
            }

            @Override
            public Row next() {
                float[] x = new float[d];
                sampler.sample(rng, x, 0);
                return RowFactory.create(chunk.firstId() + i++, x, chunk.split());
            }
        };
    }

    static final StructType SCHEMA = new StructType(new StructField[] {
        DataTypes.createStructField(ColumnNames.ID, DataTypes.LongType, false),
        DataTypes.createStructField(ColumnNames.FEATURES, DataTypes.createArrayType(DataTypes.FloatType, false), false),
        DataTypes.createStructField(ColumnNames.SPLIT, DataTypes.StringType, false)});
}
