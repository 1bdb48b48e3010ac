package dev.repgap.analysis;

import static dev.repgap.results.ResultTable.column;

import dev.repgap.data.ColumnNames;
import dev.repgap.data.GroupKey;
import dev.repgap.data.Requirement;
import dev.repgap.report.ReportPage;
import dev.repgap.report.ReportSection;
import dev.repgap.results.MetricRow;
import dev.repgap.results.ResultTable;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.functions;
import org.apache.spark.sql.types.DataTypes;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * An analysis that lives in test code only, registered by one line in the test class path's
 * {@code META-INF/services/dev.repgap.analysis.Analysis}: the mean vector norm per group (times {@code --scale}),
 * and a side table with the largest norm. It shows what adding an analysis takes.
 */
public final class NormsAnalysis implements Analysis<NormsAnalysis.Options> {
    static final ResultTable LARGEST = ResultTable.side("norms/largest", "norms",
            List.of(column("norm", DataTypes.DoubleType), column("rows", DataTypes.LongType)), "norm");

    @Command
    public static final class Options {
        @Option(names = "--scale", defaultValue = "1", description = "Multiplies the norms. Default: ${DEFAULT-VALUE}.")
        double scale;

        @Option(names = "--partitions", defaultValue = "0", description = "Changes nothing in the results.")
        int partitions;
    }

    @Override
    public String name() {
        return "norms";
    }

    @Override
    public String description() {
        return "Mean vector norm per group (a test analysis).";
    }

    @Override
    public Options options() {
        return new Options();
    }

    @Override
    public List<ResultTable> tables() {
        return List.of(LARGEST);
    }

    @Override
    public List<ReportSection> reportSections() {
        return List.of(new ReportSection() {
            @Override
            public String id() {
                return "norms";
            }

            @Override
            public String title() {
                return "Vector norms";
            }

            @Override
            public String html(ReportPage page) {
                long rows = page.metrics().stream().filter(m -> m.metric().equals("norms.mean")).count();
                return rows == 0 ? null : "<p class=\"norms\">" + rows + " mean norms.</p>\n";
            }
        });
    }

    @Override
    public Configured configure(Options o, List<String> groupBy) {
        OptionException.require(o.scale > 0, "--scale must be > 0, got " + o.scale);
        return new Configured("norms", Requirement.rows("norms", 1), Fingerprint.of("norms", 1).with("scale", o.scale),
                (data, run, results) -> {
                    Column norm = functions.expr("sqrt(aggregate(" + ColumnNames.FEATURES
                            + ", 0D, (acc, x) -> acc + CAST(x AS DOUBLE) * x))").multiply(o.scale);
                    List<String> groups = data.names().groupBy();
                    List<Column> keys = new ArrayList<>();
                    for (String g : groups) keys.add(ColumnNames.column(g));
                    List<MetricRow> metrics = new ArrayList<>();
                    List<GroupKey> keysSeen = new ArrayList<>();
                    List<Object[]> largest = new ArrayList<>();
                    for (Row r : data.rows().groupBy(keys.toArray(new Column[0]))
                            .agg(functions.avg(norm), functions.max(norm), functions.count(functions.lit(1))).collectAsList()) {
                        GroupKey key = GroupKey.of(groups, r);
                        metrics.add(MetricRow.of(key, "norms.mean", null, r.getDouble(groups.size()), r.getLong(groups.size() + 2)));
                        keysSeen.add(key);
                        largest.add(new Object[] {run.runId(), r.getDouble(groups.size() + 1), r.getLong(groups.size() + 2)});
                    }
                    ResultTable.Rows rows = LARGEST.rows(keysSeen);
                    for (int i = 0; i < keysSeen.size(); i++) rows.add(keysSeen.get(i), largest.get(i));
                    return new Configured.Output(metrics, Map.of(LARGEST.name(), rows.frame(data.rows().sparkSession())),
                            out -> dev.repgap.results.ResultPrinter.table(metrics, out));
                });
    }
}
