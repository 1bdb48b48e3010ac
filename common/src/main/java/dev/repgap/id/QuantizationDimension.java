package dev.repgap.id;

import dev.repgap.stats.Measured;
import java.util.Locale;
import org.apache.commons.math3.stat.regression.SimpleRegression;

/**
 * Quantization dimension (Zador): the mean squared distance to the nearest of K k-means centres
 * falls as {@code K^(-2/d)}, so a least-squares fit {@code log cost = a + slope log K} gives
 * {@code d = -2 / slope}. The interval maps the slope's t interval through {@code -2/slope}
 * (monotone for negative slopes; an upper end at or above 0 gives d = +infinity). It needs at
 * least three codebook sizes; the fit's R^2 is in the details.
 */
public final class QuantizationDimension {

    private final double level;

    public QuantizationDimension(double level) {
        Measured.checkLevel(level);
        this.level = level;
    }

    /** 90% intervals. */
    public QuantizationDimension() {
        this(Estimate.DEFAULT_LEVEL);
    }

    /**
     * @param codebookSizes the K of each k-means run (distinct, >= 1)
     * @param costs mean squared distance to the nearest centre at each K (> 0)
     * @return n = number of codebook sizes fitted; scale = root of the smallest cost (the finest
     *     resolution the fit reached; a typical distance to a centre, not a neighbour distance)
     */
    public Estimate estimate(int[] codebookSizes, double[] costs) {
        if (codebookSizes.length != costs.length) {
            throw new IllegalArgumentException(codebookSizes.length + " codebook sizes but " + costs.length + " costs");
        }
        if (codebookSizes.length < 3) throw new IllegalArgumentException("need at least 3 codebook sizes, got " + codebookSizes.length);
        SimpleRegression fit = new SimpleRegression(true);
        double smallest = Double.POSITIVE_INFINITY;
        for (int i = 0; i < costs.length; i++) {
            if (codebookSizes[i] < 1 || !(costs[i] > 0) || Double.isInfinite(costs[i])) {
                throw new IllegalArgumentException("need K >= 1 and a finite cost > 0, got K = " + codebookSizes[i] + ", cost " + costs[i]);
            }
            fit.addData(Math.log(codebookSizes[i]), Math.log(costs[i]));
            smallest = Math.min(smallest, costs[i]);
        }
        double slope = fit.getSlope();
        double half = fit.getSlopeConfidenceInterval(1 - level);
        double low = dimension(slope - half);
        double high = dimension(slope + half);
        return new Estimate(new Measured(dimension(slope), low, high), costs.length, Math.sqrt(smallest), String.format(Locale.ROOT,
                "quantization dimension -2/slope of log cost on log K; slope %.6g, R^2 %.6f; t interval at %.2f; scale = sqrt(min cost)",
                slope, fit.getRSquare(), level));
    }

    private static double dimension(double slope) {
        return slope < 0 ? -2 / slope : Double.POSITIVE_INFINITY;
    }
}
