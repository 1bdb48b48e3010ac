package dev.repgap.id;

import dev.repgap.generate.Manifold;
import dev.repgap.stats.Bootstrap;
import dev.repgap.stats.Measured;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Coverage of the TwoNN maximum-likelihood interval on seeded flat tori, without Spark: for each
 * dimension and seed, {@code generate --manifold torus}'s points (n rows in R^2d, from
 * {@link ManifoldDistances#sample}), every row a query against every row by the exact scan, then the
 * exact Gamma(N) interval (the one used before the overlap correction) and {@link TwoNN#maximumLikelihood}'s.
 * A benchmark driver, not a test (it does not run in the build): {@code cluster/bench/twonn-coverage.sh}.
 *
 * <p>Arguments: {@code dims n seeds [threads] [level] [firstSeed] [perSeedCsv]}, e.g. {@code 2,3,4,5,6,8 20000 200 2};
 * with a CSV path, one line per dimension and seed is written there too.
 */
public final class IntervalCoverage {

    private record Run(double value, double oldLow, double oldHigh, double newLow, double newHigh, double inflation) {}

    public static void main(String[] args) throws Exception {
        if (args.length < 3) {
            System.err.println("usage: IntervalCoverage DIMS(2,3,4) N SEEDS [THREADS=1] [LEVEL=0.9] [FIRST_SEED=0] [PER_SEED_CSV]");
            System.exit(2);
        }
        String[] dims = args[0].split(",");
        int n = Integer.parseInt(args[1]);
        int seeds = Integer.parseInt(args[2]);
        int threads = args.length > 3 ? Integer.parseInt(args[3]) : 1;
        double level = args.length > 4 ? Double.parseDouble(args[4]) : Estimate.DEFAULT_LEVEL;
        long first = args.length > 5 ? Long.parseLong(args[5]) : 0;
        java.io.PrintWriter csv = args.length > 6 && !args[6].isEmpty() ? new java.io.PrintWriter(args[6], "UTF-8") : null;
        if (csv != null) csv.println("d,seed,value,old_low,old_high,new_low,new_high,f");
        System.out.printf(Locale.ROOT, "TwoNN MLE %.0f%% interval on the flat d-torus in R^2d, n = %d, every row a query, seeds %d..%d%n",
                100 * level, n, first, first + seeds - 1);
        System.out.println("| d | seeds | mean d^ (bias +- se) | sd of d^ | old: Gamma(N) coverage | old mean width | new coverage | new mean width | mean f | width for 90% at the sd | time (s) |");
        System.out.println("|---|---|---|---|---|---|---|---|---|---|---|");
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            for (String dim : dims) {
                int d = Integer.parseInt(dim.trim());
                long start = System.nanoTime();
                List<Future<Run>> futures = new ArrayList<>();
                for (int s = 0; s < seeds; s++) {
                    long seed = first + s;
                    futures.add(pool.submit(() -> run(d, n, seed, level)));
                }
                List<Run> runs = new ArrayList<>();
                for (int s = 0; s < seeds; s++) {
                    Run r = futures.get(s).get();
                    runs.add(r);
                    if (csv != null) {
                        csv.printf(Locale.ROOT, "%d,%d,%.17g,%.17g,%.17g,%.17g,%.17g,%.17g%n", d, first + s, r.value, r.oldLow,
                                r.oldHigh, r.newLow, r.newHigh, r.inflation);
                    }
                }
                report(d, runs, level, (System.nanoTime() - start) / 1e9);
            }
        } finally {
            pool.shutdown();
            if (csv != null) csv.close();
        }
    }

    /** One seeded torus: the estimate, the old and the new interval, and the variance inflation f. */
    static Run run(int d, int n, long seed, double level) {
        NeighbourDistances distances = ManifoldDistances.of(ManifoldDistances.sample(Manifold.TORUS, d, 2 * d, n, seed), 2 * d, 2);
        Estimate e = new TwoNN(level, TwoNN.DEFAULT_DISCARD, new Bootstrap()).maximumLikelihood(distances);
        double sum = 0;
        for (double mu : distances.ratios(1, 2)) sum += Math.log(mu);
        Measured old = TwoNN.interval(sum, distances.points(), 1, level);
        long[] supports = new long[3 * distances.points()];
        double[] logMu = distances.ratios(1, 2);
        for (int p = 0; p < logMu.length; p++) {
            logMu[p] = Math.log(logMu[p]);
            supports[3 * p] = distances.pointId(p);
            supports[3 * p + 1] = distances.neighbourId(p, 1);
            supports[3 * p + 2] = distances.neighbourId(p, 2);
        }
        return new Run(e.value(), old.low(), old.high(), e.ciLow(), e.ciHigh(), OverlapCovariance.inflation(logMu, supports, 3));
    }

    private static void report(int d, List<Run> runs, double level, double seconds) {
        int m = runs.size();
        double mean = 0, oldWidth = 0, newWidth = 0, f = 0;
        int oldCovered = 0, newCovered = 0;
        for (Run r : runs) {
            mean += r.value / m;
            oldWidth += (r.oldHigh - r.oldLow) / m;
            newWidth += (r.newHigh - r.newLow) / m;
            f += r.inflation / m;
            if (r.oldLow <= d && d <= r.oldHigh) oldCovered++;
            if (r.newLow <= d && d <= r.newHigh) newCovered++;
        }
        double var = 0;
        for (Run r : runs) var += (r.value - mean) * (r.value - mean) / (m - 1);
        double sd = Math.sqrt(var);
        double z = new org.apache.commons.math3.distribution.NormalDistribution(null, 0, 1).inverseCumulativeProbability((1 + level) / 2);
        System.out.printf(Locale.ROOT, "| %d | %d | %.4f (%+.4f +- %.4f) | %.4f | %.3f +- %.3f | %.4f | %.3f +- %.3f | %.4f | %.3f | %.4f | %.0f |%n",
                d, m, mean, mean - d, sd / Math.sqrt(m), sd, oldCovered / (double) m, se(oldCovered, m), oldWidth,
                newCovered / (double) m, se(newCovered, m), newWidth, f, 2 * z * sd, seconds);
    }

    private static double se(int covered, int m) {
        double p = covered / (double) m;
        return Math.sqrt(p * (1 - p) / m);
    }
}
