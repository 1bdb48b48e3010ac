package dev.repgap.knn;

import dev.ludovic.netlib.blas.BLAS;
import dev.ludovic.netlib.blas.NativeBLAS;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Stream;

/** sgemm of the system's native BLAS (e.g. OpenBLAS) through netlib-java's JNI binding. */
final class NativeBlasKernel implements DistanceKernel {

    // Large tiles: the BLAS packs its operands itself and is most efficient on big products.
    private static final int QUERY_TILE = 256;
    private static final int REFERENCE_TILE = 1024;
    private static final Set<String> OPTIMISED = Set.of("OpenBLAS", "MKL", "BLIS", "ATLAS");

    private final BLAS blas;
    private final String library;

    private NativeBlasKernel(BLAS blas, String library) {
        this.blas = blas;
        this.library = library;
    }

    /** The native kernel, or null when no native BLAS library loads. */
    static NativeBlasKernel loadOrNull() {
        try {
            BLAS blas = NativeBLAS.getInstance();
            return new NativeBlasKernel(blas, libraryName());
        } catch (RuntimeException | LinkageError e) {
            return null;
        }
    }

    @Override
    public String name() {
        return "native-blas(" + library + ")";
    }

    /** False for the Fortran reference BLAS (Debian's libblas3) or an unrecognised library, which may be slower than the Vector API. */
    boolean optimised() {
        return OPTIMISED.contains(library);
    }

    @Override
    public void squaredDistances(CentredRows queries, CentredRows references, TileSink sink) {
        int dim = queries.dim();
        float[] qNorms = queries.lowerNorms();
        float[] rNorms = references.lowerNorms();
        float[] tile = new float[QUERY_TILE * REFERENCE_TILE];
        for (int r0 = 0; r0 < references.rows(); r0 += REFERENCE_TILE) {
            int nr = Math.min(REFERENCE_TILE, references.rows() - r0);
            for (int q0 = 0; q0 < queries.rows(); q0 += QUERY_TILE) {
                int nq = Math.min(QUERY_TILE, queries.rows() - q0);
                for (int i = 0; i < nq; i++) {
                    float qn = qNorms[q0 + i];
                    for (int j = 0; j < nr; j++) {
                        tile[i * nr + j] = qn + rNorms[r0 + j];
                    }
                }
                // Column-major view: tile^T (nr x nq) = R (nr x dim) * Q^T (dim x nq), rows stored as columns.
                blas.sgemm("T", "N", nr, nq, dim, -2f, references.data(), r0 * dim, dim,
                        queries.data(), q0 * dim, dim, 1f, tile, 0, nr);
                sink.accept(tile, nr, q0, nq, r0, nr);
            }
        }
    }

    /** The BLAS library this process mapped, read from /proc/self/maps (Linux); "unknown" elsewhere. */
    private static String libraryName() {
        try (Stream<String> maps = Files.lines(Path.of("/proc/self/maps"))) {
            String lib = maps.map(line -> line.substring(line.lastIndexOf(' ') + 1).toLowerCase(Locale.ROOT))
                    .filter(path -> (path.contains("blas") || path.contains("mkl")) && !path.contains("netlib"))
                    .findFirst().orElse("");
            if (lib.contains("openblas")) {
                return "OpenBLAS";
            } else if (lib.contains("mkl")) {
                return "MKL";
            } else if (lib.contains("blis")) {
                return "BLIS";
            } else if (lib.contains("atlas")) {
                return "ATLAS";
            } else if (lib.contains("/blas/libblas")) {
                return "reference";
            }
            return lib.isEmpty() ? "unknown" : lib.substring(lib.lastIndexOf('/') + 1);
        } catch (IOException | RuntimeException e) {
            return "unknown";
        }
    }
}
