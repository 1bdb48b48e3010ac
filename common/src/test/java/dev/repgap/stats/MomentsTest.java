package dev.repgap.stats;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class MomentsTest {

    /** Rows with correlated coordinates, a common offset and a spread that differs per coordinate. */
    private static float[] rows(int n, int dim, double offset, long seed) {
        Random r = new Random(seed);
        float[] x = new float[n * dim];
        double[] scale = new double[dim];
        for (int j = 0; j < dim; j++) scale[j] = 0.1 + 3 * r.nextDouble();
        for (int i = 0; i < n; i++) {
            double common = r.nextGaussian();
            for (int j = 0; j < dim; j++) {
                x[i * dim + j] = (float) (offset + j + scale[j] * (r.nextGaussian() + (j % 3 == 0 ? common : 0)));
            }
        }
        return x;
    }

    /** The brute-force double loop: the mean, then sum (a - mean_a)(b - mean_b)^T over every row pair of columns. */
    private static double[] bruteScatter(float[] a, int p, float[] b, int q, int n) {
        double[] ma = bruteMean(a, p, n), mb = bruteMean(b, q, n);
        double[] s = new double[p * q];
        for (int i = 0; i < p; i++) {
            for (int k = 0; k < q; k++) {
                double acc = 0;
                for (int r = 0; r < n; r++) acc += (a[r * p + i] - ma[i]) * (b[r * q + k] - mb[k]);
                s[i * q + k] = acc;
            }
        }
        return s;
    }

    private static double[] bruteMean(float[] a, int p, int n) {
        double[] m = new double[p];
        for (int r = 0; r < n; r++) {
            for (int j = 0; j < p; j++) m[j] += a[r * p + j];
        }
        for (int j = 0; j < p; j++) m[j] /= n;
        return m;
    }

    /** Every entry within {@code tol} of the expected one, relative to the largest expected entry. */
    private static void assertClose(double[] expected, double[] actual, double tol, String what) {
        assertEquals(expected.length, actual.length, what);
        double scale = 0;
        for (double v : expected) scale = Math.max(scale, Math.abs(v));
        for (int i = 0; i < expected.length; i++) {
            double err = Math.abs(expected[i] - actual[i]);
            if (!(err <= tol * scale)) {
                throw new AssertionError(what + ": entry " + i + " is " + actual[i] + ", expected " + expected[i]
                        + " (relative error " + err / scale + ")");
            }
        }
    }

    private static float[] slice(float[] x, int width, int from, int to) {
        float[] out = new float[(to - from) * width];
        System.arraycopy(x, from * width, out, 0, out.length);
        return out;
    }

    /** The rows cut into {@code parts} consecutive parts of random sizes, each part in its own state, added in chunks. */
    private static List<Moments> parts(float[] x, float[] y, int dim, int q, int n, int parts, Random random,
                                       GramKernel kernel) {
        List<Integer> cuts = new ArrayList<>();
        for (int p = 1; p < parts; p++) cuts.add(random.nextInt(n + 1));
        cuts.add(0);
        cuts.add(n);
        Collections.sort(cuts);
        List<Moments> states = new ArrayList<>();
        for (int p = 0; p < parts; p++) {
            Moments m = Moments.of(dim, q).using(kernel);
            for (int r = cuts.get(p); r < cuts.get(p + 1); ) {
                int take = Math.min(cuts.get(p + 1) - r, 1 + random.nextInt(300));
                m.add(slice(x, dim, r, r + take), y == null ? null : slice(y, q, r, r + take), take);
                r += take;
            }
            states.add(m);
        }
        return states;
    }

    @Test
    void everyKernelMergedInAnyOrderEqualsOnePassAndTheBruteForceLoop() {
        int n = 1500, dim = 37, q = 3;
        float[] x = rows(n, dim, 5, 1);
        float[] y = rows(n, q, -2, 2);
        double[] scatter = bruteScatter(x, dim, x, dim, n);
        double[] cross = bruteScatter(x, dim, y, q, n);
        double[] targetScatter = bruteScatter(y, q, y, q, n);
        Random random = new Random(3);
        for (GramKernel kernel : GramKernels.available()) {
            Moments whole = Moments.of(dim, q).using(kernel);
            whole.add(x, y, n);
            assertEquals(n, whole.n());
            assertClose(bruteMean(x, dim, n), whole.mean(), 1e-14, kernel.name() + " mean");
            assertClose(bruteMean(y, q, n), whole.targetMean(), 1e-14, kernel.name() + " target mean");
            assertClose(scatter, whole.scatter(), 1e-12, kernel.name() + " scatter");
            assertClose(cross, whole.crossScatter(), 1e-12, kernel.name() + " cross");
            assertClose(targetScatter, whole.targetScatter(), 1e-12, kernel.name() + " target scatter");
            for (int parts : new int[] {2, 5, 11}) {
                List<Moments> states = parts(x, y, dim, q, n, parts, random, kernel);
                Collections.shuffle(states, random);
                Moments left = states.get(0);
                for (int i = 1; i < states.size(); i++) left = left.merge(states.get(i));
                Moments right = states.get(states.size() - 1);
                for (int i = states.size() - 2; i >= 0; i--) right = states.get(i).merge(right);
                Moments inPlace = Moments.of(dim, q);
                for (Moments s : states) inPlace.addAll(s);
                for (Moments m : List.of(left, right, inPlace)) {
                    assertEquals(n, m.n());
                    assertClose(whole.scatter(), m.scatter(), 1e-12, kernel.name() + ", " + parts + " parts, scatter");
                    assertClose(whole.crossScatter(), m.crossScatter(), 1e-12, kernel.name() + ", " + parts + " parts, cross");
                    assertClose(whole.targetScatter(), m.targetScatter(), 1e-12, kernel.name() + " target scatter");
                    assertClose(whole.mean(), m.mean(), 1e-14, kernel.name() + " mean");
                }
            }
        }
    }

    @Test
    void theVectorKernelIsAmongThoseTested() {
        // The surefire JVM runs with the Vector API module, so the comparisons here cover the kernel that
        // fills states on AVX-512 machines, not only the scalar one (and the native BLAS where it loads).
        List<String> names = GramKernels.available().stream().map(GramKernel::name).toList();
        assertTrue(names.contains("vector-api"), names.toString());
        assertEquals("scalar", names.get(names.size() - 1));
    }

    @Test
    void kernelsAgreeOnEveryShapeIncludingPartialTiles() {
        Random random = new Random(9);
        List<GramKernel> kernels = GramKernels.available();
        for (int dim : new int[] {1, 2, 7, 8, 9, 16, 17, 31, 33, 64, 70}) {
            for (int rows : new int[] {1, 3, 8, 29}) {
                int q = 1 + random.nextInt(20);
                double[] x = new double[rows * dim];
                double[] y = new double[rows * q];
                for (int i = 0; i < x.length; i++) x[i] = random.nextGaussian();
                for (int i = 0; i < y.length; i++) y[i] = random.nextGaussian();
                double[] gram = new double[dim * dim];
                double[] cross = new double[dim * q];
                for (int i = 0; i < dim; i++) {
                    for (int j = 0; j < dim; j++) {
                        for (int r = 0; r < rows; r++) gram[i * dim + j] += x[r * dim + i] * x[r * dim + j];
                    }
                    for (int k = 0; k < q; k++) {
                        for (int r = 0; r < rows; r++) cross[i * q + k] += x[r * dim + i] * y[r * q + k];
                    }
                }
                for (GramKernel kernel : kernels) {
                    double[] g = new double[dim * dim];
                    double[] c = new double[dim * q];
                    java.util.Arrays.fill(c, 1); // the kernel adds to what is there
                    kernel.gram(x, rows, dim, g);
                    kernel.cross(x, y, rows, dim, q, c);
                    String what = kernel.name() + " " + rows + " x " + dim + ", q " + q;
                    for (int i = 0; i < dim; i++) {
                        for (int j = i; j < dim; j++) {
                            assertEquals(gram[i * dim + j], g[i * dim + j], 1e-12 * rows, what + " gram " + i + "," + j);
                        }
                        for (int k = 0; k < q; k++) {
                            assertEquals(cross[i * q + k] + 1, c[i * q + k], 1e-12 * rows, what + " cross " + i + "," + k);
                        }
                    }
                }
            }
        }
    }

    @Test
    void aLargeCommonOffsetDoesNotCancelTheCovariance() {
        // Coordinates near 1e6 with unit noise, in double: an uncentred sum of squares would lose
        // all but a few digits of the variance (1e12 against 1, with 16 digits).
        int n = 3000, dim = 6;
        Random r = new Random(4);
        double[] x = new double[n * dim];
        for (int i = 0; i < x.length; i++) x[i] = 1e6 + (i % dim) + r.nextGaussian() * (1 + i % dim);
        double[] mean = new double[dim];
        for (int i = 0; i < x.length; i++) mean[i % dim] += x[i] / n;
        double[] scatter = new double[dim * dim];
        for (int a = 0; a < n; a++) {
            for (int i = 0; i < dim; i++) {
                for (int j = 0; j < dim; j++) scatter[i * dim + j] += (x[a * dim + i] - mean[i]) * (x[a * dim + j] - mean[j]);
            }
        }
        Random random = new Random(5);
        Moments merged = Moments.of(dim);
        for (int from = 0; from < n; ) {
            int to = Math.min(n, from + 1 + random.nextInt(700));
            Moments part = Moments.of(dim);
            double[] block = java.util.Arrays.copyOfRange(x, from * dim, to * dim);
            part.add(block, null, to - from);
            merged = random.nextBoolean() ? merged.merge(part) : part.merge(merged);
            from = to;
        }
        assertClose(scatter, merged.scatter(), 1e-9, "offset 1e6");
        assertClose(mean, merged.mean(), 1e-13, "mean at offset 1e6");
        // The same rows about a pilot at 0 (the uncentred sums) are off by far more: the test can tell.
        Moments uncentred = Moments.centredOn(new double[dim], null);
        uncentred.add(x, null, n);
        double worst = 0;
        double[] u = uncentred.scatter();
        for (int i = 0; i < u.length; i++) worst = Math.max(worst, Math.abs(u[i] - scatter[i]));
        assertTrue(worst > 1e-6 * Math.abs(scatter[0]), "uncentred error " + worst);
    }

    @Test
    void serialisationKeepsTheUpperTriangleOnlyAndRoundTrips() throws Exception {
        int n = 300, dim = 40, q = 2;
        float[] x = rows(n, dim, 1, 6);
        float[] y = rows(n, q, 0, 7);
        Moments m = Moments.of(dim, q);
        m.add(x, y, n - 1);
        m.addRow(slice(x, dim, n - 1, n), slice(y, q, n - 1, n)); // a row still pending is written too
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
            out.writeObject(m);
        }
        Moments back;
        try (ObjectInputStream in = new ObjectInputStream(new ByteArrayInputStream(bytes.toByteArray()))) {
            back = (Moments) in.readObject();
        }
        assertEquals(n, back.n());
        assertArrayEquals(m.scatter(), back.scatter());
        assertArrayEquals(m.crossScatter(), back.crossScatter());
        assertArrayEquals(m.targetScatter(), back.targetScatter());
        assertArrayEquals(m.mean(), back.mean());
        long payload = 8L * (dim * (dim + 1) / 2 + dim * q + q * (q + 1) / 2 + 2 * dim + 2 * q);
        assertTrue(bytes.size() < payload * 1.05 + 600, bytes.size() + " bytes for a payload of " + payload);
        // A deserialised state goes on filling and merging.
        back.add(x, y, n);
        Moments twice = m.merge(m);
        assertClose(twice.scatter(), back.scatter(), 1e-12, "refilled");
    }

    @Test
    void emptyStatesMergeAsNothingAndMismatchesAreRejected() {
        float[] x = rows(50, 4, 0, 8);
        Moments m = Moments.of(4);
        m.add(x, null, 50);
        Moments withEmpty = Moments.of(4).merge(m).merge(Moments.of(4));
        assertArrayEquals(m.scatter(), withEmpty.scatter());
        assertEquals(50, withEmpty.n());
        assertThrows(IllegalArgumentException.class, () -> m.merge(Moments.of(5)));
        assertThrows(IllegalArgumentException.class, () -> m.merge(Moments.of(4, 1)));
        assertThrows(IllegalArgumentException.class, () -> m.add(x, new float[50], 50));
        assertThrows(IllegalArgumentException.class, () -> Moments.of(4, 1).add(x, null, 50));
        assertThrows(IllegalArgumentException.class, () -> m.add(x, null, 51));
    }

    @Test
    void covarianceDividesTheScatterByNMinusOne() {
        Moments m = Moments.of(2);
        m.add(new float[] {1, 2, 3, 6, 5, 1}, null, 3);
        // x: 1, 3, 5 (mean 3); y: 2, 6, 1 (mean 3); var x = 8/2, var y = (1+9+4)/2, cov = (2 + 0 - 4)/2.
        assertArrayEquals(new double[] {4, -1, -1, 7}, m.covariance(), 1e-15);
        assertArrayEquals(new double[] {3, 3}, m.mean(), 1e-15);
    }
}
