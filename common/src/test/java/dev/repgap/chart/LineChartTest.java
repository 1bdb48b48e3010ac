package dev.repgap.chart;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

class LineChartTest {

    static Document parse(String svg) throws Exception {
        return DocumentBuilderFactory.newInstance().newDocumentBuilder().parse(new ByteArrayInputStream(svg.getBytes(StandardCharsets.UTF_8)));
    }

    static List<Element> byClass(Document d, String tag, String cls) {
        List<Element> out = new ArrayList<>();
        NodeList n = d.getElementsByTagName(tag);
        for (int i = 0; i < n.getLength(); i++) {
            Element e = (Element) n.item(i);
            if (e.getAttribute("class").equals(cls)) out.add(e);
        }
        return out;
    }

    private static double num(Element e, String attr) {
        return Double.parseDouble(e.getAttribute(attr));
    }

    @Test
    void pointsSitOnTheAxisTheTicksDraw() throws Exception {
        LineChart.Point missing = LineChart.Point.MISSING;
        List<LineChart.Series> series = List.of(
                new LineChart.Series("checkpoint 10", List.of(new LineChart.Point(9.5, 9.1, 9.8), new LineChart.Point(7.2, 6.9, 7.6),
                        new LineChart.Point(4, Double.NaN, Double.NaN))),
                new LineChart.Series("checkpoint <100> & more", List.of(new LineChart.Point(8.7, 8.4, 9), missing,
                        new LineChart.Point(2, 1.9, 2.1))));
        Document svg = parse(new LineChart("id by layer", "layer", "d", List.of("conv1", "conv2", "fc")).svg(series));
        // ticks 0, 2, ..., 10 cover 1.9..9.8
        List<String> labels = byClass(svg, "text", "y-label").stream().map(Element::getTextContent).toList();
        assertEquals(List.of("0", "2", "4", "6", "8", "10"), labels);
        List<Element> ticks = byClass(svg, "line", "y-tick");
        double y0 = num(ticks.get(0), "y1"), y10 = num(ticks.get(5), "y1");
        List<Element> points = byClass(svg, "circle", "point");
        assertEquals(5, points.size(), "one point per value present");
        assertEquals(y0 + 9.5 / 10 * (y10 - y0), num(points.get(0), "cy"), 1e-2);
        assertEquals(y0 + 2.0 / 10 * (y10 - y0), num(points.get(4), "cy"), 1e-2);
        // categories evenly spaced: conv2 halfway between conv1 and fc
        assertEquals((num(points.get(0), "cx") + num(points.get(2), "cx")) / 2, num(points.get(1), "cx"), 1e-2);
        assertEquals(4, byClass(svg, "path", "error-bar").size(), "bars only where an interval exists");
        List<Element> lines = byClass(svg, "path", "line");
        assertEquals(2, lines.size());
        assertEquals(1, lines.get(0).getAttribute("d").split("M").length - 1);
        assertEquals(2, lines.get(1).getAttribute("d").split("M").length - 1, "a missing value breaks the line");
        assertTrue(points.get(3).getTextContent().startsWith("checkpoint <100> & more, conv1: 8.700 [8.400, 9]"),
                points.get(3).getTextContent());
    }

    @Test
    void ticksAreRoundAndSpanEvenAFlatSeries() {
        double[] t = LineChart.ticks(List.of(new LineChart.Series("flat", List.of(new LineChart.Point(0.37, Double.NaN, Double.NaN)))));
        assertTrue(t[0] <= 0.37 && t[t.length - 1] >= 0.37 && t.length >= 2);
        double[] u = LineChart.ticks(List.of(new LineChart.Series("s", List.of(new LineChart.Point(1234, 1100, 1350)))));
        assertEquals(1100, u[0], 1e-9);
        assertEquals(1350, u[u.length - 1], 1e-9);
        assertEquals(50, u[1] - u[0], 1e-9);
    }
}
