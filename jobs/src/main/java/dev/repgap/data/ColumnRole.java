package dev.repgap.data;

/**
 * What a column of the user's table means to repgap. Each role has its canonical column name (what the loader
 * renames it to, so that the jobs never see user names), the user's column it is read from by default, the kind of
 * values it holds, the command-line option and sweep spec key that choose the user's column, and the option's help.
 *
 * <p>The first four roles are the core of every analysis and are always in the canonical table: the vectors (required),
 * the row ids (generated when absent), the split and the label (null when absent). The others are read only by the
 * analyses that declare them in their {@link Requirement}.
 */
public enum ColumnRole {
    FEATURES("features", Kind.FLOAT_VECTOR, "the vectors",
            "Vector column: array<float>, array<double> or MLlib vector."),
    ID("id", Kind.ID, "the row ids",
            "Row id column, long or string; unique within a group."),
    SPLIT("split", Kind.SPLIT, "the train/test split",
            "Split column with values train/test (optional)."),
    LABEL("label", Kind.LABEL, "the labels",
            "Label column (optional)."),
    TARGET("target", Kind.NUMERIC_VECTOR, "the numeric targets",
            "Numeric target column: a number, an array of numbers or an MLlib vector; one length per group."),
    SOURCE("source", Kind.ID, "the id of the clean row each row is a perturbed copy of",
            "Source column, long or string: the id of the clean input a row is a noise-perturbed copy of"
                    + " (null for a clean row)."),
    INITIAL("initial", Kind.NUMERIC_VECTOR, "the model's outputs at initialisation",
            "Column of the model's outputs at initialisation: a number, an array of numbers or an MLlib vector;"
                    + " one length per group."),
    RESIDUAL("residual", Kind.NUMERIC_VECTOR, "the residuals (outputs minus targets)",
            "Column of residuals, outputs minus targets (e.g. at initialisation): a number, an array of numbers or an"
                    + " MLlib vector; one length per group."),
    NOISE("noise", Kind.NUMERIC_VECTOR, "the noise level sigma of each perturbed copy",
            "Noise level column: the standard deviation sigma of the Gaussian noise added to the clean input of each"
                    + " perturbed copy (a number).");

    /** The values a role's column holds, which decides how the loader reads it and the validator checks it. */
    public enum Kind {
        /** array&lt;float&gt;, array&lt;double&gt; or an MLlib vector, read as array&lt;float&gt;; finite, one length per group. */
        FLOAT_VECTOR(true),
        /** Any integer type (read as long) or a string. */
        ID(false),
        /** A string, 'train' or 'test' (or null: unsplit). */
        SPLIT(false),
        /** Any scalar (or null). */
        LABEL(false),
        /**
         * A number, an array of numbers or an MLlib vector, read as array&lt;double&gt; (a number as a vector of one);
         * finite, one length per group.
         */
        NUMERIC_VECTOR(true);

        private final boolean vector;

        Kind(boolean vector) {
            this.vector = vector;
        }

        /** Whether the values are vectors the validator checks (no null, NaN or infinity; one length per group). */
        public boolean isVector() {
            return vector;
        }
    }

    private final String canonical;
    private final Kind kind;
    private final String meaning;
    private final String help;

    ColumnRole(String canonical, Kind kind, String meaning, String help) {
        this.canonical = canonical;
        this.kind = kind;
        this.meaning = meaning;
        this.help = help;
    }

    /** The column's name in the canonical table the jobs read. */
    public String canonical() {
        return canonical;
    }

    /** The user's column read when none is chosen. */
    public String defaultColumn() {
        return canonical;
    }

    public Kind kind() {
        return kind;
    }

    /** What the column holds, as said in error messages ("the vectors"). */
    public String meaning() {
        return meaning;
    }

    /** The option's help, without its default. */
    public String help() {
        return help;
    }

    /** The command-line option that chooses the user's column: {@code --features-col}, {@code --target-col}, ... */
    public String option() {
        return "--" + canonical + "-col";
    }

    /** The key under the sweep spec's {@code columns:}. */
    public String specKey() {
        return canonical;
    }

    /** The roles every analysis reads: the vectors, ids, split and label. */
    public boolean core() {
        return ordinal() <= LABEL.ordinal();
    }

    /** The role with this sweep spec key, or null. */
    public static ColumnRole bySpecKey(String key) {
        for (ColumnRole r : values()) if (r.specKey().equals(key)) return r;
        return null;
    }

    /** The role whose canonical column has this name (in any case), or null. */
    public static ColumnRole byCanonical(String name) {
        for (ColumnRole r : values()) if (r.canonical.equalsIgnoreCase(name)) return r;
        return null;
    }
}
