package dev.repgap.data;

/** What an analysis needs of every group, checked before any work starts. */
public record Requirement(String analysis, long minRows, boolean needsTrainAndTest) {
    public static Requirement rows(String analysis, long minRows) {
        return new Requirement(analysis, minRows, false);
    }
}
