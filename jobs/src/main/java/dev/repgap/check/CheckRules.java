package dev.repgap.check;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.repgap.data.InputException;
import dev.repgap.results.StoredMetric;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The rules of {@code repgap check}: defaults, per-metric overrides (metric names or globs with
 * {@code *}; an exact name wins, else the first matching glob in file order) and rows to ignore. Read
 * from YAML or JSON (JSON is YAML); every key is checked, so a misspelt one is an error, not a no-op:
 *
 * <pre>
 * defaults: {relative_change: 0.10, direction: both, baseline: previous, window: 5, outside_interval: true, min_absolute_change: 0}
 * metrics:
 *   "id.*": {relative_change: 0.05}
 *   gap.dimension: {direction: up}
 * ignore:
 *   - metric: "describe.eigenvalue"
 *   - {metric: "gap.rg", param: "n=16"}
 *   - group: {layer: conv1}
 * </pre>
 */
public final class CheckRules {
    /** A set that lists its keys in the order written, on every run (Set.of's order changes from run to run). */
    private static Set<String> ordered(String... keys) {
        return java.util.Collections.unmodifiableSet(new java.util.LinkedHashSet<>(java.util.Arrays.asList(keys)));
    }

    private static final Set<String> TOP = ordered("defaults", "metrics", "ignore");
    private static final Set<String> RULE_KEYS = ordered("relative_change", "direction", "baseline", "window",
            "outside_interval", "min_absolute_change");
    private static final Set<String> IGNORE_KEYS = ordered("metric", "param", "group");

    /** A row is ignored when every field given matches (metric and param as globs, group columns exactly). */
    record Ignore(Pattern metric, Pattern param, Map<String, String> group) {
        boolean matches(StoredMetric m) {
            if (metric != null && !metric.matcher(m.metric()).matches()) return false;
            if (param != null && !param.matcher(m.param() == null ? "" : m.param()).matches()) return false;
            for (Map.Entry<String, String> e : group.entrySet()) {
                if (!e.getValue().equals(m.group().get(e.getKey()))) return false;
            }
            return true;
        }
    }

    private final CheckRule defaults;
    private final LinkedHashMap<String, CheckRule> perMetric;
    private final List<Ignore> ignores;

    CheckRules(CheckRule defaults, LinkedHashMap<String, CheckRule> perMetric, List<Ignore> ignores) {
        this.defaults = defaults;
        this.perMetric = perMetric;
        this.ignores = ignores;
    }

    public static CheckRules defaults() {
        return new CheckRules(CheckRule.DEFAULT, new LinkedHashMap<>(), List.of());
    }

    /** The rule for a metric: its exact entry, else the first glob that matches, else the defaults. */
    public CheckRule ruleFor(String metric) {
        CheckRule exact = perMetric.get(metric);
        if (exact != null) return exact;
        for (Map.Entry<String, CheckRule> e : perMetric.entrySet()) {
            if (e.getKey().contains("*") && glob(e.getKey()).matcher(metric).matches()) return e.getValue();
        }
        return defaults;
    }

    public boolean ignored(StoredMetric m) {
        for (Ignore i : ignores) if (i.matches(m)) return true;
        return false;
    }

    public CheckRule defaultRule() {
        return defaults;
    }

    /** Reads a rules file; InputException naming the file, the key and what was expected when it is not one. */
    public static CheckRules read(Path file) {
        JsonNode root;
        try {
            root = new ObjectMapper(new YAMLFactory()).readTree(Files.readString(file));
        } catch (IOException e) {
            throw new InputException("rules file " + file + ": cannot read it as YAML or JSON: " + InputException.firstLine(e.getMessage()), e);
        }
        if (root == null || root.isMissingNode() || root.isNull()) return defaults();
        String where = "rules file " + file;
        if (!root.isObject()) throw new InputException(where + ": expected a mapping with keys " + TOP + ", got " + kind(root));
        checkKeys(root, TOP, where);
        CheckRule base = root.has("defaults") ? rule(root.get("defaults"), CheckRule.DEFAULT, where + ", defaults") : CheckRule.DEFAULT;
        LinkedHashMap<String, CheckRule> perMetric = new LinkedHashMap<>();
        JsonNode metrics = root.get("metrics");
        if (metrics != null && !metrics.isNull()) {
            if (!metrics.isObject()) throw new InputException(where + ", metrics: expected a mapping from metric name (or glob) to rule, got " + kind(metrics));
            for (Iterator<Map.Entry<String, JsonNode>> it = metrics.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> e = it.next();
                perMetric.put(e.getKey(), rule(e.getValue(), base, where + ", metrics." + e.getKey()));
            }
        }
        List<Ignore> ignores = new ArrayList<>();
        JsonNode ignore = root.get("ignore");
        if (ignore != null && !ignore.isNull()) {
            if (!ignore.isArray()) throw new InputException(where + ", ignore: expected a list of {metric, param, group} entries, got " + kind(ignore));
            for (int i = 0; i < ignore.size(); i++) ignores.add(ignore(ignore.get(i), where + ", ignore[" + i + "]"));
        }
        return new CheckRules(base, perMetric, ignores);
    }

    private static CheckRule rule(JsonNode node, CheckRule base, String where) {
        if (node == null || node.isNull()) return base;
        if (!node.isObject()) throw new InputException(where + ": expected a mapping with keys " + RULE_KEYS + ", got " + kind(node));
        checkKeys(node, RULE_KEYS, where);
        double relative = node.has("relative_change") ? number(node.get("relative_change"), where + ".relative_change", 0) : base.relativeChange();
        double absolute = node.has("min_absolute_change") ? number(node.get("min_absolute_change"), where + ".min_absolute_change", 0) : base.minAbsoluteChange();
        CheckRule.Direction direction = node.has("direction")
                ? choice(node.get("direction"), CheckRule.Direction.class, where + ".direction") : base.direction();
        CheckRule.Baseline baseline = node.has("baseline")
                ? choice(node.get("baseline"), CheckRule.Baseline.class, where + ".baseline") : base.baseline();
        int window = base.window();
        if (node.has("window")) {
            JsonNode w = node.get("window");
            if (!w.canConvertToInt() || !w.isIntegralNumber() || w.asInt() < 1) {
                throw new InputException(where + ".window: expected a whole number of runs >= 1, got " + w);
            }
            window = w.asInt();
        }
        boolean outside = base.outsideInterval();
        if (node.has("outside_interval")) {
            JsonNode o = node.get("outside_interval");
            if (!o.isBoolean()) throw new InputException(where + ".outside_interval: expected true or false, got " + o);
            outside = o.asBoolean();
        }
        return new CheckRule(relative, direction, baseline, window, outside, absolute);
    }

    private static Ignore ignore(JsonNode node, String where) {
        if (!node.isObject() || node.isEmpty()) {
            throw new InputException(where + ": expected a mapping with some of the keys " + IGNORE_KEYS + ", got " + kind(node));
        }
        checkKeys(node, IGNORE_KEYS, where);
        Map<String, String> group = new LinkedHashMap<>();
        JsonNode g = node.get("group");
        if (g != null) {
            if (!g.isObject()) throw new InputException(where + ".group: expected a mapping from group column to value, got " + kind(g));
            g.fields().forEachRemaining(e -> {
                if (!e.getValue().isValueNode() || e.getValue().isNull()) {
                    throw new InputException(where + ".group." + e.getKey() + ": expected a value, got " + kind(e.getValue()));
                }
                group.put(e.getKey(), e.getValue().asText());
            });
        }
        return new Ignore(text(node, "metric", where), text(node, "param", where), group);
    }

    private static Pattern text(JsonNode node, String key, String where) {
        JsonNode v = node.get(key);
        if (v == null) return null;
        if (!v.isTextual()) throw new InputException(where + "." + key + ": expected a name or glob, got " + kind(v));
        return glob(v.asText());
    }

    private static double number(JsonNode v, String where, double min) {
        if (!v.isNumber() || !(v.asDouble() >= min) || !Double.isFinite(v.asDouble())) {
            throw new InputException(where + ": expected a number >= " + (long) min + " (0.1 means 10%), got " + v);
        }
        return v.asDouble();
    }

    private static <E extends Enum<E>> E choice(JsonNode v, Class<E> type, String where) {
        List<String> names = new ArrayList<>();
        for (E e : type.getEnumConstants()) names.add(e.toString());
        if (v.isTextual()) {
            for (E e : type.getEnumConstants()) if (e.toString().equals(v.asText().toLowerCase(Locale.ROOT))) return e;
        }
        throw new InputException(where + ": expected one of " + names + ", got " + v);
    }

    private static void checkKeys(JsonNode node, Set<String> allowed, String where) {
        for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
            String k = it.next();
            if (!allowed.contains(k)) throw new InputException(where + ": unknown key '" + k + "'; expected " + new java.util.TreeSet<>(allowed));
        }
    }

    static Pattern glob(String glob) {
        String[] parts = glob.split("\\*", -1);
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < parts.length; i++) b.append(i > 0 ? ".*" : "").append(Pattern.quote(parts[i]));
        return Pattern.compile(b.toString());
    }

    private static String kind(JsonNode n) {
        if (n == null || n.isNull()) return "nothing";
        if (n.isObject()) return "a mapping";
        if (n.isArray()) return "a list";
        return "'" + n.asText() + "'";
    }
}
