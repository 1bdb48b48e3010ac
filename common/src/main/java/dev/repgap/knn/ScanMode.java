package dev.repgap.knn;

/** Which reference rows may be a query's neighbour. */
public enum ScanMode {
    /** Queries and references are one set: a query's own row (same id) is excluded, its duplicates are not. */
    SELF,
    /** Queries against another set (test against train): nothing is excluded. */
    CROSS
}
