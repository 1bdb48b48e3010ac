// The magnitude dimension of seeded uniform samples of the unit d-cube, as the README's table reports it:
// t_conv, then 64 log-spaced scales over 4 decades up to it, on the driver's solver alone (no Spark).
// Run by cluster/bench/magnitude-cube.sh D N; prints one line per run.
import dev.repgap.magnitude.*;
import java.util.*;
public class MagnitudeCube {
    public static void main(String[] a) {
        int d = Integer.parseInt(a[0]), n = Integer.parseInt(a[1]);
        int grid = a.length > 2 ? Integer.parseInt(a[2]) : 64;
        SplittableRandom rng = new SplittableRandom(1000L * d + n);
        double[][] x = new double[n][d];
        for (double[] p : x) for (int k = 0; k < d; k++) p[k] = rng.nextDouble();
        double[] dist = new double[n * n];
        double max = 0;
        for (int i = 0; i < n; i++) for (int j = 0; j < n; j++) {
            double s = 0; for (int k = 0; k < d; k++) { double v = x[i][k] - x[j][k]; s += v * v; }
            dist[i * n + j] = Math.sqrt(s); max = Math.max(max, dist[i * n + j]);
        }
        long t0 = System.nanoTime();
        MagnitudeSolver solver = new MagnitudeSolver(dist, n);
        solver.solve(1);
        double one = (System.nanoTime() - t0) / 1e9;
        double tc = MagnitudeFunction.tConv(solver, max, 0.95);
        long t1 = System.nanoTime();
        MagnitudeFunction f = MagnitudeFunction.evaluate(solver, MagnitudeFunction.grid(MagnitudeFunction.Spacing.LOG, tc, grid, 4));
        System.out.printf(Locale.ROOT, "d=%d N=%d dimension=%.4f at t=%.4g t_conv=%.4g pivoted=%d failed=%d one-solve=%.2fs grid=%.1fs total=%.1fs%n",
            d, n, f.dimension().value(), f.dimension().t(), tc, f.pivoted().length, f.failures().size(), one, (System.nanoTime() - t1) / 1e9, (System.nanoTime() - t0) / 1e9);
    }
}
