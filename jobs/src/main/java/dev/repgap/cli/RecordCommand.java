package dev.repgap.cli;

import dev.repgap.analysis.OptionException;
import dev.repgap.results.ExternalMetrics;
import dev.repgap.results.MetricRow;
import dev.repgap.results.ResultsRepository;
import dev.repgap.results.RunInfo;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

@Command(name = "record", mixinStandardHelpOptions = true,
        description = "Adds metrics measured outside repgap (train/test loss and accuracy, the generalisation gap, sharpness)"
                + " to a results repository as ordinary metric rows: command record, metric external.COLUMN, one row per"
                + " group and column, so check, export, report and correlate see them beside repgap's own rows. All rows"
                + " or none are written.")
final class RecordCommand implements Callable<Integer> {
    static final class Source {
        @Option(names = "--csv", paramLabel = "FILE", required = true,
                description = "CSV with a header line: the group columns and one numeric column per metric.")
        Path csv;

        @Option(names = "--jsonl", paramLabel = "FILE", required = true,
                description = "JSON lines: one object per group with the group columns and numeric metrics.")
        Path jsonl;
    }

    @ArgGroup(exclusive = true, multiplicity = "1")
    Source source;

    @Option(names = "--results", required = true, paramLabel = "DIR", description = "The results repository to add to.")
    String results;

    @Option(names = "--group-cols", split = ",", defaultValue = "model,checkpoint", paramLabel = "C1,C2,..",
            description = "The columns that name a group, matched as strings with the analyses' group columns."
                    + " Default: ${DEFAULT-VALUE}.")
    List<String> groupCols;

    @Option(names = "--metrics", split = ",", paramLabel = "M1,M2,..",
            description = "The columns to record. Default: every column that is not a group column.")
    List<String> metrics = new ArrayList<>();

    @Mixin SparkOptions spark;
    @Spec CommandSpec spec;

    @Override
    public Integer call() {
        if (new LinkedHashSet<>(groupCols).size() != groupCols.size() || groupCols.stream().anyMatch(String::isBlank)) {
            throw new OptionException("--group-cols must name distinct columns, got " + String.join(",", groupCols));
        }
        Path file = source.csv != null ? source.csv : source.jsonl;
        List<MetricRow> rows = source.csv != null ? ExternalMetrics.csv(file, groupCols, metrics)
                : ExternalMetrics.jsonl(file, groupCols, metrics);
        if (rows.isEmpty()) throw new dev.repgap.data.InputException(file + ": no rows to record");
        RunInfo run = RunInfo.start("record", file.toString());
        org.apache.hadoop.fs.Path written = new ResultsRepository(spark.session("record"), results).append(run, rows);
        long groups = rows.stream().map(MetricRow::group).distinct().count();
        long names = rows.stream().map(MetricRow::metric).distinct().count();
        spec.commandLine().getOut().println("recorded " + rows.size() + " rows (" + names + " metrics, " + groups
                + " groups) from " + file + " into " + written);
        spec.commandLine().getOut().flush();
        return 0;
    }
}
