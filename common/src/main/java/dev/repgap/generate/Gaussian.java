package dev.repgap.generate;

import java.util.SplittableRandom;

/** Standard normal draws by Box-Muller with StrictMath, so the same seed gives the same bits on every JVM. */
final class Gaussian {
    private Gaussian() {}

    static double next(SplittableRandom rng) {
        double u = 1.0 - rng.nextDouble(); // in (0, 1], so the log is finite
        double v = rng.nextDouble();
        return StrictMath.sqrt(-2.0 * StrictMath.log(u)) * StrictMath.cos(2.0 * StrictMath.PI * v);
    }
}
