package dev.repgap.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.repgap.data.ColumnNames;
import dev.repgap.data.ColumnRole;
import java.util.Set;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.IModelTransformer;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** A command declares the roles its analysis reads beyond the core ones, and gets their options, and only it. */
class InputOptionsRolesTest {
    @Command(name = "fit", modelTransformer = Fit.Roles.class)
    static final class Fit implements Runnable {
        @Spec CommandSpec spec;

        static final class Roles implements IModelTransformer {
            @Override
            public CommandSpec transform(CommandSpec spec) {
                return spec.addMixin("input", InputOptions.mixin(Set.of(ColumnRole.TARGET)));
            }
        }

        @Override
        public void run() {}
    }

    private static ColumnNames parsed(String... args) {
        Fit fit = new Fit();
        new CommandLine(fit).parseArgs(args);
        return InputOptions.of(fit.spec).names();
    }

    @Test
    void theDeclaredRoleHasItsOptionWithDefaultAndHelp() {
        String usage = new CommandLine(new Fit()).getUsageMessage(CommandLine.Help.Ansi.OFF);
        assertTrue(usage.contains("--target-col=NAME"), usage);
        assertTrue(usage.contains("Numeric target column"), usage);
        assertTrue(usage.contains("Default: target."), usage);
        assertTrue(usage.contains("--features-col=NAME"), usage);
        assertFalse(usage.contains("--source-col"), usage);
    }

    @Test
    void theChosenColumnReachesTheColumnNames() {
        ColumnNames chosen = parsed("--input", "x", "--target-col", "y", "--features-col", "emb");
        assertEquals("y", chosen.column(ColumnRole.TARGET));
        assertTrue(chosen.given(ColumnRole.TARGET));
        assertEquals("emb", chosen.features());

        ColumnNames defaults = parsed("--input", "x");
        assertEquals("target", defaults.column(ColumnRole.TARGET));
        assertFalse(defaults.given(ColumnRole.TARGET));
        assertEquals("features", defaults.features());
    }

    @Test
    void commandsThatDoNotReadARoleDoNotOfferIt() {
        String knn = Main.commandLine().getSubcommands().get("knn").getUsageMessage(CommandLine.Help.Ansi.OFF);
        assertTrue(knn.contains("--features-col"), knn);
        assertFalse(knn.contains("--target-col"), knn);
        assertThrows(IllegalArgumentException.class, () -> InputOptions.mixin(Set.of(ColumnRole.LABEL)));
        assertThrows(CommandLine.UnmatchedArgumentException.class,
                () -> Main.commandLine().parseArgs("knn", "--input", "x", "--k", "1", "--out", "o", "--target-col", "y"));
    }
}
