package dev.repgap.cli;

import dev.repgap.analysis.OptionException;
import dev.repgap.results.Redaction;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.spark.SparkConf;
import org.apache.spark.sql.SparkSession;
import dev.repgap.sweep.Progress;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** Where and how Spark runs. Without --master and outside spark-submit, Spark runs embedded (local[*]). */
public final class SparkOptions {
    @Option(names = "--master", paramLabel = "URL",
            description = "Spark master (local[*], spark://host:7077, yarn, k8s://...). Default: the one spark-submit"
                    + " gives, else local[*].")
    String master;

    @Option(names = "--conf", paramLabel = "KEY=VALUE", description = "A Spark setting, repeatable.")
    Map<String, String> conf = new LinkedHashMap<>();

    @Option(names = "--quiet", description = "No progress on stderr (a sweep still prints failures and its summary).")
    boolean quiet;

    @Option(names = "--progress-interval", defaultValue = "30", paramLabel = "SECONDS",
            description = "Progress on stderr: one status line on a terminal, else a plain line every SECONDS."
                    + " Default: ${DEFAULT-VALUE}.")
    double progressInterval;

    @Spec(Spec.Target.MIXEE) CommandSpec command;

    private SparkSession session;
    private Progress progress;

    SparkSession session(String commandName) {
        SparkConf defaults = new SparkConf(); // picks up spark.* system properties, as set by spark-submit
        String chosen = master != null ? master : defaults.get("spark.master", "local[*]");
        SparkSession.Builder b = SparkSession.builder().appName("repgap " + commandName).master(chosen);
        if (chosen.startsWith("local")) {
            // One machine: stay on loopback and skip the web UI unless asked for.
            if (!defaults.contains("spark.driver.host")) b.config("spark.driver.host", "127.0.0.1");
            if (!defaults.contains("spark.driver.bindAddress")) b.config("spark.driver.bindAddress", "127.0.0.1");
            if (!defaults.contains("spark.ui.enabled")) b.config("spark.ui.enabled", "false");
        }
        // Spark's own redaction (logs, UI, event logs) by repgap's rule for secret settings, unless set
        if (!defaults.contains("spark.redaction.regex") && !conf.containsKey("spark.redaction.regex")) {
            b.config("spark.redaction.regex", Redaction.KEY_PATTERN);
        }
        // Partition directories hold group names: checkpoint=0010 must stay the string "0010".
        b.config("spark.sql.sources.partitionColumnTypeInference.enabled", "false");
        conf.forEach(b::config);
        if (!(progressInterval > 0)) throw new OptionException("--progress-interval must be > 0, got " + progressInterval);
        session = b.getOrCreate();
        progress = new Progress(command.commandLine().getErr(), "repgap " + commandName, Progress.mode(quiet),
                (long) (progressInterval * 1000));
        session.sparkContext().addSparkListener(progress);
        return session;
    }

    /** The command's progress on stderr, once {@link #session} has started it. */
    Progress progress() {
        return progress;
    }

    /** Ends the progress lines (and clears the status line) before the command's last words. */
    void closeProgress() {
        if (progress == null) return;
        progress.close();
        session.sparkContext().removeSparkListener(progress);
        progress = null;
    }
}
