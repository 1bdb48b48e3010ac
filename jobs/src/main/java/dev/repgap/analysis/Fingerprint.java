package dev.repgap.analysis;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Objects;

/**
 * The options of an analysis that change its results, written out explicitly in a canonical text:
 * {@code name/version key=value key=value ...}, in the order the analysis adds them. A sweep stores a hash of it
 * with every result row and recomputes a unit only when it differs; so options that do not change results
 * (memory and partitioning settings) are left out, and renaming a field in the code changes nothing. An analysis
 * raises its version when its results change for the same options (a corrected formula), so that sweeps
 * recompute them.
 */
public final class Fingerprint {
    private final String name;
    private final int version;
    private final List<String> entries = new ArrayList<>();

    private Fingerprint(String name, int version) {
        this.name = name;
        this.version = version;
    }

    public static Fingerprint of(String analysis, int version) {
        return new Fingerprint(analysis, version);
    }

    /** Adds an option; a null value is written as {@code none}, a collection as its elements joined by commas. */
    public Fingerprint with(String key, Object value) {
        String text = value == null ? "none"
                : value instanceof Collection<?> c ? String.join(",", c.stream().map(String::valueOf).toList())
                : String.valueOf(value);
        entries.add(key + "=" + text);
        return this;
    }

    /** The canonical text. */
    public String text() {
        StringBuilder b = new StringBuilder(name).append('/').append(version);
        for (String e : entries) b.append(' ').append(e);
        return b.toString();
    }

    @Override
    public String toString() {
        return text();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Fingerprint f && f.text().equals(text());
    }

    @Override
    public int hashCode() {
        return Objects.hash(text());
    }
}
