package dev.repgap.sweep;

import dev.repgap.data.GroupKey;
import dev.repgap.data.InputException;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.LocatedFileStatus;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.fs.RemoteIterator;

/**
 * The data files of one sweep input (a path or glob), as Spark would read them (names starting with
 * {@code _} or {@code .} are skipped), each with its size, modification time and the Hive-style partition
 * values of its directories ({@code model=a/layer=3/...}). A group's input fingerprint is a hash of the files
 * that can hold its rows: an added, removed, rewritten or touched file changes it; nothing else does.
 */
public record InputFiles(String input, List<File> files) {

    public record File(String path, long size, long modified, Map<String, String> partitions) {}

    public static InputFiles list(Configuration conf, String input) {
        List<File> files = new ArrayList<>();
        try {
            Path path = new Path(input);
            FileSystem fs = path.getFileSystem(conf);
            FileStatus[] matches = fs.globStatus(path);
            if (matches == null || matches.length == 0) throw new InputException("input " + input + ": no such file or directory");
            // Partition directories count from the input's first glob on, as Spark's discovery does (model=*/...).
            int base = fs.makeQualified(new Path(globFreePrefix(input))).depth();
            for (FileStatus m : matches) {
                if (m.isFile()) {
                    if (!hidden(m.getPath().getName())) files.add(file(m, base));
                    continue;
                }
                int depth = m.getPath().depth();
                for (RemoteIterator<LocatedFileStatus> it = fs.listFiles(m.getPath(), true); it.hasNext(); ) {
                    LocatedFileStatus f = it.next();
                    if (!hiddenBelow(f.getPath(), depth)) files.add(file(f, base));
                }
            }
        } catch (IOException | IllegalArgumentException e) {
            throw new InputException("input " + input + ": cannot be listed: " + e.getMessage(), e);
        }
        if (files.isEmpty()) throw new InputException("input " + input + ": no data files");
        files.sort(Comparator.comparing(File::path));
        return new InputFiles(input, files);
    }

    /** The partition columns every file has, in directory order. */
    public List<String> partitionColumns() {
        Set<String> common = new LinkedHashSet<>(files.get(0).partitions().keySet());
        for (File f : files) common.retainAll(f.partitions().keySet());
        return new ArrayList<>(common);
    }

    /** The groups named by the files' partition values alone, when every group column is a partition column. */
    public List<GroupKey> groupsFromPartitions(List<String> groupBy) {
        if (!partitionColumns().containsAll(groupBy)) return null;
        Set<GroupKey> groups = new LinkedHashSet<>();
        for (File f : files) {
            LinkedHashMap<String, String> v = new LinkedHashMap<>();
            for (String g : groupBy) v.put(g, f.partitions().get(g));
            groups.add(new GroupKey(v));
        }
        return new ArrayList<>(groups);
    }

    /** A hash of the path, size and modification time of every file that can hold rows of this group. */
    public String fingerprint(GroupKey group) {
        StringBuilder b = new StringBuilder();
        for (File f : files) {
            if (mayHold(f, group)) b.append(f.path()).append('\t').append(f.size()).append('\t').append(f.modified()).append('\n');
        }
        return SweepRunner.hash(b.toString());
    }

    /** False when one of the group's columns is a partition of the file with another value. */
    private static boolean mayHold(File f, GroupKey group) {
        for (Map.Entry<String, String> e : group.values().entrySet()) {
            String p = f.partitions().get(e.getKey());
            if (p != null && !p.equals(e.getValue())) return false;
        }
        return true;
    }

    /** The file with the partition values of its directories below the listed root (at depth {@code rootDepth}). */
    private static File file(FileStatus s, int rootDepth) {
        Map<String, String> partitions = new LinkedHashMap<>();
        for (Path p = s.getPath().getParent(); p != null && p.depth() > rootDepth; p = p.getParent()) {
            String name = p.getName();
            int eq = name.indexOf('=');
            if (eq > 0) partitions.putIfAbsent(unescape(name.substring(0, eq)), unescape(name.substring(eq + 1)));
        }
        // Collected from the leaf up: reverse into directory order.
        List<Map.Entry<String, String>> entries = new ArrayList<>(partitions.entrySet());
        Map<String, String> ordered = new LinkedHashMap<>();
        for (int i = entries.size() - 1; i >= 0; i--) ordered.put(entries.get(i).getKey(), entries.get(i).getValue());
        return new File(s.getPath().toString(), s.getLen(), s.getModificationTime(), ordered);
    }

    /** Hive's escaping: %XX for characters unsafe in a path. */
    static String unescape(String s) {
        if (s.indexOf('%') < 0) return s;
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '%' && i + 2 < s.length()) {
                try {
                    b.append((char) Integer.parseInt(s.substring(i + 1, i + 3), 16));
                    i += 2;
                    continue;
                } catch (NumberFormatException ignored) {
                    // not an escape: keep the '%'
                }
            }
            b.append(c);
        }
        return b.toString();
    }

    /** The input up to the last separator before its first glob character (all of it without one). */
    public static String globFreePrefix(String input) {
        int glob = -1;
        for (int i = 0; i < input.length() && glob < 0; i++) if ("*?[{".indexOf(input.charAt(i)) >= 0) glob = i;
        if (glob < 0) return input;
        int slash = input.lastIndexOf('/', glob);
        return slash <= 0 ? (slash == 0 ? "/" : ".") : input.substring(0, slash);
    }

    private static boolean hidden(String name) {
        return name.startsWith("_") || name.startsWith(".");
    }

    /** Hidden (skipped by Spark) when the file or a directory below the listed root (at depth {@code rootDepth}) is. */
    public static boolean hiddenBelow(Path p, int rootDepth) {
        for (Path q = p; q != null && q.depth() > rootDepth; q = q.getParent()) if (hidden(q.getName())) return true;
        return false;
    }
}
