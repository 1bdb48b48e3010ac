package dev.repgap.stats;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * Chooses the kernel that fills {@link Moments}: an optimised native BLAS (OpenBLAS, MKL, BLIS) if one
 * loads, else the Java Vector API if the JVM runs with {@code --add-modules jdk.incubator.vector}, else
 * plain Java. The system property {@value #PROPERTY}{@code =blas|vector|scalar} forces one.
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
        Holder.BLAS.ifPresent(kernels::add);
        Holder.VECTOR.ifPresent(kernels::add);
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
