package dev.repgap.cli;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;

/** Writes .npy files as {@code numpy.save} does (version 1.0, C order, little-endian), for tests of imports. */
final class Npy {
    private Npy() {}

    /** A float32 matrix: {@code rows} x {@code dim}, a seeded Gaussian in a {@code rank}-dimensional subspace. */
    static Path gaussian(Path file, int rows, int dim, int rank, long seed) throws IOException {
        Random r = new Random(seed);
        double[][] basis = new double[rank][dim];
        for (double[] b : basis) for (int j = 0; j < dim; j++) b[j] = r.nextGaussian();
        ByteBuffer data = ByteBuffer.allocate(4 * rows * dim).order(ByteOrder.LITTLE_ENDIAN);
        for (int i = 0; i < rows; i++) {
            double[] x = new double[dim];
            for (double[] b : basis) {
                double c = r.nextGaussian();
                for (int j = 0; j < dim; j++) x[j] += c * b[j];
            }
            for (double v : x) data.putFloat((float) v);
        }
        return write(file, "<f4", "(" + rows + ", " + dim + ")", data.array());
    }

    /** A 1-D int64 array. */
    static Path longs(Path file, long... values) throws IOException {
        ByteBuffer data = ByteBuffer.allocate(8 * values.length).order(ByteOrder.LITTLE_ENDIAN);
        for (long v : values) data.putLong(v);
        return write(file, "<i8", "(" + values.length + ",)", data.array());
    }

    static Path write(Path file, String descr, String shape, byte[] data) throws IOException {
        StringBuilder header = new StringBuilder("{'descr': '" + descr + "', 'fortran_order': False, 'shape': " + shape + ", }");
        while ((10 + header.length() + 1) % 64 != 0) header.append(' ');
        header.append('\n');
        byte[] h = header.toString().getBytes(StandardCharsets.US_ASCII);
        ByteBuffer out = ByteBuffer.allocate(10 + h.length + data.length).order(ByteOrder.LITTLE_ENDIAN);
        out.put((byte) 0x93).put("NUMPY".getBytes(StandardCharsets.US_ASCII)).put((byte) 1).put((byte) 0);
        out.putShort((short) h.length).put(h).put(data);
        Files.write(file, out.array());
        return file;
    }
}
