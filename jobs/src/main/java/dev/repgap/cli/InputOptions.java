package dev.repgap.cli;

import dev.repgap.data.ActivationLoader;
import dev.repgap.data.Activations;
import dev.repgap.data.ColumnNames;
import dev.repgap.data.ColumnRole;
import dev.repgap.data.InputException;
import dev.repgap.data.Requirement;
import dev.repgap.sweep.InputFiles;
import java.util.Set;
import java.util.TreeSet;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.catalyst.catalog.ExternalCatalogUtils;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.apache.spark.sql.SparkSession;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.ISetter;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.Option;

/**
 * The activation table to read and which of its columns hold what. A command mixes it in with {@code @Mixin} for
 * the core columns alone, or with {@link #mixin} for the options of further roles its analysis reads.
 */
public final class InputOptions {
    @Option(names = "--input", required = true, paramLabel = "PATH",
            description = "Parquet file or directory (local path or any Hadoop URI; globs allowed).")
    String input;

    @Option(names = "--features-col", defaultValue = "features", paramLabel = "NAME",
            description = "Vector column: array<float>, array<double> or MLlib vector. Default: ${DEFAULT-VALUE}.")
    String featuresCol;

    @Option(names = "--id-col", paramLabel = "NAME",
            description = "Row id column, long or string; unique within a group. Default: id, generated when absent.")
    String idCol;

    @Option(names = "--split-col", defaultValue = "split", paramLabel = "NAME",
            description = "Split column with values train/test (optional). Default: ${DEFAULT-VALUE}.")
    String splitCol;

    @Option(names = "--label-col", defaultValue = "label", paramLabel = "NAME",
            description = "Label column (optional). Default: ${DEFAULT-VALUE}.")
    String labelCol;

    @Option(names = "--group-by", split = ",", paramLabel = "COLS",
            description = "Comma-separated columns (e.g. model,checkpoint,layer): the analysis runs once per group.")
    List<String> groupBy = new ArrayList<>();

    @Option(names = "--drop-invalid",
            description = "Skip rows with missing, NaN or infinite values (and report how many) instead of failing.")
    boolean dropInvalid;

    /** The roles beyond the core ones whose options this instance offers ({@link #mixin}). */
    private final Set<ColumnRole> extraRoles = EnumSet.noneOf(ColumnRole.class);
    /** The columns chosen for them on the command line; a role not in it reads its default column. */
    private final Map<ColumnRole, String> extraColumns = new EnumMap<>(ColumnRole.class);

    /**
     * These options plus a {@code --<role>-col NAME} option for each of {@code extraRoles} (default and help from
     * the role), as a mixin: {@code spec.addMixin("input", InputOptions.mixin(Set.of(ColumnRole.TARGET)))}. The
     * command finds its options with {@link #of}.
     */
    public static CommandSpec mixin(Set<ColumnRole> extraRoles) {
        InputOptions options = new InputOptions();
        CommandSpec spec = CommandSpec.forAnnotatedObject(options);
        for (OptionSpec o : options.roleOptions(extraRoles)) spec.addOption(o);
        return spec;
    }

    /**
     * Adds a {@code --<role>-col NAME} option for each of {@code extraRoles} to a command that already mixes these
     * options in (with {@code @Mixin}), bound to them.
     */
    public static void addRoles(CommandSpec command, Set<ColumnRole> extraRoles) {
        InputOptions options = of(command);
        for (OptionSpec o : options.roleOptions(extraRoles)) command.addOption(o);
    }

    /** The options of these roles, bound to this object's {@link #names()}. */
    private List<OptionSpec> roleOptions(Set<ColumnRole> roles) {
        List<OptionSpec> out = new ArrayList<>();
        for (ColumnRole role : ColumnRole.values()) {
            if (!roles.contains(role)) continue;
            if (role.core()) throw new IllegalArgumentException(role.option() + " is an input option of every command");
            if (!extraRoles.add(role)) continue;
            out.add(OptionSpec.builder(role.option()).paramLabel("NAME").type(String.class)
                    .description(role.help() + " Default: " + role.defaultColumn() + ".")
                    .setter(new ISetter() {
                        @Override
                        @SuppressWarnings("unchecked")
                        public <T> T set(T value) {
                            return (T) (value == null ? extraColumns.remove(role) : extraColumns.put(role, (String) value));
                        }
                    })
                    .getter(new picocli.CommandLine.Model.IGetter() {
                        @Override
                        @SuppressWarnings("unchecked")
                        public <T> T get() {
                            return (T) extraColumns.get(role);
                        }
                    })
                    .build());
        }
        return out;
    }

    /** The input options mixed into {@code command} (with {@code @Mixin} or {@link #mixin}). */
    public static InputOptions of(CommandSpec command) {
        for (CommandSpec m : command.mixins().values()) {
            if (m.userObject() instanceof InputOptions o) return o;
        }
        throw new IllegalStateException("command " + command.name() + " has no input options");
    }

    /** The roles beyond the core ones whose options these are. */
    Set<ColumnRole> extraRoles() {
        return Set.copyOf(extraRoles);
    }

    /**
     * The checks that need no Spark: outputs ({@code option, path} pairs; null paths skipped) that cannot be
     * written or lie inside the input, an input that does not exist, and an analysis that needs test rows on files
     * whose split directories ({@code split=train}, ...) show there are none. Run before Spark starts, so that
     * such a mistake costs a second, not a minute.
     */
    void precheck(Requirement requirement, String... outputs) {
        for (int i = 0; i + 1 < outputs.length; i += 2) {
            OutputPaths.directory(outputs[i], outputs[i + 1]);
            OutputPaths.outsideInput(input, outputs[i], outputs[i + 1]);
        }
        Configuration conf = new Configuration();
        // A local input that does not exist is said now rather than after Spark's start; another file system may
        // need settings only the Spark session has, so its loader reports what is wrong.
        if (new Path(input).toUri().getScheme() == null) ActivationLoader.requireExists(input, conf);
        if (!requirement.needsTrainAndTest()) return;
        InputFiles files;
        try {
            files = InputFiles.list(conf, input);
        } catch (InputException e) {
            return; // not listable from here: the loader reports what is wrong
        }
        Set<String> splits = new TreeSet<>();
        for (InputFiles.File f : files.files()) {
            String s = f.partitions().get(splitCol);
            if (s == null) return; // a split column inside the files: only the data can tell
            splits.add(s.equals(ExternalCatalogUtils.DEFAULT_PARTITION_NAME()) ? "none" : s);
        }
        if (!splits.contains(ColumnNames.TEST)) {
            throw new InputException("input " + input + ": " + requirement.analysis() + " needs rows with split 'test'"
                    + " and 'train', but its " + splitCol + "= directories hold only " + splits + Requirement.SPLIT_HINT);
        }
    }

    /** Loads and validates the input, hands it to the analysis, and releases the cached rows after. */
    void analyse(SparkSession session, Requirement requirement, Consumer<Activations> analysis) {
        Activations data = new ActivationLoader(session).load(input, names(), dropInvalid, requirement);
        try {
            analysis.accept(data);
        } finally {
            data.rows().unpersist();
        }
    }

    /** The columns chosen: the core ones, and those of the extra roles (explicit when given on the command line). */
    ColumnNames names() {
        ColumnNames names = new ColumnNames(featuresCol, idCol == null ? ColumnNames.ID : idCol, idCol != null, splitCol,
                labelCol, groupBy);
        for (ColumnRole role : extraRoles) {
            String column = extraColumns.get(role);
            if (column != null) names = names.with(role, column, true);
        }
        return names;
    }
}
