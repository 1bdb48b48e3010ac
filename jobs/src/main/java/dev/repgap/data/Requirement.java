package dev.repgap.data;

/** What an analysis needs of every group, checked before any work starts. */
public record Requirement(String analysis, long minRows, boolean needsTrainAndTest) {
    /** What to do about missing test or train rows. */
    public static final String SPLIT_HINT = "; import them with --split train and --split test (gap can also hold out"
            + " a seeded fraction of the unsplit rows as test rows itself: --test-fraction F)";

    public static Requirement rows(String analysis, long minRows) {
        return new Requirement(analysis, minRows, false);
    }

    /** The weakest of these: what any of the analyses needs (a sweep loads its groups once for all of them). */
    public static Requirement weakest(String analysis, Iterable<Requirement> all) {
        long min = Long.MAX_VALUE;
        boolean both = true;
        for (Requirement r : all) {
            min = Math.min(min, r.minRows);
            both &= r.needsTrainAndTest;
        }
        return new Requirement(analysis, min == Long.MAX_VALUE ? 1 : min, both);
    }

    /** Throws an InputException naming the input, the group and what is missing when the group falls short. */
    public void check(String input, ColumnNames names, GroupSummary g) {
        String where = "input " + input + ", group " + g.key() + ": ";
        if (g.rows() < minRows) {
            throw new InputException(where + "only " + g.rows() + " rows; " + analysis + " needs at least " + minRows);
        }
        if (needsTrainAndTest && (g.train() == 0 || g.test() == 0)) {
            long unsplit = g.rows() - g.train() - g.test();
            throw new InputException(where + analysis + " needs rows with split 'train' and 'test' in column '"
                    + names.split() + "', found " + g.train() + " train and " + g.test() + " test rows"
                    + (unsplit > 0 ? " (and " + unsplit + " without a split)" : "") + SPLIT_HINT);
        }
    }
}
