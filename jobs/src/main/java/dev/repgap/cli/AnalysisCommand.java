package dev.repgap.cli;

import dev.repgap.analysis.Analyses;
import dev.repgap.analysis.Analysis;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * The command of one registered analysis ({@code repgap id}, ...): the input, output and Spark options every
 * analysis shares, and the analysis's own options as a mixin, so its help lists them all.
 */
@Command(mixinStandardHelpOptions = true)
final class AnalysisCommand<O> implements Callable<Integer> {
    @Mixin InputOptions input;
    @Mixin OutputOptions output;
    @Mixin SparkOptions spark;
    @Spec CommandSpec spec;

    private final Analysis<O> analysis;
    private final O options;

    private AnalysisCommand(Analysis<O> analysis) {
        this.analysis = analysis;
        this.options = analysis.options();
    }

    /** The subcommand of {@code analysis}. */
    static <O> CommandLine of(Analysis<O> analysis) {
        AnalysisCommand<O> command = new AnalysisCommand<>(analysis);
        CommandSpec spec = CommandSpec.forAnnotatedObject(command);
        spec.name(analysis.name());
        spec.usageMessage().description(analysis.description().replace("%", "%%")); // picocli formats it: % is literal here
        spec.addMixin("options", CommandSpec.forAnnotatedObject(command.options));
        InputOptions.addRoles(spec, analysis.roles());
        return new CommandLine(spec);
    }

    @Override
    public Integer call() {
        return output.run(Analyses.configure(analysis, options, input.groupBy), input, spark, spec);
    }
}
