package dev.repgap.sweep;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.repgap.data.InputException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The sweep spec's columns: one key per column role. */
class SweepSpecColumnsTest {
    @TempDir Path tmp;

    private SweepSpec read(String yaml) throws Exception {
        Path file = tmp.resolve("spec-" + System.nanoTime() + ".yaml");
        Files.writeString(file, yaml);
        return SweepSpec.read(file.toString());
    }

    @Test
    void everyRoleHasItsKey() throws Exception {
        SweepSpec spec = read("inputs: [a]\ncolumns: {features: emb, target: y, source: src, initial: f0}\n"
                + "analyses: {describe: {}}\n");
        assertEquals(Map.of("features", "emb", "target", "y", "source", "src", "initial", "f0"), spec.columns());
    }

    @Test
    void aMisspeltKeyListsTheRoles() {
        InputException e = assertThrows(InputException.class,
                () -> read("inputs: [a]\ncolumns: {targte: y}\nanalyses: {describe: {}}\n"));
        assertTrue(e.getMessage().contains("unknown key 'columns.targte'; expected any of [features, id, split, label,"
                + " target, source, initial, residual, noise]"), e.getMessage());
    }

    @Test
    void aRoleColumnIsChosenForTheWholeSweep() {
        InputException e = assertThrows(InputException.class,
                () -> read("inputs: [a]\nanalyses: {describe: {target_col: y}}\n"));
        assertTrue(e.getMessage().contains("'analyses.describe.target_col' is set for the whole sweep"), e.getMessage());
    }
}
