package dev.repgap.cli;

import dev.repgap.analysis.OptionException;
import dev.repgap.data.Requirement;
import dev.repgap.knn.KnnJob;
import dev.repgap.knn.KnnOutput;
import dev.repgap.knn.ScanMode;
import dev.repgap.results.RunInfo;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.SparkSession;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

@Command(name = "knn", mixinStandardHelpOptions = true,
        description = "Exact k nearest neighbours per group, written as Parquet (query_id, neighbour_ids, distances,"
                + " exact_duplicates), with a summary per group.")
final class KnnCommand implements Callable<Integer> {
    @Mixin InputOptions input;
    @Mixin SparkOptions spark;
    @Spec CommandSpec spec;

    @Option(names = "--k", required = true, paramLabel = "K", description = "Neighbours per query.")
    int k;

    @Option(names = "--mode", defaultValue = "self", paramLabel = "self|cross",
            description = "self: every row against its own group, excluding its own row (by id). cross: test rows"
                    + " against train rows, nothing excluded. Default: ${DEFAULT-VALUE}.")
    String mode;

    @Option(names = "--queries", defaultValue = "0", paramLabel = "N",
            description = "Seeded subsample of N query rows per group (0: all). Cost grows as queries x references x"
                    + " dimension.")
    long queries;

    @Option(names = "--seed", defaultValue = "0", paramLabel = "S", description = "Seed of the query subsample.")
    long seed;

    @Option(names = "--block-rows", defaultValue = "4096", paramLabel = "R",
            description = "Reference rows per block in a task (memory per task ~ R x dim x 4 bytes). Default: ${DEFAULT-VALUE}.")
    int blockRows;

    @Option(names = "--query-block-rows", defaultValue = "1024", paramLabel = "Q",
            description = "Query rows per block. Default: ${DEFAULT-VALUE}.")
    int queryBlockRows;

    @Option(names = "--round-mb", defaultValue = "512", paramLabel = "MB",
            description = "Queries broadcast per round, with their neighbour lists, in MiB. Default: ${DEFAULT-VALUE}.")
    double roundMb;

    @Option(names = "--partitions", defaultValue = "0", paramLabel = "P",
            description = "Reference partitions of the neighbour scan (0: as read). Each is scanned in enough slices of the"
                    + " queries to keep every core busy.")
    int partitions;

    @Option(names = "--out", required = true, paramLabel = "DIR", description = "Where to write the neighbours (new directory).")
    String out;

    @Option(names = "--results", paramLabel = "DIR", description = "Results repository for the summary rows.")
    String results;

    @Option(names = "--json", description = "Print the summary rows as JSON lines instead of a table.")
    boolean json;

    @Override
    public Integer call() {
        if (k < 1) throw new OptionException("--k must be at least 1, got " + k);
        if (blockRows < 1 || queryBlockRows < 1 || !(roundMb > 0) || queries < 0 || partitions < 0) {
            throw new OptionException("--block-rows, --query-block-rows and --round-mb must be positive;"
                    + " --queries and --partitions >= 0");
        }
        ScanMode scanMode = switch (mode.toLowerCase(Locale.ROOT)) {
            case "self" -> ScanMode.SELF;
            case "cross" -> ScanMode.CROSS;
            default -> throw new OptionException("--mode must be self or cross, got '" + mode + "'");
        };
        Requirement need = new Requirement("knn --mode " + mode, scanMode == ScanMode.SELF ? 2 : 1,
                scanMode == ScanMode.CROSS);
        input.precheck(need, "--out", out, "--results", results);
        RunInfo run = RunInfo.start("knn", input.input);
        SparkSession session = spark.session("knn");
        input.analyse(session, need, data -> {
            KnnJob.Result result = KnnJob.run(data, new KnnJob.Options(k, scanMode, queries, seed, blockRows,
                    queryBlockRows, (long) (roundMb * (1 << 20)), partitions));
            Path written = KnnOutput.write(session, result, input.names().groupBy(), out);
            spec.commandLine().getErr().println("repgap: neighbours written to " + written);
            OutputOptions.publish(session, results, json, run, KnnOutput.summary(result, k),
                    spec.commandLine().getOut(), spec.commandLine().getErr());
        });
        return 0;
    }
}
