package dev.repgap.id;

import dev.repgap.analysis.Analysis;
import dev.repgap.analysis.Configured;
import dev.repgap.analysis.Fingerprint;
import dev.repgap.analysis.OptionException;
import dev.repgap.data.Requirement;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code repgap id}: intrinsic dimension per group. */
public final class IdAnalysis implements Analysis<IdAnalysis.Options> {
    /** The options of {@code id}, as on its command line. */
    @Command
    public static final class Options {
        @Option(names = "--estimators", split = ",", paramLabel = "LIST",
                description = "Any of twonn,mle,gride,kmeans,pr. Default: all.")
        List<String> estimators = new ArrayList<>(IdJob.ESTIMATORS);

        @Option(names = "--k", defaultValue = "5:20", paramLabel = "K1:K2",
                description = "Neighbourhood sizes of the Levina-Bickel MLE. Default: ${DEFAULT-VALUE}.")
        String kRange;

        @Option(names = "--gride-max-rank", defaultValue = "32", paramLabel = "R",
                description = "Gride runs at rank pairs (1,2), (2,4), ... up to R (a power of 2). Default: ${DEFAULT-VALUE}.")
        int grideMaxRank;

        @Option(names = "--queries", defaultValue = "20000", paramLabel = "N",
                description = "Seeded subsample of N points per group whose neighbours (among all rows) are used; 0: all."
                        + " Default: ${DEFAULT-VALUE}.")
        long queries;

        @Option(names = "--seed", defaultValue = "0", paramLabel = "S", description = "Seed of subsamples, bootstrap and k-means.")
        long seed;

        @Option(names = "--duplicates", defaultValue = "drop", paramLabel = "drop|keep|fail",
                description = "Exact duplicate rows: drop (one row per distinct vector), keep, or fail. Always counted."
                        + " Default: ${DEFAULT-VALUE}.")
        String duplicates;

        @Option(names = "--kmeans-max-k", defaultValue = "256", paramLabel = "K",
                description = "Largest K of the k-means grid 4, 8, 16, ... (K stops at rows / 20). Default: ${DEFAULT-VALUE}.")
        int kmeansMaxK;

        @Option(names = "--kmeans-rows", defaultValue = "10000", paramLabel = "N",
                description = "k-means runs on the driver on the N rows of the query sample with the smallest seeded hash of"
                        + " their id (all when fewer), sorted by id: k-means++ seeding, then Lloyd's iterations, at most 30 or"
                        + " until the cost falls by less than 1e-3 of itself; the same result for any partitioning."
                        + " Default: ${DEFAULT-VALUE}.")
        int kmeansRows;

        @Option(names = "--level", defaultValue = "0.9", paramLabel = "P", description = "Interval level. Default: ${DEFAULT-VALUE}.")
        double level;

        @Option(names = "--bootstrap", defaultValue = "200", paramLabel = "B",
                description = "Bootstrap resamples where no analytic interval exists (pr: resamples of 50 blocks of the"
                        + " query sample, split by a seeded hash of the id). Default: ${DEFAULT-VALUE}.")
        int bootstrap;

        @Option(names = "--partitions", defaultValue = "0", paramLabel = "P",
                description = "Reference partitions of the neighbour scan (0: as read). Each is scanned in enough slices of the"
                        + " queries to keep every core busy.")
        int partitions;
    }

    @Override
    public String name() {
        return "id";
    }

    @Override
    public String description() {
        return "Intrinsic dimension per group: TwoNN (MLE and linear fit), Levina-Bickel MLE over a range of k,"
                + " Gride across scales, local ID quantiles, quantization dimension from k-means, participation ratio;"
                + " each with an interval, the number of points and the scale it measured at. Estimators run in"
                + " parallel after the neighbour scan; each one's time is printed on stderr and added to its rows' details.";
    }

    @Override
    public List<String> profileMetrics() {
        return List.of("id.twonn", "id.mle_mean", "id.pr");
    }

    @Override
    public Options options() {
        return new Options();
    }

    @Override
    public Configured configure(Options options, List<String> groupBy) {
        IdJob.Options o = job(options);
        // --partitions changes how the scan is cut, not what it finds: not part of the fingerprint. The estimators
        // in their fixed order (the rows come out in it whatever order they were asked in): --estimators pr,twonn
        // and twonn,pr are the same run.
        List<String> estimators = IdJob.ESTIMATORS.stream().filter(o.estimators()::contains).toList();
        Fingerprint fp = Fingerprint.of("id", 1).with("estimators", estimators).with("k", o.k1() + ":" + o.k2())
                .with("gride_max_rank", o.maxGrideRank()).with("queries", o.queries()).with("seed", o.seed())
                .with("duplicates", o.duplicates()).with("kmeans_max_k", o.kmeansMaxK()).with("kmeans_rows", o.kmeansRows())
                .with("level", o.level()).with("bootstrap", o.bootstrap());
        return new Configured("id", Requirement.rows("id", o.neighbours() + 1), fp,
                (data, run, results) -> Configured.Output.of(IdJob.run(data, o)));
    }

    static IdJob.Options job(Options o) {
        LinkedHashSet<String> chosen = new LinkedHashSet<>();
        for (String e : o.estimators) {
            String name = e.trim().toLowerCase(Locale.ROOT);
            if (!IdJob.ESTIMATORS.contains(name)) {
                throw new OptionException("--estimators: unknown '" + e + "'; choose from " + IdJob.ESTIMATORS);
            }
            chosen.add(name);
        }
        String[] k = o.kRange.split(":");
        int k1, k2;
        try {
            k1 = Integer.parseInt(k[0].trim());
            k2 = Integer.parseInt(k[k.length - 1].trim());
        } catch (NumberFormatException ex) {
            throw new OptionException("--k takes K1:K2 or K, got '" + o.kRange + "'");
        }
        if (k.length > 2 || k1 < 2 || k2 < k1) throw new OptionException("--k needs 2 <= K1 <= K2, got '" + o.kRange + "'");
        if (o.grideMaxRank < 2 || Integer.bitCount(o.grideMaxRank) != 1) {
            throw new OptionException("--gride-max-rank must be a power of 2 >= 2, got " + o.grideMaxRank);
        }
        if (!(o.level > 0 && o.level < 1)) throw new OptionException("--level must be in (0, 1), got " + o.level);
        if (o.bootstrap < 10 || o.queries < 0 || o.kmeansMaxK < 4 || o.kmeansRows < 1 || o.partitions < 0) {
            throw new OptionException("--bootstrap >= 10, --queries >= 0, --kmeans-max-k >= 4,"
                    + " --kmeans-rows >= 1 and --partitions >= 0 are needed");
        }
        DuplicatePolicy policy;
        try {
            policy = DuplicatePolicy.valueOf(o.duplicates.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException ex) { // not a policy name
            throw new OptionException("--duplicates must be drop, keep or fail, got '" + o.duplicates + "'");
        }
        return new IdJob.Options(chosen, k1, k2, o.grideMaxRank, o.queries, o.seed, policy, o.kmeansMaxK, o.kmeansRows, o.level,
                o.bootstrap, o.partitions);
    }
}
