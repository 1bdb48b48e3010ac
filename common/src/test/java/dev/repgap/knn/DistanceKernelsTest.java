package dev.repgap.knn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class DistanceKernelsTest {

    @AfterEach
    void clearProperty() {
        System.clearProperty(DistanceKernels.PROPERTY);
    }

    @Test
    void propertyForcesAKernel() {
        System.setProperty(DistanceKernels.PROPERTY, "scalar");
        assertEquals("scalar", DistanceKernels.selected().name());
        System.setProperty(DistanceKernels.PROPERTY, "vector");
        assertEquals("vector-api", DistanceKernels.selected().name(), "surefire runs with the Vector API module");
        System.setProperty(DistanceKernels.PROPERTY, "nonsense");
        assertThrows(IllegalArgumentException.class, DistanceKernels::selected);
    }

    @Test
    void bestAvailableComesFirst() {
        List<DistanceKernel> kernels = DistanceKernels.available();
        assertEquals("scalar", kernels.get(kernels.size() - 1).name());
        assertEquals(kernels.get(0).name(), DistanceKernels.selected().name());
        DistanceKernels.named("blas").ifPresent(blas -> assertTrue(blas.name().startsWith("native-blas("), blas.name()));
    }

    /** A JVM started without --add-modules jdk.incubator.vector (plain java -jar) must fall back, not crash. */
    @Test
    void withoutTheVectorModuleFallsBackToScalar() throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        String classpath = System.getProperty("java.class.path");
        ProcessBuilder builder = new ProcessBuilder(java, "-cp", classpath,
                "-Ddev.ludovic.netlib.blas.nativeLib=none-for-this-test", KernelName.class.getName());
        builder.redirectErrorStream(true);
        builder.redirectOutput(ProcessBuilder.Redirect.PIPE);
        Process process = builder.start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, process.waitFor(), output);
        assertTrue(output.contains("kernel=scalar"), output);
    }

    /** Prints the selected kernel, for the test above. */
    static final class KernelName {
        public static void main(String[] args) {
            DenseBlock data = TestData.gaussian(20, 3, 0f, 0, 1);
            NeighbourScan scan = new NeighbourScan(ScanMode.SELF, null);
            NeighbourLists state = NeighbourScan.newState(data, 2);
            scan.scan(data, state, data);
            System.out.println("kernel=" + scan.kernel().name() + " size=" + state.size(0));
        }
    }
}
