package dev.repgap.gap;

import dev.repgap.data.GroupKey;
import dev.repgap.data.InputException;
import dev.repgap.results.ResultsRepository;
import dev.repgap.results.RunInfo;
import dev.repgap.stats.Measured;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

/** What {@code repgap gap} writes besides the metric rows: the curve table and one chart per group. */
public final class GapOutputs {
    public static final String CURVES = "gap_curves";

    private GapOutputs() {}

    /** Every group's curve (and the symmetric one), one row per n: the rows of {@code DIR/gap_curves}. */
    public static Dataset<Row> curves(SparkSession spark, RunInfo run, List<GapJob.GroupGap> gaps) {
        Set<String> groupColumns = ResultsRepository.groupColumns(gaps.stream().map(GapJob.GroupGap::key).toList());
        List<StructField> fields = new ArrayList<>();
        fields.add(field("run_id", DataTypes.StringType));
        for (String g : groupColumns) fields.add(field(g, DataTypes.StringType));
        fields.add(field("variant", DataTypes.StringType));
        fields.add(field("symmetry", DataTypes.StringType));
        fields.add(field("n", DataTypes.LongType));
        for (String f : List.of("rg", "rg_ci_low", "rg_ci_high", "nn_median", "nn_q10", "nn_q90", "local_dimension",
                "local_dimension_ci_low", "local_dimension_ci_high", "law_rg")) {
            fields.add(field(f, DataTypes.DoubleType));
        }
        fields.add(field("in_fit", DataTypes.BooleanType));
        fields.add(field("queries", DataTypes.LongType));
        List<Row> rows = new ArrayList<>();
        for (GapJob.GroupGap g : gaps) {
            addCurve(rows, run, groupColumns, g, "plain", null, g.plain());
            if (g.comparison() != null) {
                addCurve(rows, run, groupColumns, g, "symmetric", g.symmetry().description(), g.comparison().symmetric());
            }
        }
        return spark.createDataFrame(rows, new StructType(fields.toArray(new StructField[0])));
    }

    private static void addCurve(List<Row> rows, RunInfo run, Set<String> groupColumns, GapJob.GroupGap g, String variant,
            String symmetry, RepresentationGapCurve curve) {
        for (int i = 0; i < curve.gridSize(); i++) {
            List<Object> v = new ArrayList<>();
            v.add(run.runId());
            for (String c : groupColumns) v.add(g.key().values().get(c));
            v.add(variant);
            v.add(symmetry);
            v.add(curve.size(i));
            Measured rg = curve.gap(i);
            v.addAll(List.of(rg.value(), rg.low(), rg.high(), curve.medianDistance(i), curve.lowerDecileDistance(i),
                    curve.upperDecileDistance(i)));
            Measured local = i == 0 ? null : curve.localDimension(i - 1); // between n[i-1] and n[i]
            v.add(local == null ? null : local.value());
            v.add(local == null ? null : local.low());
            v.add(local == null ? null : local.high());
            v.add(curve.law().gapAt(curve.size(i)));
            v.add(i >= curve.fitStartIndex());
            v.add(g.queries());
            rows.add(RowFactory.create(v.toArray()));
        }
    }

    private static StructField field(String name, DataType type) {
        return DataTypes.createStructField(name, type, true);
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
            throw new InputException("charts directory " + dir + ": cannot write: " + e.getMessage(), e);
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
