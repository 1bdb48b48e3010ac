package dev.repgap.gap;

/**
 * A signed permutation of D coordinates as one int per output coordinate: entry {@code e} at
 * position i means {@code (g x)[i] = x[e]} when {@code e >= 0} and {@code (g x)[i] = -x[~e]} when
 * {@code e < 0}. One array holds both the permutation and the signs, so a group of order n over
 * D coordinates is one int[n * D].
 */
final class SignedPermutation {

    private SignedPermutation() {
    }

    static int negatedEntry(int source) {
        return ~source;
    }

    /** The source coordinate of an entry: {@code e} or {@code ~e}, without a branch. */
    static int source(int entry) {
        return entry ^ (entry >> 31);
    }

    static int[] identity(int dim) {
        int[] e = new int[dim];
        for (int i = 0; i < dim; i++) e[i] = i;
        return e;
    }

    /** {@code g h}: first h, then g. {@code (g(h x))[i] = s_g[i] s_h[p_g[i]] x[p_h[p_g[i]]]}. */
    static int[] compose(int[] g, int[] h) {
        int[] gh = new int[g.length];
        for (int i = 0; i < g.length; i++) {
            int eg = g[i];
            int eh = h[source(eg)];
            // Negative exactly when one of the two entries is: the two sign bits multiply.
            gh[i] = source(eh) ^ ((eg ^ eh) >> 31);
        }
        return gh;
    }
}
