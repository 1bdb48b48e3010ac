package dev.repgap.results;

import static dev.repgap.results.ResultTable.column;

import java.util.List;
import org.apache.spark.sql.types.DataTypes;

/** The tables every results repository has, whatever the analyses: the metric rows, and a sweep's runs and units. */
public final class RepositoryTables {
    /** One row per run, group, metric and param: what every analysis writes. */
    public static final ResultTable METRICS = new ResultTable("metrics", null,
            List.of(DataTypes.createStructField("run_id", DataTypes.StringType, false),
                    DataTypes.createStructField("start_time", DataTypes.TimestampType, false),
                    DataTypes.createStructField("command", DataTypes.StringType, false),
                    column("input", DataTypes.StringType)),
            List.of(DataTypes.createStructField("metric", DataTypes.StringType, false), column("param", DataTypes.StringType),
                    DataTypes.createStructField("value", DataTypes.DoubleType, false), column("ci_low", DataTypes.DoubleType),
                    column("ci_high", DataTypes.DoubleType), column("n", DataTypes.LongType),
                    column("scale", DataTypes.DoubleType), column("details", DataTypes.StringType),
                    column("input_fingerprint", DataTypes.StringType), column("options_fingerprint", DataTypes.StringType)),
            List.of("metric", "param"));

    /** One row per analysis and group a sweep ran (failed ones in the sweep's own commit). */
    public static final ResultTable SWEEP_UNITS = new ResultTable("sweep_units", null,
            List.of(column("run_id", DataTypes.StringType), column("input", DataTypes.StringType)),
            List.of(column("analysis", DataTypes.StringType), column("status", DataTypes.StringType),
                    column("seconds", DataTypes.DoubleType), column("groups_in_batch", DataTypes.IntegerType),
                    column("metric_rows", DataTypes.LongType), column("input_fingerprint", DataTypes.StringType),
                    column("options_fingerprint", DataTypes.StringType), column("error", DataTypes.StringType)),
            List.of("analysis"));

    /** One row per sweep run: its spec, versions, Spark settings and unit counts. */
    public static final ResultTable RUNS = new ResultTable("runs", null,
            List.of(column("run_id", DataTypes.StringType), column("start_time", DataTypes.TimestampType),
                    column("end_time", DataTypes.TimestampType), column("command", DataTypes.StringType),
                    column("spec_file", DataTypes.StringType), column("spec", DataTypes.StringType),
                    column("repgap_version", DataTypes.StringType), column("spark_version", DataTypes.StringType),
                    column("spark_master", DataTypes.StringType), column("spark_conf", DataTypes.StringType),
                    column("units", DataTypes.LongType), column("units_skipped", DataTypes.LongType),
                    column("units_done", DataTypes.LongType), column("units_failed", DataTypes.LongType),
                    column("seconds", DataTypes.DoubleType)),
            List.of(), List.of());

    public static final List<ResultTable> ALL = List.of(METRICS, RUNS, SWEEP_UNITS);

    private RepositoryTables() {}
}
