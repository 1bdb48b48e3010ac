package dev.repgap.cli;

import dev.repgap.analysis.OptionException;
import dev.repgap.analysis.Analyses;
import dev.repgap.results.ResultTable;
import dev.repgap.results.ResultsExport;
import dev.repgap.results.ResultsHistory;
import java.nio.file.Path;
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
                + " notebooks without Parquet), written aside and renamed into place.")
final class ExportCommand implements Callable<Integer> {
    @Mixin SparkOptions spark;
    @Spec CommandSpec spec;

    @Option(names = "--results", required = true, paramLabel = "DIR", description = "The results repository.")
    String results;

    @Option(names = "--out", required = true, paramLabel = "FILE", description = "The file to write (local path).")
    Path out;

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
        ResultTable declared = Analyses.table(table).orElseThrow(() -> new OptionException("--table must be one of "
                + Analyses.tables().stream().map(ResultTable::name).toList() + ", got '" + table + "'"));
        ResultsExport.Format f = format();
        OutputPaths.file("--out", out, force);
        SparkSession session = spark.session("export");
        // side tables: only the rows of units that committed their metric rows (a killed unit may have left others)
        long rows = ResultsExport.write(declared, ResultsHistory.committed(session, results, declared,
                ResultsHistory.table(session, results, table)), out, f);
        spec.commandLine().getErr().println("repgap: " + rows + " rows of " + table + " written to " + out);
        spec.commandLine().getErr().flush();
        return 0;
    }

    private ResultsExport.Format format() {
        String name = out.getFileName().toString().toLowerCase(Locale.ROOT);
        String chosen = format != null ? format.toLowerCase(Locale.ROOT)
                : name.endsWith(".jsonl") || name.endsWith(".json") || name.endsWith(".ndjson") ? "jsonl" : "csv";
        return switch (chosen) {
            case "csv" -> ResultsExport.Format.CSV;
            case "jsonl", "json" -> ResultsExport.Format.JSONL;
            default -> throw new OptionException("--format must be csv or jsonl, got '" + format + "'");
        };
    }
}
