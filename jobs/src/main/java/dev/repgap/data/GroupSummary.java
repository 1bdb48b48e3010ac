package dev.repgap.data;

import java.util.Map;
import java.util.Set;

/**
 * Row counts and vector length of one group, as validated. {@code rows} counts only the rows kept.
 *
 * @param roles the roles whose columns were read from the input (an id that was generated is not among them)
 * @param lengths the length of every vector role's values in this group ({@code features}: {@code dim})
 */
public record GroupSummary(GroupKey key, long rows, long train, long test, int dim, long droppedInvalid,
                           Set<ColumnRole> roles, Map<ColumnRole, Integer> lengths) {
    public GroupSummary {
        roles = Set.copyOf(roles);
        lengths = Map.copyOf(lengths);
    }

    /** A group of vectors alone (as far as anyone can tell from this summary). */
    public GroupSummary(GroupKey key, long rows, long train, long test, int dim, long droppedInvalid) {
        this(key, rows, train, test, dim, droppedInvalid, Set.of(ColumnRole.FEATURES), Map.of(ColumnRole.FEATURES, dim));
    }

    /** The same group with other row counts (a subset of its rows), its roles and lengths kept. */
    public GroupSummary withCounts(long rows, long train, long test) {
        return new GroupSummary(key, rows, train, test, dim, droppedInvalid, roles, lengths);
    }

    /** The length of the role's vectors in this group, or 0 when the role was not read. */
    public int length(ColumnRole role) {
        return lengths.getOrDefault(role, 0);
    }
}
