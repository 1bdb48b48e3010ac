package dev.repgap.sweep;

import dev.repgap.data.ActivationLoader;
import dev.repgap.data.Activations;
import dev.repgap.data.ColumnNames;
import dev.repgap.data.GroupKey;
import dev.repgap.data.GroupSummary;
import dev.repgap.data.InputException;
import dev.repgap.data.Requirement;
import dev.repgap.report.NaturalOrder;
import dev.repgap.analysis.Configured;
import dev.repgap.results.Redaction;
import dev.repgap.results.RepositoryTables;
import dev.repgap.results.ResultTable;
import dev.repgap.results.ResultsHistory;
import dev.repgap.results.ResultsRepository;
import dev.repgap.results.RunInfo;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.functions;

/**
 * Runs a sweep: every analysis of the spec on every group of every input, in one Spark application.
 *
 * <p>The unit of work is one analysis on one batch of groups ({@code batch_groups}, default 1). A unit is
 * committed on its own ({@link ResultsRepository#commit}: its side tables, then its metric rows, each file
 * renamed into place), and each metric row records the fingerprint of its group's input files and of the
 * analysis options. A unit whose (analysis, group, input and options fingerprints) already has rows is skipped, so a
 * rerun computes only what is new or changed, and a run killed at any moment loses only the units in flight.
 * A group whose rows break the data contract, or an analysis that fails on a group, is reported and the
 * sweep goes on; a batch that fails is rerun one group at a time to find the group at fault.
 */
public final class SweepRunner {

    /** What became of one analysis on one group. */
    public record Unit(String input, GroupKey group, String analysis, String status, double seconds, int groupsInBatch,
                       long metricRows, String inputFingerprint, String optionsFingerprint, String error) {}

    private final SparkSession spark;
    private final SweepSpec spec;
    private final String results;
    private final RunInfo run;
    private final boolean force;
    private final Progress progress;
    private final String version;
    private final List<Configured> steps;
    private final List<Unit> units = new ArrayList<>();

    /** @param version the repgap version recorded with the run */
    public SweepRunner(SparkSession spark, SweepSpec spec, List<Configured> analyses, String results, RunInfo run,
                       boolean force, Progress progress, String version) {
        this.spark = spark;
        this.spec = spec;
        this.results = results;
        this.run = run;
        this.force = force;
        this.progress = progress;
        this.version = version;
        this.steps = List.copyOf(analyses);
    }

    /** The plan of one input: its files, columns, groups and the steps still to run per group. */
    public record Plan(InputFiles files, ColumnNames names, List<GroupKey> groups, Map<GroupKey, String> inputFingerprints,
                       Map<GroupKey, List<Configured>> pending, Map<String, String> optionsFingerprints, int skipped) {}

    /** Lists every input, finds its groups and what is already computed; runs nothing. */
    public List<Plan> plan() {
        Set<String> computed = force ? Set.of() : computed();
        List<Plan> plans = new ArrayList<>();
        for (String input : spec.inputs()) {
            InputFiles files = InputFiles.list(spark.sparkContext().hadoopConfiguration(), input);
            ColumnNames names = names(files);
            List<GroupKey> groups = groups(files, names);
            Map<String, String> optionFps = new LinkedHashMap<>();
            for (Configured a : steps) optionFps.put(a.name(), optionsFingerprint(a, names));
            Map<GroupKey, String> inputFps = new LinkedHashMap<>();
            Map<GroupKey, List<Configured>> pending = new LinkedHashMap<>();
            int skipped = 0;
            for (GroupKey g : groups) {
                String inputFp = files.fingerprint(g);
                inputFps.put(g, inputFp);
                for (Configured a : steps) {
                    if (computed.contains(key(a.name(), inputFp, optionFps.get(a.name()), g))) skipped++;
                    else pending.computeIfAbsent(g, k -> new ArrayList<>()).add(a);
                }
            }
            plans.add(new Plan(files, names, groups, inputFps, pending, optionFps, skipped));
        }
        return plans;
    }

    /** Runs the plans; returns every unit run (done or failed) and writes the run's metadata. */
    public List<Unit> run(List<Plan> plans) {
        int total = 0, skipped = 0;
        for (Plan p : plans) {
            total += p.groups().size() * steps.size();
            skipped += p.skipped();
        }
        progress.planned(total, skipped);
        for (Plan p : plans) {
            List<GroupKey> todo = new ArrayList<>(p.pending().keySet());
            for (int i = 0; i < todo.size(); i += spec.batchGroups()) {
                runBatch(p, todo.subList(i, Math.min(todo.size(), i + spec.batchGroups())));
            }
        }
        writeRun(total, skipped);
        return units;
    }

    private void runBatch(Plan p, List<GroupKey> batch) {
        List<Requirement> needs = new ArrayList<>();
        for (GroupKey g : batch) for (Configured a : p.pending().get(g)) needs.add(a.requirement());
        Activations data;
        long loadStart = System.nanoTime();
        try {
            progress.running("loading " + describe(batch));
            data = new ActivationLoader(spark).load(p.files().input(), p.names(), spec.dropInvalid(),
                    Requirement.weakest("the sweep", needs), GroupKey.anyOf(batch));
        } catch (Exception e) {
            if (batch.size() > 1) { // find the group at fault
                for (GroupKey g : batch) runBatch(p, List.of(g));
                return;
            }
            for (Configured a : p.pending().get(batch.get(0))) fail(p, batch, a, seconds(loadStart), e);
            return;
        }
        try {
            Map<GroupKey, GroupSummary> loaded = new LinkedHashMap<>();
            for (GroupSummary g : data.groups()) loaded.put(g.key(), g);
            for (Configured a : steps) {
                List<GroupKey> ready = new ArrayList<>();
                for (GroupKey g : batch) {
                    if (!p.pending().get(g).contains(a)) continue;
                    GroupSummary summary = loaded.get(g);
                    try {
                        if (summary == null) throw new InputException("input " + p.files().input() + ", group " + g + ": no rows");
                        a.requirement().check(p.files().input(), p.names(), summary);
                        ready.add(g);
                    } catch (InputException e) {
                        fail(p, List.of(g), a, 0, e);
                    }
                }
                if (!ready.isEmpty()) runUnit(p, data, a, ready);
            }
        } finally {
            data.rows().unpersist();
        }
    }

    private void runUnit(Plan p, Activations data, Configured a, List<GroupKey> groups) {
        long start = System.nanoTime();
        String what = a.name() + " " + describe(groups);
        progress.running(what);
        RunInfo unitRun = new RunInfo(run.runId(), run.startTime(), a.name(), p.files().input());
        try {
            Configured.Output out = a.run(data.restrict(groups), unitRun, results);
            double seconds = seconds(start);
            String optionsFp = p.optionsFingerprints().get(a.name());
            List<Unit> done = new ArrayList<>();
            for (GroupKey g : groups) {
                long rows = out.metrics().stream().filter(m -> m.group().equals(g)).count();
                done.add(new Unit(p.files().input(), g, a.name(), "done", seconds, groups.size(), rows,
                        p.inputFingerprints().get(g), optionsFp, null));
            }
            Map<String, Dataset<Row>> tables = new LinkedHashMap<>(out.tables());
            tables.put(RepositoryTables.SWEEP_UNITS.name(), unitTable(done));
            new ResultsRepository(spark, results).commit(unitRun, a.name() + "-" + hash(what), tables, out.metrics(),
                    new ResultsRepository.Fingerprints() {
                        @Override
                        public String input(GroupKey group) {
                            return p.inputFingerprints().get(group);
                        }

                        @Override
                        public String options() {
                            return optionsFp;
                        }
                    });
            units.addAll(done);
            for (Unit u : done) progress.finished(true, a.name() + " " + u.group(), null);
        } catch (Exception e) {
            if (groups.size() > 1) {
                for (GroupKey g : groups) runUnit(p, data, a, List.of(g));
                return;
            }
            fail(p, groups, a, seconds(start), e);
        }
    }

    private void fail(Plan p, List<GroupKey> groups, Configured a, double seconds, Exception e) {
        String error = e instanceof InputException || e instanceof IllegalArgumentException
                ? e.getMessage() : e.getClass().getSimpleName() + ": " + InputException.firstLine(e.getMessage());
        if (!(e instanceof InputException)) e.printStackTrace(); // a fault of repgap or of the cluster: keep its trace
        for (GroupKey g : groups) {
            units.add(new Unit(p.files().input(), g, a.name(), "failed", seconds, groups.size(), 0,
                    p.inputFingerprints().get(g), p.optionsFingerprints().get(a.name()), error));
            progress.finished(false, a.name() + " " + g, error);
        }
    }

    /** The run's row in {@code DIR/runs} and its failed units in {@code DIR/sweep_units} (done units went with their rows). */
    private void writeRun(int total, int skipped) {
        long done = units.stream().filter(u -> u.status().equals("done")).count();
        long failed = units.size() - done;
        Instant end = Instant.now();
        List<Map.Entry<String, String>> settings = new ArrayList<>();
        for (scala.Tuple2<String, String> kv : spark.sparkContext().getConf().getAll()) settings.add(Map.entry(kv._1(), kv._2()));
        Map<String, String> conf = Redaction.settings(settings);
        String confJson;
        try {
            confJson = new com.fasterxml.jackson.databind.ObjectMapper().writeValueAsString(conf);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
        ResultTable.Rows row = RepositoryTables.RUNS.rows(List.of()).add(null, run.runId(), Timestamp.from(run.startTime()),
                Timestamp.from(end), run.command(), spec.file(), spec.text(), version, spark.version(),
                Redaction.url(spark.sparkContext().master()), confJson, (long) total, (long) skipped, done, failed,
                Duration.between(run.startTime(), end).toMillis() / 1000.0);
        Map<String, Dataset<Row>> tables = new LinkedHashMap<>();
        List<Unit> failures = units.stream().filter(u -> !u.status().equals("done")).toList();
        if (!failures.isEmpty()) tables.put(RepositoryTables.SWEEP_UNITS.name(), unitTable(failures));
        tables.put(RepositoryTables.RUNS.name(), row.frame(spark));
        new ResultsRepository(spark, results).commit(run, "run", tables, List.of(), null);
    }

    private Dataset<Row> unitTable(List<Unit> list) {
        ResultTable.Rows rows = RepositoryTables.SWEEP_UNITS.rows(list.stream().map(Unit::group).toList());
        for (Unit u : list) {
            rows.add(u.group(), run.runId(), u.input(), u.analysis(), u.status(), u.seconds(), u.groupsInBatch(),
                    u.metricRows(), u.inputFingerprint(), u.optionsFingerprint(), u.error());
        }
        return rows.frame(spark);
    }

    /** The keys of the units the repository already holds rows of. */
    private Set<String> computed() {
        Set<String> out = new HashSet<>();
        if (!ResultsHistory.has(spark, results, ResultsRepository.TABLE)) return out;
        Dataset<Row> metrics = ResultsHistory.table(spark, results, ResultsRepository.TABLE);
        Set<String> columns = Set.of(metrics.columns());
        if (!columns.contains("options_fingerprint")) return out;
        List<String> groupColumns = ResultsHistory.groupColumns(metrics.schema());
        List<Column> select = new ArrayList<>();
        for (String c : List.of("command", "input_fingerprint", "options_fingerprint")) select.add(functions.col(c));
        for (String g : groupColumns) select.add(functions.col(g));
        for (Row r : metrics.filter(functions.col("options_fingerprint").isNotNull())
                .select(select.toArray(new Column[0])).distinct().collectAsList()) {
            LinkedHashMap<String, String> values = ResultsHistory.group(r, groupColumns);
            out.add(key(r.getAs("command"), r.getAs("input_fingerprint"), r.getAs("options_fingerprint"), new GroupKey(values)));
        }
        return out;
    }

    /**
     * A unit's identity; the group by its set columns in name order, so the grouping's order does not matter. The input
     * is known by its fingerprint (the fully qualified paths, sizes and times of its files), not by how it was written:
     * {@code data/acts}, {@code ./data/acts} and {@code /home/me/data/acts} are one input, so a sweep run from another
     * directory, or with an absolute path, recomputes nothing.
     */
    private static String key(String analysis, String inputFp, String optionsFp, GroupKey g) {
        StringBuilder b = new StringBuilder(analysis).append('\0').append(inputFp).append('\0').append(optionsFp);
        new java.util.TreeMap<>(g.values()).forEach((k, v) -> {
            if (v != null) b.append('\0').append(k).append('=').append(v);
        });
        return b.toString();
    }

    private ColumnNames names(InputFiles files) {
        Map<String, String> c = spec.columns();
        String split = c.getOrDefault("split", ColumnNames.SPLIT);
        String label = c.getOrDefault("label", ColumnNames.LABEL);
        List<String> groupBy = spec.groupBy();
        if (groupBy == null) {
            groupBy = new ArrayList<>(files.partitionColumns());
            groupBy.remove(split);
            groupBy.remove(label);
        }
        return ColumnNames.fromKeys(c, groupBy);
    }

    /** The groups, from the partition directories when they name them, else from the group columns' values. */
    private List<GroupKey> groups(InputFiles files, ColumnNames names) {
        List<GroupKey> groups = names.groupBy().isEmpty() ? List.of(GroupKey.ALL) : files.groupsFromPartitions(names.groupBy());
        if (groups == null) {
            Dataset<Row> raw = spark.read().parquet(files.input());
            for (String g : names.groupBy()) {
                if (!List.of(raw.columns()).contains(g)) {
                    throw new InputException("input " + files.input() + ": no column '" + g + "' to group by; its columns are: "
                            + String.join(", ", raw.columns()));
                }
            }
            groups = new ArrayList<>();
            for (Row r : raw.select(ColumnNames.columns(names.groupBy())).distinct().collectAsList()) {
                groups.add(GroupKey.of(names.groupBy(), r));
            }
        }
        List<GroupKey> sorted = new ArrayList<>(groups);
        sorted.sort(Comparator.comparing(GroupKey::toString, NaturalOrder.INSTANCE));
        return sorted;
    }

    private static String optionsFingerprint(Configured a, ColumnNames names) {
        StringBuilder roles = new StringBuilder(); // the other roles' columns where the analysis reads them
        for (dev.repgap.data.ColumnRole r : dev.repgap.data.ColumnRole.values()) {
            if (!r.core() && a.requirement().uses(r)) roles.append(' ').append(r.specKey()).append('=').append(names.column(r));
        }
        return hash(a.fingerprint().text() + "\ncolumns features=" + names.features() + " id=" + names.id() + " split="
                + names.split() + " label=" + names.label() + roles + " group_by=" + String.join(",", names.groupBy()));
    }

    /** The first 10 bytes of the SHA-256 of {@code s} (UTF-8), in hex: the fingerprints of inputs, options and unit files. */
    static String hash(String s) {
        try {
            byte[] d = MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(d, 0, 10);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String describe(List<GroupKey> groups) {
        return groups.size() == 1 ? groups.get(0).toString() : groups.size() + " groups (" + groups.get(0) + ", ...)";
    }

    private static double seconds(long startNanos) {
        return (System.nanoTime() - startNanos) / 1e9;
    }
}
