package dev.repgap.results;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.repgap.data.GroupKey;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** Shows result rows to a person (a table per group) or to a program (one JSON object per line). */
public final class ResultPrinter {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String[] HEADER = {"metric", "param", "value", "interval", "n", "scale"};

    private ResultPrinter() {}

    public static void json(RunInfo run, List<MetricRow> rows, PrintWriter out) {
        for (MetricRow r : rows) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("run_id", run.runId());
            m.put("start_time", run.startTime().toString());
            m.put("command", run.command());
            m.put("input", run.input());
            m.putAll(r.group().values());
            m.put("metric", r.metric());
            m.put("param", r.param());
            m.put("value", finite(r.value()));
            m.put("ci_low", finite(r.ciLow()));
            m.put("ci_high", finite(r.ciHigh()));
            m.put("n", r.n());
            m.put("scale", finite(r.scale()));
            m.put("details", r.details());
            try {
                out.println(JSON.writeValueAsString(m));
            } catch (JsonProcessingException e) {
                throw new IllegalStateException(e);
            }
        }
        out.flush();
    }

    /** JSON has no NaN or infinity: those become null. */
    private static Double finite(Double v) {
        return v == null || Double.isNaN(v) || Double.isInfinite(v) ? null : v;
    }

    /** Above this many groups the readable output is the compact view unless every row is asked for. */
    public static final int COMPACT_ABOVE = 3;

    /** Every row, a table per group, each group's decisive notes under its rows. */
    public static void table(List<MetricRow> rows, PrintWriter out) {
        Map<GroupKey, List<String[]>> byGroup = new LinkedHashMap<>();
        Map<GroupKey, Map<String, Map<String, String>>> notes = new LinkedHashMap<>(); // group, metric, param: note
        int[] width = new int[HEADER.length];
        for (int i = 0; i < HEADER.length; i++) width[i] = HEADER[i].length();
        for (MetricRow r : rows) {
            String[] cells = {
                r.metric(),
                r.param() == null ? "" : r.param(),
                number(r.value()),
                r.ciLow() == null ? "" : "[" + number(r.ciLow()) + ", " + number(r.ciHigh()) + "]",
                r.n() == null ? "" : Long.toString(r.n()),
                r.scale() == null ? "" : number(r.scale())
            };
            for (int i = 0; i < cells.length; i++) width[i] = Math.max(width[i], cells[i].length());
            byGroup.computeIfAbsent(r.group(), g -> new ArrayList<>()).add(cells);
            String note = note(r);
            if (note != null) {
                notes.computeIfAbsent(r.group(), g -> new LinkedHashMap<>()).computeIfAbsent(r.metric(), m -> new LinkedHashMap<>())
                        .put(r.param() == null ? "" : " " + r.param(), note);
            }
        }
        for (Map.Entry<GroupKey, List<String[]>> e : byGroup.entrySet()) {
            out.println("group " + e.getKey());
            out.println(line(HEADER, width));
            for (String[] cells : e.getValue()) out.println(line(cells, width));
            // one note for a metric whose params all carry the same one
            notes.getOrDefault(e.getKey(), Map.of()).forEach((metric, byParam) -> {
                if (byParam.size() > 1 && new java.util.HashSet<>(byParam.values()).size() == 1) {
                    out.println("  note " + metric + ": " + byParam.values().iterator().next());
                } else {
                    byParam.forEach((param, n) -> out.println("  note " + metric + param + ": " + n));
                }
            });
            out.println();
        }
        out.flush();
    }

    /** The number of distinct groups among {@code rows}. */
    public static int groups(List<MetricRow> rows) {
        return (int) rows.stream().map(MetricRow::group).distinct().count();
    }

    /**
     * One line per group: its headline estimates (the metrics with one row per group) with their intervals, then
     * the decisive notes, and what was left out ({@code --verbose} and {@code --json} show every row).
     */
    public static void compact(List<MetricRow> rows, PrintWriter out) {
        Map<GroupKey, Map<String, MetricRow>> byGroup = new LinkedHashMap<>();
        Map<String, java.util.Set<String>> params = new LinkedHashMap<>();
        Map<String, Integer> perGroup = new LinkedHashMap<>();
        Map<List<Object>, Integer> count = new java.util.HashMap<>();
        for (MetricRow r : rows) {
            params.computeIfAbsent(r.metric(), k -> new java.util.TreeSet<>()).add(r.param() == null ? "" : r.param());
            int c = count.merge(List.of(r.group(), r.metric()), 1, Integer::sum);
            perGroup.merge(r.metric(), c, Math::max);
            Map<String, MetricRow> ofGroup = byGroup.computeIfAbsent(r.group(), g -> new LinkedHashMap<>());
            if (r.param() == null || !ofGroup.containsKey(r.metric()) || ofGroup.get(r.metric()).param() != null) {
                ofGroup.put(r.metric(), r); // a row without a param stands for its metric (the others: quantiles, curves)
            }
        }
        List<String> headline = new ArrayList<>(), left = new ArrayList<>();
        for (Map.Entry<String, java.util.Set<String>> e : params.entrySet()) {
            String metric = e.getKey();
            boolean bare = e.getValue().contains("") && byGroup.values().stream()
                    .allMatch(g -> !g.containsKey(metric) || g.get(metric).param() == null);
            if (perGroup.get(metric) == 1 && e.getValue().size() == 1) {
                headline.add(metric);
            } else if (bare) { // the row without a param is the headline; its params' rows are left out
                headline.add(metric);
                left.add(metric + " with a param (" + (perGroup.get(metric) - 1) + ")");
            } else {
                left.add(metric + " (" + perGroup.get(metric) + ")");
            }
        }
        List<String> columns = new ArrayList<>();
        for (GroupKey g : byGroup.keySet()) for (String c : g.columns()) if (!columns.contains(c)) columns.add(c);
        String prefix = commonPrefix(headline);
        List<String> header = new ArrayList<>(columns.isEmpty() ? List.of("group") : columns);
        for (String m : headline) {
            String p = params.get(m).contains("") ? "" : params.get(m).iterator().next();
            header.add(m.substring(prefix.length()) + (p.isEmpty() ? "" : " " + p));
        }
        List<List<String>> lines = new ArrayList<>();
        lines.add(header);
        for (Map.Entry<GroupKey, Map<String, MetricRow>> g : byGroup.entrySet()) {
            List<String> cells = new ArrayList<>();
            if (columns.isEmpty()) cells.add(g.getKey().toString());
            for (String c : columns) cells.add(java.util.Objects.toString(g.getKey().values().get(c), "-"));
            for (String m : headline) {
                MetricRow r = g.getValue().get(m);
                cells.add(r == null ? "" : brief(r.value()) + (r.ciLow() == null ? ""
                        : " [" + brief(r.ciLow()) + ", " + brief(r.ciHigh()) + "]"));
            }
            lines.add(cells);
        }
        int[] width = new int[header.size()];
        for (List<String> l : lines) for (int i = 0; i < l.size(); i++) width[i] = Math.max(width[i], l.get(i).length());
        for (List<String> l : lines) {
            StringBuilder b = new StringBuilder();
            for (int i = 0; i < l.size(); i++) b.append(i == 0 ? "" : "  ").append(l.get(i)).append(" ".repeat(width[i] - l.get(i).length()));
            out.println(b.toString().stripTrailing());
        }
        // notes: once when every group has the same one, else per group
        Map<String, Map<GroupKey, String>> notes = new LinkedHashMap<>();
        for (MetricRow r : rows) {
            String note = note(r);
            if (note != null) notes.computeIfAbsent(r.metric() + (r.param() == null ? "" : " " + r.param()),
                    k -> new LinkedHashMap<>()).put(r.group(), note);
        }
        for (Map.Entry<String, Map<GroupKey, String>> e : notes.entrySet()) {
            java.util.Set<String> distinct = new java.util.LinkedHashSet<>(e.getValue().values());
            if (distinct.size() == 1 && e.getValue().size() == byGroup.size()) {
                out.println("note " + e.getKey() + ": " + distinct.iterator().next());
            } else {
                e.getValue().forEach((g, n) -> out.println("note " + e.getKey() + ", " + g + ": " + n));
            }
        }
        out.println(byGroup.size() + " groups, one line each" + (left.isEmpty() ? "" : "; rows per group not shown: "
                + String.join(", ", left)) + "; --verbose prints every row, --json every row as JSON");
        out.println();
        out.flush();
    }

    /**
     * What a reader must see of a row's details beside its number: a verdict ({@code DRIFTING}, {@code asymptotic}),
     * the condition a number holds under, why an interval was widened, a method that is reconstructed. Null when
     * the details hold none of these (formulas, timings and settings stay in the JSON and the repository).
     */
    private static final java.util.regex.Pattern WIDENED_BY = java.util.regex.Pattern.compile("\\bf = ([0-9.]+)");

    public static String note(MetricRow r) {
        if (r.details() == null) return null;
        List<String> out = new ArrayList<>();
        for (String clause : clauses(r.details())) {
            String c = clause.strip();
            if (c.startsWith("DRIFTING") || c.startsWith("asymptotic within")) {
                out.add(c);
            } else if (c.startsWith("applies to ") || c.contains("widened") || c.contains("reconstructed")) {
                // the statement, not the formula after its colon; a widening keeps its factor
                int colon = c.indexOf(": ");
                String head = colon > 0 ? c.substring(0, colon) : c;
                java.util.regex.Matcher f = WIDENED_BY.matcher(c);
                out.add(c.contains("widened") && colon > 0 && f.find() ? head + " (f = " + f.group(1) + ")" : head);
            }
        }
        return out.isEmpty() ? null : String.join("; ", out);
    }

    /** The details' clauses: split at "; " outside parentheses (a clause's own parenthesis may hold a "; "). */
    static List<String> clauses(String details) {
        List<String> out = new ArrayList<>();
        int depth = 0, start = 0;
        for (int i = 0; i < details.length(); i++) {
            char c = details.charAt(i);
            if (c == '(') depth++;
            else if (c == ')') depth = Math.max(0, depth - 1);
            else if (depth == 0 && c == ';' && i + 1 < details.length() && details.charAt(i + 1) == ' ') {
                out.add(details.substring(start, i));
                start = i + 2;
            }
        }
        out.add(details.substring(start));
        return out;
    }

    private static String commonPrefix(List<String> metrics) {
        if (metrics.isEmpty()) return "";
        int dot = metrics.get(0).indexOf('.');
        if (dot < 0) return "";
        String p = metrics.get(0).substring(0, dot + 1);
        for (String m : metrics) if (!m.startsWith(p)) return "";
        return p;
    }

    /** Four significant digits. */
    static String brief(double v) {
        if (Double.isNaN(v)) return "NaN";
        if (v == Math.rint(v) && Math.abs(v) < 1e15) return Long.toString((long) v);
        double a = Math.abs(v);
        if (a >= 1e-3 && a < 1e6) return new java.math.BigDecimal(String.format(Locale.ROOT, "%.4g", v)).stripTrailingZeros().toPlainString();
        return String.format(Locale.ROOT, "%.3e", v);
    }

    private static String line(String[] cells, int[] width) {
        StringBuilder b = new StringBuilder(" ");
        for (int i = 0; i < cells.length; i++) {
            boolean numeric = i >= 2 && i != 3;
            String cell = cells[i];
            String pad = " ".repeat(width[i] - cell.length());
            b.append("  ").append(numeric ? pad + cell : cell + pad);
        }
        return b.toString().stripTrailing();
    }

    static String number(double v) {
        if (Double.isNaN(v)) return "NaN";
        if (v == Math.rint(v) && Math.abs(v) < 1e15) return Long.toString((long) v);
        double a = Math.abs(v);
        if (a >= 1e-3 && a < 1e6) return String.format(Locale.ROOT, "%.4f", v);
        return String.format(Locale.ROOT, "%.4e", v);
    }
}
