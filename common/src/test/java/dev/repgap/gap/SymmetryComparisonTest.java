package dev.repgap.gap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Locale;
import org.junit.jupiter.api.Test;

class SymmetryComparisonTest {

    private static final long[] GRID = SyntheticGaps.geometricGrid(2, 6, 3);

    /**
     * The 3-torus with cyclic coordinate permutations (docs/formulas.md section 4: ratio 3^(2/3) = 2.080), simulated as
     * the same nearest-neighbour law with 3 images per training row; the exact means give the truth.
     */
    @Test
    void cyclicSymmetryOfTheThreeTorusShrinksTheGapByThreeToTheTwoThirds() {
        PrefixDistances plain = SyntheticGaps.nearestNeighbours(400, 8, GRID, 3, 1, 21);
        PrefixDistances symmetric = SyntheticGaps.nearestNeighbours(400, 8, GRID, 3, 3, 22);
        SymmetryComparison c = new RepresentationGap().compare(plain, symmetric, 3);
        double exactRatio = SyntheticGaps.nearestNeighbourMean(GRID[12], 3, 1) / SyntheticGaps.nearestNeighbourMean(GRID[12], 3, 3);
        assertEquals(2.080, exactRatio, 1e-3);
        System.out.printf(Locale.ROOT, "gap: 3-torus / C3: RG/RG_G at 1e6 %s, C/C_G %s, theory %s, d %s and %s%n",
                c.gapRatioAtLargest(), c.constantRatio(), c.theoreticalRatio(), c.plain().dimension(), c.symmetric().dimension());
        assertTrue(c.gapRatioAtLargest().covers(exactRatio), c.gapRatioAtLargest().toString());
        assertTrue(c.constantRatio().covers(exactRatio), c.constantRatio().toString());
        assertTrue(c.theoreticalRatio().covers(exactRatio), c.theoreticalRatio().toString());
        assertEquals(3, c.symmetric().dimension().value(), 0.3);
        assertEquals(3, c.groupOrder());
        assertEquals(Math.pow(3, 2 / c.plain().dimension().value()), c.theoreticalRatio().value(), 1e-12);
        for (int g = 0; g < GRID.length; g++) {
            assertEquals(c.plain().gap(g).value() / c.symmetric().gap(g).value(), c.gapRatio(g).value(), 1e-12);
        }
    }

    /** An unpaired bootstrap would spread the ratio of a curve to itself; a paired one cannot. */
    @Test
    void thePairedBootstrapResamplesBothCurvesAlike() {
        PrefixDistances plain = SyntheticGaps.nearestNeighbours(100, 8, GRID, 4, 1, 3);
        SymmetryComparison c = new RepresentationGap().compare(plain, plain, 2);
        for (int g = 0; g < GRID.length; g++) assertEquals(new Measured(1, 1, 1), c.gapRatio(g));
        assertEquals(new Measured(1, 1, 1), c.constantRatio());
        // each curve is what it would be alone, with the same seed
        RepresentationGapCurve alone = new RepresentationGap().curve(plain);
        assertEquals(alone.dimension(), c.plain().dimension());
        assertEquals(alone.gap(5), c.symmetric().gap(5));
    }

    @Test
    void scansMustShareTheirShape() {
        PrefixDistances a = SyntheticGaps.nearestNeighbours(10, 2, GRID, 4, 1, 3);
        PrefixDistances b = SyntheticGaps.nearestNeighbours(10, 3, GRID, 4, 1, 3);
        assertThrows(IllegalArgumentException.class, () -> new RepresentationGap().compare(a, b, 2));
        assertThrows(IllegalArgumentException.class, () -> new RepresentationGap().compare(a, a, 0));
    }
}
