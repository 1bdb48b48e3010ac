package dev.repgap.gap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

class GapChartTest {

    private static final long[] GRID = SyntheticGaps.geometricGrid(2, 6, 3);

    /** RG(n) = 1/n exactly for every query and ranking: the law runs from (1e4, 1e-4) to (1e6, 1e-6). */
    private static RepresentationGapCurve oneOverN() {
        double[] squared = new double[10 * 2 * GRID.length];
        for (int i = 0; i < squared.length; i++) squared[i] = 1.0 / GRID[i % GRID.length];
        return new RepresentationGap().curve(new PrefixDistances(10, 2, GRID, squared));
    }

    @Test
    void theFittedLineSitsWhereTheAxesPutItsEndpoints() throws Exception {
        Document svg = parse(new GapChart("RG = 1/n").svg(new GapChart.Series("exact", oneOverN())));
        Element root = svg.getDocumentElement();
        assertEquals("http://www.w3.org/2000/svg", root.getNamespaceURI());
        assertEquals("0 0 900 " + root.getAttribute("height"), root.getAttribute("viewBox"));
        // decades 1e2..1e6 and 1e-6..1e-2, inside the frame
        Element frame = byClass(svg, "rect", "frame").get(0);
        double x0 = num(svg.getElementById("xtick_2"), "x1"), x1 = num(svg.getElementById("xtick_6"), "x1");
        double yTop = num(svg.getElementById("ytick_-2"), "y1"), yBottom = num(svg.getElementById("ytick_-6"), "y1");
        assertTrue(num(frame, "x") < x0 && x1 < num(frame, "x") + num(frame, "width"));
        assertTrue(num(frame, "y") < yTop && yBottom < num(frame, "y") + num(frame, "height"));
        Element fit = byClass(svg, "line", "fit").get(0);
        assertEquals(x0 + (4 - 2) / 4.0 * (x1 - x0), num(fit, "x1"), 0.01);
        assertEquals(x1, num(fit, "x2"), 0.01);
        assertEquals(yBottom - (-4 + 6) / 4.0 * (yBottom - yTop), num(fit, "y1"), 0.01);
        assertEquals(yBottom, num(fit, "y2"), 0.01);
        assertEquals(num(svg.getElementById("xtick_4"), "x1"), num(fit, "x1"), 0.01);
        assertEquals(num(svg.getElementById("ytick_-4"), "y1"), num(fit, "y1"), 0.01);
        // one label style on both axes: powers of ten, as the x axis reaches 10^5
        assertEquals(texts(svg, "x-label"), List.of("102", "103", "104", "105", "106"));
        assertEquals(texts(svg, "y-label"), List.of("10\u22126", "10\u22125", "10\u22124", "10\u22123", "10\u22122"));
        assertEquals(GRID.length, byClass(svg, "circle", "point").size());
        assertTrue(byClass(svg, "line", "extrapolation").isEmpty());
        assertEquals("RG = 1/n", svg.getElementsByTagName("title").item(0).getTextContent());
    }

    @Test
    void twoSeriesWithExtrapolationsInDistinctColours() throws Exception {
        long[] grid = SyntheticGaps.geometricGrid(2, 6, 4);
        SymmetryComparison c = new RepresentationGap().compare(SyntheticGaps.nearestNeighbours(200, 8, grid, 3, 1, 1),
                SyntheticGaps.nearestNeighbours(200, 8, grid, 3, 3, 2), 3);
        String text = new GapChart("3-torus <plain> & \"C3\"", 2e6, 1e7).svg(c);
        Files.createDirectories(Path.of("target"));
        Files.writeString(Path.of("target", "gap-chart-sample.svg"), text);
        Document svg = parse(text);
        assertEquals(grid.length, byClass(svg, "circle", "point").size());
        assertEquals(grid.length, byClass(svg, "rect", "point").size());
        assertEquals(2, byClass(svg, "circle", "extrapolated-point").size());
        assertEquals(2, byClass(svg, "rect", "extrapolated-point").size());
        List<Element> fits = byClass(svg, "line", "fit");
        assertEquals(2, fits.size());
        assertTrue(!fits.get(0).getAttribute("stroke").equals(fits.get(1).getAttribute("stroke")));
        assertEquals(2, byClass(svg, "line", "extrapolation").size());
        assertEquals(List.of("102", "103", "104", "105", "106", "107"), texts(svg, "x-label"));
        assertEquals("3-torus <plain> & \"C3\"", svg.getElementsByTagName("title").item(0).getTextContent());
        // the dashed extension ends at the law's prediction for 1e7
        Element ext = byClass(svg, "line", "extrapolation").get(0);
        assertEquals(num(svg.getElementById("xtick_7"), "x1"), num(ext, "x2"), 0.01);
        assertTrue(byClass(svg, "text", "note").get(0).getTextContent().startsWith("RG / RG_G at n = 1e6: "));
    }

    @Test
    void aDriftingCurveSaysSoInTheLegend() throws Exception {
        // few queries, a noise floor: wide bands and a bent curve
        PrefixDistances clean = SyntheticGaps.nearestNeighbours(30, 2, GRID, 4, 1, 9);
        double[] floored = new double[30 * 2 * GRID.length];
        for (int q = 0; q < 30; q++) {
            for (int r = 0; r < 2; r++) {
                for (int g = 0; g < GRID.length; g++) floored[(q * 2 + r) * GRID.length + g] = clean.squared(q, r, g) + 1e-3;
            }
        }
        RepresentationGapCurve curve = new RepresentationGap().curve(new PrefixDistances(30, 2, GRID, floored));
        String text = new GapChart("A noise floor", 2e6, 1e7).svg(new GapChart.Series("floored", curve));
        Files.createDirectories(Path.of("target"));
        Files.writeString(Path.of("target", "gap-chart-drifting.svg"), text);
        assertEquals(curve.drifting(), text.contains("still drifting"));
        assertTrue(curve.drifting(), curve.drift().toString());
        assertEquals(GRID.length, byClass(parse(text), "circle", "point").size());
    }

    @Test
    void aNarrowRangeFillsThePlotWithPlainTicks() throws Exception {
        // RG from 54 down to 21.5 over n = 1e2..1e6: no decade inside, so 20, 30, 40, 50 are labelled
        double[] squared = new double[10 * 2 * GRID.length];
        for (int i = 0; i < squared.length; i++) squared[i] = 54 * Math.pow(100.0 / GRID[i % GRID.length], 0.1);
        RepresentationGapCurve curve = new RepresentationGap().curve(new PrefixDistances(10, 2, GRID, squared));
        Document svg = parse(new GapChart("narrow").svg(new GapChart.Series("narrow", curve)));
        assertEquals(List.of("30", "40", "50"), texts(svg, "y-label"));
        Element frame = byClass(svg, "rect", "frame").get(0);
        double top = num(frame, "y"), bottom = top + num(frame, "height");
        double high = Double.POSITIVE_INFINITY, low = Double.NEGATIVE_INFINITY;
        for (Element p : byClass(svg, "circle", "point")) {
            high = Math.min(high, num(p, "cy"));
            low = Math.max(low, num(p, "cy"));
        }
        assertTrue((low - high) / (bottom - top) > 0.8, "the points fill " + (low - high) / (bottom - top) + " of the height");
        assertEquals(List.of(20.0, 50.0, 100.0), GapChart.logTicks(Math.log10(14), Math.log10(140)));
        assertEquals(List.of(20.0, 30.0, 40.0, 50.0), GapChart.logTicks(Math.log10(14), Math.log10(54)));
        // 12..42: 20, 30, 40 would leave the lowest 40% of the axis without a label
        assertEquals(List.of(15.0, 20.0, 25.0, 30.0, 35.0, 40.0), GapChart.logTicks(Math.log10(12), Math.log10(42)));
        assertEquals("1.5\u00d710<tspan dy=\"-7\" font-size=\"10\">4</tspan>", GapChart.tickLabels(List.of(1.5e4), true).get(0));
        assertEquals(List.of("20", "30", "40", "50"), GapChart.tickLabels(List.of(20.0, 30.0, 40.0, 50.0)));
        assertEquals(List.of("0.02", "0.05"), GapChart.tickLabels(List.of(0.02, 0.05)));
        assertEquals("2\u00d710<tspan dy=\"-7\" font-size=\"10\">5</tspan>", GapChart.tickLabels(List.of(1e4, 2e5)).get(1));
        // the x axis (sizes n) is labelled in powers of ten whether it ends below 10^5 or beyond
        assertEquals("10<tspan dy=\"-7\" font-size=\"10\">3</tspan>", GapChart.tickLabels(List.of(100.0, 1000.0), true).get(1));
    }

    @Test
    void escapesTextAndRejectsBadInput() {
        assertEquals("a &lt;b&gt; &amp; &quot;c&quot; &apos;d&apos;", GapChart.escape("a <b> & \"c\" 'd'\u0001"));
        assertThrows(IllegalArgumentException.class, () -> new GapChart("x", Double.NaN));
        assertThrows(IllegalArgumentException.class, () -> new GapChart("x").svg());
        assertEquals("2e6", GapChart.sizeLabel(2e6));
        assertEquals("1.5e7", GapChart.sizeLabel(1.5e7));
        assertEquals("316", GapChart.sizeLabel(316));
    }

    private static Document parse(String svg) throws Exception {
        DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
        factory.setNamespaceAware(true);
        Document doc = factory.newDocumentBuilder().parse(new ByteArrayInputStream(svg.getBytes(StandardCharsets.UTF_8)));
        // ids are declared by no DTD here: mark them so getElementById finds them
        NodeList all = doc.getElementsByTagName("*");
        for (int i = 0; i < all.getLength(); i++) {
            Element e = (Element) all.item(i);
            if (e.hasAttribute("id")) e.setIdAttribute("id", true);
        }
        return doc;
    }

    private static List<Element> byClass(Document doc, String tag, String cls) {
        List<Element> out = new ArrayList<>();
        NodeList nodes = doc.getElementsByTagName(tag);
        for (int i = 0; i < nodes.getLength(); i++) {
            Element e = (Element) nodes.item(i);
            if (cls.equals(e.getAttribute("class"))) out.add(e);
        }
        return out;
    }

    private static List<String> texts(Document doc, String cls) {
        List<String> out = new ArrayList<>();
        for (Element e : byClass(doc, "text", cls)) out.add(e.getTextContent());
        return out;
    }

    private static double num(Element e, String attribute) {
        return Double.parseDouble(e.getAttribute(attribute));
    }
}
