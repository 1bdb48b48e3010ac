package dev.repgap.risk;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.repgap.cli.Main;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * {@code repgap risk} end to end against a direct computation on the same rows: ridge weights by solving the p x p
 * normal equations, GCV from the smoother's diagonal, leave-one-out by refitting without each row, the test risk
 * and error rate row by row.
 */
class RiskCommandTest {
    @TempDir static Path tmp;
    static final double[] LAMBDAS = {1e-3, 0.02, 0.3, 5};
    static final String LAMBDA_OPTION = "1e-3,0.02,0.3,5";
    static final int[] DIMS = {5, 3};
    static final int TRAIN = 60, TEST = 30, CLASSES = 3;
    static List<Row> rows;
    static Path data;

    static SparkSession spark() {
        return SparkSession.builder().master("local[2]").appName("repgap tests").config("spark.ui.enabled", "false")
                .config("spark.driver.host", "127.0.0.1").config("spark.driver.bindAddress", "127.0.0.1")
                .config("spark.sql.shuffle.partitions", "4").getOrCreate();
    }

    static StructType schema() {
        return new StructType().add("id", DataTypes.LongType)
                .add("features", DataTypes.createArrayType(DataTypes.FloatType, false))
                .add("split", DataTypes.StringType).add("label", DataTypes.IntegerType)
                .add("y", DataTypes.createArrayType(DataTypes.DoubleType, false)).add("layer", DataTypes.StringType);
    }

    @BeforeAll
    static void generate() {
        SplittableRandom rng = new SplittableRandom(5);
        rows = new ArrayList<>();
        long id = 0;
        for (int l = 0; l < DIMS.length; l++) {
            int p = DIMS[l];
            for (int i = 0; i < TRAIN + TEST; i++) {
                Float[] x = new Float[p];
                int label = rng.nextInt(CLASSES);
                for (int j = 0; j < p; j++) x[j] = (float) (rng.nextGaussian() + (j == label % p ? 1.5 : 0) + 0.3 * j);
                Double[] y = {x[0] * 0.8 - x[p - 1] + rng.nextGaussian() * 0.5, (double) x[1] + 2};
                rows.add(RowFactory.create(id++, x, i < TRAIN ? "train" : "test", label, y, "l" + l));
            }
        }
        data = tmp.resolve("layers");
        spark().createDataFrame(rows, schema()).repartition(3).write().parquet(data.toString());
    }

    record Result(int code, String out, String err) {
        List<JsonNode> json() throws Exception {
            List<JsonNode> out = new ArrayList<>();
            ObjectMapper m = new ObjectMapper();
            for (String line : this.out.split("\n")) if (!line.isBlank()) out.add(m.readTree(line));
            return out;
        }
    }

    static Result run(String... args) {
        spark();
        StringWriter out = new StringWriter(), err = new StringWriter();
        CommandLine cl = Main.commandLine();
        cl.setOut(new PrintWriter(out, true));
        cl.setErr(new PrintWriter(err, true));
        int code = cl.execute(args);
        return new Result(code, out.toString(), err.toString());
    }

    static double value(List<JsonNode> rows, String layer, String metric, String param) {
        return rows.stream().filter(r -> layer.equals(r.path("layer").asText()) && metric.equals(r.get("metric").asText()))
                .filter(r -> param == null ? r.get("param").isNull() : param.equals(r.get("param").asText()))
                .findFirst().orElseThrow(() -> new AssertionError("no " + metric + " " + param + " for " + layer))
                .get("value").asDouble();
    }

    /** One-hot labels, intercept: every risk equals the direct computation, for the input in 1, 3 and 7 partitions. */
    @Test
    void labelsMatchDirectComputationInAnyPartitioning() throws Exception {
        for (int partitions : new int[] {1, 3, 7}) {
            Path input = tmp.resolve("parts" + partitions);
            spark().read().parquet(data.toString()).repartition(partitions).write().parquet(input.toString());
            Result r = run("risk", "--input", input.toString(), "--group-by", "layer", "--lambdas", LAMBDA_OPTION,
                    "--label-col", "label", "--json");
            assertEquals(0, r.code(), r.err());
            List<JsonNode> json = r.json();
            for (int l = 0; l < DIMS.length; l++) {
                Direct d = new Direct(l, false, true);
                for (int k = 0; k < LAMBDAS.length; k++) {
                    String param = String.format(Locale.ROOT, "lambda=%.6g", LAMBDAS[k]);
                    double[] ref = d.risks(LAMBDAS[k]);
                    String at = partitions + " partitions, layer " + l + ", " + param;
                    assertEquals(ref[0], value(json, "l" + l, "risk.gcv", param), 1e-9 * ref[0], "gcv " + at);
                    assertEquals(ref[1], value(json, "l" + l, "risk.loo", param), 1e-9 * ref[1], "loo " + at);
                    assertEquals(ref[2], value(json, "l" + l, "risk.test", param), 1e-9 * ref[2], "test " + at);
                    assertEquals(ref[3], value(json, "l" + l, "risk.train", param), 1e-9 * ref[3], "train " + at);
                }
                int chosen = d.chosen();
                assertEquals(LAMBDAS[chosen], value(json, "l" + l, "risk.lambda", null), 1e-15);
                assertEquals(d.errorRate(LAMBDAS[chosen]), value(json, "l" + l, "risk.error_rate", null), 1e-12);
            }
        }
    }

    /** A numeric target column of two outputs (--target-col), no intercept. */
    @Test
    void numericTargetsWithoutIntercept() throws Exception {
        Result r = run("risk", "--input", data.toString(), "--group-by", "layer", "--lambdas", LAMBDA_OPTION,
                "--target-col", "y", "--no-intercept", "--json");
        assertEquals(0, r.code(), r.err());
        List<JsonNode> json = r.json();
        for (int l = 0; l < DIMS.length; l++) {
            Direct d = new Direct(l, true, false);
            for (int k = 0; k < LAMBDAS.length; k++) {
                String param = String.format(Locale.ROOT, "lambda=%.6g", LAMBDAS[k]);
                double[] ref = d.risks(LAMBDAS[k]);
                assertEquals(ref[0], value(json, "l" + l, "risk.gcv", param), 1e-9 * ref[0]);
                assertEquals(ref[1], value(json, "l" + l, "risk.loo", param), 1e-9 * ref[1]);
                assertEquals(ref[2], value(json, "l" + l, "risk.test", param), 1e-9 * ref[2]);
            }
            assertTrue(json.stream().noneMatch(j -> j.get("metric").asText().equals("risk.error_rate")));
        }
    }

    @Test
    void badInputIsRefusedWithNothingWritten() throws Exception {
        Path out = tmp.resolve("never");
        // no test rows
        Path trainOnly = tmp.resolve("train-only");
        spark().read().parquet(data.toString()).filter("split = 'train'").write().parquet(trainOnly.toString());
        Result r = run("risk", "--input", trainOnly.toString(), "--group-by", "layer", "--out", out.toString());
        assertEquals(2, r.code(), r.err());
        assertTrue(r.err().contains("group layer=l0") && r.err().contains("split"), r.err());
        // one class
        Path oneClass = tmp.resolve("one-class");
        spark().read().parquet(data.toString()).withColumn("label", org.apache.spark.sql.functions.lit(7))
                .write().parquet(oneClass.toString());
        r = run("risk", "--input", oneClass.toString(), "--group-by", "layer", "--out", out.toString());
        assertEquals(2, r.code(), r.err());
        assertTrue(r.err().contains("group layer=") && r.err().contains("1 class (7)"), r.err());
        // too long vectors: the message suggests --project
        r = run("risk", "--input", data.toString(), "--group-by", "layer", "--max-dim", "4", "--out", out.toString());
        assertEquals(2, r.code(), r.err());
        assertTrue(r.err().contains("group layer=l0") && r.err().contains("--project P"), r.err());
        // a projection matrix too large for an executor
        r = run("risk", "--input", data.toString(), "--group-by", "layer", "--max-dim", "20000000", "--project", "20000000",
                "--out", out.toString());
        assertEquals(2, r.code(), r.err());
        assertTrue(r.err().contains("group layer=l0") && r.err().contains("smaller --project"), r.err());
        // a non-finite target
        Path nan = tmp.resolve("nan-target");
        spark().read().parquet(data.toString()).withColumn("y", org.apache.spark.sql.functions.expr(
                "IF(id = 4, array(CAST('NaN' AS DOUBLE), 1D), y)")).write().parquet(nan.toString());
        r = run("risk", "--input", nan.toString(), "--group-by", "layer", "--target-col", "y", "--out", out.toString());
        assertEquals(2, r.code(), r.err());
        assertTrue(r.err().contains("layer=l0"), r.err());
        // a target column of the wrong type
        r = run("risk", "--input", data.toString(), "--group-by", "layer", "--target-col", "split", "--out", out.toString());
        assertEquals(2, r.code(), r.err());
        assertFalse(Files.exists(out), "nothing written");
    }

    /**
     * A random projection to P = p dimensions is invertible, and least squares (lambda -> 0) does not change under an
     * invertible map of the features: the projected test risk equals the direct one at a tiny lambda.
     */
    @Test
    void projectionKeepsLeastSquares() throws Exception {
        Result r = run("risk", "--input", data.toString(), "--group-by", "layer", "--lambdas", "1e-10,0.02",
                "--project", "5", "--json");
        assertEquals(0, r.code(), r.err());
        double projected = value(r.json(), "l0", "risk.test", "lambda=1.00000e-10");
        assertEquals(new Direct(0, false, true).risks(1e-10)[2], projected, 1e-6 * projected);
        double other = value(r.json(), "l0", "risk.test", "lambda=0.0200000");
        assertTrue(Math.abs(other - new Direct(0, false, true).risks(0.02)[2]) > 1e-9, "a ridge penalty does change");
    }

    /** Through a sweep (the spec's {@code risk} entry), then its report section and the trend check. */
    @Test
    void sweepReportAndCheck() throws Exception {
        Path results = tmp.resolve("results"), spec = tmp.resolve("risk.json"), html = tmp.resolve("report.html");
        Files.writeString(spec, "{\"inputs\": \"" + data + "\", \"results\": \"" + results + "\", \"group_by\": [\"layer\"],"
                + " \"analyses\": {\"risk\": {\"lambdas\": [0.001, 0.02, 0.3, 5], \"bootstrap\": 20}}}");
        Result r = run("sweep", "--spec", spec.toString(), "--quiet");
        assertEquals(0, r.code(), r.toString());
        double gcv = spark().read().parquet(results.resolve("metrics").toString())
                .filter("metric = 'risk.gcv' AND layer = 'l1' AND param = 'lambda=0.0200000'").first().getAs("value");
        assertEquals(new Direct(1, false, true).risks(0.02)[0], gcv, 1e-9 * gcv);
        r = run("report", "--results", results.toString(), "--out", html.toString());
        assertEquals(0, r.code(), r.toString());
        String page = Files.readString(html);
        assertTrue(page.contains("id=\"risk-curves\"") && page.contains("Ridge risk, layer=l1"), "report has the risk curves");
        assertEquals(0, run("check", "--results", results.toString()).code());
    }

    /**
     * Kernels other than linear (every training row, --max-n above their number): GCV, leave-one-out, training and
     * test risk and the error rate equal the direct dual computation (refits without each row for leave-one-out), for
     * one-hot labels with an intercept and a numeric target without.
     */
    @Test
    void otherKernelsMatchDirectComputation() throws Exception {
        for (String kernel : new String[] {"rbf:0.1", "laplace:0.2", "cosine"}) {
            for (boolean numeric : new boolean[] {false, true}) {
                List<String> args = new ArrayList<>(List.of("risk", "--input", data.toString(), "--group-by", "layer",
                        "--lambdas", LAMBDA_OPTION, "--kernel", kernel, "--json"));
                args.addAll(numeric ? List.of("--target-col", "y", "--no-intercept") : List.of("--label-col", "label"));
                Result r = run(args.toArray(new String[0]));
                assertEquals(0, r.code(), r.err());
                List<JsonNode> json = r.json();
                for (int l = 0; l < DIMS.length; l++) {
                    DirectKernel d = new DirectKernel(new Direct(l, numeric, !numeric), kernel);
                    for (int k = 0; k < LAMBDAS.length; k++) {
                        String param = String.format(Locale.ROOT, "lambda=%.6g", LAMBDAS[k]);
                        double[] ref = d.risks(LAMBDAS[k]);
                        String at = kernel + (numeric ? " numeric" : " labels") + ", layer " + l + ", " + param;
                        assertEquals(ref[0], value(json, "l" + l, "risk.gcv", param), 1e-8 * ref[0], "gcv " + at);
                        assertEquals(ref[1], value(json, "l" + l, "risk.loo", param), 1e-8 * ref[1], "loo " + at);
                        assertEquals(ref[2], value(json, "l" + l, "risk.test", param), 1e-8 * ref[2], "test " + at);
                        assertEquals(ref[3], value(json, "l" + l, "risk.train", param), 1e-8 * ref[3] + 1e-12, "train " + at);
                    }
                    if (!numeric) {
                        int chosen = (int) java.util.stream.IntStream.range(0, LAMBDAS.length).boxed()
                                .min(java.util.Comparator.comparingDouble(k -> d.risks(LAMBDAS[k])[0])).orElseThrow();
                        assertEquals(d.errorRate(LAMBDAS[chosen]), value(json, "l" + l, "risk.error_rate", null), 1e-12);
                    }
                }
            }
        }
    }

    /** A subsample (--max-n 40 of 60): the same rows and values for 1 and 7 partitions, and the rows say so. */
    @Test
    void kernelSubsampleIsSeeded() throws Exception {
        double[] gcv = new double[2];
        int i = 0;
        for (int partitions : new int[] {1, 7}) {
            Path input = tmp.resolve("kernel-parts" + partitions);
            spark().read().parquet(data.toString()).repartition(partitions).write().parquet(input.toString());
            Result r = run("risk", "--input", input.toString(), "--group-by", "layer", "--lambdas", LAMBDA_OPTION,
                    "--kernel", "rbf", "--max-n", "40", "--label-col", "label", "--json");
            assertEquals(0, r.code(), r.err());
            JsonNode row = r.json().stream().filter(j -> j.get("metric").asText().equals("risk.gcv")
                    && j.get("layer").asText().equals("l0") && j.get("param").asText().equals("lambda=0.0200000")).findFirst().orElseThrow();
            assertEquals(40, row.get("n").asLong());
            assertTrue(row.get("details").asText().contains("kernel rbf (gamma=") && row.get("details").asText()
                    .contains("on 40 of 60 training rows (seeded subsample)"), row.toString());
            gcv[i++] = row.get("value").asDouble();
        }
        assertEquals(gcv[0], gcv[1], 1e-12 * gcv[0]);
        Result bad = run("risk", "--input", data.toString(), "--group-by", "layer", "--kernel", "poly");
        assertEquals(2, bad.code());
        assertTrue(bad.err().contains("--kernel: unknown kernel 'poly'"), bad.err());
    }

    /**
     * Kernel ridge regression by its definition: min over b, c of ||y - b - K c||^2 + n lambda c^T K c (b = 0 without
     * an intercept), solved directly on the rows used; leave-one-out by refitting without each row.
     */
    static final class DirectKernel {
        final Direct d;
        final String kernel;

        DirectKernel(Direct d, String kernel) {
            this.d = d;
            this.kernel = kernel;
        }

        double k(double[] a, double[] b) {
            String[] parts = kernel.split(":");
            double s = 0, na = 0, nb = 0;
            for (int j = 0; j < a.length; j++) {
                switch (parts[0]) {
                    case "rbf" -> s += (a[j] - b[j]) * (a[j] - b[j]);
                    case "laplace" -> s += Math.abs(a[j] - b[j]);
                    default -> {
                        s += a[j] * b[j];
                        na += a[j] * a[j];
                        nb += b[j] * b[j];
                    }
                }
            }
            return parts[0].equals("cosine") ? s / Math.sqrt(na * nb) : Math.exp(-Double.parseDouble(parts[1]) * s);
        }

        /** (b, c) on every training row but {@code skip}: row 0 the intercept, then one row per training row used. */
        double[][] fit(double lambda, int skip) {
            int n = d.x.length, m = skip < 0 ? n : n - 1, q = d.q;
            int[] use = new int[m];
            for (int i = 0, o = 0; i < n; i++) if (i != skip) use[o++] = i;
            double[][] k = new double[m][m];
            for (int i = 0; i < m; i++) for (int j = 0; j < m; j++) k[i][j] = k(d.x[use[i]], d.x[use[j]]);
            double[] colMean = new double[m], ybar = new double[q];
            double grand = 0;
            if (d.intercept) {
                for (int i = 0; i < m; i++) for (int j = 0; j < m; j++) colMean[j] += k[i][j] / m;
                for (double v : colMean) grand += v / m;
                for (int i : use) for (int c = 0; c < q; c++) ybar[c] += d.y[i][c] / m;
            }
            double[][] g = new double[m][m + q];
            for (int i = 0; i < m; i++) {
                for (int j = 0; j < m; j++) g[i][j] = k[i][j] - colMean[i] - colMean[j] + grand;
                g[i][i] += n * lambda; // the full n: the penalty of the fit being left out of
                for (int c = 0; c < q; c++) g[i][m + c] = d.y[use[i]][c] - ybar[c];
            }
            Direct.eliminate(g);
            double[][] out = new double[n + 1][q];
            for (int c = 0; c < q; c++) {
                out[0][c] = ybar[c];
                for (int j = 0; j < m; j++) {
                    out[use[j] + 1][c] = g[j][m + c];
                    out[0][c] -= colMean[j] * g[j][m + c];
                }
            }
            return out;
        }

        double[] predict(double[][] w, double[] x) {
            double[] out = w[0].clone();
            for (int j = 0; j < d.x.length; j++) {
                double kv = k(x, d.x[j]);
                for (int c = 0; c < out.length; c++) out[c] += kv * w[j + 1][c];
            }
            return out;
        }

        /** {gcv, loo, test, train}; tr S by refitting with each y_i raised by one (the fit is linear in y). */
        double[] risks(double lambda) {
            int n = d.x.length;
            double[][] w = fit(lambda, -1);
            double rss = 0, loo = 0, test = 0, trace = 0;
            for (int i = 0; i < n; i++) {
                rss += Direct.squared(d.y[i], predict(w, d.x[i]));
                loo += Direct.squared(d.y[i], predict(fit(lambda, i), d.x[i]));
                d.y[i][0] += 1;
                trace += predict(fit(lambda, -1), d.x[i])[0];
                d.y[i][0] -= 1;
                trace -= predict(w, d.x[i])[0];
            }
            for (int i = 0; i < d.tx.length; i++) test += Direct.squared(d.ty[i], predict(w, d.tx[i]));
            return new double[] {rss / n / Math.pow(1 - trace / n, 2), loo / n, test / d.tx.length, rss / n};
        }

        double errorRate(double lambda) {
            double[][] w = fit(lambda, -1);
            int errors = 0;
            for (int i = 0; i < d.tx.length; i++) {
                double[] f = predict(w, d.tx[i]);
                int arg = 0, truth = 0;
                for (int k = 1; k < d.q; k++) {
                    if (f[k] > f[arg]) arg = k;
                    if (d.ty[i][k] > d.ty[i][truth]) truth = k;
                }
                if (arg != truth) errors++;
            }
            return (double) errors / d.tx.length;
        }
    }

    /** The direct computation for one layer. */
    static final class Direct {
        final double[][] x, y, tx, ty;
        final boolean intercept;
        final int p, q;

        Direct(int layer, boolean numeric, boolean intercept) {
            this.intercept = intercept;
            p = DIMS[layer];
            q = numeric ? 2 : CLASSES;
            List<double[]> xs = new ArrayList<>(), ys = new ArrayList<>(), txs = new ArrayList<>(), tys = new ArrayList<>();
            for (Row r : rows) {
                if (!r.getString(5).equals("l" + layer)) continue;
                Float[] f = (Float[]) r.get(1);
                double[] xv = new double[p];
                for (int j = 0; j < p; j++) xv[j] = f[j];
                double[] yv = new double[q];
                if (numeric) {
                    Double[] t = (Double[]) r.get(4);
                    for (int k = 0; k < q; k++) yv[k] = t[k];
                } else {
                    yv[r.getInt(3)] = 1;
                }
                (r.getString(2).equals("train") ? xs : txs).add(xv);
                (r.getString(2).equals("train") ? ys : tys).add(yv);
            }
            x = xs.toArray(new double[0][]);
            y = ys.toArray(new double[0][]);
            tx = txs.toArray(new double[0][]);
            ty = tys.toArray(new double[0][]);
        }

        /** Intercept and weights (row 0: intercept, rows 1..p: W) fitted on all training rows but {@code skip}. */
        double[][] fit(double lambda, int skip) {
            int n = x.length, m = skip < 0 ? n : n - 1;
            double[] mx = new double[p], my = new double[q];
            if (intercept) {
                for (int i = 0; i < n; i++) {
                    if (i == skip) continue;
                    for (int j = 0; j < p; j++) mx[j] += x[i][j] / m;
                    for (int k = 0; k < q; k++) my[k] += y[i][k] / m;
                }
            }
            double[][] g = new double[p][p + q];
            for (int i = 0; i < n; i++) {
                if (i == skip) continue;
                for (int a = 0; a < p; a++) {
                    for (int b = 0; b < p; b++) g[a][b] += (x[i][a] - mx[a]) * (x[i][b] - mx[b]);
                    for (int k = 0; k < q; k++) g[a][p + k] += (x[i][a] - mx[a]) * (y[i][k] - my[k]);
                }
            }
            for (int a = 0; a < p; a++) g[a][a] += n * lambda; // the full n: the penalty of the fit being left out of
            eliminate(g);
            double[][] w = new double[p + 1][q];
            for (int k = 0; k < q; k++) {
                double c = my[k];
                for (int a = 0; a < p; a++) {
                    w[a + 1][k] = g[a][p + k];
                    c -= mx[a] * w[a + 1][k];
                }
                w[0][k] = c;
            }
            return w;
        }

        static double[] predict(double[][] w, double[] x) {
            double[] out = w[0].clone();
            for (int a = 0; a < x.length; a++) for (int k = 0; k < out.length; k++) out[k] += x[a] * w[a + 1][k];
            return out;
        }

        static double squared(double[] a, double[] b) {
            double s = 0;
            for (int k = 0; k < a.length; k++) s += (a[k] - b[k]) * (a[k] - b[k]);
            return s;
        }

        /** {gcv, loo, test, train}. */
        double[] risks(double lambda) {
            int n = x.length;
            double[][] w = fit(lambda, -1);
            double rss = 0, loo = 0, test = 0;
            for (int i = 0; i < n; i++) {
                rss += squared(y[i], predict(w, x[i]));
                loo += squared(y[i], predict(fit(lambda, i), x[i]));
            }
            for (int i = 0; i < tx.length; i++) test += squared(ty[i], predict(w, tx[i]));
            // tr S: the fitted value's derivative in each target, by the columns of the hat matrix (unit targets)
            double trace = trace(lambda);
            return new double[] {rss / n / Math.pow(1 - trace / n, 2), loo / n, test / tx.length, rss / n};
        }

        /** tr S = sum_i d yhat_i / d y_i, each by refitting with y_i raised by one (the fit is linear in y). */
        double trace(double lambda) {
            double[][] base = fit(lambda, -1);
            double t = 0;
            for (int i = 0; i < x.length; i++) {
                y[i][0] += 1;
                double[][] w = fit(lambda, -1);
                y[i][0] -= 1;
                t += predict(w, x[i])[0] - predict(base, x[i])[0];
            }
            return t;
        }

        int chosen() {
            int best = 0;
            double bestGcv = Double.POSITIVE_INFINITY;
            for (int k = 0; k < LAMBDAS.length; k++) {
                double g = risks(LAMBDAS[k])[0];
                if (g < bestGcv) {
                    bestGcv = g;
                    best = k;
                }
            }
            return best;
        }

        double errorRate(double lambda) {
            double[][] w = fit(lambda, -1);
            int errors = 0;
            for (int i = 0; i < tx.length; i++) {
                double[] f = predict(w, tx[i]);
                int arg = 0, truth = 0;
                for (int k = 1; k < q; k++) {
                    if (f[k] > f[arg]) arg = k;
                    if (ty[i][k] > ty[i][truth]) truth = k;
                }
                if (arg != truth) errors++;
            }
            return (double) errors / tx.length;
        }

        /** Gauss-Jordan with partial pivoting on [A | B], leaving A^-1 B in the right-hand columns. */
        static void eliminate(double[][] g) {
            int p = g.length, cols = g[0].length;
            for (int c = 0; c < p; c++) {
                int piv = c;
                for (int r = c + 1; r < p; r++) if (Math.abs(g[r][c]) > Math.abs(g[piv][c])) piv = r;
                double[] t = g[c];
                g[c] = g[piv];
                g[piv] = t;
                double v = g[c][c];
                for (int j = 0; j < cols; j++) g[c][j] /= v;
                for (int r = 0; r < p; r++) {
                    if (r == c || g[r][c] == 0) continue;
                    double f = g[r][c];
                    for (int j = 0; j < cols; j++) g[r][j] -= f * g[c][j];
                }
            }
        }
    }
}
