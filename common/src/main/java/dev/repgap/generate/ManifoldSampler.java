package dev.repgap.generate;

import java.io.Serializable;
import java.util.SplittableRandom;

/**
 * Draws points of a {@link Manifold} of intrinsic dimension d in R^D, optionally with isotropic
 * Gaussian noise. The embedding (rotation or subspace) is fixed by the seed at construction; the
 * points come from the generator handed to {@link #sample}, so independent streams can fill
 * independent partitions and give the same rows wherever they run.
 */
public final class ManifoldSampler implements Serializable {
    private static final long serialVersionUID = 1L;
    private static final double TWO_PI = 2.0 * StrictMath.PI;

    private final Manifold manifold;
    private final int dimension;
    private final int ambient;
    private final double noise;
    private final int nativeDim;
    /** Column-major ambient x nativeDim, or null when the native coordinates are the output. */
    private final double[] frame;

    public ManifoldSampler(Manifold manifold, int dimension, int ambient, double noise, long seed) {
        if (dimension < 1) throw new IllegalArgumentException("--dim must be at least 1, got " + dimension);
        if (manifold == Manifold.SWISSROLL && dimension != 2) {
            throw new IllegalArgumentException("the swiss roll has dimension 2, got --dim " + dimension);
        }
        if (!(noise >= 0) || Double.isInfinite(noise)) {
            throw new IllegalArgumentException("--noise must be a finite number >= 0, got " + noise);
        }
        this.manifold = manifold;
        this.dimension = dimension;
        this.nativeDim = manifold.nativeDimension(dimension);
        if (ambient < nativeDim) {
            throw new IllegalArgumentException(manifold.cliName() + " of dimension " + dimension
                    + " needs an ambient dimension of at least " + nativeDim + ", got --ambient " + ambient);
        }
        this.ambient = ambient;
        this.noise = noise;
        boolean embed = ambient > nativeDim || manifold == Manifold.AFFINE || manifold == Manifold.GAUSSIAN;
        this.frame = embed ? OrthonormalFrame.random(ambient, nativeDim, new SplittableRandom(seed)) : null;
    }

    public int ambient() {
        return ambient;
    }

    public int dimension() {
        return dimension;
    }

    /** Fills {@code out[offset .. offset+ambient)} with one point. */
    public void sample(SplittableRandom rng, float[] out, int offset) {
        double[] x = new double[nativeDim];
        drawNative(rng, x);
        if (frame == null) {
            for (int i = 0; i < ambient; i++) out[offset + i] = (float) (x[i] + noise(rng));
        } else {
            for (int r = 0; r < ambient; r++) {
                double s = 0;
                for (int c = 0; c < nativeDim; c++) s += frame[c * ambient + r] * x[c];
                out[offset + r] = (float) (s + noise(rng));
            }
        }
    }

    private double noise(SplittableRandom rng) {
        return noise == 0 ? 0 : noise * Gaussian.next(rng);
    }

    private void drawNative(SplittableRandom rng, double[] x) {
        switch (manifold) {
            case TORUS -> {
                double radius = 1.0 / TWO_PI; // circumference 1 per factor
                for (int i = 0; i < dimension; i++) {
                    double angle = TWO_PI * rng.nextDouble();
                    x[2 * i] = radius * StrictMath.cos(angle);
                    x[2 * i + 1] = radius * StrictMath.sin(angle);
                }
            }
            case SPHERE -> {
                double norm;
                do {
                    norm = 0;
                    for (int i = 0; i < x.length; i++) {
                        x[i] = Gaussian.next(rng);
                        norm += x[i] * x[i];
                    }
                } while (norm == 0);
                norm = StrictMath.sqrt(norm);
                for (int i = 0; i < x.length; i++) x[i] /= norm;
            }
            case AFFINE -> {
                for (int i = 0; i < x.length; i++) x[i] = rng.nextDouble();
            }
            case GAUSSIAN -> {
                for (int i = 0; i < x.length; i++) x[i] = Gaussian.next(rng);
            }
            case SWISSROLL -> {
                double t = 1.5 * StrictMath.PI * (1 + 2 * rng.nextDouble());
                double h = 21 * rng.nextDouble();
                x[0] = t * StrictMath.cos(t);
                x[1] = h;
                x[2] = t * StrictMath.sin(t);
            }
        }
    }
}
