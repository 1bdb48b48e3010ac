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
import org.openjdk.jmh.infra.Blackhole;

/**
 * The distance kernel alone, 256 queries x 4096 references; the {@code gflops} column counts
 * 2*q*r*D flops. Each JMH thread (-t 2) scans its own data, as Spark tasks on two cores would.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Fork(value = 1, jvmArgsAppend = {"--add-modules=jdk.incubator.vector", "-Xmx6g"})
@Warmup(iterations = 2, time = 1)
@Measurement(iterations = 3, time = 1)
@State(Scope.Thread)
public class DistanceKernelBenchmark {

    @Param({"64", "128", "512", "2048"})
    public int dim;

    @Param({"vector", "blas", "scalar"})
    public String kernel;

    private DistanceKernel distanceKernel;
    private CentredRows queries;
    private CentredRows references;
    private double gflopPerCall;


    @Setup(Level.Trial)
    public void setUp() {
        distanceKernel = BenchmarkData.kernel(kernel);
        DenseBlock q = BenchmarkData.gaussian(256, dim, 1_000_000, Thread.currentThread().getId());
        DenseBlock r = BenchmarkData.gaussian(4096, dim, 0, Thread.currentThread().getId() + 100);
        float[] centre = r.columnMeans();
        queries = q.centredOn(centre);
        references = r.centredOn(centre);
        gflopPerCall = 2.0 * queries.rows() * references.rows() * dim / 1e9;
    }

    @Benchmark
    public void squaredDistances(Gflops flops, Blackhole blackhole) {
        distanceKernel.squaredDistances(queries, references,
                (tile, stride, q0, nq, r0, nr) -> blackhole.consume(tile[(nq - 1) * stride + nr - 1]));
        flops.gflops += gflopPerCall;
    }
}
