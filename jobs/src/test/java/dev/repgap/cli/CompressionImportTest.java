package dev.repgap.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.repgap.compression.JacobianSpectrum;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code import --npy X.npy --sources S.npy}: the source ids land in column 'source', which compression reads. */
class CompressionImportTest {
    @TempDir Path tmp;

    @Test
    void importedSourcesFeedCompression() throws Exception {
        int sources = 3, m = 20, d = 6;
        double sigma = 0.5;
        SplittableRandom rng = new SplittableRandom(4);
        float[][] x = new float[sources * m][d];
        long[] ids = new long[sources * m];
        ByteBuffer data = ByteBuffer.allocate(4 * sources * m * d).order(ByteOrder.LITTLE_ENDIAN);
        for (int i = 0; i < sources * m; i++) {
            ids[i] = 100 + (i % sources); // interleaved: copies of one source are not contiguous
            for (int j = 0; j < d; j++) {
                x[i][j] = (float) (ids[i] + rng.nextGaussian() * (1 + j));
                data.putFloat(x[i][j]);
            }
        }
        Path xs = Npy.write(tmp.resolve("x.npy"), "<f4", "(" + sources * m + ", " + d + ")", data.array());
        Path ss = Npy.longs(tmp.resolve("s.npy"), ids);
        Path out = tmp.resolve("ds");
        Repgap.Result r = Repgap.run("import", "--npy", xs.toString(), "--sources", ss.toString(), "--set", "layer=a",
                "--out", out.toString());
        assertEquals(0, r.code(), r.toString());
        Path results = tmp.resolve("results");
        r = Repgap.run("compression", "--input", out.toString(), "--group-by", "layer", "--sigma", "0.5", "--json",
                "--out", results.toString());
        assertEquals(0, r.code(), r.toString());
        double[] expected = new double[4];
        for (int s = 0; s < sources; s++) {
            double[] copies = new double[m * d];
            int c = 0;
            for (int i = 0; i < sources * m; i++) {
                if (ids[i] != 100 + s) continue;
                for (int j = 0; j < d; j++) copies[c * d + j] = x[i][j];
                c++;
            }
            JacobianSpectrum.Quantities q = JacobianSpectrum.quantities(
                    JacobianSpectrum.squaredSingularValues(copies, m, d, sigma), 3);
            expected[0] += q.mls() / sources;
            expected[1] += q.logVolume() / sources;
            expected[2] += q.localDim() / sources;
            expected[3] += q.frobenius2() / sources;
        }
        List<JsonNode> json = r.jsonLines();
        String[] metrics = {"compression.mls", "compression.log_volume", "compression.local_dim", "compression.jacobian_fro2"};
        for (int k = 0; k < 4; k++) {
            JsonNode row = CompressionCommandTest.row(json, "a", metrics[k], null);
            assertEquals(expected[k], row.get("value").asDouble(), 1e-12 * Math.abs(expected[k]), metrics[k]);
            assertEquals(3, row.get("n").asLong());
        }

        // The report's table: the group's means, with the sources and M in the cells' tips.
        Path report = tmp.resolve("report.html");
        r = Repgap.run("report", "--results", results.toString(), "--out", report.toString());
        assertEquals(0, r.code(), r.toString());
        String html = java.nio.file.Files.readString(report);
        int table = html.indexOf("<table class=\"compression\">");
        assertTrue(table > 0, html);
        String section = html.substring(table, html.indexOf("</table>", table));
        assertTrue(section.contains("data-group=\"layer=a\"") && section.contains("3 sources; run ")
                && section.contains("M = 20 copies per source") && section.contains(">local_dim<"), section);

        // One id short, or not integers: refused, naming the file.
        Path shortIds = Npy.longs(tmp.resolve("short.npy"), java.util.Arrays.copyOf(ids, ids.length - 1));
        r = Repgap.run("import", "--npy", xs.toString(), "--sources", shortIds.toString(), "--out", tmp.resolve("bad").toString());
        assertEquals(2, r.code(), r.toString());
        assertTrue(r.err().contains("short.npy") && r.err().contains("59 values"), r.err());
        r = Repgap.run("import", "--csv", xs.toString(), "--sources", ss.toString(), "--out", tmp.resolve("bad").toString());
        assertEquals(2, r.code(), r.toString());
        assertTrue(r.err().contains("--sources goes with --npy"), r.err());
    }
}
