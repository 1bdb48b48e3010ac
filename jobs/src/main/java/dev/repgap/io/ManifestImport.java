package dev.repgap.io;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.repgap.data.ColumnNames;
import dev.repgap.data.InputException;
import dev.repgap.io.formats.ColumnarFile;
import dev.repgap.io.formats.FileColumn;
import dev.repgap.io.formats.InputFormatException;
import dev.repgap.io.formats.NpyFile;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/**
 * {@code repgap import --manifest}: a whole capture (many .npy files: activations, gradient features, weights, with
 * their labels, ids, source ids, targets, outputs at initialisation) described by one JSON manifest, checked as a
 * whole before anything is written, then imported one group at a time. The manifest:
 *
 * <pre>
 * {"repgap_manifest": 1,
 *  "files": [
 *   {"path": "act/mlp/0008/fc1-train.npy", "dataset": "activations", "role": "activations",
 *    "group": {"model": "mlp", "checkpoint": "0008", "layer": "fc1"}, "split": "train", "shape": [512, 64]},
 *   {"path": "subset/train-labels.npy", "dataset": "activations", "role": "labels", "group": {}, "split": "train",
 *    "shape": [512]}, ...]}
 * </pre>
 *
 * A file of a vector role ({@link #VECTOR_ROLES}) is one table: its rows, with its group values and split, go to
 * {@code OUT/<dataset>/key=value/.../split=..}. A file of another role ({@link #ATTACHED_ROLES}) becomes a column of
 * every table of its dataset whose split equals its own (or any split, when it has none) and whose group values
 * include its own ({@code "group": {}}: all of them), row i to row i. Paths are relative to the manifest's folder.
 */
public final class ManifestImport {
    /** Roles whose file holds the vectors (2-D): each file is one table. */
    public static final Set<String> VECTOR_ROLES = Set.of("activations", "gradients", "weights", "features");
    /** Roles attached to tables, with the column each becomes. */
    public static final Map<String, String> ATTACHED_ROLES = orderedRoles();

    private static Map<String, String> orderedRoles() {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("labels", ColumnNames.LABEL);
        m.put("ids", ColumnNames.ID);
        m.put("sources", ColumnNames.SOURCE);
        m.put("targets", ColumnNames.TARGET);
        m.put("initial", ColumnNames.INITIAL);
        m.put("residual", ColumnNames.RESIDUAL);
        return java.util.Collections.unmodifiableMap(m);
    }

    /** "experiment": anything that describes the run (not read). */
    private static final Set<String> TOP_KEYS = Set.of("repgap_manifest", "files", "experiment");
    private static final Set<String> ENTRY_KEYS = Set.of("path", "dataset", "role", "group", "split", "shape", "dtype");

    /** One file of the manifest, opened (its header read), its declared shape checked. */
    public record Entry(String given, ColumnarFile file, String dataset, String role, LinkedHashMap<String, String> group,
                        String split) {
        boolean attachesTo(Entry table) {
            return dataset.equals(table.dataset) && (split == null || split.equals(table.split))
                    && table.group.entrySet().containsAll(group.entrySet());
        }
    }

    /** One table: a vector file and its attached files by role. */
    public record Table(Entry vectors, Map<String, Entry> attached) {}

    /** All tables of one group of one dataset: imported together, in one rename. */
    public record Group(String dataset, LinkedHashMap<String, String> values, List<Table> tables) {
        public String describe() {
            StringBuilder s = new StringBuilder(dataset);
            values.forEach((k, v) -> s.append('/').append(k).append('=').append(v));
            return s.toString();
        }
    }

    private final String manifest;
    private final List<Group> groups;

    private ManifestImport(String manifest, List<Group> groups) {
        this.manifest = manifest;
        this.groups = groups;
    }

    public List<Group> groups() {
        return groups;
    }

    /** Reads and checks {@code manifest}: every file's presence, shape, role, and the tables' row counts and ids. */
    public static ManifestImport read(String manifest, Configuration conf) {
        String where = "manifest " + manifest + ": ";
        JsonNode root;
        try {
            Path p = new Path(manifest);
            FileSystem fs = p.getFileSystem(conf);
            if (!fs.exists(p)) throw new InputException(where + "no such file");
            try (var in = fs.open(p)) {
                root = new ObjectMapper().readTree(in);
            }
        } catch (JsonProcessingException e) {
            throw new InputException(where + "not valid JSON: " + e.getOriginalMessage(), e);
        } catch (IOException e) {
            throw new InputException(where + "cannot be read: " + e.getMessage(), e);
        }
        if (root == null || !root.isObject() || !root.path("files").isArray()) {
            throw new InputException(where + "expected an object with \"repgap_manifest\": 1 and a list \"files\"");
        }
        root.fieldNames().forEachRemaining(k -> {
            if (!TOP_KEYS.contains(k)) {
                throw new InputException(where + "unknown key '" + k + "'; expected any of " + new java.util.TreeSet<>(TOP_KEYS));
            }
        });
        if (root.path("repgap_manifest").asInt(-1) != 1) {
            throw new InputException(where + "\"repgap_manifest\" must be 1 (the manifest format's version), got "
                    + root.get("repgap_manifest"));
        }
        Path base = new Path(manifest).getParent();
        List<Entry> vectors = new ArrayList<>();
        List<Entry> attached = new ArrayList<>();
        Set<String> paths = new HashSet<>();
        int index = 0;
        for (JsonNode node : root.get("files")) {
            Entry e = entry(where + "files[" + index++ + "]", node, base, conf);
            if (!paths.add(e.given())) throw new InputException(where + "file " + e.given() + " is listed twice");
            (VECTOR_ROLES.contains(e.role()) ? vectors : attached).add(e);
        }
        if (vectors.isEmpty()) {
            throw new InputException(where + "no file of a vector role " + new java.util.TreeSet<>(VECTOR_ROLES));
        }
        return new ManifestImport(manifest, tables(where, vectors, attached, conf));
    }

    private static Entry entry(String at, JsonNode node, Path base, Configuration conf) {
        if (!node.isObject()) throw new InputException(at + ": expected an object with keys " + ENTRY_KEYS);
        node.fieldNames().forEachRemaining(k -> {
            if (!ENTRY_KEYS.contains(k)) {
                throw new InputException(at + ": unknown key '" + k + "'; expected any of " + new java.util.TreeSet<>(ENTRY_KEYS));
            }
        });
        String given = text(at, node, "path", true);
        String where = at + " (" + given + ")";
        String role = text(where, node, "role", true);
        if (!VECTOR_ROLES.contains(role) && !ATTACHED_ROLES.containsKey(role)) {
            throw new InputException(where + ": unknown role '" + role + "'; expected one of " + new java.util.TreeSet<>(VECTOR_ROLES)
                    + " (the vectors) or " + ATTACHED_ROLES.keySet());
        }
        String dataset = text(where, node, "dataset", true);
        if (!dataset.matches("[A-Za-z0-9][A-Za-z0-9_.-]*")) {
            throw new InputException(where + ": dataset '" + dataset + "' must be letters, digits, '_', '-' or '.'");
        }
        String split = text(where, node, "split", false);
        if (split != null && !split.equals(ColumnNames.TRAIN) && !split.equals(ColumnNames.TEST)) {
            throw new InputException(where + ": split must be train or test (or absent), got '" + split + "'");
        }
        LinkedHashMap<String, String> group = new LinkedHashMap<>();
        JsonNode g = node.get("group");
        if (g != null && !g.isNull()) {
            if (!g.isObject()) throw new InputException(where + ": 'group' must be an object of column: value");
            for (Iterator<Map.Entry<String, JsonNode>> it = g.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> f = it.next();
                if (!f.getValue().isValueNode() || f.getValue().isNull()) {
                    throw new InputException(where + ": group value '" + f.getKey() + "' must be a string or number");
                }
                group.put(f.getKey(), f.getValue().asText());
            }
        }
        JsonNode shape = node.get("shape");
        if (shape == null || !shape.isArray() || shape.isEmpty() || shape.size() > 2) {
            throw new InputException(where + ": 'shape' must be a list of 1 or 2 sizes, as numpy's a.shape");
        }
        long[] declared = new long[shape.size()];
        for (int i = 0; i < declared.length; i++) declared[i] = shape.get(i).asLong(-1);
        Path p = new Path(given);
        String path = p.isAbsolute() || p.toUri().getScheme() != null || base == null ? given : new Path(base, given).toString();
        NpyFile file;
        try {
            file = NpyFile.open(path, conf, VECTOR_ROLES.contains(role) ? ColumnNames.FEATURES : ATTACHED_ROLES.get(role));
        } catch (FileNotFoundException e) {
            throw new InputException(where + ": no such file " + path, e);
        } catch (InputFormatException e) {
            throw new InputException(where + ": " + e.getMessage(), e);
        } catch (IOException e) {
            throw new InputException(where + ": cannot read " + path + ": " + e.getMessage(), e);
        }
        FileColumn column = file.columns().get(0);
        long[] actual = column.isVector() ? new long[] {file.rows(), column.dim()} : new long[] {file.rows()};
        if (!Arrays.equals(declared, actual)) {
            throw new InputException(where + ": the manifest gives shape " + Arrays.toString(declared) + " but "
                    + path + " holds " + Arrays.toString(actual));
        }
        String dtype = text(where, node, "dtype", false);
        if (dtype != null && dtype.matches("(u?int|float)\\d+|bool") && !dtype.equals(file.dtypeName())) {
            throw new InputException(where + ": the manifest gives dtype " + dtype + " but " + path + " holds "
                    + file.dtypeName());
        }
        if (VECTOR_ROLES.contains(role) && !column.isVector()) {
            throw new InputException(where + ": role " + role + " needs a 2-D array (one row per sample), got 1-D");
        }
        if (List.of("labels", "ids", "sources").contains(role) && column.isVector()) {
            throw new InputException(where + ": role " + role + " needs a 1-D array, got 2-D");
        }
        return new Entry(given, file, dataset, role, group, split);
    }

    private static String text(String where, JsonNode node, String key, boolean required) {
        JsonNode v = node.get(key);
        if (v == null || v.isNull()) {
            if (required) throw new InputException(where + ": '" + key + "' is required");
            return null;
        }
        if (!v.isTextual()) throw new InputException(where + ": '" + key + "' must be a string, got " + v);
        return v.asText();
    }

    /** Attaches the attached files to the tables and checks what one table, one group and one dataset need. */
    private static List<Group> tables(String where, List<Entry> vectors, List<Entry> attached, Configuration conf) {
        Map<String, List<String>> keysByDataset = new HashMap<>();
        Map<String, Set<String>> rolesByDataset = new HashMap<>();
        Map<String, Entry> firstOfDataset = new HashMap<>();
        Map<String, Group> groups = new LinkedHashMap<>();
        Set<Entry> used = new HashSet<>();
        for (Entry v : vectors) {
            List<String> keys = keysByDataset.computeIfAbsent(v.dataset(), d -> List.copyOf(v.group().keySet()));
            if (!new HashSet<>(keys).equals(v.group().keySet())) {
                throw new InputException(where + "file " + v.given() + " has group columns " + v.group().keySet()
                        + ", but " + firstOfDataset.get(v.dataset()).given() + " of the same dataset '" + v.dataset()
                        + "' has " + keys + "; every table of a dataset needs the same group columns");
            }
            firstOfDataset.putIfAbsent(v.dataset(), v);
            LinkedHashMap<String, String> values = new LinkedHashMap<>();
            for (String k : keys) values.put(k, v.group().get(k));
            Map<String, Entry> roles = new LinkedHashMap<>();
            for (Entry a : attached) {
                if (!a.attachesTo(v)) continue;
                Entry before = roles.put(a.role(), a);
                if (before != null) {
                    throw new InputException(where + "files " + before.given() + " and " + a.given() + " both give the "
                            + a.role() + " of " + v.given() + "; narrow their group or split");
                }
                if (a.file().rows() != v.file().rows()) {
                    throw new InputException(where + a.role() + " file " + a.given() + " has " + a.file().rows()
                            + " rows, but " + v.given() + " it belongs to has " + v.file().rows());
                }
                used.add(a);
            }
            Set<String> expected = rolesByDataset.computeIfAbsent(v.dataset(), d -> roles.keySet());
            if (!expected.equals(roles.keySet())) {
                throw new InputException(where + "file " + v.given() + " has " + roles.keySet() + " attached, but "
                        + firstOfDataset.get(v.dataset()).given() + " of the same dataset '" + v.dataset() + "' has "
                        + expected + "; every table of a dataset needs the same columns");
            }
            Group g = groups.computeIfAbsent(v.dataset() + "\u0000" + values,
                    k -> new Group(v.dataset(), values, new ArrayList<>()));
            for (Table t : g.tables()) {
                if (java.util.Objects.equals(t.vectors().split(), v.split())) {
                    throw new InputException(where + "files " + t.vectors().given() + " and " + v.given()
                            + " are both the " + (v.split() == null ? "unsplit" : v.split()) + " rows of " + g.describe());
                }
            }
            g.tables().add(new Table(v, roles));
        }
        for (Entry a : attached) {
            if (!used.contains(a)) {
                throw new InputException(where + a.role() + " file " + a.given() + " belongs to no table: no file of"
                        + " dataset '" + a.dataset() + "'" + (a.split() == null ? "" : " split " + a.split())
                        + " has the group values " + a.group());
            }
        }
        for (Group g : groups.values()) checkIds(where, g, conf);
        return List.copyOf(groups.values());
    }

    /** Ids given by files must be unique within the group (over its splits): a repeated id names its file. */
    private static void checkIds(String where, Group g, Configuration conf) {
        Map<Object, String> seen = new HashMap<>();
        for (Table t : g.tables()) {
            Entry ids = t.attached().get("ids");
            if (ids == null) continue;
            try {
                ids.file().read(conf, 0, ids.file().rows(), (i, v) -> {
                    String before = seen.put(v[0], ids.given());
                    if (before != null) {
                        throw new InputException(where + "ids file " + ids.given() + ": id " + v[0] + " (row " + i
                                + ") is repeated" + (before.equals(ids.given()) ? "" : " from " + before)
                                + " in " + g.describe() + "; ids must be unique within a group");
                    }
                });
            } catch (IOException e) {
                throw new InputException(where + "cannot read " + ids.given() + ": " + e.getMessage(), e);
            }
        }
    }

    /** Writes one group (all its splits) to {@code out/<dataset>}, in one rename. */
    public DatasetWriter.Added importGroup(SparkSession spark, String out, Group g) {
        String dir = new Path(out, g.dataset()).toString();
        ColumnNames plain = new ColumnNames(ColumnNames.FEATURES, ColumnNames.ID, false, ColumnNames.SPLIT,
                ColumnNames.LABEL, List.of());
        ImportJob job = new ImportJob(spark, new ImportJob.Options(dir, null, g.values(), plain));
        long nextId = job.nextId();
        Dataset<Row> rows = null;
        for (Table t : g.tables()) {
            List<ColumnarImport.Attached> columns = new ArrayList<>();
            Entry labels = t.attached().get("labels");
            ATTACHED_ROLES.forEach((role, column) -> {
                Entry a = t.attached().get(role);
                if (a != null && !role.equals("labels")) columns.add(new ColumnarImport.Attached(column, a.file()));
            });
            Dataset<Row> table = new ColumnarImport(t.vectors().file(), labels == null ? null : labels.file(), plain,
                    t.vectors().split(), nextId, columns).rows(spark);
            nextId += t.vectors().file().rows();
            rows = rows == null ? table : rows.union(table);
        }
        return new DatasetWriter(spark, dir).append(rows, g.values(), "import of " + g.describe() + " from manifest "
                + manifest);
    }
}
