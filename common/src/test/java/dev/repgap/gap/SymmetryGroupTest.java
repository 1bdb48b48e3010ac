package dev.repgap.gap;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.repgap.generate.Manifold;
import dev.repgap.generate.ManifoldSampler;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class SymmetryGroupTest {

    private static final String TORUS_CYCLE = "perm:(0 2 4)(1 3 5)";

    private static SymmetryGroup group(int dim, int[] imageShape, String... specs) {
        return SymmetryGroup.parse(List.of(specs), dim, imageShape, SymmetryGroup.DEFAULT_MAX_ORDER);
    }

    private static int[] image(int h, int w, int c) {
        return new int[] {h, w, c};
    }

    private static float[] apply(SymmetryGroup g, int element, float... x) {
        float[] out = new float[x.length];
        g.apply(element, x, 0, out, 0);
        return out;
    }

    /** Distinct non-zero magnitudes: the image of this vector tells the signed permutation apart. */
    private static float[] probe(int dim) {
        float[] x = new float[dim];
        for (int i = 0; i < dim; i++) x[i] = i + 1;
        return x;
    }

    private static List<Float> key(float[] x) {
        Float[] boxed = new Float[x.length];
        for (int i = 0; i < x.length; i++) boxed[i] = x[i];
        return List.of(boxed);
    }

    @Test
    void ordersMatchTheKnownGroups() {
        assertEquals(3, group(6, null, TORUS_CYCLE).order());
        assertEquals(8, group(6, null, "sign:0,3,5").order());
        assertEquals(1024, group(10, null, "sign:0,1,2,3,4,5,6,7,8,9").order());
        assertEquals(8, group(8, null, "shift").order());
        assertEquals(4, group(8, null, "shift:2").order());
        assertEquals(8, group(16, image(4, 4, 1), "hflip", "vflip", "rot90").order()); // dihedral D4
        assertEquals(4, group(16, image(4, 4, 1), "rot90").order());
        assertEquals(16, group(16, image(4, 4, 1), "translate").order());
        assertEquals(128, group(16, image(4, 4, 1), "translate", "hflip", "vflip", "rot90").order());
        assertEquals(6, group(24, image(4, 6, 1), "translate:2").order());
        assertEquals(4, group(30, image(3, 5, 2), "hflip", "vflip").order());
        assertEquals(6, group(3, null, "perm:(0 1)", "perm:(1 2)").order()); // S3
        assertEquals(48, group(3, null, "sign:0", "perm:(0 1)", "perm:(1 2)").order()); // 2^3 3!
        assertEquals(1, group(5, null).order());
        assertEquals(1, SymmetryGroup.trivial(5).order());
    }

    @Test
    void elementsAreDistinctClosedUnderProductsAndInversesWithTheIdentityFirst() {
        List<SymmetryGroup> groups = List.of(
                group(6, null, TORUS_CYCLE),
                group(16, image(4, 4, 1), "translate", "hflip", "vflip", "rot90"),
                group(3, null, "sign:0", "perm:(0 1)", "perm:(1 2)"),
                group(8, null, "shift:2", "sign:1,6"),
                group(12, image(2, 2, 3), "rot90", "sign:0"));
        for (SymmetryGroup g : groups) {
            float[] x = probe(g.dim());
            Map<List<Float>, Integer> index = new HashMap<>();
            float[][] images = new float[g.order()][];
            for (int k = 0; k < g.order(); k++) {
                images[k] = apply(g, k, x);
                assertEquals(null, index.put(key(images[k]), k), g + ": element " + k + " repeats");
            }
            assertArrayEquals(x, images[0], g + ": element 0 is not the identity");
            for (int a = 0; a < g.order(); a++) {
                boolean hasInverse = false;
                for (int b = 0; b < g.order(); b++) {
                    float[] ab = apply(g, a, images[b]);
                    assertNotNull(index.get(key(ab)), g + ": product of " + a + " and " + b + " is missing");
                    hasInverse |= Arrays.equals(apply(g, b, images[a]), x);
                }
                assertTrue(hasInverse, g + ": element " + a + " has no inverse");
            }
        }
    }

    @Test
    void imageSymmetriesMatchNumPy() {
        // np.arange(1, 7).reshape(2, 3)[:, ::-1] and [::-1, :]
        assertArrayEquals(new float[] {3, 2, 1, 6, 5, 4}, apply(group(6, image(2, 3, 1), "hflip"), 1, 1, 2, 3, 4, 5, 6));
        assertArrayEquals(new float[] {4, 5, 6, 1, 2, 3}, apply(group(6, image(2, 3, 1), "vflip"), 1, 1, 2, 3, 4, 5, 6));
        // channels stay together: np.arange(1, 9).reshape(2, 2, 2)[:, ::-1, :]
        assertArrayEquals(new float[] {3, 4, 1, 2, 7, 8, 5, 6},
                apply(group(8, image(2, 2, 2), "hflip"), 1, 1, 2, 3, 4, 5, 6, 7, 8));
        // np.rot90(np.arange(1, 10).reshape(3, 3))
        assertArrayEquals(new float[] {3, 6, 9, 2, 5, 8, 1, 4, 7},
                apply(group(9, image(3, 3, 1), "rot90"), 1, 1, 2, 3, 4, 5, 6, 7, 8, 9));
        // np.rot90(np.arange(1, 13).reshape(2, 2, 3))
        assertArrayEquals(new float[] {4, 5, 6, 10, 11, 12, 1, 2, 3, 7, 8, 9},
                apply(group(12, image(2, 2, 3), "rot90"), 1, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12));
        // np.roll(img, 1, axis=0) and np.roll(img, 1, axis=1): the two generators of translate
        SymmetryGroup translate = group(9, image(3, 3, 1), "translate");
        assertArrayEquals(new float[] {7, 8, 9, 1, 2, 3, 4, 5, 6}, apply(translate, 1, 1, 2, 3, 4, 5, 6, 7, 8, 9));
        assertArrayEquals(new float[] {3, 1, 2, 6, 4, 5, 9, 7, 8}, apply(translate, 2, 1, 2, 3, 4, 5, 6, 7, 8, 9));
    }

    @Test
    void vectorSymmetriesMoveAndFlipTheStatedCoordinates() {
        // np.roll(np.arange(1, 6), 1)
        assertArrayEquals(new float[] {5, 1, 2, 3, 4}, apply(group(5, null, "shift"), 1, 1, 2, 3, 4, 5));
        assertArrayEquals(new float[] {4, 5, 6, 1, 2, 3}, apply(group(6, null, "shift:3"), 1, 1, 2, 3, 4, 5, 6));
        SymmetryGroup signs = group(4, null, "sign:1,3");
        assertArrayEquals(new float[] {1, -2, 3, 4}, apply(signs, 1, 1, 2, 3, 4));
        assertArrayEquals(new float[] {1, 2, 3, -4}, apply(signs, 2, 1, 2, 3, 4));
        assertArrayEquals(new float[] {1, -2, 3, -4}, apply(signs, 3, 1, 2, 3, 4));
        // (0 1 2): the value at 0 moves to 1, 1's to 2, 2's to 0
        assertArrayEquals(new float[] {30, 10, 20, 40}, apply(group(4, null, "perm:(0 1 2)"), 1, 10, 20, 30, 40));
        assertArrayEquals(new float[] {30, 10, 20, 40}, apply(group(4, null, "perm:(0,1,2)"), 1, 10, 20, 30, 40));
        assertArrayEquals(new float[] {20, 10, 40, 30}, apply(group(4, null, "perm: (0 1) (2,3)"), 1, 10, 20, 30, 40));
        // the full cycle is the shift, in the same direction
        assertArrayEquals(apply(group(4, null, "shift"), 1, 10, 20, 30, 40),
                apply(group(4, null, "perm:(0 1 2 3)"), 1, 10, 20, 30, 40));
    }

    @Test
    void applyHonoursOffsetsAndKeepsTheRestOfTheArray() {
        SymmetryGroup g = group(3, null, "perm:(0 1 2)", "sign:0");
        float[] src = {9, 9, 1, 2, 3, 9};
        float[] dst = {7, 7, 7, 7, 7};
        for (int k = 0; k < g.order(); k++) {
            g.apply(k, src, 2, dst, 1);
            assertEquals(7, dst[0]);
            assertEquals(7, dst[4]);
            assertArrayEquals(apply(g, k, 1, 2, 3), Arrays.copyOfRange(dst, 1, 4));
        }
        assertThrows(IndexOutOfBoundsException.class, () -> g.apply(g.order(), src, 0, dst, 0));
        assertThrows(IndexOutOfBoundsException.class, () -> g.apply(1, src, 4, dst, 0));
    }

    @Test
    void everyElementPreservesNormsAndDistances() {
        SplittableRandom rng = new SplittableRandom(3);
        for (SymmetryGroup g : List.of(group(16, image(4, 4, 1), "translate", "hflip", "vflip", "rot90"),
                group(8, null, "shift", "sign:0,5"), group(6, null, TORUS_CYCLE))) {
            float[] x = new float[g.dim()];
            float[] y = new float[g.dim()];
            for (int i = 0; i < g.dim(); i++) {
                x[i] = (float) (rng.nextDouble() * 2 - 1);
                y[i] = (float) (rng.nextDouble() * 2 - 1);
            }
            for (int k = 0; k < g.order(); k++) {
                float[] gx = apply(g, k, x);
                float[] gy = apply(g, k, y);
                assertEquals(squaredDistance(x, new float[g.dim()]), squaredDistance(gx, new float[g.dim()]), 1e-12);
                assertEquals(squaredDistance(x, y), squaredDistance(gx, gy), 1e-12);
            }
        }
    }

    private static double squaredDistance(float[] a, float[] b) {
        double s = 0;
        for (int i = 0; i < a.length; i++) s += ((double) a[i] - b[i]) * ((double) a[i] - b[i]);
        return s;
    }

    @Test
    void torusSpecCyclesTheCircleFactorsOfTheGeneratedTorus() {
        ManifoldSampler torus = new ManifoldSampler(Manifold.TORUS, 3, 6, 0, 11);
        SymmetryGroup g = group(6, null, TORUS_CYCLE);
        assertEquals("perm(0 2 4)(1 3 5), order 3", g.description());
        SplittableRandom rng = new SplittableRandom(12);
        double radius = 1 / (2 * Math.PI);
        float[] x = new float[6];
        for (int n = 0; n < 300; n++) {
            torus.sample(rng, x, 0);
            double[] angle = new double[3];
            for (int f = 0; f < 3; f++) angle[f] = Math.atan2(x[2 * f + 1], x[2 * f]);
            for (int k = 1; k <= 2; k++) {
                float[] gx = apply(g, k, x);
                for (int f = 0; f < 3; f++) {
                    // element k moves factor f to factor f + k: (t0, t1, t2) -> (t2, t0, t1) for k = 1
                    double t = angle[Math.floorMod(f - k, 3)];
                    assertEquals(radius * Math.cos(t), gx[2 * f], 1e-6);
                    assertEquals(radius * Math.sin(t), gx[2 * f + 1], 1e-6);
                }
                assertFalse(Arrays.equals(x, gx));
            }
        }
    }

    @Test
    void descriptionsNameTheGeneratorsAndTheOrder() {
        assertEquals("sign(0,3,5), order 8", group(6, null, "sign:0,3,5").description());
        // shifts by 2 carry the flip of coordinate 1 to 3, 5 and 7: 2^4 flips times 4 shifts
        assertEquals("shift(2) + sign(1), order 64", group(8, null, "shift:2", " sign: 1 ").description());
        assertEquals("translate + hflip + vflip + rot90, order 128",
                group(16, image(4, 4, 1), "translate", "hflip", "vflip", "rot90").description());
        assertEquals("trivial, order 1", SymmetryGroup.trivial(4).description());
    }

    @Test
    void badSpecsAreNamedWithWhatWasExpected() {
        assertBad("'reflect'", "unknown kind", () -> group(4, null, "reflect"));
        assertBad("'perm:(0 6)'", "out of range for dimension 6", () -> group(6, null, "perm:(0 6)"));
        assertBad("'sign:1,7'", "out of range for dimension 6", () -> group(6, null, "sign:1,7"));
        assertBad("'perm:(0 1 0)'", "appears twice", () -> group(6, null, "perm:(0 1 0)"));
        assertBad("'perm:(0 1)(1 2)'", "appears twice", () -> group(6, null, "perm:(0 1)(1 2)"));
        assertBad("'perm:0 1'", "parentheses", () -> group(6, null, "perm:0 1"));
        assertBad("'perm:(0 a)'", "not a coordinate", () -> group(6, null, "perm:(0 a)"));
        assertBad("'perm:()'", "empty", () -> group(6, null, "perm:()"));
        assertBad("'hflip'", "15", () -> group(15, image(4, 4, 1), "hflip"));
        assertBad("'hflip'", "4x4x1", () -> group(15, image(4, 4, 1), "hflip"));
        assertBad("'shift:3'", "does not divide the dimension 8", () -> group(8, null, "shift:3"));
        assertBad("'shift:0'", "positive whole number", () -> group(8, null, "shift:0"));
        assertBad("'translate:3'", "does not divide", () -> group(16, image(4, 4, 1), "translate:3"));
        assertBad("'rot90'", "square image, got 2x3x1", () -> group(6, image(2, 3, 1), "rot90"));
        assertBad("'vflip'", "image shape", () -> group(6, null, "vflip"));
        assertBad("'hflip:2'", "no argument", () -> group(16, image(4, 4, 1), "hflip:2"));
    }

    @Test
    void aGroupAboveTheLargestOrderIsRefusedWithTheOrderReached() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> SymmetryGroup.parse(List.of("shift", "sign:0"), 8, null, 100));
        assertTrue(e.getMessage().contains("[shift, sign:0]"), e.getMessage());
        assertTrue(e.getMessage().contains("more than 100"), e.getMessage());
        assertTrue(e.getMessage().contains("reached 101"), e.getMessage());
        assertEquals(2048, SymmetryGroup.parse(List.of("shift", "sign:0"), 8, null, 2048).order()); // 2^8 8
    }

    @Test
    void serialisesAsItsGeneratorsAndReadsBackTheSameElements() throws Exception {
        SymmetryGroup g = group(64, image(8, 8, 1), "translate", "hflip", "vflip", "rot90");
        assertEquals(512, g.order());
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
            out.writeObject(g);
        }
        assertTrue(bytes.size() < 4096, "serialised form has " + bytes.size() + " bytes");
        SymmetryGroup read;
        try (ObjectInputStream in = new ObjectInputStream(new ByteArrayInputStream(bytes.toByteArray()))) {
            read = (SymmetryGroup) in.readObject();
        }
        assertEquals(g.description(), read.description());
        float[] x = probe(64);
        for (int k = 0; k < g.order(); k++) assertArrayEquals(apply(g, k, x), apply(read, k, x));
    }

    @Test
    void imageShapesReadAsHeightWidthChannels() {
        assertArrayEquals(new int[] {28, 28, 1}, SymmetryGroup.parseImageShape("28x28x1"));
        assertArrayEquals(new int[] {32, 32, 3}, SymmetryGroup.parseImageShape(" 32 x 32 x 3 "));
        assertArrayEquals(new int[] {28, 28, 1}, SymmetryGroup.parseImageShape("28X28"));
        assertBad("--image-shape", "28x28x1", () -> SymmetryGroup.parseImageShape("28x28x"));
        assertBad("--image-shape", "0x28", () -> SymmetryGroup.parseImageShape("0x28"));
    }

    private static void assertBad(String named, String expected, Runnable parse) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, parse::run);
        assertTrue(e.getMessage().contains(named), e.getMessage());
        assertTrue(e.getMessage().contains(expected), e.getMessage());
    }
}
