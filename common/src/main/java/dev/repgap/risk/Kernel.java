package dev.repgap.risk;

import dev.repgap.knn.ExactDistance;
import java.io.Serializable;
import java.util.Locale;

/**
 * A kernel of kernel ridge regression other than the linear one, evaluated exactly (double arithmetic on the float32
 * values, as {@link ExactDistance}):
 * <ul>
 *   <li>{@code rbf[:gamma]}: {@code exp(-gamma ||x - y||^2)}; default gamma {@code 1 / (p var(X))}, with var(X) the
 *       variance of all entries of the training rows (scikit-learn's {@code gamma="scale"});</li>
 *   <li>{@code laplace[:gamma]}: {@code exp(-gamma ||x - y||_1)} (scikit-learn's {@code laplacian_kernel}); default
 *       gamma {@code 1 / (p sd(X))}, the same scale rule for a distance that is not squared;</li>
 *   <li>{@code cosine}: {@code x.y / (||x|| ||y||)}, 0 where a row is 0 (scikit-learn's {@code cosine_similarity}).</li>
 * </ul>
 *
 * @param gamma the scale; NaN: the default, set from the training rows by {@link #scaledTo}
 */
public record Kernel(Type type, double gamma) implements Serializable {
    private static final long serialVersionUID = 1L;

    /** The kernels {@code --kernel} names. */
    public enum Type { LINEAR, RBF, LAPLACE, COSINE }

    public static final Kernel LINEAR = new Kernel(Type.LINEAR, Double.NaN);

    /** {@code linear}, {@code cosine}, {@code rbf}, {@code rbf:GAMMA}, {@code laplace} or {@code laplace:GAMMA}. */
    public static Kernel parse(String spec) {
        String s = spec.trim().toLowerCase(Locale.ROOT);
        int colon = s.indexOf(':');
        String name = colon < 0 ? s : s.substring(0, colon);
        Type type = switch (name) {
            case "linear" -> Type.LINEAR;
            case "rbf" -> Type.RBF;
            case "laplace" -> Type.LAPLACE;
            case "cosine" -> Type.COSINE;
            default -> throw new IllegalArgumentException("unknown kernel '" + spec + "': expected linear, rbf[:gamma],"
                    + " laplace[:gamma] or cosine");
        };
        double gamma = Double.NaN;
        if (colon >= 0) {
            if (type == Type.LINEAR || type == Type.COSINE) {
                throw new IllegalArgumentException("kernel " + name + " takes no gamma, got '" + spec + "'");
            }
            try {
                gamma = Double.parseDouble(s.substring(colon + 1));
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("kernel '" + spec + "': gamma is not a number");
            }
            if (!(gamma > 0) || Double.isInfinite(gamma)) {
                throw new IllegalArgumentException("kernel '" + spec + "': gamma must be finite and > 0");
            }
        }
        return new Kernel(type, gamma);
    }

    /** This kernel with its default gamma set from the training rows {@code x} ({@code rows} x {@code p}) when unset. */
    public Kernel scaledTo(float[] x, int rows, int p) {
        if (!Double.isNaN(gamma) || type == Type.LINEAR || type == Type.COSINE) return this;
        double sum = 0, sum2 = 0;
        long count = (long) rows * p;
        for (long i = 0; i < count; i++) sum += x[(int) i];
        double mean = sum / count;
        for (long i = 0; i < count; i++) {
            double d = x[(int) i] - mean;
            sum2 += d * d;
        }
        double var = sum2 / count;
        double g = type == Type.RBF ? 1 / (p * var) : 1 / (p * Math.sqrt(var));
        return new Kernel(type, g > 0 && Double.isFinite(g) ? g : 1.0 / p);
    }

    /**
     * {@code out[i * bRows + j] = k(a_i, b_j)} for rows {@code aFrom..aTo} of {@code a} against rows {@code bFrom..bTo}
     * of {@code b} ({@code p} values per row), written from {@code out[0]} with {@code bTo - bFrom} values per a-row.
     */
    public void block(float[] a, int aFrom, int aTo, float[] b, int bFrom, int bTo, int p, double[] out) {
        int width = bTo - bFrom;
        double[] bNorm = type == Type.COSINE ? norms(b, bFrom, bTo, p) : null;
        for (int i = aFrom; i < aTo; i++) {
            int row = (i - aFrom) * width;
            double aNorm = type == Type.COSINE ? Math.sqrt(dot(a, i * p, a, i * p, p)) : 0;
            for (int j = bFrom; j < bTo; j++) {
                out[row + j - bFrom] = switch (type) {
                    case LINEAR -> dot(a, i * p, b, j * p, p);
                    case RBF -> Math.exp(-gamma * ExactDistance.squared(a, i * p, b, j * p, p));
                    case LAPLACE -> Math.exp(-gamma * ExactDistance.l1(a, i * p, b, j * p, p));
                    case COSINE -> {
                        double d = aNorm * bNorm[j - bFrom];
                        yield d > 0 ? dot(a, i * p, b, j * p, p) / d : 0;
                    }
                };
            }
        }
    }

    /** As {@code --kernel} takes it: {@code rbf}, {@code rbf:0.5}, {@code cosine}. */
    public String spec() {
        String name = type.name().toLowerCase(Locale.ROOT);
        return Double.isNaN(gamma) ? name : name + ":" + gamma;
    }

    /** How a result row names it: {@code rbf (gamma=0.0123)}. */
    public String describe() {
        return switch (type) {
            case LINEAR -> "linear";
            case COSINE -> "cosine";
            default -> type.name().toLowerCase(Locale.ROOT) + String.format(Locale.ROOT, " (gamma=%.6g)", gamma);
        };
    }

    private static double[] norms(float[] x, int from, int to, int p) {
        double[] out = new double[to - from];
        for (int i = from; i < to; i++) out[i - from] = Math.sqrt(dot(x, i * p, x, i * p, p));
        return out;
    }

    private static double dot(float[] x, int xOffset, float[] y, int yOffset, int p) {
        double s = 0;
        for (int i = 0; i < p; i++) s += (double) x[xOffset + i] * (double) y[yOffset + i];
        return s;
    }
}
