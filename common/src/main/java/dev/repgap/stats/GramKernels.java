package dev.repgap.stats;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * Chooses the kernel that fills {@link Moments}: an optimised native BLAS (OpenBLAS, MKL, BLIS) if one
 * loads, else the Java Vector API if the JVM runs with {@code --add-modules jdk.incubator.vector}, else
 * plain Java. On 512-bit (AVX-512) hardware the Vector API kernel goes first: on a Zen 5 core it filled
 * a state at about twice the rate of Debian's OpenBLAS 0.3.21 dsyrk, which runs that core with its
 * 256-bit Haswell kernels. The system property {@value #PROPERTY}{@code =blas|vector|scalar} forces one.
 */
public final class GramKernels {

    public static final String PROPERTY = "repgap.gram.kernel";

    private GramKernels() {}

    /** The name of the kernel {@link Moments} uses in this JVM, e.g. {@code native-blas(OpenBLAS)}. */
    public static String selectedName() {
        return selected().name();
    }

    static GramKernel selected() {
        String forced = System.getProperty(PROPERTY, "").trim();
        if (forced.isEmpty() || forced.equalsIgnoreCase("auto")) return available().get(0);
        return named(forced).orElseThrow(() -> new IllegalStateException(PROPERTY + "=" + forced
                + " is not available here; available: " + available().stream().map(GramKernel::name).toList()));
    }

    /** Every kernel this JVM can run, best first; scalar is always last. */
    static List<GramKernel> available() {
        List<GramKernel> kernels = new ArrayList<>();
        boolean wideVectors = Holder.VECTOR.isPresent() && Holder.VECTOR_BITS >= 512;
        if (!wideVectors) Holder.BLAS.ifPresent(kernels::add);
        Holder.VECTOR.ifPresent(kernels::add);
        if (wideVectors) Holder.BLAS.ifPresent(kernels::add);
        kernels.add(Holder.SCALAR);
        return kernels;
    }

    static Optional<GramKernel> named(String name) {
        return switch (name.toLowerCase(Locale.ROOT)) {
            case "blas" -> Holder.BLAS;
            case "vector" -> Holder.VECTOR;
            case "scalar" -> Optional.of(Holder.SCALAR);
            default -> throw new IllegalArgumentException("unknown kernel '" + name + "', expected blas, vector or scalar");
        };
    }

    /** Probed once, on first use. */
    private static final class Holder {
        static final Optional<GramKernel> BLAS = loadBlas();
        static final Optional<GramKernel> VECTOR = loadVector();
        static final GramKernel SCALAR = new ScalarGramKernel();
        static final int VECTOR_BITS = VECTOR.isPresent() ? preferredVectorBits() : 0;

        private static int preferredVectorBits() {
            try {
                Object species = Class.forName("jdk.incubator.vector.DoubleVector").getField("SPECIES_PREFERRED").get(null);
                return (Integer) Class.forName("jdk.incubator.vector.VectorSpecies").getMethod("vectorBitSize")
                        .invoke(species);
            } catch (ReflectiveOperationException | RuntimeException e) {
                return 0;
            }
        }

        // netlib is a provided dependency: without it on the class path, linking NativeGramKernel fails.
        private static Optional<GramKernel> loadBlas() {
            try {
                return Optional.ofNullable(NativeGramKernel.loadOrNull());
            } catch (LinkageError e) {
                return Optional.empty();
            }
        }

        private static Optional<GramKernel> loadVector() {
            try {
                Class.forName("jdk.incubator.vector.DoubleVector");
                return Optional.of((GramKernel) Class.forName("dev.repgap.stats.VectorGramKernel")
                        .getDeclaredConstructor().newInstance());
            } catch (ReflectiveOperationException | LinkageError e) {
                return Optional.empty();
            }
        }
    }
}
