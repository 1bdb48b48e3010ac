package dev.repgap.data;

import java.util.Arrays;
import java.util.EnumSet;
import java.util.Set;

/**
 * What an analysis needs of every group, checked before any work starts.
 *
 * @param needs the roles whose columns the analysis cannot do without, beyond the core ones (see
 *              {@link ColumnRole#core()}); a missing one is an error naming the column and the option that chooses it
 * @param reads the roles the analysis reads when their columns are there; the loader reads no other role columns
 * @param uniqueIds whether the analysis relies on ids unique within a group (pairs named by id, seeded orders by id):
 *                  the loader then checks them, a pass with a shuffle; analyses that only sum over rows do not
 */
public record Requirement(String analysis, long minRows, boolean needsTrainAndTest, Set<ColumnRole> needs,
                          Set<ColumnRole> reads, boolean uniqueIds) {
    /** What to do about missing test or train rows. */
    public static final String SPLIT_HINT = "; import them with --split train and --split test (gap can also hold out"
            + " a seeded fraction of the unsplit rows as test rows itself: --test-fraction F)";

    public Requirement {
        needs = Set.copyOf(needs);
        EnumSet<ColumnRole> optional = EnumSet.noneOf(ColumnRole.class);
        optional.addAll(reads);
        optional.removeAll(needs);
        reads = Set.copyOf(optional);
    }

    /** Needs no role beyond the core ones. */
    public Requirement(String analysis, long minRows, boolean needsTrainAndTest) {
        this(analysis, minRows, needsTrainAndTest, Set.of(), Set.of(), true);
    }

    public static Requirement rows(String analysis, long minRows) {
        return new Requirement(analysis, minRows, false);
    }

    /** The same, also needing these roles. */
    public Requirement needing(ColumnRole... roles) {
        EnumSet<ColumnRole> n = EnumSet.noneOf(ColumnRole.class);
        n.addAll(needs);
        n.addAll(Arrays.asList(roles));
        return new Requirement(analysis, minRows, needsTrainAndTest, n, reads, uniqueIds);
    }

    /** The same, also reading these roles when their columns are there. */
    public Requirement reading(ColumnRole... roles) {
        EnumSet<ColumnRole> r = EnumSet.noneOf(ColumnRole.class);
        r.addAll(reads);
        r.addAll(Arrays.asList(roles));
        return new Requirement(analysis, minRows, needsTrainAndTest, needs, r, uniqueIds);
    }

    /** The same, for an analysis that does not rely on unique ids (the loader skips their check). */
    public Requirement idsUnused() {
        return new Requirement(analysis, minRows, needsTrainAndTest, needs, reads, false);
    }

    /** Whether the loader reads the role's column: a core role, or one this analysis needs or reads. */
    public boolean uses(ColumnRole role) {
        return role.core() || needs.contains(role) || reads.contains(role);
    }

    /** Whether a missing column for the role is an error (the vectors always are). */
    public boolean requires(ColumnRole role) {
        return role == ColumnRole.FEATURES || needs.contains(role);
    }

    /**
     * The weakest of these: what any of the analyses needs (a sweep loads its groups once for all of them). It needs
     * the roles all of them need and reads every other role any of them reads or needs.
     */
    public static Requirement weakest(String analysis, Iterable<Requirement> all) {
        long min = Long.MAX_VALUE;
        boolean both = true;
        EnumSet<ColumnRole> needs = null;
        EnumSet<ColumnRole> reads = EnumSet.noneOf(ColumnRole.class);
        boolean ids = false;
        for (Requirement r : all) {
            ids |= r.uniqueIds;
            min = Math.min(min, r.minRows);
            both &= r.needsTrainAndTest;
            if (needs == null) {
                needs = EnumSet.noneOf(ColumnRole.class);
                needs.addAll(r.needs);
            } else {
                needs.retainAll(r.needs);
            }
            reads.addAll(r.needs);
            reads.addAll(r.reads);
        }
        return new Requirement(analysis, min == Long.MAX_VALUE ? 1 : min, both, needs == null ? Set.of() : needs, reads, ids);
    }

    /** Throws an InputException naming the input, the group and what is missing when the group falls short. */
    public void check(String input, ColumnNames names, GroupSummary g) {
        String where = "input " + input + ", group " + g.key() + ": ";
        for (ColumnRole role : ColumnRole.values()) {
            if (needs.contains(role) && !g.roles().contains(role)) {
                throw new InputException(where + analysis + " needs " + role.meaning() + ", column '"
                        + names.column(role) + "', which the input has not (choose the column with " + role.option()
                        + ", or in a sweep spec with columns: {" + role.specKey() + ": NAME})");
            }
        }
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
