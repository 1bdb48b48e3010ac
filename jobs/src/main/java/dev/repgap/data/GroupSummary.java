package dev.repgap.data;

/** Row counts and vector length of one group, as validated. {@code rows} counts only the rows kept. */
public record GroupSummary(GroupKey key, long rows, long train, long test, int dim, long droppedInvalid) {}
