package dev.repgap.cli;

import dev.repgap.analysis.OptionException;
import dev.repgap.analysis.Analyses;
import dev.repgap.results.ResultTable;
import dev.repgap.results.ResultsExport;
import dev.repgap.results.ResultsHistory;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.apache.spark.sql.SparkSession;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

@Command(name = "export", mixinStandardHelpOptions = true,
        description = "Writes a table of a results repository to one local CSV or JSON-lines file (for pandas, spreadsheets,"
                + " notebooks without Parquet), written aside and renamed into place; with --all, every table the"
                + " repository holds, one file each, in one run.")
final class ExportCommand implements Callable<Integer> {
    @Mixin SparkOptions spark;
    @Spec CommandSpec spec;

    @Option(names = "--results", required = true, paramLabel = "DIR", description = "The results repository.")
    String results;

    @Option(names = "--out", paramLabel = "FILE", description = "The file to write (local path).")
    Path out;

    @Option(names = "--all", paramLabel = "DIR", description = "Instead of --out and --table: writes every table the"
            + " repository holds to DIR/TABLE.csv (or .jsonl with --format jsonl) and names the tables it does not hold.")
    Path all;

    @Option(names = "--format", paramLabel = "csv|jsonl",
            description = "csv or jsonl. Default: from the file name (.csv, .jsonl/.json), else csv.")
    String format;

    @Option(names = "--force", description = "Overwrite --out if it exists (default: refuse, exit code 2).")
    boolean force;

    @Option(names = "--table", defaultValue = "metrics", paramLabel = "TABLE", completionCandidates = Tables.class,
            description = "Which table: metrics (one row per group, metric and param), runs or sweep_units (sweeps), or a"
                    + " side table of an analysis: ${COMPLETION-CANDIDATES}. Default: ${DEFAULT-VALUE}.")
    String table;

    /** Every table a repository can hold. */
    static final class Tables implements Iterable<String> {
        @Override
        public java.util.Iterator<String> iterator() {
            return Analyses.tables().stream().map(ResultTable::name).iterator();
        }
    }

    @Override
    public Integer call() {
        if ((out == null) == (all == null)) throw new OptionException("give either --out FILE or --all DIR");
        if (all != null) return exportAll();
        ResultTable declared = Analyses.table(table).orElseThrow(() -> new OptionException("--table must be one of "
                + Analyses.tables().stream().map(ResultTable::name).toList() + ", got '" + table + "'"));
        ResultsExport.Format f = format(out.getFileName().toString());
        OutputPaths.file("--out", out, force);
        export(spark.session("export"), declared, out, f);
        return 0;
    }

    /** Every table of the registry that the repository holds, one file each, from one Spark session. */
    private int exportAll() {
        if (spec.commandLine().getParseResult().hasMatchedOption("--table")) {
            throw new OptionException("--table and --all exclude each other: --all writes every table");
        }
        ResultsExport.Format f = format(format == null ? "x.csv" : "x." + format);
        String extension = f == ResultsExport.Format.CSV ? ".csv" : ".jsonl";
        List<ResultTable> tables = Analyses.tables();
        for (ResultTable t : tables) OutputPaths.file("--all", all.resolve(t.name() + extension), force);
        SparkSession session = spark.session("export");
        String metrics = dev.repgap.results.RepositoryTables.METRICS.name();
        if (!ResultsHistory.has(session, results, metrics)) ResultsHistory.table(session, results, metrics); // its error
        List<String> absent = new ArrayList<>();
        for (ResultTable t : tables) {
            if (ResultsHistory.has(session, results, t.name())) {
                export(session, t, all.resolve(t.name() + extension), f);
            } else {
                absent.add(t.name());
            }
        }
        if (!absent.isEmpty()) {
            spec.commandLine().getErr().println("repgap: not in " + results + ": " + String.join(", ", absent));
            spec.commandLine().getErr().flush();
        }
        return 0;
    }

    private void export(SparkSession session, ResultTable declared, Path file, ResultsExport.Format f) {
        // side tables: only the rows of units that committed their metric rows (a killed unit may have left others)
        long rows = ResultsExport.write(declared, ResultsHistory.committed(session, results, declared,
                ResultsHistory.table(session, results, declared.name())), file, f);
        spec.commandLine().getErr().println("repgap: " + rows + " rows of " + declared.name() + " written to " + file);
        spec.commandLine().getErr().flush();
    }

    private ResultsExport.Format format(String fileName) {
        String name = fileName.toLowerCase(Locale.ROOT);
        String chosen = format != null ? format.toLowerCase(Locale.ROOT)
                : name.endsWith(".jsonl") || name.endsWith(".json") || name.endsWith(".ndjson") ? "jsonl" : "csv";
        return switch (chosen) {
            case "csv" -> ResultsExport.Format.CSV;
            case "jsonl", "json" -> ResultsExport.Format.JSONL;
            default -> throw new OptionException("--format must be csv or jsonl, got '" + format + "'");
        };
    }
}
