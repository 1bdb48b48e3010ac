package dev.repgap.cli;

import dev.repgap.analysis.Analyses;
import dev.repgap.analysis.Analysis;
import dev.repgap.data.InputException;
import dev.repgap.io.formats.InputFormatException;
import java.io.IOException;
import java.io.InputStream;
import java.util.List;
import java.util.Properties;
import org.apache.spark.sql.SparkSession;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.IVersionProvider;

/** {@code repgap <command>}: the entry point for bin/repgap, java -jar and spark-submit alike. */
@Command(name = "repgap", mixinStandardHelpOptions = true, versionProvider = Main.Version.class,
        description = "How well will this representation generalise, and why? Geometry of neural-network"
                + " activations on Apache Spark.",
        subcommands = {DemoCommand.class, GenerateCommand.class, ImportCommand.class})
public final class Main implements Runnable {
    /** Exit code for input that breaks the data contract and for a wrong option, as for a bad command line. */
    public static final int BAD_INPUT = 2;

    @CommandLine.Spec CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "a command is required");
    }

    public static void main(String[] args) {
        int code = commandLine().execute(args);
        SparkSession.getActiveSession().foreach(s -> {
            s.stop();
            return null;
        });
        System.exit(code);
    }

    /** The command line with repgap's error handling: contract violations print one clear line. */
    public static CommandLine commandLine() {
        CommandLine cl = new CommandLine(new Main());
        for (Analysis<?> a : Analyses.all()) cl.addSubcommand(AnalysisCommand.of(a));
        for (Object c : List.of(new KnnCommand(), new SweepCommand(), new CheckCommand(), new ReportCommand(),
                new ExportCommand(), new RecordCommand(), new CorrelateCommand(), new CommandLine.HelpCommand())) {
            cl.addSubcommand(c);
        }
        cl.setExecutionStrategy(parseResult -> {
            try {
                return new CommandLine.RunLast().execute(parseResult);
            } finally { // the status line goes before the command's result or error
                for (CommandLine.ParseResult p = parseResult; p != null; p = p.subcommand()) {
                    for (CommandLine.Model.CommandSpec m : p.commandSpec().mixins().values()) {
                        if (m.userObject() instanceof SparkOptions s) s.closeProgress();
                    }
                }
            }
        });
        cl.setExecutionExceptionHandler((e, commandLine, parseResult) -> {
            Throwable bad = badInput(e);
            if (bad != null) {
                commandLine.getErr().println("repgap " + commandLine.getCommandName() + ": error: " + bad.getMessage());
                commandLine.getErr().flush();
                return BAD_INPUT;
            }
            e.printStackTrace(commandLine.getErr()); // a fault of repgap or of the cluster: keep every detail
            commandLine.getErr().flush();
            return 1;
        });
        return cl;
    }

    /**
     * The contract violation or wrong option behind a failure, also when a Spark task found it and the job failed
     * with it; null for anything else (a fault of repgap, of writing the outputs or of the cluster: exit 1).
     */
    private static Throwable badInput(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof InputException || t instanceof InputFormatException) return t;
        }
        return InputException.unreadableFile(e, ""); // a file that is not Parquet, wherever Spark met it
    }

    /** repgap's version, from the jar's build properties. */
    static String version() {
        Properties p = new Properties();
        try (InputStream in = Main.class.getResourceAsStream("/repgap-version.properties")) {
            if (in != null) p.load(in);
        } catch (IOException e) {
            return "unknown";
        }
        return p.getProperty("version", "unknown");
    }

    static final class Version implements IVersionProvider {
        @Override
        public String[] getVersion() {
            return new String[] {"repgap " + version() + " (Spark " + org.apache.spark.package$.MODULE$.SPARK_VERSION() + ")"};
        }
    }
}
