package dev.repgap.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.repgap.data.InputException;
import dev.repgap.analysis.Analyses;
import dev.repgap.analysis.Analysis;
import dev.repgap.analysis.Configured;
import dev.repgap.results.RunInfo;
import dev.repgap.results.TextTable;
import dev.repgap.sweep.Progress;
import dev.repgap.sweep.SweepRunner;
import dev.repgap.sweep.SweepSpec;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import org.apache.spark.sql.SparkSession;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

@Command(name = "sweep", mixinStandardHelpOptions = true,
        description = "Runs the analyses of a spec (YAML or JSON) on every group of its inputs in one Spark application,"
                + " incrementally: each group and analysis is committed on its own with fingerprints of its input files and"
                + " options, a rerun skips what is already computed, and a failing group does not stop the others."
                + " Exit code 0 when every unit ran or was skipped, 1 when some failed, 2 on a bad spec.")
final class SweepCommand implements Callable<Integer> {
    @Mixin SparkOptions spark;
    @Spec CommandSpec spec;

    @Option(names = "--spec", required = true, paramLabel = "FILE", description = "The sweep spec, YAML or JSON.")
    String specFile;

    @Option(names = "--results", paramLabel = "DIR", description = "Results repository; overrides the spec's 'results'.")
    String results;

    @Option(names = "--input", paramLabel = "PATH",
            description = "An input path or glob instead of the spec's 'inputs' (repeatable), e.g. tonight's activations.")
    List<String> inputs = new ArrayList<>();

    @Option(names = "--force", description = "Recompute every unit, also those already in the repository.")
    boolean force;

    @Option(names = "--dry-run", description = "List the groups and what would run or be skipped; run nothing.")
    boolean dryRun;

    @Option(names = "--json", description = "Print each unit run (analysis x group) as one JSON line instead of the summary table.")
    boolean json;

    @Override
    public Integer call() {
        SweepSpec s = SweepSpec.read(specFile);
        if (!inputs.isEmpty()) s = s.withInputs(inputs);
        if (s.inputs().isEmpty()) {
            throw new InputException("sweep spec " + specFile + ": no 'inputs' (a path or glob, or a list); set them there or pass --input");
        }
        String repository = results != null ? results : s.results();
        if (repository == null) {
            throw new InputException("sweep spec " + specFile + ": no 'results' repository; set it there or pass --results");
        }
        String repositoryOption = results != null ? "--results" : "sweep spec " + specFile + ": results";
        if (!dryRun) OutputPaths.directory(repositoryOption, repository);
        for (String input : s.inputs()) OutputPaths.outsideInput(input, repositoryOption, repository);
        List<Configured> analyses = new ArrayList<>();
        List<String> groupBy = s.groupBy() == null ? List.of() : s.groupBy();
        s.analyses().forEach((name, args) -> analyses.add(analysis(specFile, name, args, groupBy)));

        if (spark.master == null) spark.master = s.master();
        Map<String, String> conf = new LinkedHashMap<>(s.conf());
        conf.putAll(spark.conf); // the command line wins
        spark.conf = conf;
        SparkSession session = spark.session("sweep");
        RunInfo run = RunInfo.start("sweep", String.join(",", s.inputs()));
        PrintWriter out = spec.commandLine().getOut();
        Progress progress = spark.progress();
        SweepRunner runner = new SweepRunner(session, s, analyses, repository, run, force, progress, Main.version());
        List<SweepRunner.Plan> plans = runner.plan();
        if (dryRun) {
            printPlan(plans, analyses, out);
            return 0;
        }
        List<SweepRunner.Unit> units = runner.run(plans);
        spark.closeProgress(); // the status line goes before the summary is printed
        long failed = units.stream().filter(u -> !u.status().equals("done")).count();
        if (json) printJson(units, out);
        else printSummary(plans, units, analyses, out);
        progress.say(String.format(Locale.ROOT, "repgap sweep: run %s: %d units run, %d failed; results in %s",
                run.runId(), units.size() - failed, failed, repository));
        return failed == 0 ? 0 : 1;
    }

    /** The analysis of one entry of the spec: its options parsed and checked as on its own command line. */
    static Configured analysis(String specFile, String name, List<String> args, List<String> groupBy) {
        String where = "sweep spec " + specFile + ": analyses." + name + ": ";
        Analysis<?> analysis = Analyses.byName(name).orElseThrow(() -> new InputException(where + "unknown analysis"));
        try {
            return Analyses.configure(analysis, args, groupBy);
        } catch (InputException e) {
            throw new InputException(where + e.getMessage().replace("'--", "'").replace("--", ""), e);
        }
    }

    private static void printPlan(List<SweepRunner.Plan> plans, List<Configured> analyses, PrintWriter out) {
        for (SweepRunner.Plan p : plans) {
            out.printf(Locale.ROOT, "input %s: %d files, %d groups by %s%n", p.files().input(), p.files().files().size(),
                    p.groups().size(), p.names().groupBy());
            TextTable t = new TextTable(new String[] {"group", "to run", "already computed"});
            for (var g : p.groups()) {
                List<String> run = p.pending().getOrDefault(g, List.of()).stream().map(Configured::name).toList();
                List<String> skip = analyses.stream().map(Configured::name).filter(n -> !run.contains(n)).toList();
                t.add(g.toString(), run.isEmpty() ? "-" : String.join(",", run), skip.isEmpty() ? "-" : String.join(",", skip));
            }
            t.print(out);
        }
        out.flush();
    }

    private static void printSummary(List<SweepRunner.Plan> plans, List<SweepRunner.Unit> units, List<Configured> analyses,
                                     PrintWriter out) {
        TextTable t = new TextTable(new String[] {"analysis", "groups", "run", "skipped", "failed", "seconds"}, 1, 2, 3, 4, 5);
        int groups = plans.stream().mapToInt(p -> p.groups().size()).sum();
        for (Configured a : analyses) {
            List<SweepRunner.Unit> mine = units.stream().filter(u -> u.analysis().equals(a.name())).toList();
            long failed = mine.stream().filter(u -> !u.status().equals("done")).count();
            // A batch's time is shared by its groups: count it once.
            double seconds = mine.stream().mapToDouble(u -> u.seconds() / u.groupsInBatch()).sum();
            t.add(a.name(), Integer.toString(groups), Long.toString(mine.size() - failed),
                    Long.toString(groups - mine.size()), Long.toString(failed), String.format(Locale.ROOT, "%.1f", seconds));
        }
        t.print(out);
        for (SweepRunner.Unit u : units) {
            if (!u.status().equals("done")) out.println("FAILED " + u.analysis() + " " + u.group() + ": " + u.error());
        }
        out.flush();
    }

    private static void printJson(List<SweepRunner.Unit> units, PrintWriter out) {
        ObjectMapper m = new ObjectMapper();
        for (SweepRunner.Unit u : units) {
            ObjectNode o = m.createObjectNode();
            o.put("input", u.input());
            ObjectNode g = o.putObject("group");
            u.group().values().forEach(g::put);
            o.put("analysis", u.analysis());
            o.put("status", u.status());
            o.put("seconds", u.seconds());
            o.put("groups_in_batch", u.groupsInBatch());
            o.put("metric_rows", u.metricRows());
            o.put("input_fingerprint", u.inputFingerprint());
            o.put("options_fingerprint", u.optionsFingerprint());
            o.put("error", u.error());
            out.println(o);
        }
        out.flush();
    }
}
