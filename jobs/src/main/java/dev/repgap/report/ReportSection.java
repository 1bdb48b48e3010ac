package dev.repgap.report;

/**
 * A section an analysis adds to {@code repgap report}: drawn from the repository by {@link #html}, left out when
 * it has nothing to show.
 */
public interface ReportSection {
    /** The anchor of the section ({@code <section id=..>}), unique in the page. */
    String id();

    /** The heading, also the entry in the page's navigation. */
    String title();

    /** The section's body (well-formed XHTML), or null when the repository holds nothing for it. */
    String html(ReportPage page);

    /**
     * True when this section shows all of its analysis's metric rows itself, so the general sections (latest values,
     * trends) leave them out.
     */
    default boolean showsAllMetrics() {
        return false;
    }
}
