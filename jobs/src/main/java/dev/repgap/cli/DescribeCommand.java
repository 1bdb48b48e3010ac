package dev.repgap.cli;

import dev.repgap.describe.DescribeJob;
import dev.repgap.results.Analysis;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

@Command(name = "describe", mixinStandardHelpOptions = true,
        description = "Per group: rows per split, vector length, norms, duplicate rows, covariance spectrum,"
                + " participation ratio and linear rank.")
final class DescribeCommand implements Callable<Integer> {
    @Mixin InputOptions input;
    @Mixin OutputOptions output;
    @Mixin SparkOptions spark;
    @Spec CommandSpec spec;

    @Override
    public Integer call() {
        return output.run(analysis(), input, spark, spec);
    }

    static Analysis analysis() {
        return new Analysis("describe", DescribeJob.REQUIREMENT, "describe",
                (data, run, results) -> Analysis.Output.of(DescribeJob.run(data)));
    }
}
