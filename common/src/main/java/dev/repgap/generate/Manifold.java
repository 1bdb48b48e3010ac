package dev.repgap.generate;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/** The point clouds `repgap generate` draws, each with a known intrinsic dimension. */
public enum Manifold {
    /** Flat d-torus: a product of d circles of circumference 1 in R^(2d), so its volume is 1. */
    TORUS,
    /** Uniform on the unit d-sphere in R^(d+1). */
    SPHERE,
    /** Uniform on the unit d-cube, rotated into R^D. */
    AFFINE,
    /** Isotropic standard normal in a random d-dimensional subspace of R^D. */
    GAUSSIAN,
    /** The swiss roll (scikit-learn's parametrisation): d = 2 in R^3. */
    SWISSROLL;

    public static Manifold parse(String name) {
        for (Manifold m : values()) {
            if (m.name().equalsIgnoreCase(name)) return m;
        }
        throw new IllegalArgumentException("unknown manifold '" + name + "'; expected one of "
                + Arrays.stream(values()).map(Manifold::cliName).collect(Collectors.joining(", ")));
    }

    public String cliName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** Dimension of the coordinates the manifold is drawn in before any rotation into R^D. */
    int nativeDimension(int d) {
        return switch (this) {
            case TORUS -> 2 * d;
            case SPHERE -> d + 1;
            case AFFINE, GAUSSIAN -> d;
            case SWISSROLL -> 3;
        };
    }

    /** The ambient dimension used when the user gives none. */
    public int defaultAmbient(int d) {
        return switch (this) {
            case AFFINE, GAUSSIAN -> 2 * d;
            default -> nativeDimension(d);
        };
    }
}
