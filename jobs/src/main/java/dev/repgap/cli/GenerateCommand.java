package dev.repgap.cli;

import dev.repgap.analysis.OptionException;
import dev.repgap.generate.GenerateJob;
import dev.repgap.generate.Manifold;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.concurrent.Callable;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.SparkSession;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

@Command(name = "generate", mixinStandardHelpOptions = true,
        description = "Write points with a known intrinsic dimension as an activation dataset"
                + " (columns id, features, split, and the --set columns). Same arguments, same bytes.")
final class GenerateCommand implements Callable<Integer> {
    @Option(names = "--manifold", required = true, paramLabel = "NAME",
            description = "torus (flat d-torus of volume 1 in R^2d), sphere (unit d-sphere in R^(d+1)),"
                    + " affine (unit d-cube rotated into R^D), gaussian (isotropic in a random d-subspace of R^D),"
                    + " swissroll (d = 2 in R^3).")
    String manifold;

    @Option(names = "--dim", required = true, paramLabel = "d", description = "Intrinsic dimension.")
    int dim;

    @Option(names = "--ambient", paramLabel = "D",
            description = "Ambient dimension; larger than the manifold's own embeds it by a random rotation."
                    + " Default: 2d for torus, d+1 for sphere, 2d for affine and gaussian, 3 for swissroll.")
    Integer ambient;

    @Option(names = "--n", required = true, paramLabel = "N", description = "Training rows (split train).")
    long n;

    @Option(names = "--test", defaultValue = "0", paramLabel = "M", description = "Test rows (split test). Default: 0.")
    long test;

    @Option(names = "--noise", defaultValue = "0", paramLabel = "s",
            description = "Standard deviation of isotropic Gaussian noise added to every coordinate. Default: 0.")
    double noise;

    @Option(names = "--seed", required = true, paramLabel = "S", description = "Random seed.")
    long seed;

    @Option(names = "--set", paramLabel = "KEY=VALUE",
            description = "A grouping column with a constant value for these rows (e.g. --set layer=4), repeatable.")
    LinkedHashMap<String, String> set = new LinkedHashMap<>();

    @Option(names = "--out", required = true, paramLabel = "DIR",
            description = "Dataset directory; repeated runs with other --set values add groups to it.")
    String out;

    @Mixin SparkOptions spark;
    @Spec CommandSpec spec;

    @Override
    public Integer call() {
        if (n < 0 || test < 0 || n + test == 0) {
            throw new OptionException("--n and --test must be >= 0 and give at least one row");
        }
        SetColumns.check(set);
        Manifold m = Manifold.parse(manifold);
        int d = ambient == null ? m.defaultAmbient(dim) : ambient;
        OutputPaths.directory("--out", out);
        SparkSession session = spark.session("generate");
        List<Path> written = GenerateJob.run(session,
                new GenerateJob.Spec(m, dim, d, n, test, noise, seed, set), out);
        spec.commandLine().getOut().printf("wrote %d train and %d test rows of %s (d = %d) in R^%d to %s%n",
                n, test, m.cliName(), dim, d, written.get(0).getParent());
        spec.commandLine().getOut().flush();
        return 0;
    }
}
