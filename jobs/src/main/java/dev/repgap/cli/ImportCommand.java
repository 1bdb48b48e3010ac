package dev.repgap.cli;

import dev.repgap.data.ColumnNames;
import dev.repgap.io.ImportJob;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.concurrent.Callable;
import org.apache.hadoop.fs.Path;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

@Command(name = "import", mixinStandardHelpOptions = true,
        description = "Add activations saved by NumPy/PyTorch (.npy), Arrow IPC/Feather or CSV to a dataset directory"
                + " as one group, in the data contract (id, features, split, label, --set columns).")
final class ImportCommand implements Callable<Integer> {
    static final class Source {
        @Option(names = "--csv", paramLabel = "FILE",
                description = "CSV: every numeric column other than id/label/split is a vector coordinate.")
        String csv;

        @Option(names = "--npy", paramLabel = "FILE",
                description = "NumPy .npy: a 2-D float32 or float64 array, C or Fortran order, one row per sample.")
        String npy;

        @Option(names = "--arrow", paramLabel = "FILE",
                description = "Arrow IPC file or stream / Feather v2: a list column (--features-col) of vectors, or"
                        + " one numeric column per coordinate.")
        String arrow;

        String path() {
            return csv != null ? csv : npy != null ? npy : arrow;
        }
    }

    @ArgGroup(exclusive = true, multiplicity = "1")
    Source source;

    @Option(names = "--labels", paramLabel = "FILE", description = "With --npy: a 1-D .npy of labels, one per row.")
    String labels;

    @Option(names = "--header", description = "With --csv: the first line holds column names.")
    boolean header;

    @Option(names = "--split", paramLabel = "train|test", description = "Split of every imported row.")
    String split;

    @Option(names = "--set", paramLabel = "KEY=VALUE",
            description = "A grouping column with a constant value for these rows (e.g. --set model=resnet), repeatable.")
    LinkedHashMap<String, String> set = new LinkedHashMap<>();

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
        if (split != null && !split.equals(ColumnNames.TRAIN) && !split.equals(ColumnNames.TEST)) {
            throw new IllegalArgumentException("--split must be train or test, got '" + split + "'");
        }
        SetColumns.check(set);
        ColumnNames names = new ColumnNames(featuresCol, idCol, true, splitCol, labelCol, java.util.List.of());
        ImportJob job = new ImportJob(spark.session("import"), new ImportJob.Options(out, split, set, names));
        if (labels != null && source.npy == null) throw new IllegalArgumentException("--labels goes with --npy");
        if (header && source.csv == null) throw new IllegalArgumentException("--header goes with --csv");
        List<Path> written = source.csv != null ? job.importCsv(source.csv, header)
                : source.npy != null ? job.importNpy(source.npy, labels)
                : job.importArrow(source.arrow);
        spec.commandLine().getOut().println("imported " + source.path() + " into " + written.get(0).getParent());
        spec.commandLine().getOut().flush();
        return 0;
    }
}
