package dev.repgap.sweep;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.repgap.analysis.Analyses;
import dev.repgap.data.ColumnNames;
import dev.repgap.data.ColumnRole;
import dev.repgap.data.InputException;
import dev.repgap.results.Redaction;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What {@code repgap sweep} runs, read from YAML or JSON (JSON is YAML). Every key is checked, so a misspelt
 * one is an error, not a silent default:
 *
 * <pre>
 * inputs: [data/acts]                 # paths or globs; one string is one input
 * results: out/results                # the results repository (or --results)
 * group_by: [model, checkpoint, layer] # default: the partition columns of the files (key=value directories)
 *                                     #   but the split and label columns
 * columns: {features: features, id: id, split: split, label: label}   # all optional; also target, source,
 *                                     #   initial: the key of each column role, its column as its --KEY-col
 * drop_invalid: false
 * batch_groups: 1                     # groups loaded and analysed together (and committed together)
 * analyses:                           # run in this order; options as on each command's line, without "--"
 *   describe: {}
 *   id: {estimators: [twonn, mle, pr], queries: 5000}
 *   gap: {rankings: 4, grid_points: 16, target: [0.01, 0.005]}
 *   audit: {k: 10}
 * spark: {master: "local[*]", conf: {spark.driver.memory: 8g}}
 * </pre>
 *
 * @param text the spec's text with the values of secret keys redacted ({@link Redaction#document}): what the
 *             {@code runs} table records
 * @param analyses analysis name to its command-line arguments ({@code --key value}, repeated for a list,
 *                 {@code --key} alone for {@code true})
 */
public record SweepSpec(String file, String text, List<String> inputs, String results, List<String> groupBy,
                        Map<String, String> columns, boolean dropInvalid, int batchGroups,
                        LinkedHashMap<String, List<String>> analyses, String master, Map<String, String> conf) {

    /** A set that lists its keys in the order written, on every run (Set.of's order changes from run to run). */
    private static Set<String> ordered(String... keys) {
        return java.util.Collections.unmodifiableSet(new java.util.LinkedHashSet<>(java.util.Arrays.asList(keys)));
    }

    private static final Set<String> TOP = ordered("inputs", "results", "group_by", "columns", "drop_invalid",
            "batch_groups", "analyses", "spark");
    /** The keys of {@code columns:}: one per column role, in role order. */
    private static final Set<String> COLUMNS = new java.util.LinkedHashSet<>(ColumnNames.specKeys());
    private static final Set<String> SPARK = ordered("master", "conf");
    /** Options set once for the whole sweep, not per analysis. */
    private static final Set<String> SWEEP_LEVEL = sweepLevel();

    private static Set<String> sweepLevel() {
        Set<String> s = new java.util.HashSet<>(Set.of("input", "group-by", "drop-invalid", "out", "json", "master",
                "conf", "help", "version"));
        for (ColumnRole r : ColumnRole.values()) s.add(r.option().substring(2)); // --target-col: columns.target
        return Set.copyOf(s);
    }

    /** The same spec over other inputs (the command line's --input). */
    public SweepSpec withInputs(List<String> others) {
        return new SweepSpec(file, text, List.copyOf(others), results, groupBy, columns, dropInvalid, batchGroups, analyses,
                master, conf);
    }

    public static SweepSpec read(String file) {
        String text;
        try {
            text = Files.readString(Path.of(file));
        } catch (IOException e) {
            throw new InputException("sweep spec " + file + ": cannot be read: " + e.getMessage(), e);
        }
        JsonNode root;
        try {
            root = new ObjectMapper(new YAMLFactory()).readTree(text);
        } catch (JsonProcessingException e) {
            throw new InputException("sweep spec " + file + ": not valid YAML or JSON: " + e.getOriginalMessage(), e);
        }
        return parse(file, text, root);
    }

    static SweepSpec parse(String file, String text, JsonNode root) {
        String where = "sweep spec " + file + ": ";
        if (root == null || !root.isObject()) throw new InputException(where + "expected a mapping with keys " + TOP);
        checkKeys(where, "", root, TOP);
        List<String> inputs = strings(where, "inputs", root.get("inputs"));
        String results = text(where, "results", root.get("results"));
        List<String> groupBy = root.has("group_by") ? strings(where, "group_by", root.get("group_by")) : null;

        Map<String, String> columns = new LinkedHashMap<>();
        JsonNode c = root.get("columns");
        if (c != null && !c.isNull()) {
            if (!c.isObject()) throw new InputException(where + "'columns' must be a mapping of " + COLUMNS);
            checkKeys(where, "columns.", c, COLUMNS);
            c.fields().forEachRemaining(e -> columns.put(e.getKey(), text(where, "columns." + e.getKey(), e.getValue())));
        }
        boolean dropInvalid = bool(where, "drop_invalid", root.get("drop_invalid"));
        int batch = 1;
        JsonNode b = root.get("batch_groups");
        if (b != null && !b.isNull()) {
            if (!b.canConvertToInt() || !b.isIntegralNumber() || b.asInt() < 1) {
                throw new InputException(where + "'batch_groups' must be an integer >= 1, got " + b);
            }
            batch = b.asInt();
        }

        JsonNode a = root.get("analyses");
        if (a == null || !a.isObject() || a.isEmpty()) {
            throw new InputException(where + "'analyses' is required: a mapping from any of " + Analyses.names()
                    + " to its options");
        }
        LinkedHashMap<String, List<String>> analyses = new LinkedHashMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = a.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            if (!Analyses.names().contains(e.getKey())) {
                throw new InputException(where + "unknown analysis 'analyses." + e.getKey() + "'; expected any of " + Analyses.names());
            }
            analyses.put(e.getKey(), arguments(where, "analyses." + e.getKey(), e.getValue()));
        }

        String master = null;
        Map<String, String> conf = new LinkedHashMap<>();
        JsonNode s = root.get("spark");
        if (s != null && !s.isNull()) {
            if (!s.isObject()) throw new InputException(where + "'spark' must be a mapping of " + SPARK);
            checkKeys(where, "spark.", s, SPARK);
            master = text(where, "spark.master", s.get("master"));
            JsonNode cf = s.get("conf");
            if (cf != null && !cf.isNull()) {
                if (!cf.isObject()) throw new InputException(where + "'spark.conf' must be a mapping of Spark settings");
                cf.fields().forEachRemaining(e -> conf.put(e.getKey(), scalar(where, "spark.conf." + e.getKey(), e.getValue())));
            }
        }
        return new SweepSpec(file, Redaction.document(text, root), inputs, results, groupBy, columns, dropInvalid, batch,
                analyses, master, conf);
    }

    /** An analysis's options as its command's arguments: {@code key: v} is {@code --key v}, snake_case as kebab-case. */
    private static List<String> arguments(String where, String path, JsonNode options) {
        List<String> args = new ArrayList<>();
        if (options == null || options.isNull()) return args;
        if (!options.isObject()) throw new InputException(where + "'" + path + "' must be a mapping of options (or {})");
        for (Iterator<Map.Entry<String, JsonNode>> it = options.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            String name = e.getKey().replace('_', '-');
            String key = path + "." + e.getKey();
            if (SWEEP_LEVEL.contains(name)) {
                throw new InputException(where + "'" + key + "' is set for the whole sweep, not per analysis (top-level"
                        + " keys: " + TOP + ")");
            }
            JsonNode v = e.getValue();
            if (v.isBoolean()) {
                if (v.asBoolean()) args.add("--" + name);
            } else if (v.isArray()) {
                for (JsonNode x : v) {
                    args.add("--" + name);
                    args.add(scalar(where, key, x));
                }
            } else {
                args.add("--" + name);
                args.add(scalar(where, key, v));
            }
        }
        return args;
    }

    private static void checkKeys(String where, String prefix, JsonNode node, Set<String> allowed) {
        node.fieldNames().forEachRemaining(k -> {
            if (!allowed.contains(k)) {
                throw new InputException(where + "unknown key '" + prefix + k + "'; expected any of " + allowed);
            }
        });
    }

    private static List<String> strings(String where, String key, JsonNode v) {
        List<String> out = new ArrayList<>();
        if (v == null || v.isNull()) return out;
        if (v.isArray()) {
            for (JsonNode x : v) out.add(scalar(where, key, x));
        } else {
            for (String s : scalar(where, key, v).split(",")) if (!s.isBlank()) out.add(s.trim());
        }
        return out;
    }

    private static String text(String where, String key, JsonNode v) {
        return v == null || v.isNull() ? null : scalar(where, key, v);
    }

    private static String scalar(String where, String key, JsonNode v) {
        if (v == null || !v.isValueNode() || v.isNull()) {
            throw new InputException(where + "'" + key + "' must be a string or number, got "
                    + (v == null ? "nothing" : Redaction.value(key, v.toString())));
        }
        return v.asText();
    }

    private static boolean bool(String where, String key, JsonNode v) {
        if (v == null || v.isNull()) return false;
        if (!v.isBoolean()) throw new InputException(where + "'" + key + "' must be true or false, got " + Redaction.value(key, v.toString()));
        return v.asBoolean();
    }
}
