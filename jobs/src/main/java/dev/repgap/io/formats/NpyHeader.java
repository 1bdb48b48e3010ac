package dev.repgap.io.formats;

import java.io.IOException;
import java.io.InputStream;
import java.io.Serializable;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The header of a .npy file (format versions 1.0, 2.0 and 3.0): the magic, the version, the
 * header length and a Python dict literal with 'descr', 'fortran_order' and 'shape'.
 */
final class NpyHeader implements Serializable {

    private static final long serialVersionUID = 1L;
    private static final byte[] MAGIC = {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y'};
    /** Far above what any real header needs; guards against allocating a garbage length. */
    private static final int MAX_HEADER_BYTES = 16 << 20;

    /** Exactly one of descr and structuredDescr is set: a dtype string or a field list. */
    final String descr;
    final Object structuredDescr;
    final boolean fortranOrder;
    final long[] shape;
    final long dataOffset;

    private NpyHeader(String descr, Object structuredDescr, boolean fortranOrder, long[] shape,
            long dataOffset) {
        this.descr = descr;
        this.structuredDescr = structuredDescr;
        this.fortranOrder = fortranOrder;
        this.shape = shape;
        this.dataOffset = dataOffset;
    }

    /** Reads the header from in, positioned at the start of the file. */
    static NpyHeader read(String path, InputStream in) throws IOException {
        byte[] start = new byte[MAGIC.length + 2];
        int got = readUpTo(in, start);
        if (got < MAGIC.length || !startsWithMagic(start)) {
            throw new InputFormatException(path, "not a .npy file: expected it to start with "
                    + "\\x93NUMPY, found " + printable(start, got) + zipHint(start, got));
        }
        if (got < start.length) {
            throw new InputFormatException(path, "truncated .npy file: it ends inside the header");
        }
        int major = start[6] & 0xff;
        int minor = start[7] & 0xff;
        if (minor != 0 || major < 1 || major > 3) {
            throw new InputFormatException(path, "unsupported .npy format version " + major + "."
                    + minor + " (expected 1.0, 2.0 or 3.0)");
        }
        byte[] lengthBytes = new byte[major == 1 ? 2 : 4];
        if (readUpTo(in, lengthBytes) < lengthBytes.length) {
            throw new InputFormatException(path, "truncated .npy file: it ends inside the header");
        }
        long headerLength = 0;
        for (int i = lengthBytes.length - 1; i >= 0; i--) {
            headerLength = headerLength << 8 | (lengthBytes[i] & 0xff); // little-endian
        }
        if (headerLength > MAX_HEADER_BYTES) {
            throw new InputFormatException(path, "implausible .npy header length " + headerLength
                    + " bytes; the file is probably corrupt");
        }
        byte[] header = new byte[(int) headerLength];
        int headerGot = readUpTo(in, header);
        if (headerGot < header.length) {
            throw new InputFormatException(path, "truncated .npy file: the header should be "
                    + headerLength + " bytes but the file ends after " + headerGot + " of them");
        }
        // versions 1.0 and 2.0 write the header in latin-1, 3.0 in UTF-8
        String text = new String(header, major == 3 ? StandardCharsets.UTF_8 : StandardCharsets.ISO_8859_1);
        return parse(path, text, MAGIC.length + 2 + lengthBytes.length + headerLength);
    }

    private static NpyHeader parse(String path, String text, long dataOffset) throws IOException {
        Object literal;
        try {
            literal = PythonLiteral.parse(text);
        } catch (IllegalArgumentException e) {
            throw malformed(path, e.getMessage(), text);
        }
        if (!(literal instanceof Map<?, ?> dict)) {
            throw malformed(path, "expected a dict", text);
        }
        Object descr = dict.get("descr");
        Object fortranOrder = dict.get("fortran_order");
        Object shape = dict.get("shape");
        if (descr == null || !(fortranOrder instanceof Boolean) || !(shape instanceof List<?> dims)) {
            throw malformed(path, "expected keys 'descr', 'fortran_order' (True or False) and 'shape' "
                    + "(a tuple of integers)", text);
        }
        long[] sizes = new long[dims.size()];
        for (int i = 0; i < sizes.length; i++) {
            if (!(dims.get(i) instanceof Long size) || size < 0) {
                throw malformed(path, "'shape' must be a tuple of non-negative integers", text);
            }
            sizes[i] = size;
        }
        return descr instanceof String simple
                ? new NpyHeader(simple, null, (Boolean) fortranOrder, sizes, dataOffset)
                : new NpyHeader(null, descr, (Boolean) fortranOrder, sizes, dataOffset);
    }

    /** The shape as Python prints it: (10,) or (10, 3, 4). */
    String shapeText() {
        List<String> dims = new ArrayList<>();
        for (long size : shape) {
            dims.add(Long.toString(size));
        }
        return "(" + String.join(", ", dims) + (shape.length == 1 ? ",)" : ")");
    }

    private static InputFormatException malformed(String path, String problem, String text) {
        String shown = text.strip();
        if (shown.length() > 200) {
            shown = shown.substring(0, 200) + "...";
        }
        return new InputFormatException(path, "malformed .npy header (" + problem + "): " + shown);
    }

    private static boolean startsWithMagic(byte[] start) {
        for (int i = 0; i < MAGIC.length; i++) {
            if (start[i] != MAGIC[i]) {
                return false;
            }
        }
        return true;
    }

    private static String printable(byte[] bytes, int count) {
        if (count == 0) {
            return "an empty file";
        }
        StringBuilder out = new StringBuilder("'");
        for (int i = 0; i < Math.min(count, MAGIC.length); i++) {
            int b = bytes[i] & 0xff;
            out.append(b >= 0x20 && b < 0x7f ? String.valueOf((char) b) : String.format("\\x%02x", b));
        }
        return out.append("'").toString();
    }

    private static String zipHint(byte[] start, int count) {
        return count >= 2 && start[0] == 'P' && start[1] == 'K'
                ? " (this looks like a zip archive such as .npz: extract its .npy files first)" : "";
    }

    /** Reads until buf is full or the stream ends; returns the bytes read. */
    private static int readUpTo(InputStream in, byte[] buf) throws IOException {
        int got = 0;
        while (got < buf.length) {
            int n = in.read(buf, got, buf.length - got);
            if (n < 0) {
                break;
            }
            got += n;
        }
        return got;
    }
}
