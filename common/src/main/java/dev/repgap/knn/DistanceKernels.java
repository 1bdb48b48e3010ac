package dev.repgap.knn;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * Chooses the distance kernel. Order: native BLAS if an optimised library (OpenBLAS, MKL, BLIS,
 * ATLAS) loads, then the Vector API if the JVM runs with {@code --add-modules jdk.incubator.vector},
 * then plain Java. On 512-bit (AVX-512) hardware the Vector API kernel goes first: there it matched
 * OpenBLAS's own AVX-512 sgemm, and Debian's OpenBLAS 0.3.21 runs Zen 5 as Haswell at half speed.
 * The system property {@code repgap.kernel=blas|vector|scalar} forces one (a forced {@code blas}
 * also takes the slow reference BLAS).
 */
public final class DistanceKernels {

    public static final String PROPERTY = "repgap.kernel";

    private DistanceKernels() {}

    /** The forced kernel if {@value #PROPERTY} is set, else the best available one. */
    public static DistanceKernel selected() {
        String forced = System.getProperty(PROPERTY, "").trim();
        if (forced.isEmpty() || forced.equalsIgnoreCase("auto")) {
            return available().get(0);
        }
        return named(forced).orElseThrow(() -> new IllegalStateException(
                PROPERTY + "=" + forced + " is not available here; available: " + names(available())));
    }

    /** All kernels this JVM can run, best first (a reference BLAS after the Vector API); scalar is always last. */
    public static List<DistanceKernel> available() {
        List<DistanceKernel> kernels = new ArrayList<>();
        boolean fastBlas = Holder.BLAS.map(blas -> ((NativeBlasKernel) blas).optimised()).orElse(false)
                && Holder.VECTOR_BITS < 512;
        if (fastBlas) {
            kernels.add(Holder.BLAS.get());
        }
        Holder.VECTOR.ifPresent(kernels::add);
        if (!fastBlas) {
            Holder.BLAS.ifPresent(kernels::add);
        }
        kernels.add(Holder.SCALAR);
        return kernels;
    }

    /** {@code blas}, {@code vector} or {@code scalar}, if it can run here. */
    public static Optional<DistanceKernel> named(String name) {
        switch (name.toLowerCase(Locale.ROOT)) {
            case "blas":
                return Holder.BLAS;
            case "vector":
                return Holder.VECTOR;
            case "scalar":
                return Optional.of(Holder.SCALAR);
            default:
                throw new IllegalArgumentException("unknown kernel '" + name + "', expected blas, vector or scalar");
        }
    }

    private static String names(List<DistanceKernel> kernels) {
        List<String> names = new ArrayList<>();
        kernels.forEach(k -> names.add(k.name()));
        return String.join(", ", names);
    }

    /** Probed once, on first use. */
    private static final class Holder {
        static final Optional<DistanceKernel> BLAS = loadBlasKernel();
        static final Optional<DistanceKernel> VECTOR = loadVectorKernel();
        static final int VECTOR_BITS = VECTOR.isPresent() ? preferredVectorBits() : 0;
        static final DistanceKernel SCALAR = new ScalarKernel();

        // netlib is a provided dependency: without it on the class path, linking NativeBlasKernel fails.
        private static Optional<DistanceKernel> loadBlasKernel() {
            try {
                return Optional.ofNullable(NativeBlasKernel.loadOrNull());
            } catch (LinkageError e) {
                return Optional.empty();
            }
        }

        private static int preferredVectorBits() {
            try {
                Object species = Class.forName("jdk.incubator.vector.FloatVector").getField("SPECIES_PREFERRED").get(null);
                return (Integer) Class.forName("jdk.incubator.vector.VectorSpecies").getMethod("vectorBitSize").invoke(species);
            } catch (ReflectiveOperationException | RuntimeException e) {
                return 0;
            }
        }

        private static Optional<DistanceKernel> loadVectorKernel() {
            try {
                Class.forName("jdk.incubator.vector.FloatVector");
                return Optional.of((DistanceKernel) Class.forName("dev.repgap.knn.VectorApiKernel")
                        .getDeclaredConstructor().newInstance());
            } catch (ReflectiveOperationException | LinkageError e) {
                return Optional.empty();
            }
        }
    }
}
