package dev.repgap.results;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.repgap.data.ColumnNames;
import dev.repgap.io.AtomicFile;
import java.nio.file.Path;
import java.sql.Timestamp;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * Writes a results table as CSV (RFC 4180, a header line; null is an empty field, NaN and infinities as
 * NaN, inf, -inf, which pandas reads) or JSON lines (null for null and for non-finite numbers, which
 * JSON lacks). Times are ISO-8601 UTC. Rows are ordered by run, group, then the table's declared order (metric
 * and param; variant and n for gap curves), so two exports of one repository are the same bytes.
 */
public final class ResultsExport {
    public enum Format { CSV, JSONL }

    private static final ObjectMapper JSON = new ObjectMapper();

    private ResultsExport() {}

    /** Writes the table to {@code out}, aside and renamed into place; returns the number of rows. */
    public static long write(ResultTable declared, Dataset<Row> table, Path out, Format format) {
        List<String> columns = List.of(table.columns());
        List<String> order = new ArrayList<>();
        for (String c : List.of("start_time", "run_id")) if (columns.contains(c)) order.add(c);
        order.addAll(declared.groupColumns(table.schema()));
        for (String c : declared.order()) if (columns.contains(c)) order.add(c);
        Column[] sort = order.stream().map(c -> ColumnNames.column(c).asc_nulls_first()).toArray(Column[]::new);
        Dataset<Row> sorted = table.orderBy(sort);
        long[] count = {0};
        AtomicFile.write(out, w -> {
            if (format == Format.CSV && !columns.isEmpty()) w.write(csvLine(columns)); // an empty table: no columns known
            Iterator<Row> it = sorted.toLocalIterator();
            while (it.hasNext()) {
                Row r = it.next();
                if (format == Format.CSV) {
                    List<String> cells = new ArrayList<>(columns.size());
                    for (int i = 0; i < columns.size(); i++) cells.add(csvValue(r.get(i)));
                    w.write(csvLine(cells));
                } else {
                    Map<String, Object> o = new LinkedHashMap<>();
                    for (int i = 0; i < columns.size(); i++) o.put(columns.get(i), jsonValue(r.get(i)));
                    w.write(JSON.writeValueAsString(o));
                    w.write('\n');
                }
                count[0]++;
            }
        });
        return count[0];
    }

    private static String csvLine(List<String> cells) {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < cells.size(); i++) {
            String c = cells.get(i);
            if (i > 0) b.append(',');
            if (c.indexOf(',') >= 0 || c.indexOf('"') >= 0 || c.indexOf('\n') >= 0 || c.indexOf('\r') >= 0) {
                b.append('"').append(c.replace("\"", "\"\"")).append('"');
            } else {
                b.append(c);
            }
        }
        return b.append('\n').toString();
    }

    private static String csvValue(Object v) {
        if (v == null) return "";
        if (v instanceof Timestamp t) return t.toInstant().toString();
        if (v instanceof Double d) {
            if (d.isNaN()) return "NaN";
            if (d.isInfinite()) return d > 0 ? "inf" : "-inf";
            return Double.toString(d);
        }
        return v.toString();
    }

    private static Object jsonValue(Object v) {
        if (v instanceof Timestamp t) return t.toInstant().toString();
        if (v instanceof Double d && !Double.isFinite(d)) return null;
        return v;
    }
}
