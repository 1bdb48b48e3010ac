package dev.repgap.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.repgap.linalg.SymmetricEigen;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.function.Function;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code repgap alignment} end to end against a direct computation on the same training rows: the n x n Gram matrix
 * decomposed directly and the residual projected on its eigenvectors.
 */
class AlignmentCommandTest {
    @TempDir static Path tmp;
    static final int[] DIMS = {6, 50}; // below and above the number of training rows
    static final int TRAIN = 40, TEST = 12, CLASSES = 3;
    static final double[] TIMES = {0.5, 20};
    static List<Row> rows;
    static Path data;

    static StructType schema() {
        return new StructType().add("id", DataTypes.LongType)
                .add("features", DataTypes.createArrayType(DataTypes.FloatType, false))
                .add("split", DataTypes.StringType).add("label", DataTypes.IntegerType)
                .add("y", DataTypes.createArrayType(DataTypes.DoubleType, false))
                .add("f0", DataTypes.createArrayType(DataTypes.DoubleType, false))
                .add("f3", DataTypes.createArrayType(DataTypes.DoubleType, false))
                .add("res", DataTypes.createArrayType(DataTypes.DoubleType, false))
                .add("layer", DataTypes.StringType);
    }

    @BeforeAll
    static void generate() {
        SplittableRandom rng = new SplittableRandom(7);
        rows = new ArrayList<>();
        long id = 0;
        for (int l = 0; l < DIMS.length; l++) {
            int p = DIMS[l];
            for (int i = 0; i < TRAIN + TEST; i++) {
                Float[] x = new Float[p];
                for (int j = 0; j < p; j++) x[j] = (float) (rng.nextGaussian() / Math.sqrt(1 + j) + 0.2);
                Double[] y = {rng.nextGaussian(), rng.nextGaussian() + 1};
                Double[] f0 = {0.3 * x[0] + rng.nextGaussian() * 0.1, -0.2 * x[1]};
                Double[] f3 = {0.1 * x[0], 0.2, -0.3 * x[1]};
                Double[] res = {x[0] - 0.5 * x[1] + rng.nextGaussian(), rng.nextGaussian(), 0.7 * x[p - 1]};
                rows.add(RowFactory.create(id++, x, i < TRAIN ? "train" : "test", rng.nextInt(CLASSES), y, f0, f3, res,
                        "l" + l));
            }
        }
        data = tmp.resolve("layers");
        Repgap.spark().createDataFrame(rows, schema()).repartition(2).write().parquet(data.toString());
    }

    static double value(List<JsonNode> rows, String layer, String metric, String param) {
        return rows.stream().filter(r -> layer.equals(r.path("layer").asText()) && metric.equals(r.get("metric").asText()))
                .filter(r -> param == null ? r.get("param").isNull() : param.equals(r.get("param").asText()))
                .findFirst().orElseThrow(() -> new AssertionError("no " + metric + " " + param + " for " + layer))
                .get("value").asDouble();
    }

    /** The reference: the training rows' n x n Gram decomposed directly, the residual given per row. */
    static final class Direct {
        final int n, rank;
        final double[] mu, energy;
        final double total, rgr;

        Direct(int layer, Function<Row, double[]> residual) {
            List<float[]> x = new ArrayList<>();
            List<double[]> r = new ArrayList<>();
            for (Row row : rows) {
                if (!row.getString(8).equals("l" + layer) || !"train".equals(row.getString(2))) continue;
                Float[] v = (Float[]) row.get(1);
                float[] f = new float[v.length];
                for (int j = 0; j < f.length; j++) f[j] = v[j];
                x.add(f);
                r.add(residual.apply(row));
            }
            n = x.size();
            int p = x.get(0).length, q = r.get(0).length;
            double[] g = new double[n * n];
            for (int i = 0; i < n; i++) {
                for (int j = 0; j < n; j++) {
                    double s = 0;
                    for (int k = 0; k < p; k++) s += (double) x.get(i)[k] * x.get(j)[k];
                    g[i * n + j] = s;
                }
            }
            SymmetricEigen e = SymmetricEigen.of(g, n);
            rank = Math.min(n, p);
            mu = e.values();
            energy = new double[rank];
            double tot = 0, w = 0;
            for (double[] v : r) for (double a : v) tot += a * a;
            for (int k = 0; k < rank; k++) {
                for (int j = 0; j < q; j++) {
                    double s = 0;
                    for (int i = 0; i < n; i++) s += e.vectors()[k * n + i] * r.get(i)[j];
                    energy[k] += s * s;
                }
                w += mu[k] * energy[k];
            }
            total = tot;
            rgr = w;
        }

        double inSpan() {
            double s = 0;
            for (double v : energy) s += v;
            return s;
        }

        double bottom(double fraction) {
            int b = Math.max(1, (int) Math.ceil(fraction * rank - 1e-9));
            double s = 0;
            for (int k = rank - b; k < rank; k++) s += energy[k];
            return s / total;
        }

        double top(int k) {
            double s = 0;
            for (int i = 0; i < Math.min(k, rank); i++) s += energy[i];
            return s / total;
        }

        double loss(double t) {
            double s = total - inSpan();
            for (int k = 0; k < rank; k++) s += energy[k] * Math.exp(-2 * mu[k] * t / n);
            return s / (2.0 * n);
        }
    }

    static double[] array(Row row, int column) {
        Double[] v = (Double[]) row.get(column);
        double[] out = new double[v.length];
        for (int i = 0; i < out.length; i++) out[i] = v[i];
        return out;
    }

    /** A residual column of three outputs: every row equals the direct computation, for the input in 1 and 3 partitions. */
    @Test
    void residualColumnMatchesDirectComputationInAnyPartitioning() throws Exception {
        java.util.Map<String, Double> gaps = new java.util.HashMap<>();
        for (int partitions : new int[] {1, 3}) {
            Path input = tmp.resolve("parts" + partitions);
            Repgap.spark().read().parquet(data.toString()).repartition(partitions).write().parquet(input.toString());
            Repgap.Result r = Repgap.run("alignment", "--input", input.toString(), "--group-by", "layer", "--residual-col", "res",
                    "--fractions", "0.1,0.5", "--top", "1,3", "--times", "0.5,20", "--json");
            assertEquals(0, r.code(), r.err());
            List<JsonNode> json = r.jsonLines();
            for (int l = 0; l < DIMS.length; l++) {
                Direct d = new Direct(l, row -> array(row, 7));
                String layer = "l" + l, at = partitions + " partitions, layer " + l;
                assertEquals(d.bottom(0.1), value(json, layer, "alignment.energy_bottom", "fraction=0.100000"), 1e-9, at);
                assertEquals(d.bottom(0.5), value(json, layer, "alignment.energy_bottom", "fraction=0.500000"), 1e-9, at);
                assertEquals(d.top(1), value(json, layer, "alignment.energy_top", "k=1"), 1e-9, at);
                assertEquals(d.top(3), value(json, layer, "alignment.energy_top", "k=3"), 1e-9, at);
                assertEquals((d.total - d.inSpan()) / d.total, value(json, layer, "alignment.outside_span", null), 1e-9, at);
                double w = d.rgr / (d.n * d.total);
                assertEquals(w, value(json, layer, "alignment.weighted_eigenvalue", null), 1e-9 * w, at);
                for (double t : TIMES) {
                    double loss = d.loss(t);
                    String param = String.format(java.util.Locale.ROOT, "t=%.6g", t);
                    assertEquals(loss, value(json, layer, "alignment.train_loss_predicted", param), 1e-9 * loss, at + " t " + t);
                    // the gap predictor's row pass gives the same sums however the rows are partitioned
                    double gap = value(json, layer, "alignment.gap_predicted", param);
                    Double first = gaps.putIfAbsent(layer + param, gap);
                    if (first != null) assertEquals(first, gap, 1e-9 * Math.abs(first), at + " t " + t);
                    assertTrue(Double.isFinite(gap) && gap != 0, at + " gap " + gap);
                }
            }
            assertTrue(json.stream().anyMatch(j -> j.path("details").asText().contains("summed over 3 outputs")));
            assertTrue(json.stream().filter(j -> j.path("metric").asText().equals("alignment.gap_predicted"))
                    .allMatch(j -> j.path("details").asText().startsWith("reconstructed")));
        }
    }

    /** Initial outputs minus targets, initial outputs minus one-hot labels, and minus one-hot labels. */
    @Test
    void residualFromInitialOutputsTargetsAndLabels() throws Exception {
        List<JsonNode> fy = Repgap.run("alignment", "--input", data.toString(), "--group-by", "layer", "--initial-col", "f0",
                "--target-col", "y", "--json").jsonLines();
        List<JsonNode> f3 = Repgap.run("alignment", "--input", data.toString(), "--group-by", "layer", "--initial-col", "f3",
                "--label-col", "label", "--json").jsonLines();
        List<JsonNode> labels = Repgap.run("alignment", "--input", data.toString(), "--group-by", "layer", "--label-col", "label",
                "--json").jsonLines();
        for (int l = 0; l < DIMS.length; l++) {
            String layer = "l" + l;
            Direct a = new Direct(l, row -> {
                double[] f = array(row, 5), y = array(row, 4);
                return new double[] {f[0] - y[0], f[1] - y[1]};
            });
            Direct b = new Direct(l, row -> {
                double[] f = array(row, 6);
                f[row.getInt(3)] -= 1;
                return f;
            });
            Direct c = new Direct(l, row -> {
                double[] f = new double[CLASSES];
                f[row.getInt(3)] = -1;
                return f;
            });
            for (Object[] check : new Object[][] {{a, fy}, {b, f3}, {c, labels}}) {
                Direct d = (Direct) check[0];
                @SuppressWarnings("unchecked") List<JsonNode> json = (List<JsonNode>) check[1];
                assertFalse(json.isEmpty());
                double w = d.rgr / (d.n * d.total);
                assertEquals(w, value(json, layer, "alignment.weighted_eigenvalue", null), 1e-9 * w, layer);
                assertEquals(d.bottom(0.5), value(json, layer, "alignment.energy_bottom", "fraction=0.500000"), 1e-9, layer);
            }
        }
    }

    /** The side table alignment_profile in the results repository: eigenvalues of G/n, shares, cumulative shares. */
    @Test
    void profileTableMatchesDirectComputation() throws Exception {
        double[] totals = new double[DIMS.length];
        Path results = tmp.resolve("profile-results");
        Repgap.Result r = Repgap.run("alignment", "--input", data.toString(), "--group-by", "layer", "--residual-col", "res",
                "--out", results.toString());
        assertEquals(0, r.code(), r.err());
        for (int l = 0; l < DIMS.length; l++) {
            Direct d = new Direct(l, row -> array(row, 7));
            List<Row> profile = Repgap.spark().read().parquet(results + "/alignment_profile")
                    .filter("layer = 'l" + l + "'").orderBy("rank").collectAsList();
            assertEquals(d.rank, profile.size());
            double cumulative = 0;
            for (int k = 0; k < d.rank; k++) {
                Row p = profile.get(k);
                assertEquals(k + 1, (int) p.getAs("rank"));
                assertEquals(d.mu[k] / d.n, (double) p.getAs("eigenvalue"), 1e-9 * d.mu[0] / d.n);
                assertEquals(d.energy[k] / d.total, (double) p.getAs("energy"), 1e-9);
                cumulative += d.energy[k] / d.total;
                assertEquals(cumulative, (double) p.getAs("cumulative_energy"), 1e-9);
            }
            totals[l] = cumulative;
        }
        // the report draws the profile at fractions of the rank (all of it: the total share), the loss and the gap
        Path report = tmp.resolve("alignment-report.html");
        assertEquals(0, Repgap.run("report", "--results", results.toString(), "--out", report.toString()).code());
        org.w3c.dom.Document page = HtmlPage.parse(java.nio.file.Files.readString(report));
        List<org.w3c.dom.Element> figures = HtmlPage.all(page.getDocumentElement(), "figure").stream()
                .filter(f -> f.getAttribute("data-chart").equals("alignment")).toList();
        assertEquals(List.of("alignment.energy_top", "alignment.train_loss_predicted", "alignment.gap_predicted"),
                figures.stream().map(f -> f.getAttribute("data-metric")).toList());
        for (int l = 0; l < DIMS.length; l++) {
            String tip = "layer=l" + l + ", 100%: " + dev.repgap.chart.LineChart.number(totals[l]);
            assertTrue(HtmlPage.withClass(figures.get(0), "circle", "point").stream().anyMatch(c -> c.getTextContent().equals(tip)), tip);
            String group = "layer=l" + l + ",";
            assertEquals(4, HtmlPage.withClass(figures.get(2), "circle", "point").stream() // the default times 1, 10, 100, 1000
                    .filter(c -> c.getTextContent().startsWith(group)).count());
        }
    }

    @Test
    void badInputExitsTwoNamingTheGroup() throws Exception {
        Path out = tmp.resolve("bad-out");
        Repgap.Result r = Repgap.run("alignment", "--input", data.toString(), "--group-by", "layer", "--residual-col", "res",
                "--max-dim", "10", "--out", out.toString());
        assertEquals(2, r.code(), r.err());
        assertTrue(r.err().contains("l1") && r.err().contains("--project"), r.err());
        r = Repgap.run("alignment", "--input", data.toString(), "--group-by", "layer", "--residual-col", "res",
                "--max-dim", "10", "--project", "11", "--out", out.toString());
        assertEquals(2, r.code(), r.err());
        assertTrue(r.err().contains("--project must be 1..10"), r.err());
        r = Repgap.run("alignment", "--input", data.toString(), "--group-by", "layer", "--initial-col", "f0", "--label-col", "label",
                "--out", out.toString());
        assertEquals(2, r.code(), r.err());
        assertTrue(r.err().contains("l0") && r.err().contains("3 classes"), r.err());
        r = Repgap.run("alignment", "--input", data.toString(), "--group-by", "layer", "--residual-col", "split",
                "--out", out.toString());
        assertEquals(2, r.code(), r.err());
        assertTrue(r.err().contains("split"), r.err());
        // a non-finite residual
        List<Row> nan = new ArrayList<>(rows.subList(0, 10));
        Row first = nan.get(0);
        nan.set(0, RowFactory.create(first.get(0), first.get(1), first.get(2), first.get(3), first.get(4), first.get(5),
                first.get(6), new Double[] {Double.NaN, 0.0, 1.0}, first.get(8)));
        Path bad = tmp.resolve("nan");
        Repgap.spark().createDataFrame(nan, schema()).write().parquet(bad.toString());
        r = Repgap.run("alignment", "--input", bad.toString(), "--group-by", "layer", "--residual-col", "res",
                "--out", out.toString());
        assertEquals(2, r.code(), r.err());
        assertTrue(r.err().contains("l0"), r.err());
        // only test rows: nothing to train on
        Path testOnly = tmp.resolve("test-only");
        Repgap.spark().createDataFrame(rows.stream().filter(x -> "test".equals(x.getString(2))).toList(), schema()).write()
                .parquet(testOnly.toString());
        r = Repgap.run("alignment", "--input", testOnly.toString(), "--group-by", "layer", "--residual-col", "res",
                "--out", out.toString());
        assertEquals(2, r.code(), r.err());
        assertTrue(r.err().contains("l0") || r.err().contains("l1"), r.err());
        assertFalse(Files.exists(out));
    }
}
