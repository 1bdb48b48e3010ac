package dev.repgap.knn;

/**
 * The operand of a distance kernel: float rows minus a centre (centring reduces float32
 * cancellation in the Gram trick) and, per row, the squared norm lowered by the cancellation margin.
 */
public final class CentredRows {

    private final float[] centre;
    private final float[] data;
    private final float[] lowerNorms;
    private final float[] gaps;
    private final int rows;
    private final int dim;

    private CentredRows(float[] centre, float[] data, float[] lowerNorms, float[] gaps, int rows, int dim) {
        this.centre = centre;
        this.data = data;
        this.lowerNorms = lowerNorms;
        this.gaps = gaps;
        this.rows = rows;
        this.dim = dim;
    }

    /** Centres (a copy of) {@code data} on {@code centre}; with a null centre the data is shared, not copied. */
    static CentredRows of(float[] data, int rows, int dim, float[] centre) {
        if (centre != null && centre.length != dim) {
            throw new IllegalArgumentException("centre has " + centre.length + " values, dim is " + dim);
        }
        float[] centred = data;
        if (centre != null) {
            centred = new float[rows * dim];
            for (int i = 0; i < centred.length; i++) {
                centred[i] = data[i] - centre[i % dim];
            }
        }
        double kappa = CancellationBound.kappa(dim);
        double absolute = CancellationBound.absolute(dim);
        float[] lowerNorms = new float[rows];
        float[] gaps = new float[rows];
        for (int r = 0; r < rows; r++) {
            double sum = 0.0;
            for (int c = r * dim; c < (r + 1) * dim; c++) {
                sum += (double) centred[c] * centred[c];
            }
            lowerNorms[r] = CancellationBound.lowerNorm(sum, kappa, absolute);
            gaps[r] = CancellationBound.gap(sum, kappa, absolute);
        }
        return new CentredRows(centre == null ? null : centre.clone(), centred, lowerNorms, gaps, rows, dim);
    }

    float[] centre() {
        return centre;
    }

    /** Centred values, row-major {@code rows x dim}. */
    public float[] data() {
        return data;
    }

    /** Per row: float32 squared norm of the centred row minus its cancellation margin (NaN for a row too large to bound, see {@link CancellationBound}). */
    public float[] lowerNorms() {
        return lowerNorms;
    }

    /** Per row: adding the query's and the reference's gaps to a kernel value gives an upper bound of the exact distance. */
    public float[] gaps() {
        return gaps;
    }

    public int rows() {
        return rows;
    }

    public int dim() {
        return dim;
    }
}
