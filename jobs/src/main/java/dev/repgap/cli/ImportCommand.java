package dev.repgap.cli;

import dev.repgap.analysis.OptionException;
import dev.repgap.data.ColumnNames;
import dev.repgap.io.DatasetWriter;
import dev.repgap.io.ImportJob;
import dev.repgap.io.ManifestImport;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.apache.spark.sql.SparkSession;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

@Command(name = "import", mixinStandardHelpOptions = true,
        description = "Add activations saved by NumPy/PyTorch (.npy), Arrow IPC/Feather or CSV to a dataset directory,"
                + " each file as one group (its --set values), in the data contract (id, features, split, label, --set"
                + " columns). Ids, when the file has none, count on from the largest id the group already holds.")
final class ImportCommand implements Callable<Integer> {
    /** One file to import with the options that belong to it: those written after its --npy, --csv or --arrow. */
    static final class Item {
        // Flat, not a nested exclusive group: a second --npy must start a new file, which picocli does for an
        // option already matched in the current group instance.
        @Option(names = "--npy", paramLabel = "FILE",
                description = "NumPy .npy: a 2-D float32 or float64 array, C or Fortran order, one row per sample.")
        String npy;

        @Option(names = "--csv", paramLabel = "FILE",
                description = "CSV: every numeric column other than id/label/split is a vector coordinate.")
        String csv;

        @Option(names = "--arrow", paramLabel = "FILE",
                description = "Arrow IPC file or stream / Feather v2: a list column (--features-col) of vectors, or"
                        + " one numeric column per coordinate.")
        String arrow;

        String path() {
            return csv != null ? csv : npy != null ? npy : arrow;
        }

        @Option(names = "--labels", paramLabel = "FILE", description = "With --npy: a 1-D .npy of labels, one per row.")
        String labels;

        @Option(names = "--sources", paramLabel = "FILE",
                description = "With --npy: a 1-D .npy of integer source ids, one per row (column 'source'): the clean input"
                        + " each row is a noise-perturbed copy of, for compression.")
        String sources;

        @Option(names = "--header", description = "With --csv: the first line holds column names.")
        boolean header;

        @Option(names = "--split", paramLabel = "train|test",
                description = "Split of every row of this file. Default: none (unsplit; the file's split column if any).")
        String split;

        @Option(names = "--set", paramLabel = "KEY=VALUE",
                description = "A grouping column with a constant value for this file's rows (e.g. --set model=resnet),"
                        + " repeatable.")
        LinkedHashMap<String, String> set; // no initial value: picocli would share one map among the files

        LinkedHashMap<String, String> set() {
            return set == null ? new LinkedHashMap<>() : set;
        }
    }

    @ArgGroup(exclusive = false, multiplicity = "0..*", heading = "Files to import (repeat --npy/--csv/--arrow to import"
            + " several in one run; each file's --labels, --header, --split and --set follow it):%n")
    List<Item> items = new ArrayList<>();

    @Option(names = "--features-col", defaultValue = "features", paramLabel = "NAME",
            description = "Arrow: the list column holding the vectors. Default: ${DEFAULT-VALUE}.")
    String featuresCol;

    @Option(names = "--id-col", defaultValue = "id", paramLabel = "NAME",
            description = "Arrow/CSV: column of row ids, if any. Default: ${DEFAULT-VALUE}.")
    String idCol;

    @Option(names = "--label-col", defaultValue = "label", paramLabel = "NAME",
            description = "Arrow/CSV: column of labels, if any. Default: ${DEFAULT-VALUE}.")
    String labelCol;

    @Option(names = "--split-col", defaultValue = "split", paramLabel = "NAME",
            description = "Arrow/CSV: column of splits, if any. Default: ${DEFAULT-VALUE}.")
    String splitCol;

    @Option(names = "--manifest", paramLabel = "FILE",
            description = "A JSON manifest of many .npy files (activations, gradients, weights with their labels, ids,"
                    + " sources, targets, initial outputs), e.g. the one notebooks/capture writes: each dataset it names"
                    + " goes to DIR/<dataset>, all checked before anything is written, one group at a time.")
    String manifest;

    @Option(names = "--out", required = true, paramLabel = "DIR", description = "Dataset directory to add to.")
    String out;

    @Mixin SparkOptions spark;
    @Spec CommandSpec spec;

    @Override
    public Integer call() {
        for (Item item : items) {
            long sources = java.util.stream.Stream.of(item.npy, item.csv, item.arrow).filter(java.util.Objects::nonNull).count();
            if (sources != 1) {
                throw new OptionException(sources == 0 ? "--labels, --header, --split and --set follow the"
                        + " --npy, --csv or --arrow file they belong to"
                        : "one import takes files of one format (--npy, --csv or --arrow): import "
                        + (item.csv != null ? item.csv : item.arrow) + " in another run");
            }
            if (item.split != null && !item.split.equals(ColumnNames.TRAIN) && !item.split.equals(ColumnNames.TEST)) {
                throw new OptionException("--split must be train or test, got '" + item.split + "'");
            }
            SetColumns.check(item.set());
            if (item.labels != null && item.npy == null) throw new OptionException("--labels goes with --npy");
            if (item.sources != null && item.npy == null) throw new OptionException("--sources goes with --npy");
            if (item.header && item.csv == null) throw new OptionException("--header goes with --csv");
        }
        if (manifest != null && !items.isEmpty()) {
            throw new OptionException("--manifest imports the files its manifest lists: give it without --npy, --csv or --arrow");
        }
        if (manifest == null && items.isEmpty()) {
            throw new OptionException("give the files to import (--npy, --csv or --arrow) or --manifest FILE");
        }
        OutputPaths.directory("--out", out);
        SparkSession session = spark.session("import");
        PrintWriter stdout = spec.commandLine().getOut();
        if (manifest != null) {
            ManifestImport m = ManifestImport.read(manifest, session.sparkContext().hadoopConfiguration());
            for (ManifestImport.Group g : m.groups()) {
                try {
                    SetColumns.check(g.values());
                } catch (OptionException e) {
                    throw new dev.repgap.data.InputException("manifest " + manifest + ": the group of "
                            + g.tables().get(0).vectors().given() + ": " + e.getMessage().replace("--set ", ""), e);
                }
            }
            // One dataset directory after another, each through importAll: its first group alone fixes its columns.
            Map<String, List<Unit>> byDataset = new LinkedHashMap<>();
            for (ManifestImport.Group g : m.groups()) {
                byDataset.computeIfAbsent(g.dataset(), d -> new ArrayList<>())
                        .add(new Unit(g.describe(), g.describe(), () -> m.importGroup(session, out, g)));
            }
            for (List<Unit> units : byDataset.values()) importAll(units, stdout);
            return 0;
        }
        ColumnNames names = new ColumnNames(featuresCol, idCol, true, splitCol, labelCol, List.of());
        List<Unit> units = new ArrayList<>();
        for (Item item : items) {
            ImportJob job = new ImportJob(session, new ImportJob.Options(out, item.split, item.set(), names));
            units.add(new Unit(item.path(), job.group().toString(), () -> importOne(item, job)));
        }
        importAll(units, stdout);
        return 0;
    }

    /** One addition to a dataset directory: what it imports (for the report line), its group, and the work. */
    record Unit(String what, String group, java.util.function.Supplier<DatasetWriter.Added> work) {}

    /**
     * Runs the units: the first alone (it fixes the directory's columns, which every later file is checked against),
     * then the units of different groups side by side (each Spark job is small, so one at a time leaves cores idle);
     * the units of one group one after another, in order, so that their ids count on. Each unit is reported in
     * order, then the first failure is thrown.
     */
    static void importAll(List<Unit> units, PrintWriter stdout) {
        print(stdout, units.get(0), units.get(0).work().get());
        Map<String, List<Integer>> byGroup = new LinkedHashMap<>();
        for (int i = 1; i < units.size(); i++) {
            byGroup.computeIfAbsent(units.get(i).group(), g -> new ArrayList<>()).add(i);
        }
        List<CompletableFuture<DatasetWriter.Added>> done = new ArrayList<>(Collections.nCopies(units.size(), null));
        ExecutorService pool = Executors.newFixedThreadPool(Math.max(1, Math.min(PARALLEL_GROUPS, byGroup.size())));
        try {
            for (List<Integer> group : byGroup.values()) {
                CompletableFuture<DatasetWriter.Added> previous = CompletableFuture.completedFuture(null);
                for (int i : group) {
                    previous = previous.thenApplyAsync(x -> units.get(i).work().get(), pool);
                    done.set(i, previous);
                }
            }
            RuntimeException first = null; // every unit imported is reported, then the first failure in order
            for (int i = 1; i < units.size(); i++) {
                try {
                    print(stdout, units.get(i), done.get(i).join());
                } catch (CompletionException e) {
                    if (first == null) first = e.getCause() instanceof RuntimeException r ? r : e;
                }
            }
            if (first != null) throw first;
        } finally {
            pool.shutdownNow();
        }
    }

    /** Groups imported side by side. */
    private static final int PARALLEL_GROUPS = 4;

    private static DatasetWriter.Added importOne(Item item, ImportJob job) {
        return item.csv != null ? job.importCsv(item.csv, item.header)
                : item.npy != null ? job.importNpy(item.npy, item.labels, item.sources)
                : job.importArrow(item.arrow);
    }

    private static void print(PrintWriter out, Unit unit, DatasetWriter.Added added) {
        out.println("imported " + unit.what() + " into " + added.group() + ": " + added.summary().describe());
        out.flush();
    }
}
