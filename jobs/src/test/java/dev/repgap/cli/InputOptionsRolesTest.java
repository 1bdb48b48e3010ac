package dev.repgap.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.repgap.analysis.Analysis;
import dev.repgap.analysis.Configured;
import dev.repgap.data.ColumnNames;
import dev.repgap.data.ColumnRole;
import java.util.List;
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

    /** An analysis that reads the targets and the initial outputs; never run, only its command is built. */
    private static final class Fits implements Analysis<Fits.Options> {
        @Command
        static final class Options {}

        @Override
        public String name() {
            return "fits";
        }

        @Override
        public String description() {
            return "A test analysis.";
        }

        @Override
        public Options options() {
            return new Options();
        }

        @Override
        public Set<ColumnRole> roles() {
            return Set.of(ColumnRole.TARGET, ColumnRole.INITIAL);
        }

        @Override
        public Configured configure(Options options, List<String> groupBy) {
            throw new UnsupportedOperationException();
        }
    }

    @Test
    void anAnalysisCommandOffersTheRolesItsAnalysisDeclares() {
        CommandLine cl = AnalysisCommand.of(new Fits());
        String usage = cl.getUsageMessage(CommandLine.Help.Ansi.OFF);
        assertTrue(usage.contains("--target-col=NAME") && usage.contains("--initial-col=NAME"), usage);
        assertFalse(usage.contains("--source-col"), usage);
        cl.parseArgs("--input", "x", "--initial-col", "f0");
        ColumnNames names = InputOptions.of(cl.getCommandSpec()).names();
        assertEquals("f0", names.column(ColumnRole.INITIAL));
        assertTrue(names.given(ColumnRole.INITIAL));
        assertEquals("target", names.column(ColumnRole.TARGET));
        assertFalse(names.given(ColumnRole.TARGET));
    }

    @Test
    void commandsThatDoNotReadARoleDoNotOfferIt() {
        for (String command : List.of("knn", "id", "gap")) {
            String usage = Main.commandLine().getSubcommands().get(command).getUsageMessage(CommandLine.Help.Ansi.OFF);
            assertTrue(usage.contains("--features-col"), usage);
            assertFalse(usage.contains("--target-col"), usage);
        }
        assertThrows(IllegalArgumentException.class, () -> InputOptions.mixin(Set.of(ColumnRole.LABEL)));
        assertThrows(CommandLine.UnmatchedArgumentException.class,
                () -> Main.commandLine().parseArgs("knn", "--input", "x", "--k", "1", "--out", "o", "--target-col", "y"));
    }
}
