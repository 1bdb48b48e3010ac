package dev.repgap.stats;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.udf;

import dev.repgap.data.Activations;
import dev.repgap.data.ColumnNames;
import dev.repgap.data.GroupSummary;
import dev.repgap.data.InputException;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.spark.sql.api.java.UDF1;
import org.apache.spark.sql.expressions.UserDefinedFunction;
import org.apache.spark.sql.types.DataTypes;

/**
 * A seeded Gaussian random projection of the vectors to P dimensions, {@code x -> R x} with R a P x D matrix of
 * independent N(0, 1/P) entries drawn from the seed and D alone (so every executor draws the same R): it preserves
 * squared norms, inner products and distances in expectation ({@code E[R^T R] = I}), each within a relative error of
 * order {@code 1/sqrt(P)} (Johnson-Lindenstrauss), hence the linear kernel {@code X X^T} up to that error. Applied
 * lazily to the rows, so it costs no extra pass: the next pass reads the projected vectors.
 */
public final class RandomProjection {
    /** The largest projection matrix (entries, float) an executor is asked to hold: 256 MB. */
    public static final long MAX_ENTRIES = 1L << 26;

    private static final Map<String, float[]> MATRICES = new ConcurrentHashMap<>();

    private RandomProjection() {}


    /**
     * Refuses (bad input) a group whose vectors are longer than {@code maxDim} unless they are projected to at most
     * {@code maxDim} ({@code project}, null: none), and a projection whose matrix would be too large.
     */
    public static void checkDimensions(Activations data, int maxDim, Integer project) {
        String input = data.input();
        for (GroupSummary g : data.groups()) {
            if (g.dim() > maxDim && (project == null || project > maxDim)) {
                throw new InputException("input " + input + ", group " + g.key() + ": vectors of length " + g.dim()
                        + " exceed --max-dim " + maxDim + " (the driver holds a D x D matrix and its eigenvectors);"
                        + " project them with --project P (a seeded Gaussian random projection, e.g. --project 4096)"
                        + " or raise --max-dim");
            }
            if (project != null && (long) g.dim() * project > MAX_ENTRIES) {
                throw new InputException("input " + input + ", group " + g.key() + ": a projection of vectors of length "
                        + g.dim() + " to " + project + " needs a matrix of " + (long) g.dim() * project
                        + " entries on every executor, more than " + MAX_ENTRIES + "; choose a smaller"
                        + " --project or store a projection of the vectors");
            }
        }
    }
    /** The data with every group's vectors projected to {@code dim} values (groups already that short are left). */
    public static Activations apply(Activations data, int dim, long seed) {
        UserDefinedFunction project = udf((UDF1<scala.collection.Seq<Object>, float[]>) v -> project(v, dim, seed),
                DataTypes.createArrayType(DataTypes.FloatType, false));
        List<GroupSummary> groups = data.groups().stream().map(g -> g.withDim(dim)).toList();
        return new Activations(data.input(), data.rows().withColumn(ColumnNames.FEATURES,
                project.apply(col(ColumnNames.FEATURES))), data.names(), groups, data.idsGenerated(),
                data.dropInvalid());
    }

    static float[] project(scala.collection.Seq<Object> v, int dim, long seed) {
        int d = v.size();
        float[] x = new float[d];
        for (int i = 0; i < d; i++) x[i] = ((Number) v.apply(i)).floatValue();
        float[] r = matrix(d, dim, seed);
        float[] out = new float[dim];
        for (int k = 0; k < dim; k++) {
            double s = 0;
            int row = k * d;
            for (int i = 0; i < d; i++) s += r[row + i] * x[i];
            out[k] = (float) s;
        }
        return out;
    }

    /** R, P x D row-major, N(0, 1/P) entries from the seed, D and P. */
    static float[] matrix(int d, int dim, long seed) {
        return MATRICES.computeIfAbsent(seed + "/" + d + "/" + dim, k -> {
            SplittableRandom rng = new SplittableRandom(seed * 1_000_003L + d);
            float[] r = new float[d * dim];
            double scale = 1 / Math.sqrt(dim);
            for (int i = 0; i < r.length; i++) r[i] = (float) (rng.nextGaussian() * scale);
            return r;
        });
    }
}
