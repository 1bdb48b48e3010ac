package dev.repgap.data;

import java.util.Collections;
import java.util.EnumMap;
import java.util.Map;
import java.util.Set;
import java.util.SortedSet;
import java.util.TreeSet;

/**
 * Row counts and vector length of one group, as validated. {@code rows} counts only the rows kept.
 *
 * @param roles the roles whose columns were read from the input (an id that was generated is not among them)
 * @param lengths the length of every vector role's values in this group ({@code features}: {@code dim})
 * @param trainingClasses the labels of the training rows (split train or unset) read as strings, as the validation
 *                        pass found them; null when not known (more than {@link #MAX_CLASSES}, or rows changed since)
 * @param unlabelledTraining training rows without label (with {@code trainingClasses} known)
 */
public record GroupSummary(GroupKey key, long rows, long train, long test, int dim, long droppedInvalid,
                           Set<ColumnRole> roles, Map<ColumnRole, Integer> lengths, SortedSet<String> trainingClasses,
                           long unlabelledTraining) {
    /** The most training classes a summary keeps; beyond, they are found by a query when an analysis asks. */
    public static final int MAX_CLASSES = 1024;

    public GroupSummary {
        roles = Set.copyOf(roles);
        lengths = Map.copyOf(lengths);
        if (trainingClasses != null) trainingClasses = Collections.unmodifiableSortedSet(new TreeSet<>(trainingClasses));
    }

    /** Training classes not known. */
    public GroupSummary(GroupKey key, long rows, long train, long test, int dim, long droppedInvalid,
                        Set<ColumnRole> roles, Map<ColumnRole, Integer> lengths) {
        this(key, rows, train, test, dim, droppedInvalid, roles, lengths, null, 0);
    }

    /** A group of vectors alone (as far as anyone can tell from this summary). */
    public GroupSummary(GroupKey key, long rows, long train, long test, int dim, long droppedInvalid) {
        this(key, rows, train, test, dim, droppedInvalid, Set.of(ColumnRole.FEATURES), Map.of(ColumnRole.FEATURES, dim));
    }

    /** The same group with other row counts (a subset of its rows, or other splits), its roles and lengths kept. */
    public GroupSummary withCounts(long rows, long train, long test) {
        return new GroupSummary(key, rows, train, test, dim, droppedInvalid, roles, lengths);
    }

    /** The same rows with vectors of another length. */
    public GroupSummary withDim(int dim) {
        Map<ColumnRole, Integer> l = new EnumMap<>(lengths);
        l.put(ColumnRole.FEATURES, dim);
        return new GroupSummary(key, rows, train, test, dim, droppedInvalid, roles, l, trainingClasses, unlabelledTraining);
    }

    /** The length of the role's vectors in this group, or 0 when the role was not read. */
    public int length(ColumnRole role) {
        return lengths.getOrDefault(role, 0);
    }
}
