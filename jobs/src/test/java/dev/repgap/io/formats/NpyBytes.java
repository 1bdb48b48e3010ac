package dev.repgap.io.formats;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;

/** Builds .npy files byte by byte, following the format's padding rules, for the tests. */
final class NpyBytes {

    private NpyBytes() {}

    /** The header dict as NumPy writes it. */
    static String dict(String descr, boolean fortranOrder, String shape) {
        return "{'descr': '" + descr + "', 'fortran_order': " + (fortranOrder ? "True" : "False")
                + ", 'shape': " + shape + ", }";
    }

    /** A file of the given version whose preamble and header end on a multiple of 64 bytes. */
    static byte[] npy(int major, String dict, byte[] data) {
        return npy(major, dict, data, 64);
    }

    /** As {@link #npy(int, String, byte[])} with another alignment (NumPy before 1.9 used 16). */
    static byte[] npy(int major, String dict, byte[] data, int alignment) {
        byte[] text = dict.getBytes(major == 3 ? StandardCharsets.UTF_8 : StandardCharsets.ISO_8859_1);
        int lengthBytes = major == 1 ? 2 : 4;
        int unpadded = 6 + 2 + lengthBytes + text.length + 1;
        int pad = (alignment - unpadded % alignment) % alignment;
        int headerLength = text.length + pad + 1;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(new byte[] {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y', (byte) major, 0});
        ByteBuffer length = ByteBuffer.allocate(lengthBytes).order(ByteOrder.LITTLE_ENDIAN);
        if (major == 1) {
            length.putShort((short) headerLength);
        } else {
            length.putInt(headerLength);
        }
        out.writeBytes(length.array());
        out.writeBytes(text);
        out.writeBytes(" ".repeat(pad).getBytes(StandardCharsets.US_ASCII));
        out.write('\n');
        out.writeBytes(data);
        return out.toByteArray();
    }

    static byte[] floats(ByteOrder order, float... values) {
        ByteBuffer buf = ByteBuffer.allocate(values.length * 4).order(order);
        for (float v : values) {
            buf.putFloat(v);
        }
        return buf.array();
    }

    static byte[] doubles(ByteOrder order, double... values) {
        ByteBuffer buf = ByteBuffer.allocate(values.length * 8).order(order);
        for (double v : values) {
            buf.putDouble(v);
        }
        return buf.array();
    }

    /** Each value in size bytes (1, 2, 4 or 8), truncated as a C cast would. */
    static byte[] ints(ByteOrder order, int size, long... values) {
        ByteBuffer buf = ByteBuffer.allocate(values.length * size).order(order);
        for (long v : values) {
            switch (size) {
                case 1 -> buf.put((byte) v);
                case 2 -> buf.putShort((short) v);
                case 4 -> buf.putInt((int) v);
                default -> buf.putLong(v);
            }
        }
        return buf.array();
    }

    /** NumPy's '<U n' / '>U n': n UTF-32 code units per string, NUL-padded. */
    static byte[] unicode(ByteOrder order, int n, String... values) {
        ByteBuffer buf = ByteBuffer.allocate(values.length * n * 4).order(order);
        for (String v : values) {
            int[] cps = v.codePoints().toArray();
            for (int i = 0; i < n; i++) {
                buf.putInt(i < cps.length ? cps[i] : 0);
            }
        }
        return buf.array();
    }
}
