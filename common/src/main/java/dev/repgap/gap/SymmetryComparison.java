package dev.repgap.gap;

/**
 * The gap without and with a symmetry group of order |G| built in, on the same queries, rankings
 * and prefix sizes. docs/formulas.md section 4: {@code RG_G(n) ~ RG(|G| n)}, so d is unchanged and
 * {@code C / C_G = |G|^(2/d)}. Intervals come from a paired bootstrap: each replicate resamples the
 * same queries and rankings for both curves. Made by {@link RepresentationGap#compare}.
 */
public final class SymmetryComparison {

    private final RepresentationGapCurve plain;
    private final RepresentationGapCurve symmetric;
    private final int groupOrder;

    SymmetryComparison(RepresentationGapCurve plain, RepresentationGapCurve symmetric, int groupOrder) {
        this.plain = plain;
        this.symmetric = symmetric;
        this.groupOrder = groupOrder;
    }

    /** The curve without the symmetry (its d is {@code plain().dimension()}). */
    public RepresentationGapCurve plain() {
        return plain;
    }

    /** The curve with the symmetry (its d is {@code symmetric().dimension()}). */
    public RepresentationGapCurve symmetric() {
        return symmetric;
    }

    /** |G|. */
    public int groupOrder() {
        return groupOrder;
    }

    /** {@code RG(n[g]) / RG_G(n[g])}: how much the symmetry shrinks the gap at n[g]. */
    public Measured gapRatio(int g) {
        double[] values = new double[plain.replicates()];
        for (int b = 0; b < values.length; b++) values[b] = plain.replicate(b)[g] / symmetric.replicate(b)[g];
        return TwoWayBootstrap.percentile(plain.meanGap(g) / symmetric.meanGap(g), values, plain.level());
    }

    /** {@link #gapRatio} at the largest n, the whole training set. */
    public Measured gapRatioAtLargest() {
        return gapRatio(plain.gridSize() - 1);
    }

    /** {@code C / C_G}, the ratio of the fitted constants; comparable when the two d agree. */
    public Measured constantRatio() {
        double[] values = new double[plain.replicates()];
        for (int b = 0; b < values.length; b++) values[b] = plain.replicateLaw(b).constant() / symmetric.replicateLaw(b).constant();
        return TwoWayBootstrap.percentile(plain.law().constant() / symmetric.law().constant(), values, plain.level());
    }

    /** The ratio theory predicts, {@code |G|^(2/d)} at the plain curve's fitted d. */
    public Measured theoreticalRatio() {
        double[] values = new double[plain.replicates()];
        for (int b = 0; b < values.length; b++) values[b] = theoretical(plain.replicateLaw(b));
        return TwoWayBootstrap.percentile(theoretical(plain.law()), values, plain.level());
    }

    private double theoretical(GapLaw law) {
        return Math.pow(groupOrder, 2 / law.dimension());
    }
}
