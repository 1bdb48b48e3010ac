package dev.repgap.results;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.repgap.data.GroupKey;
import dev.repgap.data.InputException;
import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Metrics measured outside repgap (losses, accuracies, sharpness of a training run) read from a CSV file with a header
 * or from JSON lines, as ordinary metric rows: one row per (group, column), metric {@code PREFIX + column} (default
 * prefix {@code external.}), no param. The group is the values of the group columns on the line, as strings, exactly as
 * written (so {@code checkpoint=0010} matches the dataset's partition value {@code 0010}, not {@code 10}).
 *
 * <p>Every value must be a finite number; a line with a group column or a value missing, a value that is not a number,
 * or a group that an earlier line already gave is refused with the file and line named.
 */
public final class ExternalMetrics {
    public static final String PREFIX = "external.";

    private ExternalMetrics() {}

    /** The rows of a CSV file with a header line; {@code metrics} empty: every column that is not a group column. */
    public static List<MetricRow> csv(Path file, List<String> groupColumns, List<String> metrics) {
        List<String> lines = lines(file);
        if (lines.isEmpty()) throw new InputException(file + ": empty, expected a header line of column names");
        List<String> header = fields(lines.get(0), file, 1);
        Map<String, Integer> at = new LinkedHashMap<>();
        for (int i = 0; i < header.size(); i++) {
            String name = header.get(i).trim();
            if (name.isEmpty()) throw new InputException(file + " line 1: column " + (i + 1) + " has no name");
            if (at.put(name, i) != null) throw new InputException(file + " line 1: column " + name + " appears twice");
        }
        for (String g : groupColumns) {
            if (!at.containsKey(g)) {
                throw new InputException(file + ": no group column '" + g + "' (columns: " + String.join(", ", at.keySet())
                        + "); choose them with --group-cols");
            }
        }
        List<String> chosen = chosen(file, at.keySet(), groupColumns, metrics);
        Rows rows = new Rows(file);
        for (int l = 1; l < lines.size(); l++) {
            if (lines.get(l).isBlank()) continue;
            int line = l + 1;
            List<String> f = fields(lines.get(l), file, line);
            if (f.size() != header.size()) {
                throw new InputException(file + " line " + line + ": " + f.size() + " fields, the header has " + header.size());
            }
            LinkedHashMap<String, String> group = new LinkedHashMap<>();
            for (String g : groupColumns) group.put(g, f.get(at.get(g)).trim());
            Map<String, String> values = new LinkedHashMap<>();
            for (String m : chosen) values.put(m, f.get(at.get(m)).trim());
            rows.add(line, group, values);
        }
        return rows.out;
    }

    /** The rows of a JSON-lines file: one object per line; a line may leave out metrics (not group columns). */
    public static List<MetricRow> jsonl(Path file, List<String> groupColumns, List<String> metrics) {
        ObjectMapper json = new ObjectMapper();
        List<String> lines = lines(file);
        List<JsonNode> objects = new ArrayList<>();
        Set<String> keys = new java.util.LinkedHashSet<>();
        for (int l = 0; l < lines.size(); l++) {
            if (lines.get(l).isBlank()) {
                objects.add(null);
                continue;
            }
            JsonNode o;
            try {
                o = json.readTree(lines.get(l));
            } catch (IOException e) {
                throw new InputException(file + " line " + (l + 1) + ": not JSON: " + InputException.firstLine(e.getMessage()));
            }
            if (o == null || !o.isObject()) throw new InputException(file + " line " + (l + 1) + ": expected a JSON object");
            objects.add(o);
            o.fieldNames().forEachRemaining(keys::add);
        }
        List<String> chosen = chosen(file, keys, groupColumns, metrics);
        Rows rows = new Rows(file);
        for (int l = 0; l < objects.size(); l++) {
            JsonNode o = objects.get(l);
            if (o == null) continue;
            LinkedHashMap<String, String> group = new LinkedHashMap<>();
            for (String g : groupColumns) {
                JsonNode v = o.get(g);
                group.put(g, v == null || v.isNull() ? "" : v.isValueNode() ? v.asText() : v.toString());
            }
            Map<String, String> values = new LinkedHashMap<>();
            for (String m : chosen) {
                JsonNode v = o.get(m);
                if (v != null) values.put(m, v.isNull() ? "" : v.isNumber() ? Double.toString(v.doubleValue()) : v.asText());
            }
            rows.add(l + 1, group, values);
        }
        return rows.out;
    }

    private static List<String> chosen(Path file, Set<String> columns, List<String> groupColumns, List<String> metrics) {
        if (metrics.isEmpty()) return columns.stream().filter(c -> !groupColumns.contains(c)).toList();
        for (String m : metrics) {
            if (!columns.contains(m)) {
                throw new InputException(file + ": no column '" + m + "' (columns: " + String.join(", ", columns) + ")");
            }
            if (groupColumns.contains(m)) throw new InputException(m + " is a group column; it cannot also be a metric");
        }
        return metrics;
    }

    /** Collects rows, refusing missing group values, non-numeric values and a group given twice. */
    private static final class Rows {
        final Path file;
        final List<MetricRow> out = new ArrayList<>();
        final Map<LinkedHashMap<String, String>, Integer> seen = new HashMap<>();

        Rows(Path file) {
            this.file = file;
        }

        void add(int line, LinkedHashMap<String, String> group, Map<String, String> values) {
            for (Map.Entry<String, String> g : group.entrySet()) {
                if (g.getValue().isEmpty()) throw new InputException(file + " line " + line + ": group column " + g.getKey() + " is empty");
            }
            Integer earlier = seen.put(group, line);
            if (earlier != null) {
                throw new InputException(file + " line " + line + ": group " + new GroupKey(group) + " was already given on line " + earlier);
            }
            for (Map.Entry<String, String> v : values.entrySet()) {
                double value;
                try {
                    value = Double.parseDouble(v.getValue());
                } catch (NumberFormatException e) {
                    value = Double.NaN;
                }
                if (!Double.isFinite(value)) {
                    throw new InputException(file + " line " + line + ": " + v.getKey() + " is "
                            + (v.getValue().isEmpty() ? "empty" : "'" + v.getValue() + "'") + ", expected a finite number");
                }
                out.add(MetricRow.of(new GroupKey(group), PREFIX + v.getKey(), null, value, null).withDetails("recorded from " + file.getFileName()));
            }
        }
    }

    private static List<String> lines(Path file) {
        if (!Files.isRegularFile(file)) throw new InputException(file + ": no such file");
        try (BufferedReader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            return r.lines().toList();
        } catch (IOException | java.io.UncheckedIOException e) {
            throw new InputException(file + ": cannot read: " + e.getMessage(), e);
        }
    }

    /** The fields of one CSV line: comma-separated, a field in double quotes may hold commas and doubled quotes. */
    static List<String> fields(String line, Path file, int lineNumber) {
        List<String> out = new ArrayList<>();
        StringBuilder f = new StringBuilder();
        boolean quoted = false;
        for (int i = 0; i < line.length(); i++) {
            char c = line.charAt(i);
            if (quoted) {
                if (c == '"' && i + 1 < line.length() && line.charAt(i + 1) == '"') {
                    f.append('"');
                    i++;
                } else if (c == '"') {
                    quoted = false;
                } else {
                    f.append(c);
                }
            } else if (c == '"' && f.toString().isBlank()) {
                quoted = true;
                f.setLength(0);
            } else if (c == ',') {
                out.add(f.toString());
                f.setLength(0);
            } else {
                f.append(c);
            }
        }
        if (quoted) throw new InputException(file + " line " + lineNumber + ": a quoted field is not closed");
        out.add(f.toString().replace("\r", ""));
        return out;
    }
}
