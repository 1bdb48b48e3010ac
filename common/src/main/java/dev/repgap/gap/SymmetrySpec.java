package dev.repgap.gap;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.StringJoiner;

/**
 * One {@code --symmetry} spec read into the generators it stands for (signed permutations, see
 * {@link SignedPermutation}) and a short label for descriptions. The grammar is documented on
 * {@link SymmetryGroup}.
 */
record SymmetrySpec(String label, List<int[]> generators) {

    private static final String KINDS =
            "perm:(a b ...)(...), sign:i,j,..., shift[:S], hflip, vflip, rot90 or translate[:S]";

    static SymmetrySpec parse(String spec, int dim, int[] imageShape) {
        if (spec == null || spec.isBlank()) throw new IllegalArgumentException("empty --symmetry; expected " + KINDS);
        String text = spec.trim();
        int colon = text.indexOf(':');
        String kind = (colon < 0 ? text : text.substring(0, colon)).trim().toLowerCase(Locale.ROOT);
        String arg = colon < 0 ? null : text.substring(colon + 1).trim();
        return switch (kind) {
            case "perm" -> permutation(spec, arg, dim);
            case "sign" -> signFlips(spec, arg, dim);
            case "shift" -> shift(spec, arg, dim);
            case "hflip", "vflip", "rot90" -> {
                if (arg != null) throw bad(spec, kind + " takes no argument");
                yield imageFlipOrRotation(spec, kind, new Image(spec, imageShape, dim));
            }
            case "translate" -> translate(spec, arg, new Image(spec, imageShape, dim));
            default -> throw bad(spec, "unknown kind '" + kind + "'; expected " + KINDS);
        };
    }

    private static SymmetrySpec permutation(String spec, String arg, int dim) {
        if (arg == null || arg.isEmpty()) throw bad(spec, "expected cycles after 'perm:', e.g. perm:(0 2 4)(1 3 5)");
        int[] g = SignedPermutation.identity(dim);
        boolean[] seen = new boolean[dim];
        StringBuilder label = new StringBuilder("perm");
        int pos = 0;
        while (pos < arg.length()) {
            if (Character.isWhitespace(arg.charAt(pos))) {
                pos++;
                continue;
            }
            int close = arg.indexOf(')', pos);
            if (arg.charAt(pos) != '(' || close < 0) {
                throw bad(spec, "expected cycles in parentheses like (0 2 4)(1 3 5), at '" + arg.substring(pos) + "'");
            }
            String body = arg.substring(pos + 1, close).trim();
            if (body.isEmpty() || body.indexOf('(') >= 0) throw bad(spec, "cycle '(" + body + ")' is empty or not closed");
            String[] tokens = body.split("[\\s,]+");
            int[] cycle = new int[tokens.length];
            StringJoiner written = new StringJoiner(" ", "(", ")");
            for (int k = 0; k < tokens.length; k++) {
                cycle[k] = coordinate(spec, tokens[k], dim);
                if (seen[cycle[k]]) {
                    throw bad(spec, "coordinate " + cycle[k] + " appears twice; the cycles of one perm must be"
                            + " disjoint (give a second --symmetry to combine permutations)");
                }
                seen[cycle[k]] = true;
                written.add(Integer.toString(cycle[k]));
            }
            // (a b c): the value at a moves to b, b's to c, c's to a.
            for (int k = 0; k < cycle.length; k++) g[cycle[(k + 1) % cycle.length]] = cycle[k];
            label.append(written);
            pos = close + 1;
        }
        return new SymmetrySpec(label.toString(), List.of(g));
    }

    private static SymmetrySpec signFlips(String spec, String arg, int dim) {
        if (arg == null || arg.isEmpty()) throw bad(spec, "expected coordinates after 'sign:', e.g. sign:0,3,5");
        boolean[] seen = new boolean[dim];
        List<int[]> generators = new ArrayList<>();
        StringJoiner label = new StringJoiner(",", "sign(", ")");
        for (String token : arg.split("[\\s,]+")) {
            int c = coordinate(spec, token, dim);
            if (seen[c]) throw bad(spec, "coordinate " + c + " is listed twice");
            seen[c] = true;
            int[] g = SignedPermutation.identity(dim);
            g[c] = SignedPermutation.negatedEntry(c);
            generators.add(g);
            label.add(Integer.toString(c));
        }
        return new SymmetrySpec(label.toString(), generators);
    }

    private static SymmetrySpec shift(String spec, String arg, int dim) {
        int step = step(spec, arg, "shift");
        if (dim % step != 0) throw bad(spec, "step " + step + " does not divide the dimension " + dim);
        int[] g = new int[dim];
        for (int i = 0; i < dim; i++) g[i] = Math.floorMod(i - step, dim); // np.roll(x, step)
        return new SymmetrySpec(step == 1 ? "shift" : "shift(" + step + ")", List.of(g));
    }

    private static SymmetrySpec imageFlipOrRotation(String spec, String kind, Image im) {
        if (kind.equals("rot90") && im.height != im.width) {
            throw bad(spec, "rot90 needs a square image, got " + im);
        }
        int[] g = new int[im.height * im.width * im.channels];
        for (int h = 0; h < im.height; h++) {
            for (int w = 0; w < im.width; w++) {
                for (int c = 0; c < im.channels; c++) {
                    g[im.index(h, w, c)] = switch (kind) {
                        case "hflip" -> im.index(h, im.width - 1 - w, c);
                        case "vflip" -> im.index(im.height - 1 - h, w, c);
                        default -> im.index(w, im.width - 1 - h, c); // np.rot90: out[h, w] = in[w, W-1-h]
                    };
                }
            }
        }
        return new SymmetrySpec(kind, List.of(g));
    }

    private static SymmetrySpec translate(String spec, String arg, Image im) {
        int step = step(spec, arg, "translate");
        if (im.height % step != 0 || im.width % step != 0) {
            throw bad(spec, "step " + step + " does not divide both the height and the width of " + im);
        }
        int[] down = new int[im.height * im.width * im.channels];
        int[] right = new int[down.length];
        for (int h = 0; h < im.height; h++) {
            for (int w = 0; w < im.width; w++) {
                for (int c = 0; c < im.channels; c++) {
                    down[im.index(h, w, c)] = im.index(Math.floorMod(h - step, im.height), w, c);
                    right[im.index(h, w, c)] = im.index(h, Math.floorMod(w - step, im.width), c);
                }
            }
        }
        return new SymmetrySpec(step == 1 ? "translate" : "translate(" + step + ")", List.of(down, right));
    }

    private static int step(String spec, String arg, String kind) {
        if (arg == null) return 1;
        try {
            int step = Integer.parseInt(arg);
            if (step >= 1) return step;
        } catch (NumberFormatException e) {
            // reported below
        }
        throw bad(spec, "expected " + kind + " or " + kind + ":S with S a positive whole number, got '" + arg + "'");
    }

    private static int coordinate(String spec, String token, int dim) {
        int c;
        try {
            c = Integer.parseInt(token);
        } catch (NumberFormatException e) {
            throw bad(spec, "'" + token + "' is not a coordinate (a whole number from 0 to " + (dim - 1) + ")");
        }
        if (c < 0 || c >= dim) {
            throw bad(spec, "coordinate " + c + " is out of range for dimension " + dim + " (0 to " + (dim - 1) + ")");
        }
        return c;
    }

    static IllegalArgumentException bad(String spec, String what) {
        return new IllegalArgumentException("--symmetry '" + spec + "': " + what);
    }

    /** An H x W x C image stored row-major with the channel innermost (NumPy HWC reshape(-1)). */
    private record Image(int height, int width, int channels) {

        Image(String spec, int[] shape, int dim) {
            this(checked(spec, shape, dim)[0], shape[1], shape[2]);
        }

        private static int[] checked(String spec, int[] shape, int dim) {
            if (shape == null) {
                throw bad(spec, "an image symmetry needs the image shape H x W x C (--image-shape), and none was given");
            }
            if (shape.length != 3 || shape[0] < 1 || shape[1] < 1 || shape[2] < 1) {
                throw bad(spec, "the image shape must be three positive numbers H x W x C");
            }
            if ((long) shape[0] * shape[1] * shape[2] != dim) {
                throw bad(spec, "image shape " + shape[0] + "x" + shape[1] + "x" + shape[2] + " has "
                        + (long) shape[0] * shape[1] * shape[2] + " values, but the vectors have dimension " + dim);
            }
            return shape;
        }

        int index(int h, int w, int c) {
            return (h * width + w) * channels + c;
        }

        @Override
        public String toString() {
            return height + "x" + width + "x" + channels;
        }
    }
}
