package dev.repgap.knn;

import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The whole exact scan (kernel, bounded top-k, exact recompute), k = 10, 512 queries against 8192
 * references, starting from an empty state each time (the costliest case: a later reference block
 * starts from a tight k-th distance). {@code gflops} counts the kernel's 2*q*r*D flops.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Fork(value = 1, jvmArgsAppend = {"--add-modules=jdk.incubator.vector", "-Xmx6g"})
@Warmup(iterations = 2, time = 1)
@Measurement(iterations = 3, time = 1)
@State(Scope.Thread)
public class FusedScanBenchmark {

    @Param({"64", "128", "512", "2048"})
    public int dim;

    @Param({"vector", "blas", "scalar"})
    public String kernel;

    private NeighbourScan scan;
    private DenseBlock queries;
    private DenseBlock references;
    private double gflopPerCall;


    @Setup(Level.Trial)
    public void setUp() {
        queries = BenchmarkData.gaussian(512, dim, 1_000_000, Thread.currentThread().getId());
        references = BenchmarkData.gaussian(8192, dim, 0, Thread.currentThread().getId() + 100);
        scan = new NeighbourScan(BenchmarkData.kernel(kernel), ScanMode.CROSS, references.columnMeans());
        gflopPerCall = 2.0 * queries.rows() * references.rows() * dim / 1e9;
    }

    @Benchmark
    public NeighbourLists scanWithTopTen(Gflops flops) {
        NeighbourLists state = NeighbourScan.newState(queries, 10);
        scan.scan(queries, state, references);
        flops.gflops += gflopPerCall;
        return state;
    }
}
