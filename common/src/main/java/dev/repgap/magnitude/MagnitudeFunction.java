package dev.repgap.magnitude;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * The magnitude function of a finite metric space on a grid of scales, and what is read from it: the
 * convergence scale {@code t_conv} (where Mag reaches a fraction of the number of points), the dimension
 * profile (the slope of log Mag against log t between consecutive grid points), the magnitude dimension
 * (the profile's maximum) and the area under Mag/N over log t.
 *
 * @param solutions one per grid scale, ascending t
 * @param n         the number of points
 */
public record MagnitudeFunction(List<MagnitudeSolver.Solution> solutions, int n) {
    /** Which grid: log-spaced over {@code decades} decades below t_conv, or linear from 0 (0 itself excluded). */
    public enum Spacing { LOG, LINEAR }

    /** One segment of the profile: the slope between grid points {@code i} and {@code i + 1}, at their geometric mean. */
    public record Slope(double t, double slope) {}

    /** The profile's largest slope and where (NaN and NaN when no segment has a value). */
    public record Dimension(double value, double t) {}

    public MagnitudeFunction {
        solutions = List.copyOf(solutions);
    }

    /** The magnitude at each of these scales (sorted ascending, duplicates dropped). */
    public static MagnitudeFunction evaluate(MagnitudeSolver solver, double[] scales) {
        double[] t = Arrays.stream(scales).sorted().distinct().toArray();
        List<MagnitudeSolver.Solution> out = new ArrayList<>(t.length);
        for (double s : t) out.add(solver.solve(s));
        return new MagnitudeFunction(out, solver.points());
    }

    /**
     * {@code count} scales ending at {@code tConv}: log-spaced from {@code tConv * 10^-decades}, or linear
     * {@code tConv * i / count} for i = 1..count.
     */
    public static double[] grid(Spacing spacing, double tConv, int count, double decades) {
        if (count < 2) throw new IllegalArgumentException("a grid needs at least 2 scales, got " + count);
        double[] t = new double[count];
        for (int i = 0; i < count; i++) {
            t[i] = spacing == Spacing.LOG ? tConv * Math.pow(10, -decades * (count - 1 - i) / (count - 1.0))
                    : tConv * (i + 1) / count;
        }
        t[count - 1] = tConv;
        return t;
    }

    /**
     * The scale where Mag reaches {@code convergence * N} (0 < convergence < 1, convergence N > 1): the root of
     * {@code F(s) = Mag(e^s) - convergence N} on s = log t, to a relative 1e-12 in t (F within 1e-13 of the target,
     * or a Newton step shorter than 1e-8, whose end is then returned: Newton's error after it is of the order of
     * its square, or the bracket narrower than 1e-12). Each step solves one scale and gets
     * F's derivative with it ({@link MagnitudeSolver#solveWithSlope}); the search starts where the bound
     * {@code N^2 / 1^T Z 1 <= Mag}, which costs no factorisation, reaches the target (so F >= 0 there for positive
     * definite Z, and close to the root when the points are well separated at t_conv), then takes Newton steps,
     * each kept inside the bracket found so far (regula falsi, Illinois variant, when Newton leaves it) and, while
     * one side of the root is still unknown, at most a factor 16 in t. Mag tends to 1 as t -> 0 and to N as t
     * grows, so a bracket always forms.
     *
     * @throws IllegalStateException if a scale on the way cannot be solved, or no root is found
     */
    public static double tConv(MagnitudeSolver solver, double maxDistance, double convergence) {
        int n = solver.points();
        if (!(convergence > 0 && convergence < 1) || convergence * n <= 1) {
            throw new IllegalArgumentException(String.format(Locale.ROOT,
                    "convergence must be in (1/N, 1) = (%s, 1), got %s", 1.0 / n, convergence));
        }
        if (!(maxDistance > 0)) throw new IllegalArgumentException("all points coincide");
        double target = convergence * n;
        double longest = 4 * Math.log(2);
        // Start: where the Cauchy-Schwarz bound reaches the target, by Newton on its log (no factorisation).
        double x = Math.log(1 / maxDistance);
        for (int k = 0; k < 100; k++) {
            double[] b = solver.lowerBound(Math.exp(x));
            double g = Math.log(b[0] / target), dg = b[1] / b[0];
            double step = dg > 0 ? -g / dg : longest;
            step = Math.max(-longest, Math.min(longest, step));
            if (!Double.isFinite(step)) break;
            x += step;
            if (Math.abs(step) < 1e-3) break;
        }
        double lo = Double.NEGATIVE_INFINITY, hi = Double.POSITIVE_INFINITY, flo = Double.NaN, fhi = Double.NaN;
        int side = 0;
        for (int k = 0; k < 200; k++) {
            double[] v = slope(solver, x);
            double fx = v[0] - target;
            if (Math.abs(fx) <= 1e-13 * target) return Math.exp(x);
            if (fx < 0) {
                lo = x;
                flo = fx;
                if (side == -1) fhi /= 2;
                side = -1;
            } else {
                hi = x;
                fhi = fx;
                if (side == 1) flo /= 2;
                side = 1;
            }
            boolean bracketed = Double.isFinite(lo) && Double.isFinite(hi);
            if (bracketed && hi - lo <= 1e-12 * Math.max(1, Math.abs(hi))) break;
            double newton = v[1] > 0 ? -fx / v[1] : Double.NaN;
            // Newton's error after a step of h is O(h^2): a step this short leaves far less than 1e-12.
            if (Math.abs(newton) <= 1e-8 * Math.max(1, Math.abs(x))) return Math.exp(x + newton);
            double next = x + newton;
            if (!bracketed) {
                if (!Double.isFinite(next)) next = x + (fx < 0 ? longest : -longest);
                next = Math.max(x - longest, Math.min(x + longest, next));
            } else if (!(next > lo && next < hi)) {
                next = (lo * fhi - hi * flo) / (fhi - flo);
                if (!(next > lo && next < hi)) next = 0.5 * (lo + hi);
            }
            x = next;
        }
        if (!(Double.isFinite(lo) && Double.isFinite(hi))) {
            throw new IllegalStateException("Mag never reached " + target + " near t = " + Math.exp(x));
        }
        return Math.exp(Math.abs(flo) < Math.abs(fhi) ? lo : hi);
    }

    /** Mag at e^logT and its derivative with respect to log t; throws when the scale cannot be solved. */
    private static double[] slope(MagnitudeSolver solver, double logT) {
        try {
            return solver.solveWithSlope(Math.exp(logT));
        } catch (IllegalStateException e) {
            throw new IllegalStateException("while searching t_conv: " + e.getMessage(), e);
        }
    }

    public double[] scales() {
        return solutions.stream().mapToDouble(MagnitudeSolver.Solution::t).toArray();
    }

    public double[] values() {
        return solutions.stream().mapToDouble(MagnitudeSolver.Solution::magnitude).toArray();
    }

    /** The slopes of log Mag against log t between consecutive scales (NaN where either end failed). */
    public List<Slope> profile() {
        List<Slope> out = new ArrayList<>();
        for (int i = 0; i + 1 < solutions.size(); i++) {
            MagnitudeSolver.Solution a = solutions.get(i), b = solutions.get(i + 1);
            double slope = (Math.log(b.magnitude()) - Math.log(a.magnitude())) / (Math.log(b.t()) - Math.log(a.t()));
            out.add(new Slope(Math.sqrt(a.t() * b.t()), slope));
        }
        return out;
    }

    /** The largest slope of the profile (segments without a value ignored) and its scale. */
    public Dimension dimension() {
        Dimension best = new Dimension(Double.NaN, Double.NaN);
        for (Slope s : profile()) {
            if (Double.isFinite(s.slope()) && !(s.slope() <= best.value())) best = new Dimension(s.slope(), s.t());
        }
        return best;
    }

    /**
     * The trapezoid area under Mag(t) / N over log t across the grid (NaN if any scale failed): scale-free,
     * between 0 and the grid's width in natural-log units.
     */
    public double area() {
        double area = 0;
        for (int i = 0; i + 1 < solutions.size(); i++) {
            MagnitudeSolver.Solution a = solutions.get(i), b = solutions.get(i + 1);
            area += 0.5 * (a.magnitude() + b.magnitude()) / n * (Math.log(b.t()) - Math.log(a.t()));
        }
        return area;
    }

    /**
     * The magnitude dimension with a seeded bootstrap interval over the points: each replicate draws N
     * points with replacement and takes the dimension of the distinct points drawn (about 63% of them: a
     * smaller set, so the replicates lean low like the dimension of a smaller subsample does) on the same
     * scales. The interval is the replicates' percentile interval; NaN bounds when a replicate cannot be
     * solved or has fewer than 2 distinct points.
     */
    public static dev.repgap.stats.Measured dimensionInterval(double[] distances, int n, double[] scales, double value,
                                                              dev.repgap.stats.Bootstrap bootstrap, double level) {
        return bootstrap.interval(value, n, counts -> {
            int[] kept = java.util.stream.IntStream.range(0, n).filter(i -> counts[i] > 0).toArray();
            if (kept.length < 2) return Double.NaN;
            int m = kept.length;
            double[] sub = new double[m * m];
            for (int a = 0; a < m; a++) {
                for (int b = 0; b < m; b++) sub[a * m + b] = distances[kept[a] * n + kept[b]];
            }
            MagnitudeFunction f = evaluate(new MagnitudeSolver(sub, m), scales);
            return f.failures().isEmpty() ? f.dimension().value() : Double.NaN;
        }, level);
    }

    /** The scales whose system needed the pivoted fallback. */
    public double[] pivoted() {
        return solutions.stream().filter(s -> s.method() == MagnitudeSolver.Method.PIVOTED_LDLT)
                .mapToDouble(MagnitudeSolver.Solution::t).toArray();
    }

    /** The scales that could not be solved. */
    public List<MagnitudeSolver.Solution> failures() {
        return solutions.stream().filter(s -> !s.ok()).toList();
    }
}
