package dev.repgap.stats;

import dev.ludovic.netlib.blas.BLAS;
import dev.ludovic.netlib.blas.NativeBLAS;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.stream.Stream;

/**
 * dsyrk and dgemm of the system's native BLAS through netlib-java's JNI binding. Row-major blocks are
 * read as column-major transposes: a block is the {@code dim x rows} matrix A and its Gram matrix is
 * {@code A A^T}, whose lower triangle in column-major order is the upper one in row-major order.
 */
final class NativeGramKernel implements GramKernel {

    private final BLAS blas;
    private final String library;

    private NativeGramKernel(BLAS blas, String library) {
        this.blas = blas;
        this.library = library;
    }

    /**
     * The kernel if an optimised native BLAS (OpenBLAS, MKL, BLIS) loads, else null. netlib-java's JNI
     * library needs the f2j classes ({@code org.netlib.util}, from {@code arpack_combined_all}, which
     * Spark's MLlib brings) on the class path, and loads {@code libblas.so.3} (Debian's alternatives
     * point it at OpenBLAS when {@code libopenblas0} is installed).
     */
    static NativeGramKernel loadOrNull() {
        try {
            BLAS blas = NativeBLAS.getInstance();
            String library = libraryName();
            return library.equals("OpenBLAS") || library.equals("MKL") || library.equals("BLIS")
                    ? new NativeGramKernel(blas, library) : null;
        } catch (RuntimeException | LinkageError e) {
            return null;
        }
    }

    @Override
    public String name() {
        return "native-blas(" + library + ")";
    }

    @Override
    public int blockRows() {
        return 512;
    }

    @Override
    public void gram(double[] x, int rows, int dim, double[] c) {
        blas.dsyrk("L", "N", dim, rows, 1.0, x, 0, dim, 1.0, c, 0, dim);
    }

    @Override
    public void cross(double[] x, double[] y, int rows, int dim, int q, double[] c) {
        // Column-major, c is q x dim: c = Y X^T with Y = y (q x rows) and X = x (dim x rows).
        blas.dgemm("N", "T", q, dim, rows, 1.0, y, 0, q, x, 0, dim, 1.0, c, 0, q);
    }

    /** The BLAS library this process mapped, read from /proc/self/maps (Linux); "unknown" elsewhere. */
    private static String libraryName() {
        try (Stream<String> maps = Files.lines(Path.of("/proc/self/maps"))) {
            String lib = maps.map(line -> line.substring(line.lastIndexOf(' ') + 1).toLowerCase(Locale.ROOT))
                    .filter(path -> (path.contains("blas") || path.contains("mkl")) && !path.contains("netlib"))
                    .findFirst().orElse("");
            if (lib.contains("openblas")) return "OpenBLAS";
            if (lib.contains("mkl")) return "MKL";
            if (lib.contains("blis")) return "BLIS";
            return lib.isEmpty() ? "unknown" : lib.substring(lib.lastIndexOf('/') + 1);
        } catch (IOException | RuntimeException e) {
            return "unknown";
        }
    }
}
