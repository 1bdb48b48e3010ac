package dev.repgap.stats;

import dev.ludovic.netlib.blas.BLAS;
import dev.ludovic.netlib.blas.NativeBLAS;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.AuxCounters;
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
 * Filling a {@link Moments} state from float rows (4096 rows x {@code dim} per call: conversion to
 * double, the pilot shift, the sums and the kernel's level-3 products), beside the native BLAS's own
 * dsyrk on the same rows in double (one call) and its dgemm on square 1024 x 1024 matrices (the
 * machine's dgemm speed through the same binding). Each JMH thread (-t 2) has its own rows and state, as
 * Spark tasks on two cores would. Two counters: {@code gflops} counts the flops done (the upper
 * triangle: {@code rows * dim * (dim + 1)} for a state or dsyrk, {@code 2 n^3} for dgemm), and
 * {@code full} counts every product the symmetric result holds ({@code 2 rows dim^2}), the rate at
 * which a dgemm would have to run to give the same matrix in the same time.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Fork(value = 1, jvmArgsAppend = {"--add-modules=jdk.incubator.vector", "-Xmx4g"})
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@State(Scope.Thread)
public class MomentsBenchmark {

    /** Floating-point work done, reported by JMH as rates (GFLOP/s). */
    @State(Scope.Thread)
    @AuxCounters(AuxCounters.Type.OPERATIONS)
    public static class Flops {
        public double gflops;
        public double full;

        @Setup(Level.Iteration)
        public void reset() {
            gflops = 0;
            full = 0;
        }
    }

    private static final int ROWS = 4096;
    private static final int SQUARE = 1024;

    @Param({"512"})
    public int dim;

    /** {@code blas}, {@code vector} or {@code scalar} fill a state; {@code dgemm} and {@code dsyrk} are the native BLAS alone. */
    @Param({"blas", "vector", "dgemm", "dsyrk"})
    public String kernel;

    private float[] rows;
    private double[] doubles;
    private double[] product;
    private Moments state;
    private BLAS blas;

    @Setup(Level.Trial)
    public void setUp() {
        Random random = new Random(Thread.currentThread().getId());
        rows = new float[ROWS * dim];
        doubles = new double[ROWS * dim];
        for (int i = 0; i < rows.length; i++) {
            rows[i] = (float) random.nextGaussian() + 1f;
            doubles[i] = rows[i];
        }
        if (kernel.equals("dgemm")) {
            blas = NativeBLAS.getInstance();
            doubles = new double[SQUARE * SQUARE];
            for (int i = 0; i < doubles.length; i++) doubles[i] = random.nextGaussian();
            product = new double[SQUARE * SQUARE];
        } else if (kernel.equals("dsyrk")) {
            blas = NativeBLAS.getInstance();
            product = new double[dim * dim];
        } else {
            GramKernel k = GramKernels.named(kernel).orElseThrow(() -> new IllegalStateException(kernel + " not available"));
            state = Moments.of(dim).using(k);
        }
    }

    @Benchmark
    public void fill(Flops flops, Blackhole blackhole) {
        switch (kernel) {
            case "dgemm" -> {
                blas.dgemm("N", "N", SQUARE, SQUARE, SQUARE, 1.0, doubles, 0, SQUARE, doubles, 0, SQUARE, 0.0, product, 0,
                        SQUARE);
                blackhole.consume(product[SQUARE * SQUARE - 1]);
                flops.gflops += 2.0 * SQUARE * SQUARE * SQUARE / 1e9;
                flops.full += 2.0 * SQUARE * SQUARE * SQUARE / 1e9;
                return;
            }
            case "dsyrk" -> {
                blas.dsyrk("L", "N", dim, ROWS, 1.0, doubles, 0, dim, 1.0, product, 0, dim);
                blackhole.consume(product[dim * dim - 1]);
                flops.gflops += (double) ROWS * dim * (dim + 1) / 1e9;
            }
            default -> {
                state.add(rows, null, ROWS);
                blackhole.consume(state);
                flops.gflops += (double) ROWS * dim * (dim + 1) / 1e9;
            }
        }
        flops.full += 2.0 * ROWS * dim * dim / 1e9;
    }
}
