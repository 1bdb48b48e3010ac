package dev.repgap.cli;

import dev.repgap.analysis.Analyses;
import dev.repgap.io.AtomicFile;
import dev.repgap.report.HtmlReport;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import org.apache.spark.sql.SparkSession;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

@Command(name = "report", mixinStandardHelpOptions = true,
        description = "One self-contained HTML file over a results repository (inline CSS and SVG, no scripts, works offline):"
                + " the trend check, the latest values per group with intervals, intrinsic dimension by layer per checkpoint,"
                + " gap curves with their fitted laws, each metric across runs, audit summaries and the runs.")
final class ReportCommand implements Callable<Integer> {
    @Mixin SparkOptions spark;
    @Spec CommandSpec spec;

    @Option(names = "--results", required = true, paramLabel = "DIR", description = "The results repository.")
    String results;

    @Option(names = "--out", required = true, paramLabel = "FILE", description = "The HTML file to write (local path).")
    Path out;

    @Option(names = "--force", description = "Overwrite --out if it exists (default: refuse, exit code 2).")
    boolean force;

    @Option(names = "--title", paramLabel = "TEXT", description = "Page title. Default: repgap report: DIR.")
    String title;

    @Option(names = "--rules", paramLabel = "FILE", description = "Rules of the trend check shown in the report (as for repgap check).")
    Path rules;

    @Option(names = "--layer-col", defaultValue = "layer", paramLabel = "NAME",
            description = "Group column along the network (x axis of the profiles). Default: ${DEFAULT-VALUE}.")
    String layerCol;

    @Option(names = "--checkpoint-col", defaultValue = "checkpoint", paramLabel = "NAME",
            description = "Group column of training checkpoints (one line each in the profiles). Default: ${DEFAULT-VALUE}.")
    String checkpointCol;

    @Option(names = "--layers", split = ",", paramLabel = "L1,L2,..",
            description = "Order of the layers along the x axis; others follow in natural order (conv2 before conv10).")
    List<String> layers = new ArrayList<>();

    @Option(names = "--profile-metrics", split = ",", paramLabel = "LIST",
            description = "Metrics drawn by layer. Default: each analysis's headline metrics, ${DEFAULT-VALUE}.")
    List<String> profileMetrics = Analyses.all().stream().flatMap(a -> a.profileMetrics().stream())
            .collect(java.util.stream.Collectors.toCollection(ArrayList::new));

    @Option(names = "--trend-metrics", split = ",", paramLabel = "LIST",
            description = "Metrics drawn across runs. Default: every metric without a parameter that has two runs or more.")
    List<String> trendMetrics;

    @Override
    public Integer call() {
        OutputPaths.file("--out", out, force);
        SparkSession session = spark.session("report");
        HtmlReport.Options o = new HtmlReport.Options(title != null ? title : "repgap report: " + results, results, layerCol,
                checkpointCol, profileMetrics, layers, trendMetrics);
        String html = HtmlReport.build(session, results, o, CheckCommand.rules(rules));
        AtomicFile.write(out, w -> w.write(html));
        spec.commandLine().getErr().println("repgap: report written to " + out);
        spec.commandLine().getErr().flush();
        return 0;
    }
}
