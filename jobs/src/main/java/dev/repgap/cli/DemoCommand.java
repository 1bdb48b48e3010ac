package dev.repgap.cli;

import dev.repgap.data.InputException;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/**
 * {@code repgap demo}: the quick start in one JVM. It runs four ordinary commands one after another, printing
 * each before it runs: {@code generate} twice (two layers of known intrinsic dimension), then {@code id} and
 * {@code gap} on them. One Spark session serves all four, so the demo pays Spark's start-up once instead of
 * four times; the commands it prints give the same results when run one by one.
 */
@Command(name = "demo", mixinStandardHelpOptions = true,
        description = "Generate two demo layers of known intrinsic dimension (sphere5: the unit 5-sphere in R^50;"
                + " torus3: the flat 3-torus in R^6) and measure their intrinsic dimension (id) and Representation"
                + " Gap (gap), in one JVM. Prints each command it runs; they give the same results run one by one.")
final class DemoCommand implements Callable<Integer> {
    @Option(names = "--out", defaultValue = "demo", paramLabel = "DIR",
            description = "Where to write: DIR/activations (the dataset) and DIR/results (the results repository);"
                    + " must not exist or be empty. Default: ${DEFAULT-VALUE}.")
    String out;

    @Option(names = "--n", defaultValue = "5000", paramLabel = "N", description = "Training rows per layer. Default: ${DEFAULT-VALUE}.")
    long n;

    @Option(names = "--test", defaultValue = "500", paramLabel = "M", description = "Test rows per layer. Default: ${DEFAULT-VALUE}.")
    long test;

    @Mixin SparkOptions spark;
    @Spec CommandSpec spec;

    @Override
    public Integer call() {
        emptyOrNew(out);
        String activations = out + "/activations", results = out + "/results";
        List<List<String>> steps = List.of(
                List.of("generate", "--manifold", "sphere", "--dim", "5", "--ambient", "50", "--n", Long.toString(n),
                        "--test", Long.toString(test), "--seed", "1", "--set", "layer=sphere5", "--out", activations),
                List.of("generate", "--manifold", "torus", "--dim", "3", "--n", Long.toString(n),
                        "--test", Long.toString(test), "--seed", "2", "--set", "layer=torus3", "--out", activations),
                List.of("id", "--input", activations, "--group-by", "layer", "--out", results),
                List.of("gap", "--input", activations, "--group-by", "layer", "--out", results));
        PrintWriter stdout = spec.commandLine().getOut();
        for (List<String> step : steps) {
            List<String> args = new ArrayList<>(step);
            args.addAll(sparkArgs());
            stdout.println("$ repgap " + String.join(" ", step));
            stdout.flush();
            CommandLine command = Main.commandLine();
            command.setOut(stdout);
            command.setErr(spec.commandLine().getErr());
            int code = command.execute(args.toArray(String[]::new));
            if (code != 0) return code; // the step has said why on stderr
            stdout.println();
        }
        stdout.println("Results: " + results + " (bin/repgap report --results " + results + " --out " + out
                + "/report.html draws them)");
        stdout.flush();
        return 0;
    }

    /** This command's --master, --conf and --quiet, passed on to every step. */
    private List<String> sparkArgs() {
        List<String> args = new ArrayList<>();
        if (spark.master != null) args.addAll(List.of("--master", spark.master));
        spark.conf.forEach((k, v) -> args.addAll(List.of("--conf", k + "=" + v)));
        if (spark.quiet) args.add("--quiet");
        return args;
    }

    /** The demo writes a fresh directory: an existing one must be empty (it will not mix into other data). */
    private static void emptyOrNew(String dir) {
        Path p = Path.of(dir);
        if (!Files.exists(p)) return;
        if (!Files.isDirectory(p)) throw new InputException("--out " + dir + ": is a file, not a directory");
        try (Stream<Path> entries = Files.list(p)) {
            if (entries.findAny().isPresent()) {
                throw new InputException("--out " + dir + ": the directory is not empty; remove it (rm -rf " + dir
                        + ") or choose another --out");
            }
        } catch (IOException e) {
            throw new InputException("--out " + dir + ": cannot be read: " + e.getMessage());
        }
    }
}
