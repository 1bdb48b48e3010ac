package dev.repgap.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Careless and hostile imports and outputs: each is refused with exit 2 and one line naming the file and the
 * fault, and leaves nothing behind, so that no later import or read of the directory is blocked.
 */
class HostileImportTest {
    @TempDir Path tmp;

    private String path(String name) {
        return tmp.resolve(name).toString();
    }

    /** Exit 2, an error line containing {@code expected}, and {@code out} not created. */
    private static void refused(String out, String expected, String... args) {
        Repgap.Result r = Repgap.run(args);
        assertEquals(2, r.code(), r.toString());
        String error = r.err().lines().filter(l -> l.startsWith("repgap ")).findFirst().orElse("");
        assertTrue(error.contains(expected), "expected '" + expected + "' in: " + r.err());
        if (out != null) assertFalse(Files.exists(Path.of(out)), out + " was left behind");
    }

    @Test
    void emptyGroupValueIsRefused() throws Exception {
        Npy.gaussian(tmp.resolve("x.npy"), 50, 4, 2, 1);
        refused(path("d"), "--set layer=: the value must not be empty",
                "import", "--npy", path("x.npy"), "--set", "layer=", "--out", path("d"));
    }

    @Test
    void emptyNpyLeavesNothingAndLaterImportsWork() throws Exception {
        Npy.write(tmp.resolve("empty.npy"), "<f4", "(0, 4)", new byte[0]);
        refused(path("d"), "no rows to import", "import", "--npy", path("empty.npy"), "--set", "g=a", "--out", path("d"));
        // Into an existing dataset: the group's directory is not left either.
        Npy.gaussian(tmp.resolve("x.npy"), 50, 4, 2, 1);
        assertEquals(0, Repgap.run("import", "--npy", path("x.npy"), "--set", "g=b", "--out", path("d")).code());
        refused(path("d/g=a"), "no rows to import", "import", "--npy", path("empty.npy"), "--set", "g=a", "--out", path("d"));
        assertEquals(0, Repgap.run("import", "--npy", path("x.npy"), "--set", "g=a", "--out", path("d")).code());
        assertEquals(0, Repgap.run("describe", "--input", path("d"), "--group-by", "g").code());
    }

    @Test
    void csvSplitAndIdsAreChecked() throws Exception {
        Files.writeString(tmp.resolve("valid.csv"), "a,b,split\n1,2,train\n3,4,valid\n");
        refused(path("v"), "row id 1 has split 'valid'; expected 'train' or 'test'",
                "import", "--csv", path("valid.csv"), "--header", "--out", path("v"));
        Files.writeString(tmp.resolve("ids.csv"), "id,a,b\n7,1,2\n7,3,4\n8,5,6\n");
        refused(path("i"), "id 7 appears 2 times", "import", "--csv", path("ids.csv"), "--header", "--out", path("i"));
    }

    @Test
    void raggedCsvRowIsBadInputNotAFault() throws Exception {
        Files.writeString(tmp.resolve("ragged.csv"), "a,b\n1,2\n3,4,5\n6,7\n");
        refused(path("r"), "input " + path("ragged.csv") + ": a malformed row",
                "import", "--csv", path("ragged.csv"), "--header", "--out", path("r"));
    }

    @Test
    void labelOutOfRangeLeavesNoOutput() throws Exception {
        Npy.gaussian(tmp.resolve("x.npy"), 20, 4, 2, 1);
        java.nio.ByteBuffer b = java.nio.ByteBuffer.allocate(8 * 20).order(java.nio.ByteOrder.LITTLE_ENDIAN);
        for (int i = 0; i < 20; i++) b.putLong(-3L); // as uint64: 2^64 - 3
        Npy.write(tmp.resolve("big.npy"), "<u8", "(20,)", b.array());
        refused(path("d"), "does not fit in a signed 64-bit integer",
                "import", "--npy", path("x.npy"), "--labels", path("big.npy"), "--out", path("d"));
    }

    @Test
    void outputInsideTheInputIsRefusedBeforeAnyWork() throws Exception {
        Npy.gaussian(tmp.resolve("x.npy"), 50, 4, 2, 1);
        assertEquals(0, Repgap.run("import", "--npy", path("x.npy"), "--set", "layer=a", "--out", path("d")).code());
        refused(path("d/res"), "--out " + path("d/res") + " is inside the input " + path("d"),
                "describe", "--input", path("d"), "--out", path("d/res"));
        refused(path("d/layer=a/x"), "is inside the input", "knn", "--input", path("d"), "--k", "3",
                "--out", path("d/layer=a/x"));
        refused(path("d/r"), "is inside the input", "id", "--input", path("d") + "/layer=*", "--out", path("d/r"));
        assertEquals(0, Repgap.run("describe", "--input", path("d")).code(), "the input is still readable");
    }
}
