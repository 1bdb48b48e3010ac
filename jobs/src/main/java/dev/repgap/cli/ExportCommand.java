package dev.repgap.cli;

import dev.repgap.audit.AuditOutputs;
import dev.repgap.gap.GapOutputs;
import dev.repgap.results.ResultsExport;
import dev.repgap.results.ResultsHistory;
import dev.repgap.results.ResultsRepository;
import dev.repgap.sweep.SweepRunner;
import java.nio.file.Path;
import java.util.Locale;
import java.util.List;
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

    static final List<String> TABLES = List.of(ResultsRepository.TABLE, GapOutputs.CURVES, AuditOutputs.DUPLICATES,
            AuditOutputs.LEAKS, AuditOutputs.OUTLIERS, SweepRunner.RUNS, SweepRunner.UNITS);

    @Option(names = "--table", defaultValue = "metrics", paramLabel = "TABLE",
            description = "Which table: metrics (one row per group, metric and param), gap_curves (one row per group,"
                    + " variant and n), audit/duplicates, audit/leaks, audit/outliers, runs or sweep_units (sweeps)."
                    + " Default: ${DEFAULT-VALUE}.")
    String table;

    @Override
    public Integer call() {
        if (!TABLES.contains(table)) throw new IllegalArgumentException("--table must be one of " + TABLES + ", got '" + table + "'");
        ResultsExport.Format f = format();
        OutputPaths.file("--out", out, force);
        SparkSession session = spark.session("export");
        // side tables: only the rows of units that committed their metric rows (a killed unit may have left others)
        long rows = ResultsExport.write(ResultsHistory.committed(session, results, table,
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
            default -> throw new IllegalArgumentException("--format must be csv or jsonl, got '" + format + "'");
        };
    }
}
