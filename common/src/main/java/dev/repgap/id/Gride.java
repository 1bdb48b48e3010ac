package dev.repgap.id;

import dev.repgap.stats.Measured;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import org.apache.commons.math3.analysis.UnivariateFunction;
import org.apache.commons.math3.analysis.solvers.BrentSolver;
import org.apache.commons.math3.distribution.ChiSquaredDistribution;

/**
 * Gride (Denti et al. 2022): for ranks n1 < n2, {@code mu = r_n2 / r_n1} has density
 * {@code d (mu^d - 1)^(n2-n1-1) / (B(n2-n1, n1) mu^(d(n2-1)+1))}; d maximises the summed log density.
 *
 * <p>With {@code t = log mu}, {@code a = n2-n1-1}, the log-likelihood up to a constant is
 * {@code N log d + a sum log(1 - e^(-d t)) - n1 d sum t}. Its second derivative
 * {@code -N/d^2 - a sum t^2 / (4 sinh^2(d t / 2))} is negative, so it is strictly concave and the
 * maximiser is the one root of the decreasing score, found by Brent's method on a bracket grown
 * until the score changes sign. Interval: profile likelihood, {@code 2 (l(d^) - l(d)) <= chi2_1(level)},
 * which stays asymmetric where the Wald interval would not. At (1, 2) the maximiser is TwoNN's
 * {@code N / sum log mu}.
 *
 * <p>Points with {@code r_n1 = r_n2} (tied distances) have zero density when {@code n2 - n1 > 1};
 * they are left out and counted in the details, n being the points used.
 */
public final class Gride {

    /** Relative accuracy of every root (the maximiser and both interval ends). */
    private static final double ACCURACY = 1e-12;

    private final double level;

    public Gride(double level) {
        Measured.checkLevel(level);
        this.level = level;
    }

    /** 90% intervals. */
    public Gride() {
        this(Estimate.DEFAULT_LEVEL);
    }

    /** Estimate from the ratio {@code r_n2 / r_n1}; scale = median {@code r_n2}. */
    public Estimate estimate(NeighbourDistances distances, int n1, int n2) {
        double[] mu = distances.ratios(n1, n2);
        return fromRatios(mu, n1, n2, distances.medianDistance(n2));
    }

    /**
     * Estimates at (n1, n2) = (2^i, 2^(i+1)) for i = 0, 1, ... while {@code 2^(i+1) <= maxRank}
     * (and K): element i is at ranks (2^i, 2^(i+1)), its scale the median {@code r_(2^(i+1))}.
     * The first, (1, 2), is TwoNN.
     */
    public List<Estimate> multiscale(NeighbourDistances distances, int maxRank) {
        int top = Math.min(maxRank, distances.k());
        if (top < 2) throw new IllegalArgumentException("need a max rank of at least 2, got " + maxRank);
        List<Estimate> out = new ArrayList<>();
        for (int n1 = 1; 2 * n1 <= top; n1 *= 2) out.add(estimate(distances, n1, 2 * n1));
        return List.copyOf(out);
    }

    /** All ranks up to K. */
    public List<Estimate> multiscale(NeighbourDistances distances) {
        return multiscale(distances, distances.k());
    }

    Estimate fromRatios(double[] mu, int n1, int n2, double scale) {
        Likelihood l = Likelihood.of(mu, n1, n2);
        if (l.n == 0) throw new IllegalArgumentException("no point has r_" + n2 + " > r_" + n1);
        double d = maximise(l);
        double drop = new ChiSquaredDistribution(null, 1).inverseCumulativeProbability(level) / 2;
        double top = l.value(d);
        UnivariateFunction profile = x -> top - l.value(x) - drop;
        double low = root(profile, d, 0.5);
        double high = root(profile, d, 2);
        return new Estimate(new Measured(d, low, high), l.n, scale, String.format(Locale.ROOT,
                "Gride (n1, n2) = (%d, %d); profile-likelihood interval at %.2f; %d tied points left out; scale = median r%d",
                n1, n2, level, mu.length - l.n, n2));
    }

    private static double maximise(Likelihood l) {
        return root(l::score, 1, l.score(1) > 0 ? 2 : 0.5);
    }

    /** Root of f on the side of {@code from} reached by repeated multiplication by {@code factor}; f(from) has the other sign. */
    private static double root(UnivariateFunction f, double from, double factor) {
        double inner = from;
        double outer = from * factor;
        double f0 = f.value(inner);
        for (int i = 0; Math.signum(f.value(outer)) == Math.signum(f0); i++) {
            if (i > 60) throw new ArithmeticException("no sign change of the Gride likelihood near " + outer);
            inner = outer;
            outer *= factor;
        }
        double lo = Math.min(inner, outer), hi = Math.max(inner, outer);
        return new BrentSolver(ACCURACY, ACCURACY * lo).solve(1000, f, lo, hi);
    }

    /** Sufficient pieces of the log-likelihood: the log-ratios and their sum. */
    private record Likelihood(double[] t, double sumT, int n, int a, int n1) {

        static Likelihood of(double[] mu, int n1, int n2) {
            int a = n2 - n1 - 1;
            double[] t = new double[mu.length];
            int n = 0;
            double sum = 0;
            for (double m : mu) {
                double x = Math.log(m);
                if (a > 0 && x <= 0) continue;
                t[n++] = x;
                sum += x;
            }
            return new Likelihood(Arrays.copyOf(t, n), sum, n, a, n1);
        }

        double value(double d) {
            double s = 0;
            if (a > 0) {
                for (double x : t) s += log1mExp(d * x);
            }
            return n * Math.log(d) + a * s - n1 * d * sumT;
        }

        double score(double d) {
            double s = 0;
            if (a > 0) {
                for (double x : t) s += x / Math.expm1(d * x);
            }
            return n / d + a * s - n1 * sumT;
        }

        /** {@code log(1 - e^(-x))} for x > 0, accurate at both ends. */
        private static double log1mExp(double x) {
            return x < Math.log(2) ? Math.log(-Math.expm1(-x)) : Math.log1p(-Math.exp(-x));
        }
    }
}
