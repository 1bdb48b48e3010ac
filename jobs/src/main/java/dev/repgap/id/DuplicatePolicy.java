package dev.repgap.id;

/** What {@code repgap id} does with exact duplicate rows, which make every log-ratio estimator undefined. */
public enum DuplicatePolicy {
    /** Keep one row per distinct vector (the default): the estimate describes the set of distinct points. */
    DROP,
    /** Keep every row; points whose nearest neighbour is at distance 0 are left out of the estimators. */
    KEEP,
    /** Stop with an error naming the group and the count. */
    FAIL
}
