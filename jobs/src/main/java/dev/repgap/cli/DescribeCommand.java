package dev.repgap.cli;

import dev.repgap.describe.DescribeJob;
import dev.repgap.results.RunInfo;
import java.util.concurrent.Callable;
import org.apache.spark.sql.SparkSession;
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
        RunInfo run = RunInfo.start("describe", input.input);
        SparkSession session = spark.session("describe");
        input.analyse(session, DescribeJob.REQUIREMENT, data -> output.publish(session, run, DescribeJob.run(data),
                spec.commandLine().getOut(), spec.commandLine().getErr()));
        return 0;
    }
}
