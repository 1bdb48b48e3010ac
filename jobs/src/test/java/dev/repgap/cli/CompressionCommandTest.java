package dev.repgap.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.repgap.compression.JacobianSpectrum;
import dev.repgap.generate.OrthonormalFrame;
import dev.repgap.linalg.SymmetricEigen;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.SplittableRandom;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code repgap compression} end to end against closed forms: a linear map R^10 -> R^4 with singular values
 * (3, 2, 1, 0.5) (its Jacobian everywhere), and a tanh layer against its exact Jacobian at each clean input.
 */
class CompressionCommandTest {
    @TempDir static Path tmp;
    static final double SIGMA = 0.01;
    static final double[] S = {3, 2, 1, 0.5};
    static final int P = 10, Q = 4;
    static double[] a, b;
    static Path data, small;
    /** Mean over the tanh group's sources of the exact quantities. */
    static double[] tanhExact;
    static List<Row> lin50, part;

    static StructType schema() {
        return new StructType().add("id", DataTypes.LongType)
                .add("features", DataTypes.createArrayType(DataTypes.FloatType, false))
                .add("layer", DataTypes.StringType).add("source", DataTypes.LongType, true)
                .add("noise", DataTypes.DoubleType);
    }

    @BeforeAll
    static void generate() {
        SplittableRandom rng = new SplittableRandom(19);
        a = OrthonormalFrame.withSingularValues(S, P, rng);
        b = new double[Q];
        for (int i = 0; i < Q; i++) b[i] = 0.3 * rng.nextGaussian();
        List<Row> rows = new ArrayList<>();
        long[] id = {0};
        long[] source = {0};
        copies(rows, "lin5000", 4, 5000, false, rng, id, source);
        lin50 = new ArrayList<>();
        copies(lin50, "lin50", 200, 50, false, rng, id, source);
        for (int i = 0; i < 5; i++) { // clean rows: no source, ignored
            Float[] x = new Float[Q];
            for (int j = 0; j < Q; j++) x[j] = (float) rng.nextGaussian();
            lin50.add(RowFactory.create(id[0]++, x, "lin50", null, 0.0));
        }
        rows.addAll(lin50);
        tanhExact = copies(rows, "tanh", 16, 5000, true, rng, id, source);
        data = tmp.resolve("copies");
        Repgap.spark().createDataFrame(rows, schema()).repartition(3).write().parquet(data.toString());
        part = new ArrayList<>(lin50.subList(0, 40 * 50)); // 40 sources
        part.addAll(lin50.subList(lin50.size() - 5, lin50.size())); // and the clean rows
        small = tmp.resolve("part");
        Repgap.spark().createDataFrame(part, schema()).repartition(2).write().parquet(small.toString());
    }

    /**
     * {@code sources} clean inputs x of R^10, each with {@code m} rows f(x + sigma e) (f linear, or tanh(A x + b));
     * returns the mean over sources of the exact MLS, log volume (K = 3), local dimensionality and ||J||_F^2.
     */
    static double[] copies(List<Row> rows, String layer, int sources, int m, boolean tanh, SplittableRandom rng, long[] id,
                           long[] source) {
        double[] exact = new double[4];
        for (int s = 0; s < sources; s++) {
            double[] x = new double[P];
            for (int j = 0; j < P; j++) x[j] = rng.nextGaussian();
            double[] z = new double[P];
            for (int c = 0; c < m; c++) {
                for (int j = 0; j < P; j++) z[j] = x[j] + SIGMA * rng.nextGaussian();
                Float[] f = new Float[Q];
                double[] y = apply(z, tanh);
                for (int i = 0; i < Q; i++) f[i] = (float) y[i];
                rows.add(RowFactory.create(id[0]++, f, layer, source[0], SIGMA));
            }
            source[0]++;
            // The exact Jacobian at x: diag(1 - tanh^2(A x + b)) A, or A.
            double[] pre = tanh ? apply(x, true) : null;
            double[] j = new double[Q * P];
            for (int i = 0; i < Q; i++) {
                double g = tanh ? 1 - pre[i] * pre[i] : 1;
                for (int k = 0; k < P; k++) j[i * P + k] = g * a[i * P + k];
            }
            double[] jjt = new double[Q * Q];
            for (int i = 0; i < Q; i++) {
                for (int k = 0; k < Q; k++) {
                    for (int l = 0; l < P; l++) jjt[i * Q + k] += j[i * P + l] * j[k * P + l];
                }
            }
            JacobianSpectrum.Quantities q = JacobianSpectrum.quantities(SymmetricEigen.of(jjt, Q).values(), 3);
            exact[0] += q.mls() / sources;
            exact[1] += q.logVolume() / sources;
            exact[2] += q.localDim() / sources;
            exact[3] += q.frobenius2() / sources;
        }
        return exact;
    }

    static double[] apply(double[] z, boolean tanh) {
        double[] y = new double[Q];
        for (int i = 0; i < Q; i++) {
            double v = tanh ? b[i] : 0;
            for (int k = 0; k < P; k++) v += a[i * P + k] * z[k];
            y[i] = tanh ? Math.tanh(v) : v;
        }
        return y;
    }

    static JsonNode row(List<JsonNode> rows, String layer, String metric, String param) {
        return rows.stream().filter(r -> layer.equals(r.path("layer").asText()) && metric.equals(r.get("metric").asText()))
                .filter(r -> param == null ? r.get("param").isNull() : param.equals(r.get("param").asText()))
                .findFirst().orElseThrow(() -> new AssertionError("no " + metric + " " + param + " for " + layer));
    }

    static double value(List<JsonNode> rows, String layer, String metric) {
        return row(rows, layer, metric, null).get("value").asDouble();
    }

    static void near(double expected, double actual, double relative, String what) {
        assertEquals(expected, actual, relative * Math.abs(expected), what + ": " + actual + " against " + expected);
    }

    static final String[] METRICS = {"compression.mls", "compression.log_volume", "compression.local_dim",
            "compression.jacobian_fro2"};

    @Test
    void linearMapAndTanhLayerAgainstTheirJacobians() {
        Repgap.Result r = Repgap.run("compression", "--input", data.toString(), "--group-by", "layer", "--sigma", "0.01",
                "--json");
        assertEquals(0, r.code(), r.toString());
        List<JsonNode> json = r.jsonLines();
        double[] linear = {3, Math.log(6), 2.070746, 14.25};
        double[] within5000 = {0.01, 0.02, 0.01, 0.02};
        for (int k = 0; k < 4; k++) {
            near(linear[k], value(json, "lin5000", METRICS[k]), within5000[k], "M = 5000, " + METRICS[k]);
            near(linear[k], value(json, "lin50", METRICS[k]), 0.05, "M = 50, " + METRICS[k]);
            near(tanhExact[k], value(json, "tanh", METRICS[k]), 0.01, "tanh, " + METRICS[k]);
        }
        JsonNode mls = row(json, "lin50", "compression.mls", null);
        assertEquals(200, mls.get("n").asLong());
        assertTrue(mls.get("ci_low").asDouble() < mls.get("value").asDouble()
                && mls.get("value").asDouble() < mls.get("ci_high").asDouble(), mls.toString());
        String details = mls.get("details").asText();
        assertTrue(details.contains("M = 50 copies") && details.contains("sigma = 0.0100000")
                && details.contains("5 clean row(s)"), details);
        assertTrue(!details.contains("WARNING"), details);
        // The median over sources is a quantile row, between the 0.1 and 0.9 ones.
        double q1 = row(json, "lin50", "compression.mls", "q=0.10").get("value").asDouble();
        double q5 = row(json, "lin50", "compression.mls", "q=0.50").get("value").asDouble();
        double q9 = row(json, "lin50", "compression.mls", "q=0.90").get("value").asDouble();
        assertTrue(q1 < q5 && q5 < q9 && q1 > 2.5 && q9 < 3.5, q1 + " " + q5 + " " + q9);
        // The noise column gives the same sigma.
        List<JsonNode> column = Repgap.run("compression", "--input", data.toString(), "--group-by", "layer", "--json")
                .jsonLines();
        for (String layer : List.of("lin5000", "lin50", "tanh")) {
            for (String m : METRICS) assertEquals(value(json, layer, m), value(column, layer, m), 0, layer + " " + m);
        }
        assertTrue(row(column, "tanh", "compression.mls", null).get("details").asText().contains("noise column 'noise'"));
    }

    /**
     * The same numbers, bit for bit, for 1, 3 and 7 partitions, the rows in another order and other files: every source
     * split across partitions (shuffled), or most of them computed where they lie (stored in source order).
     */
    @Test
    void resultsDoNotDependOnPartitionsOrRowOrder() {
        List<Row> shuffled = new ArrayList<>(part);
        Collections.shuffle(shuffled, new Random(5));
        Path other = tmp.resolve("shuffled");
        Repgap.spark().createDataFrame(shuffled, schema()).repartition(5).write().parquet(other.toString());
        Path ordered = tmp.resolve("ordered");
        Repgap.spark().createDataFrame(part, schema()).write().parquet(ordered.toString()); // contiguous row ranges
        List<JsonNode> reference = null;
        for (String[] run : new String[][] {{small.toString(), "1"}, {ordered.toString(), "3"}, {other.toString(), "7"}}) {
            Repgap.Result r = Repgap.run("compression", "--input", run[0], "--group-by", "layer", "--sigma", "0.01",
                    "--partitions", run[1], "--json");
            assertEquals(0, r.code(), r.toString());
            List<JsonNode> json = r.jsonLines();
            if (reference == null) {
                reference = json;
                assertEquals(16, json.size());
            } else {
                assertEquals(reference.size(), json.size());
                for (int i = 0; i < json.size(); i++) {
                    for (String f : List.of("metric", "param", "value", "ci_low", "ci_high", "n")) {
                        assertEquals(reference.get(i).get(f), json.get(i).get(f), run[1] + " partitions, row " + i + " " + f);
                    }
                }
            }
        }
    }

    @Test
    void badInputExitsTwoNamingTheGroupAndSource() {
        // No source column.
        List<Row> plain = new ArrayList<>();
        StructType noSource = new StructType().add("id", DataTypes.LongType)
                .add("features", DataTypes.createArrayType(DataTypes.FloatType, false)).add("layer", DataTypes.StringType);
        for (int i = 0; i < 10; i++) plain.add(RowFactory.create((long) i, new Float[] {(float) i, 1f}, "l0"));
        Path none = tmp.resolve("nosource");
        Repgap.spark().createDataFrame(plain, noSource).write().parquet(none.toString());
        Repgap.Result r = Repgap.run("compression", "--input", none.toString(), "--group-by", "layer", "--sigma", "0.1");
        assertEquals(2, r.code(), r.toString());
        assertTrue(r.err().contains("no column 'source'") && r.err().contains("--source-col"), r.err());

        // Source 1 has 3 copies, --min-copies 4 (the default); source 0 has 5, which is below 4 K + 1 = 13.
        List<Row> few = new ArrayList<>();
        SplittableRandom rng = new SplittableRandom(2);
        for (int i = 0; i < 8; i++) {
            few.add(RowFactory.create((long) i, new Float[] {(float) rng.nextGaussian(), (float) rng.nextGaussian()}, "l0",
                    i < 5 ? 0L : 1L, 0.1));
        }
        Path short3 = tmp.resolve("few");
        Repgap.spark().createDataFrame(few, schema()).write().parquet(short3.toString());
        r = Repgap.run("compression", "--input", short3.toString(), "--group-by", "layer", "--sigma", "0.1");
        assertEquals(2, r.code(), r.toString());
        assertTrue(r.err().contains("group layer=l0") && r.err().contains("source 1 has 3 copies")
                && r.err().contains("--min-copies 4"), r.err());
        java.io.PrintStream stderr = System.err;
        java.io.ByteArrayOutputStream progress = new java.io.ByteArrayOutputStream();
        System.setErr(new java.io.PrintStream(progress, true));
        try {
            r = Repgap.run("compression", "--input", short3.toString(), "--group-by", "layer", "--sigma", "0.1",
                    "--drop-invalid", "--json");
        } finally {
            System.setErr(stderr);
        }
        assertEquals(0, r.code(), r.toString());
        JsonNode mls = row(r.jsonLines(), "l0", "compression.mls", null);
        assertEquals(1, mls.get("n").asLong());
        String details = mls.get("details").asText();
        assertTrue(details.contains("1 source(s) with fewer than 4 copies skipped") && details.contains("WARNING: M = 5"),
                details);
        assertTrue(progress.toString().contains("group layer=l0: WARNING: M = 5 < 4 K + 1 = 13"), progress.toString());

        // No sigma: neither --sigma nor a noise column.
        r = Repgap.run("compression", "--input", none.toString(), "--group-by", "layer", "--source-col", "id");
        assertEquals(2, r.code(), r.toString());
        assertTrue(r.err().contains("--sigma"), r.err());
        r = Repgap.run("compression", "--input", short3.toString(), "--sigma", "-1");
        assertEquals(2, r.code(), r.toString());
        assertTrue(r.err().contains("--sigma must be finite and > 0"), r.err());
    }
}
