package dev.repgap.io.formats;

import java.io.Serializable;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** A simple (non-structured) NumPy dtype as written in a .npy header, e.g. '<f4', '|b1', '>U12'. */
record NpyDtype(String descr, boolean bigEndian, char kind, int itemSize) implements Serializable {

    private static final Pattern DESCR = Pattern.compile("([<>|=]?)([a-zA-Z])(\\d*)");

    /** The dtype for descr, or null when descr is not a simple dtype (datetime units, subarrays...). */
    static NpyDtype parse(String descr) {
        Matcher m = DESCR.matcher(descr);
        if (!m.matches() || m.group(3).isEmpty()) {
            return null;
        }
        char kind = m.group(2).charAt(0);
        int count;
        try {
            count = Integer.parseInt(m.group(3));
        } catch (NumberFormatException e) {
            return null;
        }
        if (kind == 'U' && count > Integer.MAX_VALUE / 4) {
            return null;
        }
        // numpy never writes '=' in a header; taking it as this machine's order is what numpy does
        boolean bigEndian = m.group(1).equals(">")
                || m.group(1).equals("=") && ByteOrder.nativeOrder() == ByteOrder.BIG_ENDIAN;
        return new NpyDtype(descr, bigEndian, kind, kind == 'U' ? count * 4 : count);
    }

    ByteOrder order() {
        return bigEndian ? ByteOrder.BIG_ENDIAN : ByteOrder.LITTLE_ENDIAN;
    }

    boolean isVectorFloat() {
        return kind == 'f' && (itemSize == 4 || itemSize == 8);
    }

    /** The column kind of a 1-D array of this dtype, or null when labels cannot have it. */
    FileColumn.Kind labelKind() {
        switch (kind) {
            case 'i': return sizeIn(1, 2, 4, 8) ? FileColumn.Kind.LONG : null;
            case 'u': return sizeIn(1, 2, 4, 8) ? FileColumn.Kind.LONG : null;
            case 'b': return itemSize == 1 ? FileColumn.Kind.LONG : null;
            case 'f': return sizeIn(4, 8) ? FileColumn.Kind.DOUBLE : null;
            case 'U': return itemSize > 0 ? FileColumn.Kind.STRING : null;
            default: return null;
        }
    }

    /** NumPy's name for the dtype, for messages. */
    String describe() {
        switch (kind) {
            case 'i': return "int" + itemSize * 8;
            case 'u': return "uint" + itemSize * 8;
            case 'f': return "float" + itemSize * 8;
            case 'c': return "complex" + itemSize * 8;
            case 'b': return "bool";
            case 'U': return "unicode string of " + itemSize / 4 + " characters";
            case 'S': return "byte string of " + itemSize + " bytes";
            case 'O': return "Python object";
            case 'V': return "raw bytes (void)";
            default: return "kind '" + kind + "'";
        }
    }

    /**
     * The label at byte offset at of buf, whose byte order must be order(): Long, Double or String.
     *
     * @throws IllegalArgumentException when the value cannot be represented
     */
    Object label(ByteBuffer buf, int at) {
        switch (kind) {
            case 'b': return buf.get(at) != 0 ? 1L : 0L;
            case 'i': return signed(buf, at);
            case 'u': return unsigned(buf, at);
            case 'f': return itemSize == 4 ? (double) buf.getFloat(at) : buf.getDouble(at);
            default: return string(buf, at);
        }
    }

    private long signed(ByteBuffer buf, int at) {
        switch (itemSize) {
            case 1: return buf.get(at);
            case 2: return buf.getShort(at);
            case 4: return buf.getInt(at);
            default: return buf.getLong(at);
        }
    }

    private long unsigned(ByteBuffer buf, int at) {
        switch (itemSize) {
            case 1: return Byte.toUnsignedLong(buf.get(at));
            case 2: return Short.toUnsignedLong(buf.getShort(at));
            case 4: return Integer.toUnsignedLong(buf.getInt(at));
            default:
                long value = buf.getLong(at);
                if (value < 0) {
                    throw new IllegalArgumentException("uint64 value " + Long.toUnsignedString(value)
                            + " does not fit in a signed 64-bit integer");
                }
                return value;
        }
    }

    /** UTF-32 code points, NUL-padded at the end as NumPy stores them. */
    private String string(ByteBuffer buf, int at) {
        int[] codePoints = new int[itemSize / 4];
        int length = 0;
        for (int i = 0; i < codePoints.length; i++) {
            codePoints[i] = buf.getInt(at + 4 * i);
            if (codePoints[i] != 0) {
                length = i + 1;
            }
        }
        for (int i = 0; i < length; i++) {
            if (!Character.isValidCodePoint(codePoints[i])) {
                throw new IllegalArgumentException(
                        "invalid character code 0x" + Integer.toHexString(codePoints[i]) + " in a unicode string");
            }
        }
        return new String(codePoints, 0, length);
    }

    private boolean sizeIn(int... sizes) {
        for (int size : sizes) {
            if (itemSize == size) {
                return true;
            }
        }
        return false;
    }
}
