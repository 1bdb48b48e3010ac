package dev.repgap.sweep;

import java.io.PrintWriter;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.apache.spark.scheduler.SparkListener;
import org.apache.spark.scheduler.SparkListenerStageCompleted;
import org.apache.spark.scheduler.SparkListenerStageSubmitted;
import org.apache.spark.scheduler.SparkListenerTaskEnd;

/**
 * A command's progress on stderr: for a sweep, units done, skipped and failed and the unit running; for any
 * command, the time so far and the Spark stages it runs (tasks done of total, from a listener on the
 * scheduler's events). On a terminal one status line is
 * redrawn in place; otherwise a plain line is printed every {@code interval}; quiet prints nothing but
 * failures. Failures are always printed when they happen.
 */
public final class Progress extends SparkListener implements AutoCloseable {
    public enum Mode { TERMINAL, PLAIN, QUIET }

    private final PrintWriter err;
    private final String command;
    private final Mode mode;
    private final long started = System.nanoTime();
    /** Stage id to {tasks done, tasks}. */
    private final Map<Integer, int[]> stages = new TreeMap<>();
    private final ScheduledExecutorService ticker;
    private int total, done, skipped, failed;
    private String running = "";
    private boolean lineShown;

    /** {@code command}: how status lines begin, e.g. {@code repgap sweep}. */
    public Progress(PrintWriter err, String command, Mode mode, long intervalMillis) {
        this.err = err;
        this.command = command;
        this.mode = mode;
        if (mode == Mode.QUIET) {
            ticker = null;
        } else {
            ticker = Executors.newSingleThreadScheduledExecutor(r -> {
                Thread t = new Thread(r, "repgap-progress");
                t.setDaemon(true);
                return t;
            });
            long every = mode == Mode.TERMINAL ? 500 : intervalMillis;
            ticker.scheduleAtFixedRate(this::tick, every, every, TimeUnit.MILLISECONDS);
        }
    }

    /** Terminal when stderr is one (Java sees a console), plain otherwise; quiet wins. */
    public static Mode mode(boolean quiet) {
        if (quiet) return Mode.QUIET;
        return System.console() != null && !"dumb".equals(System.getenv("TERM")) ? Mode.TERMINAL : Mode.PLAIN;
    }

    public synchronized void planned(int units, int alreadyDone) {
        total = units;
        skipped = alreadyDone;
        if (mode != Mode.QUIET) line(String.format(Locale.ROOT, command + ": %d units, %d already computed, %d to run",
                units, alreadyDone, units - alreadyDone));
    }

    public synchronized void running(String what) {
        running = what;
    }

    public synchronized void finished(boolean ok, String what, String error) {
        if (ok) done++;
        else failed++;
        running = "";
        if (!ok) line(command + ": FAILED " + what + ": " + error);
    }

    /** A line printed whatever the mode (the final summary, a warning). */
    public synchronized void say(String text) {
        line(text);
    }

    synchronized String status() {
        StringBuilder b = new StringBuilder(command).append(": ");
        if (total > 0) {
            b.append(String.format(Locale.ROOT, "%d/%d units (%d skipped, %d failed) ", done + skipped + failed, total,
                    skipped, failed));
        }
        b.append(elapsed());
        if (!running.isEmpty()) b.append(" | ").append(running);
        for (Map.Entry<Integer, int[]> s : stages.entrySet()) {
            b.append(String.format(Locale.ROOT, " | stage %d: %d/%d tasks", s.getKey(), s.getValue()[0], s.getValue()[1]));
        }
        return b.toString();
    }

    private String elapsed() {
        long s = (System.nanoTime() - started) / 1_000_000_000L;
        return String.format(Locale.ROOT, "%dm%02ds", s / 60, s % 60);
    }

    private synchronized void tick() {
        if (mode == Mode.TERMINAL) {
            String s = status();
            int width = 160;
            try {
                width = Integer.parseInt(System.getenv().getOrDefault("COLUMNS", "160")) - 1;
            } catch (NumberFormatException ignored) {
                // keep the default
            }
            err.print("\r\033[K" + (s.length() > width ? s.substring(0, width) : s));
            lineShown = true;
        } else {
            err.println(status());
        }
        err.flush();
    }

    /** Prints a whole line, first clearing the status line on a terminal. */
    private void line(String text) {
        if (lineShown) {
            err.print("\r\033[K");
            lineShown = false;
        }
        err.println(text);
        err.flush();
    }

    @Override
    public synchronized void onStageSubmitted(SparkListenerStageSubmitted e) {
        stages.put(e.stageInfo().stageId(), new int[] {0, e.stageInfo().numTasks()});
    }

    @Override
    public synchronized void onTaskEnd(SparkListenerTaskEnd e) {
        int[] s = stages.get(e.stageId());
        if (s != null && "Success".equals(e.reason().toString())) s[0]++;
    }

    @Override
    public synchronized void onStageCompleted(SparkListenerStageCompleted e) {
        stages.remove(e.stageInfo().stageId());
    }

    @Override
    public synchronized void close() {
        if (ticker != null) ticker.shutdownNow();
        if (lineShown) {
            err.print("\r\033[K");
            err.flush();
            lineShown = false;
        }
    }
}
