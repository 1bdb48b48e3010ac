package dev.repgap.risk;

import dev.repgap.knn.ExactDistance;
import dev.ludovic.netlib.blas.BLAS;
import java.io.Serializable;
import java.util.Locale;

/**
 * A kernel of kernel ridge regression, in double arithmetic on the float32 values (see {@link #block}):
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
        int count = rows * p;
        for (int i = 0; i < count; i++) sum += x[i];
        double mean = sum / count;
        for (int i = 0; i < count; i++) {
            double d = x[i] - mean;
            sum2 += d * d;
        }
        double var = sum2 / count;
        double g = type == Type.RBF ? 1 / (p * var) : 1 / (p * Math.sqrt(var));
        return new Kernel(type, g > 0 && Double.isFinite(g) ? g : 1.0 / p);
    }

    /**
     * {@code out[i * bRows + j] = k(a_i, b_j)} for rows {@code aFrom..aTo} of {@code a} against rows {@code bFrom..bTo}
     * of {@code b} ({@code p} values per row), written from {@code out[0]} with {@code bTo - bFrom} values per a-row.
     * The inner products (linear, cosine, and rbf through {@code ||x - y||^2 = ||x||^2 + ||y||^2 - 2 x.y}, as
     * scikit-learn computes it) come from one double matrix product; l1 distances pair by pair
     * ({@link ExactDistance#l1}).
     */
    public void block(float[] a, int aFrom, int aTo, float[] b, int bFrom, int bTo, int p, double[] out) {
        int rows = aTo - aFrom, width = bTo - bFrom;
        if (type == Type.LAPLACE) {
            for (int i = aFrom; i < aTo; i++) {
                for (int j = bFrom; j < bTo; j++) {
                    out[(i - aFrom) * width + j - bFrom] = Math.exp(-gamma * ExactDistance.l1(a, i * p, b, j * p, p));
                }
            }
            return;
        }
        double[] x = doubles(a, aFrom, aTo, p), y = doubles(b, bFrom, bTo, p);
        double[] dots = new double[rows * width]; // column-major rows x width: dots[i + j * rows] = a_i . b_j
        BLAS.getInstance().dgemm("T", "N", rows, width, p, 1.0, x, p, y, p, 0.0, dots, rows);
        double[] xn = type == Type.LINEAR ? null : squaredNorms(x, rows, p), yn = type == Type.LINEAR ? null : squaredNorms(y, width, p);
        for (int i = 0; i < rows; i++) {
            for (int j = 0; j < width; j++) {
                double d = dots[i + j * rows];
                out[i * width + j] = switch (type) {
                    case LINEAR -> d;
                    case RBF -> Math.exp(-gamma * Math.max(0, xn[i] + yn[j] - 2 * d));
                    case COSINE -> xn[i] > 0 && yn[j] > 0 ? d / Math.sqrt(xn[i] * yn[j]) : 0;
                    case LAPLACE -> throw new AssertionError();
                };
            }
        }
    }

    private static double[] doubles(float[] v, int from, int to, int p) {
        double[] out = new double[(to - from) * p];
        for (int i = 0; i < out.length; i++) out[i] = v[from * p + i];
        return out;
    }

    private static double[] squaredNorms(double[] v, int rows, int p) {
        double[] out = new double[rows];
        for (int i = 0; i < rows; i++) {
            double s = 0;
            for (int k = 0; k < p; k++) s += v[i * p + k] * v[i * p + k];
            out[i] = s;
        }
        return out;
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
}
