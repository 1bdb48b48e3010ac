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

    public static void table(List<MetricRow> rows, PrintWriter out) {
        Map<GroupKey, List<String[]>> byGroup = new LinkedHashMap<>();
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
        }
        for (Map.Entry<GroupKey, List<String[]>> e : byGroup.entrySet()) {
            out.println("group " + e.getKey());
            out.println(line(HEADER, width));
            for (String[] cells : e.getValue()) out.println(line(cells, width));
            out.println();
        }
        out.flush();
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
