package dev.repgap.gap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.repgap.stats.Measured;
import java.util.Locale;
import org.junit.jupiter.api.Test;

class RepresentationGapTest {

    private static final long[] GRID = SyntheticGaps.geometricGrid(2, 6, 3);

    @Test
    void exactPowerLawGivesTheExactDimensionAndAConstantIntervalAroundTheTruth() {
        RepresentationGapCurve curve = new RepresentationGap().curve(SyntheticGaps.exactPowerLaw(400, 8, GRID, 0.25, 5, 1));
        // every resample's log curve is the same line shifted, so d has no spread at all
        assertEquals(5, curve.dimension().value(), 1e-10);
        assertEquals(0, curve.dimension().width(), 1e-10);
        assertEquals(0, curve.drift().value(), 1e-10);
        assertFalse(curve.drifting());
        for (int g = 0; g < GRID.length - 1; g++) assertEquals(5, curve.localDimension(g).value(), 1e-9);
        assertTrue(curve.constant().covers(0.25), curve.constant().toString());
        assertEquals(0.25, curve.constant().value(), 0.05);
        assertEquals(6, curve.fitStartIndex()); // n >= sqrt(1e2 * 1e6) = 1e4 is the upper half: grid points 6..12
        assertEquals(10_000, curve.size(curve.fitStartIndex()));
        assertEquals(GapLaw.uniformConstant(5), curve.uniformConstant().value(), 1e-9);
    }

    @Test
    void identicalRowsGiveZeroWidthIntervals() {
        // dyadic sizes and gaps 1/n: every weighted mean is exact, so every replicate is the same number
        long[] n = new long[9];
        for (int g = 0; g < n.length; g++) n[g] = 1L << (4 + g);
        int queries = 50, rankings = 8;
        double[] squared = new double[queries * rankings * n.length];
        for (int i = 0; i < squared.length; i++) squared[i] = 1.0 / n[i % n.length];
        RepresentationGapCurve curve = new RepresentationGap().curve(new PrefixDistances(queries, rankings, n, squared));
        for (int g = 0; g < n.length; g++) assertEquals(new Measured(1.0 / n[g], 1.0 / n[g], 1.0 / n[g]), curve.gap(g));
        for (Measured m : new Measured[] {curve.dimension(), curve.constant(), curve.uniformConstant(), curve.drift(),
                curve.localDimension(3), curve.gapAt(2 * n[8]), curve.sizeFor(1e-5)}) {
            assertEquals(0, m.width(), "" + m);
            assertEquals(m.value(), m.low());
        }
        assertEquals(2, curve.dimension().value(), 1e-12);
        assertEquals(1, curve.constant().value(), 1e-12);
        assertEquals(1e5, curve.sizeFor(1e-5).value(), 1e-6);
        assertEquals(1 / Math.sqrt(n[4]), curve.medianDistance(4), 1e-15);
        assertEquals(1 / Math.sqrt(n[4]), curve.lowerDecileDistance(4), 1e-15);
    }

    /**
     * Exact nearest-neighbour simulation of a uniform law (d = 3 and 8): the truth is the law fitted
     * to the closed-form expected curve. 60 repeats of Q = 300, R = 8; the 90% intervals of d, C and
     * RG at the largest n should cover in about 54. The pigeonhole bootstrap is conservative when
     * the per-(query, ranking) noise is large, so the bound is one-sided: at least 45 of 60
     * (P(Binomial(60, 0.9) < 45) = 2e-4 for a calibrated interval).
     */
    @Test
    void intervalsCoverTheTruthOfANearestNeighbourLaw() {
        for (double d : new double[] {3, 8}) {
            double[] truthCurve = SyntheticGaps.nearestNeighbourMeans(GRID, d, 1);
            GapLaw truth = GapLaw.fit(GRID, truthCurve, 6, GRID.length);
            int repeats = 60, coverD = 0, coverC = 0, coverGap = 0;
            double widthD = 0, sumD = 0, sumD2 = 0;
            for (int rep = 0; rep < repeats; rep++) {
                RepresentationGapCurve curve = new RepresentationGap(0.9, 200, rep, Double.NaN, 0.1)
                        .curve(SyntheticGaps.nearestNeighbours(300, 8, GRID, d, 1, 100 + rep));
                if (curve.dimension().covers(truth.dimension())) coverD++;
                if (curve.constant().covers(truth.constant())) coverC++;
                if (curve.gap(GRID.length - 1).covers(truthCurve[GRID.length - 1])) coverGap++;
                widthD += curve.dimension().width() / repeats;
                sumD += curve.dimension().value();
                sumD2 += curve.dimension().value() * curve.dimension().value();
                assertEquals(truth.dimension(), curve.dimension().value(), 0.15 * d);
            }
            System.out.printf(Locale.ROOT, "gap: d = %.0f (fitted on the exact curve %.4f, C %.4f vs uniform %.4f): 90%% intervals covered d %d, C %d, RG(1e6) %d of %d; mean width of d %.3f, 3.29 sd of d over the repeats %.3f%n",
                    d, truth.dimension(), truth.constant(), GapLaw.uniformConstant(d), coverD, coverC, coverGap, repeats, widthD,
                    3.29 * Math.sqrt((sumD2 - sumD * sumD / repeats) / (repeats - 1)));
            assertEquals(d, truth.dimension(), 2e-3 * d);
            assertEquals(GapLaw.uniformConstant(d), truth.constant(), 2e-3);
            assertTrue(coverD >= 45 && coverC >= 45 && coverGap >= 45, "coverage " + coverD + ", " + coverC + ", " + coverGap);
        }
    }

    /** A curve whose dimension doubles in the middle of the fit range, with the same noise as a clean one. */
    @Test
    void aSlopeChangeInTheFitRangeIsFlaggedAndACleanLawIsNot() {
        PrefixDistances clean = SyntheticGaps.exactPowerLaw(400, 8, GRID, 1, 4, 3);
        double[] bent = new double[400 * 8 * GRID.length];
        for (int q = 0; q < 400; q++) {
            for (int r = 0; r < 8; r++) {
                for (int g = 0; g < GRID.length; g++) {
                    double n = GRID[g];
                    // d = 4 up to n = 1e5, d = 8 after, continuous
                    double law = n <= 1e5 ? Math.pow(n, -0.5) : Math.pow(1e5, -0.5) * Math.pow(n / 1e5, -0.25);
                    bent[(q * 8 + r) * GRID.length + g] = law * clean.squared(q, r, g) / Math.pow(n, -0.5);
                }
            }
        }
        RepresentationGapCurve straight = new RepresentationGap().curve(clean);
        RepresentationGapCurve drifting = new RepresentationGap().curve(new PrefixDistances(400, 8, GRID, bent));
        assertFalse(straight.drifting());
        assertTrue(drifting.drifting(), drifting.drift().toString());
        // fit range 1e4..1e6: the lower half 1e4..1e5 is all d = 4, the upper half 1e5..1e6 all d = 8
        assertEquals(4, drifting.lowerHalfDimension(), 1e-9);
        assertEquals(8, drifting.upperHalfDimension(), 1e-9);
        assertEquals(1, drifting.drift().value(), 1e-9);
        assertEquals(4, drifting.localDimension(7).value(), 1e-9);
        assertEquals(8, drifting.localDimension(11).value(), 1e-9);
    }

    /** Noise in the drift of a clean law stays inside its interval; a noise floor (1e-3, 2.5 times RG(1e6)) shows as positive drift. */
    @Test
    void aNoiseFloorDriftsAndNoisyCleanLawsDoNot() {
        int flagged = 0;
        for (int rep = 0; rep < 10; rep++) {
            RepresentationGapCurve curve = new RepresentationGap(0.9, 200, rep, Double.NaN, 0.1)
                    .curve(SyntheticGaps.nearestNeighbours(200, 8, GRID, 4, 1, 500 + rep));
            if (curve.drifting()) flagged++;
        }
        assertTrue(flagged <= 1, flagged + " of 10 clean nearest-neighbour curves flagged");
        PrefixDistances clean = SyntheticGaps.nearestNeighbours(200, 8, GRID, 4, 1, 7);
        double[] floored = new double[200 * 8 * GRID.length];
        for (int q = 0; q < 200; q++) {
            for (int r = 0; r < 8; r++) {
                for (int g = 0; g < GRID.length; g++) floored[(q * 8 + r) * GRID.length + g] = clean.squared(q, r, g) + 1e-3;
            }
        }
        RepresentationGapCurve curve = new RepresentationGap().curve(new PrefixDistances(200, 8, GRID, floored));
        assertTrue(curve.drifting(), curve.drift() + " " + curve.lowerHalfDimension() + " " + curve.upperHalfDimension() + " " + curve.dimension());
        assertTrue(curve.drift().low() > 0.3, curve.drift().toString());
    }

    @Test
    void extrapolationAndTheSizeForATargetInvertEachOther() {
        RepresentationGapCurve curve = new RepresentationGap().curve(SyntheticGaps.nearestNeighbours(300, 8, GRID, 3, 1, 11));
        double d = curve.dimension().value(), c = curve.constant().value();
        for (double n : new double[] {2e6, 1e7}) {
            Measured gap = curve.gapAt(n);
            assertEquals(c * Math.pow(n, -2 / d), gap.value(), 1e-12 * gap.value());
            Measured size = curve.sizeFor(gap.value());
            assertEquals(n, size.value(), 1e-8 * n);
            assertTrue(size.covers(n) && gap.low() < gap.value() && gap.value() < gap.high(), size + " " + gap);
        }
        assertEquals(Math.pow(c / 1e-4, d / 2), curve.sizeFor(1e-4).value(), 1e-6 * curve.sizeFor(1e-4).value());
    }

    @Test
    void sameSeedSameAnswerOtherSeedOtherInterval() {
        PrefixDistances data = SyntheticGaps.nearestNeighbours(100, 8, GRID, 3, 1, 5);
        RepresentationGapCurve a = new RepresentationGap(0.9, 100, 42, Double.NaN, 0.1).curve(data);
        RepresentationGapCurve b = new RepresentationGap(0.9, 100, 42, Double.NaN, 0.1).curve(data);
        RepresentationGapCurve c = new RepresentationGap(0.9, 100, 43, Double.NaN, 0.1).curve(data);
        for (int g = 0; g < GRID.length; g++) assertEquals(a.gap(g), b.gap(g));
        assertEquals(a.dimension(), b.dimension());
        assertEquals(a.drift(), b.drift());
        assertEquals(a.sizeFor(1e-4), b.sizeFor(1e-4));
        assertEquals(a.dimension().value(), c.dimension().value());
        assertTrue(a.dimension().low() != c.dimension().low());
    }

    /** Every query sees the same curve, scaled by its ranking: only resampling rankings gives an interval. */
    @Test
    void resamplesRankingsNotOnlyQueries() {
        int queries = 100;
        for (int rankings : new int[] {1, 8}) {
            double[] squared = new double[queries * rankings * GRID.length];
            for (int q = 0; q < queries; q++) {
                for (int r = 0; r < rankings; r++) {
                    for (int g = 0; g < GRID.length; g++) squared[(q * rankings + r) * GRID.length + g] = (1 + r) / (double) GRID[g];
                }
            }
            Measured gap = new RepresentationGap().curve(new PrefixDistances(queries, rankings, GRID, squared)).gap(3);
            if (rankings == 1) {
                assertEquals(0, gap.width(), 1e-15 * gap.value());
            } else {
                // rankings 1..8 scale the gap by 1..8, mean 4.5: resampled means spread by sd 2.29 / sqrt(8) = 0.81
                assertEquals(4.5 / GRID[3], gap.value(), 1e-12);
                assertTrue(gap.width() > 1.5 / GRID[3] && gap.width() < 4.0 / GRID[3], gap.toString());
            }
        }
    }

    @Test
    void badLayoutsAreRejectedWithTheReason() {
        long[] n = {10, 100, 1000};
        double[] ok = {3, 2, 1, 3, 2, 1};
        new PrefixDistances(2, 1, n, ok);
        assertMessage("expected Q * R * G", () -> new PrefixDistances(2, 2, n, ok));
        assertMessage("ascending", () -> new PrefixDistances(2, 1, new long[] {10, 10, 1000}, ok));
        assertMessage("ascending", () -> new PrefixDistances(2, 1, new long[] {0, 10, 1000}, ok));
        assertMessage("query 1, ranking 0, n = 100: squared distance NaN", () -> new PrefixDistances(2, 1, n, new double[] {3, 2, 1, 3, Double.NaN, 1}));
        assertMessage("non-increasing", () -> new PrefixDistances(2, 1, n, new double[] {3, 2, 1, 3, 2, 2.5}));
        assertMessage("finite", () -> new PrefixDistances(2, 1, n, new double[] {3, 2, -1, 3, 2, 1}));
        assertMessage("finite", () -> new PrefixDistances(2, 1, n, new double[] {Double.POSITIVE_INFINITY, 2, 1, 3, 2, 1}));
        assertMessage("at least one query", () -> new PrefixDistances(0, 1, n, new double[0]));
    }

    @Test
    void theFitNeedsThreePointsAndAPositiveGap() {
        long[] n = {10, 100, 1000, 10_000};
        double[] squared = {1, 0.5, 0.25, 0.125};
        PrefixDistances data = new PrefixDistances(1, 1, n, squared);
        // default edge sqrt(10 * 1e4) = 316: only 1e3 and 1e4
        assertMessage("at least 3 prefix sizes", () -> new RepresentationGap().curve(data));
        RepresentationGapCurve all = new RepresentationGap(0.9, 50, 0, 10, 0.1).curve(data);
        assertEquals(0, all.fitStartIndex());
        assertEquals(2 / (Math.log10(2) / 1), all.dimension().value(), 1e-12);
        assertMessage("at least 3 prefix sizes", () -> new RepresentationGap(0.9, 50, 0, 101, 0.1).curve(data));
        assertMessage("mean gap is 0", () -> new RepresentationGap(0.9, 50, 0, 10, 0.1).curve(new PrefixDistances(1, 1, n, new double[] {1, 0.5, 0, 0})));
    }

    @Test
    void tenThousandQueriesTakeWellUnderTwoSeconds() {
        long[] n = SyntheticGaps.geometricGrid(2, 6, 8);
        n = java.util.Arrays.copyOf(n, 32);
        PrefixDistances data = SyntheticGaps.exactPowerLaw(10_000, 8, n, 1, 6, 2);
        long start = System.nanoTime();
        RepresentationGapCurve curve = new RepresentationGap().curve(data);
        double seconds = (System.nanoTime() - start) / 1e9;
        System.out.printf(Locale.ROOT, "gap: Q = 10^4, R = 8, G = 32, B = 200 in %.2f s%n", seconds);
        assertEquals(6, curve.dimension().value(), 1e-9);
        assertTrue(seconds < 10, seconds + " s");
    }

    private static void assertMessage(String part, org.junit.jupiter.api.function.Executable call) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, call);
        assertTrue(e.getMessage().contains(part), e.getMessage());
    }
}
