package dev.repgap.cli;

import dev.repgap.data.ColumnNames;
import dev.repgap.io.ImportJob;
import dev.repgap.io.DatasetWriter;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.concurrent.Callable;
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

    @ArgGroup(exclusive = false, multiplicity = "1..*", heading = "Files to import (repeat --npy/--csv/--arrow to import"
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

    @Option(names = "--out", required = true, paramLabel = "DIR", description = "Dataset directory to add to.")
    String out;

    @Mixin SparkOptions spark;
    @Spec CommandSpec spec;

    @Override
    public Integer call() {
        for (Item item : items) {
            long sources = java.util.stream.Stream.of(item.npy, item.csv, item.arrow).filter(java.util.Objects::nonNull).count();
            if (sources != 1) {
                throw new IllegalArgumentException(sources == 0 ? "--labels, --header, --split and --set follow the"
                        + " --npy, --csv or --arrow file they belong to"
                        : "one import takes files of one format (--npy, --csv or --arrow): import "
                        + (item.csv != null ? item.csv : item.arrow) + " in another run");
            }
            if (item.split != null && !item.split.equals(ColumnNames.TRAIN) && !item.split.equals(ColumnNames.TEST)) {
                throw new IllegalArgumentException("--split must be train or test, got '" + item.split + "'");
            }
            SetColumns.check(item.set());
            if (item.labels != null && item.npy == null) throw new IllegalArgumentException("--labels goes with --npy");
            if (item.header && item.csv == null) throw new IllegalArgumentException("--header goes with --csv");
        }
        ColumnNames names = new ColumnNames(featuresCol, idCol, true, splitCol, labelCol, List.of());
        SparkSession session = spark.session("import");
        PrintWriter out = spec.commandLine().getOut();
        for (Item item : items) { // one after another: ids of a group continue after what the previous file wrote
            ImportJob job = new ImportJob(session, new ImportJob.Options(this.out, item.split, item.set(), names));
            DatasetWriter.Added added = item.csv != null ? job.importCsv(item.csv, item.header)
                    : item.npy != null ? job.importNpy(item.npy, item.labels)
                    : job.importArrow(item.arrow);
            out.println("imported " + item.path() + " into " + added.group() + ": " + added.summary().describe());
            out.flush();
        }
        return 0;
    }
}
