package dev.repgap.gap;

import dev.repgap.report.ReportPage;
import dev.repgap.report.ReportSection;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/** The report's gap curves: each group's latest RG(n) with its band and fitted law, from {@code gap_curves}. */
final class GapCurvesSection implements ReportSection {
    @Override
    public String id() {
        return "gap-curves";
    }

    @Override
    public String title() {
        return "Representation Gap curves";
    }

    @Override
    public String html(ReportPage page) {
        List<GapCurveTable.GroupCurves> curves = GapCurveTable.latest(page.spark(), page.dir(), page.metrics());
        if (curves.isEmpty()) return null;
        StringBuilder b = new StringBuilder("<p>Each group's latest gap run: RG(n) with its interval band, the law"
                + " RG = C n<sup>\u22122/d</sup> fitted over the solid line, dashed on to its extrapolations.</p>\n");
        for (GapCurveTable.GroupCurves g : curves) {
            String title = "Representation Gap, " + g.label();
            double[] sizes = g.plain().extrapolationSizes();
            GapChart chart = new GapChart(title, sizes);
            List<GapChart.Series> series = new ArrayList<>();
            series.add(new GapChart.Series(g.queries() + " test rows", g.plain()));
            if (g.symmetric() != null) series.add(new GapChart.Series("with symmetry " + Objects.toString(g.symmetry(), ""), g.symmetric()));
            String svg;
            try {
                svg = chart.svg(series.toArray(new GapChart.Series[0]));
            } catch (IllegalArgumentException e) { // e.g. no positive gap to draw on a log axis: say so, draw the rest
                b.append("<p class=\"bad\">").append(ReportPage.esc(title)).append(": no chart (")
                        .append(ReportPage.esc(e.getMessage())).append(")</p>\n");
                continue;
            }
            ReportPage.figure(b, "gap", "gap.rg", title, svg,
                    "run " + g.runId() + (g.startTime() == null ? "" : ", " + ReportPage.time(g.startTime())));
        }
        return b.toString();
    }
}
