package dev.repgap.stats;

import java.io.IOException;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.io.Serializable;
import java.util.Arrays;

/**
 * The first and second moments of rows x of length {@code dim} and, optionally, of targets y of length
 * {@code targets} given with them: the count n, {@code sum x}, {@code sum x x^T} and, with targets,
 * {@code sum y}, {@code sum x y^T} and {@code sum y y^T}, in double. It is a mergeable state: states filled
 * from disjoint parts of the rows and merged in any order equal, up to rounding, one state filled from
 * all of them, so a Spark job fills one per partition and merges them.
 *
 * <p>Sums are kept about a pilot point c (and c_y), a guess at the mean, so that the centred
 * second moment {@code sum (x-c)(x-c)^T - n (m-c)(m-c)^T} does not cancel catastrophically when the
 * rows share a large offset: the pilot is given, or it is the mean of the first block of rows added.
 * Merging re-centres the other state's sums on this state's pilot exactly
 * ({@code sum (x-c) (x-c)^T = sum (x-c') (x-c')^T + s' d^T + d s'^T + n d d^T} with {@code d = c' - c}).
 *
 * <p>Rows are buffered and added a block at a time by a level-3 kernel ({@link GramKernels}: native
 * BLAS dsyrk/dgemm, else the Java Vector API), never as rank-one updates per row. A state is not safe
 * for use by several threads at once. Second moments are stored as the upper triangle of a
 * {@code dim x dim} array and serialised as that triangle alone.
 */
public final class Moments implements Serializable {
    private static final long serialVersionUID = 1L;

    private final int dim;
    private final int targets;
    private long n;
    private double[] pilot;        // null until set
    private double[] targetPilot;  // null until set, or without targets
    private final double[] sum;        // sum (x - c)
    private final double[] targetSum;  // sum (y - c_y)
    private transient double[] gram;       // [i*dim + j], j >= i: sum (x-c)_i (x-c)_j
    private transient double[] cross;      // [i*targets + k]: sum (x-c)_i (y-c_y)_k
    private transient double[] targetGram; // [k*targets + l], l >= k: sum (y-c_y)_k (y-c_y)_l

    private transient GramKernel kernel;
    private transient double[] pendingX;
    private transient double[] pendingY;
    private transient int pending;

    private Moments(int dim, int targets, double[] pilot, double[] targetPilot) {
        if (dim < 1 || targets < 0) throw new IllegalArgumentException("dim " + dim + ", targets " + targets);
        this.dim = dim;
        this.targets = targets;
        this.pilot = pilot;
        this.targetPilot = targetPilot;
        sum = new double[dim];
        targetSum = new double[targets];
        allocate();
    }

    /** An empty state for rows of length {@code dim}, without targets; the pilot is the first block's mean. */
    public static Moments of(int dim) {
        return new Moments(dim, 0, null, null);
    }

    /** An empty state for rows of length {@code dim} with targets of length {@code targets} (0: none). */
    public static Moments of(int dim, int targets) {
        return new Moments(dim, targets, null, null);
    }

    /** An empty state centred on the given pilot points ({@code targetPilot} null or empty without targets). */
    public static Moments centredOn(double[] pilot, double[] targetPilot) {
        int q = targetPilot == null ? 0 : targetPilot.length;
        return new Moments(pilot.length, q, pilot.clone(), q == 0 ? null : targetPilot.clone());
    }

    private void allocate() {
        gram = new double[dim * dim];
        cross = new double[dim * targets];
        targetGram = new double[targets * targets];
    }

    /** The same state filled by the given kernel (tests compare kernels). */
    Moments using(GramKernel k) {
        flush();
        kernel = k;
        return this;
    }

    public int dim() {
        return dim;
    }

    public int targets() {
        return targets;
    }

    /** Adds one row (without targets). */
    public void addRow(float[] x) {
        add(x, null, 1);
    }

    /** Adds one row with its targets. */
    public void addRow(float[] x, float[] y) {
        add(x, y, 1);
    }

    /** Adds one row with its targets in double. */
    public void addRow(float[] x, double[] y) {
        check(x.length, y == null ? -1 : y.length, 1);
        room(); // allocates the block on first use; it is never full here
        for (int i = 0; i < dim; i++) pendingX[pending * dim + i] = x[i];
        if (targets > 0) System.arraycopy(y, 0, pendingY, pending * targets, targets);
        if (++pending == blockRows()) addPending(false);
    }

    /** Adds {@code rows} rows, row-major in {@code x} ({@code rows * dim} values) and {@code y} (null without targets). */
    public void add(float[] x, float[] y, int rows) {
        check(x.length, y == null ? -1 : y.length, rows);
        for (int r = 0; r < rows; ) {
            int take = Math.min(rows - r, room());
            for (int i = 0; i < take * dim; i++) pendingX[pending * dim + i] = x[r * dim + i];
            if (targets > 0) {
                for (int i = 0; i < take * targets; i++) pendingY[pending * targets + i] = y[r * targets + i];
            }
            r += take;
            pending += take;
            if (pending == blockRows()) addPending(false);
        }
    }

    /** Adds {@code rows} rows in double, as {@link #add(float[], float[], int)}. */
    public void add(double[] x, double[] y, int rows) {
        check(x.length, y == null ? -1 : y.length, rows);
        for (int r = 0; r < rows; ) {
            int take = Math.min(rows - r, room());
            System.arraycopy(x, r * dim, pendingX, pending * dim, take * dim);
            if (targets > 0) System.arraycopy(y, r * targets, pendingY, pending * targets, take * targets);
            r += take;
            pending += take;
            if (pending == blockRows()) addPending(false);
        }
    }

    private void check(int xLength, int yLength, int rows) {
        if (rows < 0 || xLength < (long) rows * dim) {
            throw new IllegalArgumentException(xLength + " values do not hold " + rows + " rows of " + dim);
        }
        if (targets == 0 ? yLength >= 0 : yLength < (long) rows * targets) {
            throw new IllegalArgumentException(targets == 0 ? "targets given to a state without targets"
                    : (yLength < 0 ? "no" : yLength) + " target values for " + rows + " rows of " + targets);
        }
    }

    private int blockRows() {
        return kernel().blockRows();
    }

    private GramKernel kernel() {
        if (kernel == null) kernel = GramKernels.selected();
        return kernel;
    }

    /** Free rows in the pending block (allocating it on first use). */
    private int room() {
        if (pendingX == null) {
            pendingX = new double[blockRows() * dim];
            pendingY = new double[blockRows() * targets];
        }
        return blockRows() - pending;
    }

    /**
     * Adds the pending rows: sets the pilot from them if it is not set, shifts them by it, and adds
     * their sums and products. With {@code release}, drops the block buffers (a state that is read,
     * merged or serialised has usually seen its last row).
     */
    private void addPending(boolean release) {
        if (pending > 0) {
            if (pilot == null) pilot = columnMeans(pendingX, pending, dim);
            if (targets > 0 && targetPilot == null) targetPilot = columnMeans(pendingY, pending, targets);
            shift(pendingX, pending, dim, pilot, sum);
            GramKernel k = kernel();
            k.gram(pendingX, pending, dim, gram);
            if (targets > 0) {
                shift(pendingY, pending, targets, targetPilot, targetSum);
                k.cross(pendingX, pendingY, pending, dim, targets, cross);
                k.gram(pendingY, pending, targets, targetGram);
            }
            n += pending;
            pending = 0;
        }
        if (release) {
            pendingX = null;
            pendingY = null;
        }
    }

    /** Adds whatever rows are still buffered. Readers and merges do this themselves. */
    public void flush() {
        addPending(true);
    }

    private static double[] columnMeans(double[] x, int rows, int cols) {
        double[] m = new double[cols];
        for (int r = 0; r < rows; r++) {
            for (int j = 0; j < cols; j++) m[j] += x[r * cols + j];
        }
        for (int j = 0; j < cols; j++) m[j] /= rows;
        return m;
    }

    /** {@code x -= c} row by row, and the shifted rows' sum added to {@code s}. */
    private static void shift(double[] x, int rows, int cols, double[] c, double[] s) {
        for (int r = 0; r < rows; r++) {
            int at = r * cols;
            for (int j = 0; j < cols; j++) {
                double v = x[at + j] - c[j];
                x[at + j] = v;
                s[j] += v;
            }
        }
    }

    /** A new state: this one's rows and the other's (neither is changed). */
    public Moments merge(Moments other) {
        Moments out = copy();
        out.addAll(other);
        return out;
    }

    /** Adds the other state's rows to this one (the other is not changed, apart from its pending rows being added). */
    public Moments addAll(Moments other) {
        if (other.dim != dim || other.targets != targets) {
            throw new IllegalArgumentException("cannot merge moments of " + other.dim + " + " + other.targets
                    + " values into moments of " + dim + " + " + targets);
        }
        flush();
        other.flush();
        if (other.n == 0) return this;
        if (n == 0 && pilot == null) {
            pilot = other.pilot.clone();
            targetPilot = targets == 0 ? null : other.targetPilot.clone();
        }
        // The other's sums about this state's pilot (see the class comment): d = c_other - c_this.
        double[] d = difference(other.pilot, pilot);
        double[] dy = targets == 0 ? new double[0] : difference(other.targetPilot, targetPilot);
        double on = other.n;
        double[] os = other.sum;
        double[] oy = other.targetSum;
        addShifted(gram, other.gram, os, d, os, d, on, dim, dim, true);
        addShifted(cross, other.cross, os, d, oy, dy, on, dim, targets, false);
        addShifted(targetGram, other.targetGram, oy, dy, oy, dy, on, targets, targets, true);
        for (int i = 0; i < dim; i++) sum[i] += os[i] + on * d[i];
        for (int k = 0; k < targets; k++) targetSum[k] += oy[k] + on * dy[k];
        n += other.n;
        return this;
    }

    private static double[] difference(double[] a, double[] b) {
        double[] d = new double[a.length];
        for (int i = 0; i < a.length; i++) d[i] = a[i] - b[i];
        return d;
    }

    /** {@code c += o + s t^T + d u^T + n d e^T}: {@code o} about another pilot, moved to this one. */
    private static void addShifted(double[] c, double[] o, double[] s, double[] d, double[] u, double[] e, double n,
                                   int rows, int cols, boolean upper) {
        for (int i = 0; i < rows; i++) {
            double si = s[i], di = d[i], ndi = n * d[i];
            int at = i * cols;
            for (int j = upper ? i : 0; j < cols; j++) {
                c[at + j] += o[at + j] + si * e[j] + di * u[j] + ndi * e[j];
            }
        }
    }

    /** An independent copy. */
    public Moments copy() {
        flush();
        Moments c = new Moments(dim, targets, pilot == null ? null : pilot.clone(),
                targetPilot == null ? null : targetPilot.clone());
        c.n = n;
        System.arraycopy(sum, 0, c.sum, 0, dim);
        System.arraycopy(targetSum, 0, c.targetSum, 0, targets);
        System.arraycopy(gram, 0, c.gram, 0, gram.length);
        System.arraycopy(cross, 0, c.cross, 0, cross.length);
        System.arraycopy(targetGram, 0, c.targetGram, 0, targetGram.length);
        return c;
    }

    /** Number of rows. */
    public long n() {
        flush();
        return n;
    }

    /** The rows' mean (NaN without rows). */
    public double[] mean() {
        flush();
        return mean(pilot, sum, dim);
    }

    /** The targets' mean (NaN without rows). */
    public double[] targetMean() {
        flush();
        return mean(targetPilot, targetSum, targets);
    }

    private double[] mean(double[] c, double[] s, int length) {
        double[] m = new double[length];
        for (int i = 0; i < length; i++) m[i] = n == 0 ? Double.NaN : c[i] + s[i] / n;
        return m;
    }

    /** {@code sum (x - mean)(x - mean)^T}, the full symmetric {@code dim x dim} matrix, row-major. */
    public double[] scatter() {
        flush();
        return centred(gram, sum, sum, dim, dim, true);
    }

    /** The sample covariance {@code scatter / (n - 1)}, row-major (symmetric, so column-major too). */
    public double[] covariance() {
        double[] c = scatter();
        for (int i = 0; i < c.length; i++) c[i] /= (n - 1);
        return c;
    }

    /** {@code sum (x - mean)(y - mean_y)^T}, {@code dim x targets}, row-major. */
    public double[] crossScatter() {
        flush();
        return centred(cross, sum, targetSum, dim, targets, false);
    }

    /** {@code sum (y - mean_y)(y - mean_y)^T}, the full symmetric {@code targets x targets} matrix. */
    public double[] targetScatter() {
        flush();
        return centred(targetGram, targetSum, targetSum, targets, targets, true);
    }

    /** {@code g - s t^T / n} (the sums about the pilot, centred on the mean); the lower triangle mirrored when symmetric. */
    private double[] centred(double[] g, double[] s, double[] t, int rows, int cols, boolean symmetric) {
        double[] out = new double[rows * cols];
        if (n == 0) return out;
        for (int i = 0; i < rows; i++) {
            for (int j = symmetric ? i : 0; j < cols; j++) {
                double v = g[i * cols + j] - s[i] * t[j] / n;
                out[i * cols + j] = v;
                if (symmetric) out[j * cols + i] = v;
            }
        }
        return out;
    }

    /** {@code sum (x - a)} over the rows: {@code n (mean - a)}. */
    public double[] sumAbout(double[] a) {
        flush();
        double[] out = new double[dim];
        for (int i = 0; i < dim; i++) out[i] = n == 0 ? 0 : sum[i] + n * (pilot[i] - a[i]);
        return out;
    }

    /**
     * {@code sum (x - a)(x - a)^T} over the rows, the full symmetric {@code dim x dim} matrix: the second
     * moment about any point, e.g. the uncentred one about 0. About the pilot it is the sums as kept.
     */
    public double[] secondMomentAbout(double[] a) {
        flush();
        double[] out = new double[dim * dim];
        if (n == 0) return out;
        double[] d = difference(pilot, a);
        addShifted(out, gram, sum, d, sum, d, n, dim, dim, true);
        for (int i = 0; i < dim; i++) {
            for (int j = 0; j < i; j++) out[i * dim + j] = out[j * dim + i];
        }
        return out;
    }

    /** {@code sum x y^T} over the rows (uncentred), {@code dim x targets}, row-major. */
    public double[] crossMomentAboutZero() {
        double[] out = crossScatter();
        if (n == 0) return out;
        double[] mx = mean(), my = targetMean();
        for (int i = 0; i < dim; i++) for (int k = 0; k < targets; k++) out[i * targets + k] += n * mx[i] * my[k];
        return out;
    }

    /** {@code sum y y^T} over the rows (uncentred), the full symmetric {@code targets x targets} matrix. */
    public double[] targetMomentAboutZero() {
        double[] out = targetScatter();
        if (n == 0) return out;
        double[] my = targetMean();
        for (int k = 0; k < targets; k++) for (int l = 0; l < targets; l++) out[k * targets + l] += n * my[k] * my[l];
        return out;
    }

    /** The pilot the sums are kept about (null before the first row). */
    public double[] pilot() {
        flush();
        return pilot == null ? null : pilot.clone();
    }

    private void writeObject(ObjectOutputStream out) throws IOException {
        flush();
        out.defaultWriteObject();
        writeUpper(out, gram, dim);
        for (double v : cross) out.writeDouble(v);
        writeUpper(out, targetGram, targets);
    }

    private void readObject(ObjectInputStream in) throws IOException, ClassNotFoundException {
        in.defaultReadObject();
        allocate();
        readUpper(in, gram, dim);
        for (int i = 0; i < cross.length; i++) cross[i] = in.readDouble();
        readUpper(in, targetGram, targets);
    }

    private static void writeUpper(ObjectOutputStream out, double[] g, int d) throws IOException {
        for (int i = 0; i < d; i++) {
            for (int j = i; j < d; j++) out.writeDouble(g[i * d + j]);
        }
    }

    private static void readUpper(ObjectInputStream in, double[] g, int d) throws IOException {
        for (int i = 0; i < d; i++) {
            for (int j = i; j < d; j++) g[i * d + j] = in.readDouble();
        }
    }

    @Override
    public String toString() {
        flush();
        return "Moments[n=" + n + ", dim=" + dim + ", targets=" + targets + ", mean~" + Arrays.toString(
                Arrays.copyOf(mean(), Math.min(dim, 3))) + "]";
    }
}
