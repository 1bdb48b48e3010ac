package dev.repgap.gap;

import static dev.repgap.results.ResultTable.column;

import dev.repgap.data.GroupKey;
import dev.repgap.io.OutputException;
import dev.repgap.results.ResultTable;
import dev.repgap.results.RunInfo;
import dev.repgap.stats.Measured;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;

/** What {@code repgap gap} writes besides the metric rows: the curve table and one chart per group. */
public final class GapOutputs {
    /** Every group's curve (and the symmetric one), one row per n. */
    public static final ResultTable CURVES = ResultTable.side("gap_curves", "gap", List.of(
            column("variant", DataTypes.StringType), column("symmetry", DataTypes.StringType), column("n", DataTypes.LongType),
            column("rg", DataTypes.DoubleType), column("rg_ci_low", DataTypes.DoubleType), column("rg_ci_high", DataTypes.DoubleType),
            column("nn_median", DataTypes.DoubleType), column("nn_q10", DataTypes.DoubleType), column("nn_q90", DataTypes.DoubleType),
            column("local_dimension", DataTypes.DoubleType), column("local_dimension_ci_low", DataTypes.DoubleType),
            column("local_dimension_ci_high", DataTypes.DoubleType), column("law_rg", DataTypes.DoubleType),
            column("in_fit", DataTypes.BooleanType), column("queries", DataTypes.LongType)), "variant", "n");

    private GapOutputs() {}

    /** Every group's curve (and the symmetric one), one row per n: the rows of {@code DIR/gap_curves}. */
    public static Dataset<Row> curves(SparkSession spark, RunInfo run, List<GapJob.GroupGap> gaps) {
        ResultTable.Rows rows = CURVES.rows(gaps.stream().map(GapJob.GroupGap::key).toList());
        for (GapJob.GroupGap g : gaps) {
            addCurve(rows, run, g, "plain", null, g.plain());
            if (g.comparison() != null) addCurve(rows, run, g, "symmetric", g.symmetry().description(), g.comparison().symmetric());
        }
        return rows.frame(spark);
    }

    private static void addCurve(ResultTable.Rows rows, RunInfo run, GapJob.GroupGap g, String variant, String symmetry,
                                 RepresentationGapCurve curve) {
        for (int i = 0; i < curve.gridSize(); i++) {
            Measured rg = curve.gap(i);
            Measured local = i == 0 ? null : curve.localDimension(i - 1); // between n[i-1] and n[i]
            rows.add(g.key(), run.runId(), variant, symmetry, curve.size(i), rg.value(), rg.low(), rg.high(),
                    curve.medianDistance(i), curve.lowerDecileDistance(i), curve.upperDecileDistance(i),
                    local == null ? null : local.value(), local == null ? null : local.low(),
                    local == null ? null : local.high(), curve.law().gapAt(curve.size(i)), i >= curve.fitStartIndex(),
                    g.queries());
        }
    }

    /** Writes one SVG chart per group into {@code dir} (written aside, then renamed); returns the files. */
    public static List<Path> writeCharts(SparkSession spark, String dir, RunInfo run, List<GapJob.GroupGap> gaps) {
        List<Path> written = new ArrayList<>();
        try {
            Path root = new Path(dir);
            FileSystem fs = root.getFileSystem(spark.sparkContext().hadoopConfiguration());
            fs.setWriteChecksum(false); // no hidden .crc files beside the charts on a local disk
            fs.mkdirs(root);
            for (GapJob.GroupGap g : gaps) {
                Path target = new Path(root, "gap-" + run.runId() + fileName(g.key()) + ".svg");
                Path aside = new Path(root, "." + target.getName() + ".tmp");
                try (OutputStream out = fs.create(aside, true)) {
                    out.write(GapJob.chart(g).getBytes(StandardCharsets.UTF_8));
                }
                if (!fs.rename(aside, target)) throw new IOException("could not move " + aside + " to " + target);
                written.add(target);
            }
        } catch (IOException e) {
            throw new OutputException("charts directory " + dir + ": cannot write: " + e.getMessage(), e);
        }
        return written;
    }

    /** {@code -model=a-layer=3}, with characters unsafe in file names replaced. */
    private static String fileName(GroupKey key) {
        StringBuilder b = new StringBuilder();
        key.values().forEach((k, v) -> b.append('-').append(k).append('=').append(v));
        return b.toString().replaceAll("[^A-Za-z0-9=._-]", "_");
    }
}
