package dev.repgap.magnitude;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ludovic.netlib.lapack.JavaLAPACK;
import dev.ludovic.netlib.lapack.LAPACK;
import dev.repgap.stats.Bootstrap;
import dev.repgap.stats.Measured;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** Magnitude against its closed forms (points on a line, two points, the square's corners) and the fallback. */
class MagnitudeFunctionTest {
    private static final List<LAPACK> LAPACKS = List.of(LAPACK.getInstance(), JavaLAPACK.getInstance());

    @Test
    void twoPoints() {
        for (LAPACK lapack : LAPACKS) {
            MagnitudeSolver s = new MagnitudeSolver(new double[] {0, 1, 1, 0}, 2, lapack);
            assertEquals(1.4621171573, s.solve(1).magnitude(), 1e-10);
            for (double t : new double[] {1e-3, 0.3, 7, 40}) {
                assertEquals(2 / (1 + Math.exp(-t)), s.solve(t).magnitude(), 1e-12);
                assertEquals(MagnitudeSolver.Method.CHOLESKY, s.solve(t).method());
            }
        }
    }

    @Test
    void equallySpacedLine() {
        double[] expected = {1.4496253746, 3.2042679616, 5.1590544153, 7.8543474036};
        double[] t = {0.1, 0.5, 1, 2};
        for (LAPACK lapack : LAPACKS) {
            MagnitudeSolver s = new MagnitudeSolver(line(arange(10, 1)), 10, lapack);
            for (int i = 0; i < t.length; i++) {
                assertEquals(expected[i], s.solve(t[i]).magnitude(), 1e-10);
                assertEquals(1 + 9 * Math.tanh(t[i] / 2), s.solve(t[i]).magnitude(), 1e-12);
            }
        }
    }

    @Test
    void randomSubsetsOfALine() {
        SplittableRandom rng = new SplittableRandom(18);
        for (int trial = 0; trial < 20; trial++) {
            int n = 2 + rng.nextInt(60);
            double[] x = new double[n];
            for (int i = 0; i < n; i++) x[i] = rng.nextDouble() * 10;
            Arrays.sort(x);
            MagnitudeSolver s = new MagnitudeSolver(line(x), n);
            for (double t : new double[] {0.05, 0.7, 3, 25}) {
                double closed = 1;
                for (int i = 0; i + 1 < n; i++) closed += Math.tanh(t * (x[i + 1] - x[i]) / 2);
                assertEquals(closed, s.solve(t).magnitude(), 1e-10, "n " + n + ", t " + t);
            }
        }
    }

    /**
     * From MagnitudeSolver.MIXED_MIN_POINTS points on, a scale is solved in single precision and refined in double:
     * still the closed form to 1e-10 where Z is well conditioned, and where Z is too ill-conditioned for single
     * precision (small t on a line) the double factorisation takes over, with the same accuracy.
     */
    @Test
    void refinedSolvesOfALargerLine() {
        SplittableRandom rng = new SplittableRandom(7);
        int n = 300;
        double[] x = new double[n];
        for (int i = 0; i < n; i++) x[i] = rng.nextDouble() * 10;
        Arrays.sort(x);
        for (LAPACK lapack : LAPACKS) {
            MagnitudeSolver s = new MagnitudeSolver(line(x), n, lapack);
            for (double t : new double[] {1e-3, 0.05, 0.7, 3, 25}) {
                double closed = 1;
                for (int i = 0; i + 1 < n; i++) closed += Math.tanh(t * (x[i + 1] - x[i]) / 2);
                MagnitudeSolver.Solution sol = s.solve(t);
                assertEquals(closed, sol.magnitude(), 1e-10 * closed, "t " + t);
                assertEquals(t > 1e-3 ? MagnitudeSolver.Method.CHOLESKY_REFINED : MagnitudeSolver.Method.CHOLESKY, sol.method(),
                        "t " + t);
            }
        }
    }

    @Test
    void unitSquareCorners() {
        double r = Math.sqrt(2);
        double[] d = {0, 1, r, 1, 1, 0, 1, r, r, 1, 0, 1, 1, r, 1, 0};
        MagnitudeSolver s = new MagnitudeSolver(d, 4);
        assertEquals(2.0213498848, s.solve(1).magnitude(), 1e-10);
        for (double t : new double[] {0.2, 2, 9}) {
            assertEquals(4 / (1 + 2 * Math.exp(-t) + Math.exp(-r * t)), s.solve(t).magnitude(), 1e-12);
        }
    }

    @Test
    void tConvOfALineIsTheClosedFormsRoot() {
        int n = 30;
        double h = 0.5;
        MagnitudeSolver s = new MagnitudeSolver(line(arange(n, h)), n);
        double tConv = MagnitudeFunction.tConv(s, (n - 1) * h, 0.95);
        double closed = 2 / h * atanh((0.95 * n - 1) / (n - 1));
        assertEquals(closed, tConv, 1e-8 * closed);
        // Newton steps with Mag's derivative from the bound's root: a handful of solves, not a doubling bracket
        // and regula falsi (15 here)
        assertTrue(s.solves() <= 6, s.solves() + " solves");
        assertEquals(0.95 * n, s.solve(tConv).magnitude(), 1e-9);
    }

    /** Two points: the Cauchy-Schwarz bound is Mag itself, so the search starts at the root. */
    @Test
    void tConvOfTwoPoints() {
        MagnitudeSolver s = new MagnitudeSolver(new double[] {0, 2, 2, 0}, 2);
        // 2 / (1 + e^(-2t)) = 1.9: t = ln(19) / 2
        assertEquals(Math.log(19) / 2, MagnitudeFunction.tConv(s, 2, 0.95), 1e-12);
        assertTrue(s.solves() <= 2, s.solves() + " solves");
    }

    /** 200 equally spaced points on [0, 1]: the grid's largest slope is the closed form's largest d log Mag / d log t. */
    @Test
    void dimensionOfAnEquallySpacedLine() {
        int n = 200;
        double h = 1.0 / (n - 1);
        MagnitudeSolver s = new MagnitudeSolver(line(arange(n, h)), n);
        double tConv = MagnitudeFunction.tConv(s, 1, 0.95);
        MagnitudeFunction f = MagnitudeFunction.evaluate(s, MagnitudeFunction.grid(MagnitudeFunction.Spacing.LOG, tConv, 64, 4));
        double best = 0;
        for (double logT = Math.log(tConv) - 12; logT < Math.log(tConv); logT += 1e-4) {
            double t = Math.exp(logT);
            double mag = 1 + (n - 1) * Math.tanh(t * h / 2);
            double derivative = (n - 1) * h / 2 / Math.pow(Math.cosh(t * h / 2), 2);
            best = Math.max(best, t * derivative / mag);
        }
        assertEquals(0.953, best, 5e-4);
        assertEquals(best, f.dimension().value(), 1e-3);
        // each segment's slope is the closed form's secant slope
        List<MagnitudeFunction.Slope> profile = f.profile();
        double[] t = f.scales();
        for (int i = 0; i < profile.size(); i++) {
            double a = 1 + (n - 1) * Math.tanh(t[i] * h / 2), b = 1 + (n - 1) * Math.tanh(t[i + 1] * h / 2);
            assertEquals(Math.log(b / a) / Math.log(t[i + 1] / t[i]), profile.get(i).slope(), 1e-8);
        }
        assertTrue(f.area() > 0 && f.area() < 4 * Math.log(10));
    }

    @Test
    void gridsEndAtTConv() {
        double[] log = MagnitudeFunction.grid(MagnitudeFunction.Spacing.LOG, 50, 5, 2);
        assertArrayEquals(new double[] {0.5, 50 / Math.pow(10, 1.5), 5, 50 / Math.pow(10, 0.5), 50}, log, 1e-12);
        assertArrayEquals(new double[] {10, 20, 30, 40, 50},
                MagnitudeFunction.grid(MagnitudeFunction.Spacing.LINEAR, 50, 5, 2), 1e-12);
    }

    /**
     * The complete bipartite graph K_{3,2} (distance 1 across, 2 within a part) is not of negative type:
     * Z is indefinite at small t. Cholesky fails there; the pivoted solve gives the value that the symmetric
     * weighting (w_a on the 3 side, w_b on the 2 side) gives.
     */
    @Test
    void indefiniteZFallsBackToThePivotedSolve() {
        int n = 5;
        double[] d = new double[n * n];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) d[i * n + j] = i == j ? 0 : (i < 3) == (j < 3) ? 2 : 1;
        }
        for (LAPACK lapack : LAPACKS) {
            MagnitudeSolver s = new MagnitudeSolver(d, n, lapack);
            double t = 0.2;
            MagnitudeSolver.Solution sol = s.solve(t);
            assertEquals(MagnitudeSolver.Method.PIVOTED_LDLT, sol.method());
            assertTrue(sol.backwardError() <= MagnitudeSolver.MAX_BACKWARD_ERROR);
            double q = Math.exp(-t);
            // w_a (1 + 2 q^2) + 2 q w_b = 1, 3 q w_a + (1 + q^2) w_b = 1
            double a11 = 1 + 2 * q * q, a12 = 2 * q, a21 = 3 * q, a22 = 1 + q * q, det = a11 * a22 - a12 * a21;
            double wa = (a22 - a12) / det, wb = (a11 - a21) / det;
            assertEquals(3 * wa + 2 * wb, sol.magnitude(), 1e-12);
            MagnitudeFunction f = MagnitudeFunction.evaluate(s, new double[] {0.2, 3});
            assertArrayEquals(new double[] {0.2}, f.pivoted());
            assertEquals(MagnitudeSolver.Method.CHOLESKY, s.solve(3).method());
        }
    }

    @Test
    void duplicatePointsFailWithAMessage() {
        MagnitudeSolver s = new MagnitudeSolver(new double[] {0, 0, 1, 0, 0, 1, 1, 1, 0}, 3);
        MagnitudeSolver.Solution sol = s.solve(1);
        assertFalse(sol.ok());
        assertTrue(Double.isNaN(sol.magnitude()));
        assertTrue(sol.failure().contains("singular at t = 1.0"), sol.failure());
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> MagnitudeFunction.tConv(s, 1, 0.95));
        assertTrue(e.getMessage().contains("singular"), e.getMessage());
        assertNull(new MagnitudeSolver(new double[] {0, 1, 1, 0}, 2).solve(1).failure());
    }

    @Test
    void badInputIsRefused() {
        assertThrows(IllegalArgumentException.class, () -> new MagnitudeSolver(new double[] {0, Double.NaN, 1, 0}, 2));
        assertThrows(IllegalArgumentException.class, () -> new MagnitudeSolver(new double[] {0, -1, -1, 0}, 2));
        MagnitudeSolver s = new MagnitudeSolver(new double[] {0, 1, 1, 0}, 2);
        assertThrows(IllegalArgumentException.class, () -> s.solve(0));
        assertThrows(IllegalArgumentException.class, () -> s.solve(-1));
        assertThrows(IllegalArgumentException.class, () -> MagnitudeFunction.tConv(s, 1, 0.4));
    }

    @Test
    void bootstrapIntervalIsSeededAndHoldsTheReplicates() {
        int n = 40;
        SplittableRandom rng = new SplittableRandom(3);
        double[] x = new double[n];
        for (int i = 0; i < n; i++) x[i] = rng.nextDouble();
        Arrays.sort(x);
        double[] d = line(x);
        MagnitudeSolver s = new MagnitudeSolver(d, n);
        double[] grid = MagnitudeFunction.grid(MagnitudeFunction.Spacing.LOG, MagnitudeFunction.tConv(s, 1, 0.95), 24, 3);
        double dim = MagnitudeFunction.evaluate(s, grid).dimension().value();
        Measured a = MagnitudeFunction.dimensionInterval(d, n, grid, dim, new Bootstrap(20, 5), 0.9);
        Measured b = MagnitudeFunction.dimensionInterval(d, n, grid, dim, new Bootstrap(20, 5), 0.9);
        assertEquals(a, b);
        assertTrue(a.low() <= a.high() && a.low() > 0 && a.high() <= 1.0001, a.toString());
    }

    static double[] arange(int n, double h) {
        double[] x = new double[n];
        for (int i = 0; i < n; i++) x[i] = i * h;
        return x;
    }

    static double[] line(double[] x) {
        int n = x.length;
        double[] d = new double[n * n];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) d[i * n + j] = Math.abs(x[i] - x[j]);
        }
        return d;
    }

    private static double atanh(double x) {
        return 0.5 * Math.log((1 + x) / (1 - x));
    }
}
