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

class ScatterChartTest {

    private static List<Element> byClass(Document d, String tag, String cls) {
        List<Element> out = new ArrayList<>();
        NodeList n = d.getElementsByTagName(tag);
        for (int i = 0; i < n.getLength(); i++) {
            Element e = (Element) n.item(i);
            if (e.getAttribute("class").equals(cls)) out.add(e);
        }
        return out;
    }

    private static Document parse(String svg) throws Exception {
        return DocumentBuilderFactory.newInstance().newDocumentBuilder().parse(new ByteArrayInputStream(svg.getBytes(StandardCharsets.UTF_8)));
    }

    @Test
    void pointsSitWhereTheTicksSay() throws Exception {
        List<ScatterChart.Series> series = List.of(
                new ScatterChart.Series("mlp", List.of(new ScatterChart.Point(0, 10, "checkpoint=1"), new ScatterChart.Point(5, 20, "checkpoint=2"))),
                new ScatterChart.Series("cnn", List.of(new ScatterChart.Point(2.5, 15, "checkpoint=1"), new ScatterChart.Point(Double.NaN, 1, "skipped"))));
        Document d = parse(new ScatterChart("t", "measure", "test loss").svg(series));
        List<Element> points = byClass(d, "circle", "point");
        assertEquals(3, points.size(), "a non-finite point is not drawn");
        double[] cx = points.stream().mapToDouble(e -> Double.parseDouble(e.getAttribute("cx"))).toArray();
        double[] cy = points.stream().mapToDouble(e -> Double.parseDouble(e.getAttribute("cy"))).toArray();
        // x ticks 0..5, y ticks 10..20: the points are at the corners and the centre of the frame
        assertEquals(86, cx[0], 1e-6);
        assertEquals(610, cx[1], 1e-6);
        assertEquals((86 + 610) / 2.0, cx[2], 1e-6);
        assertEquals(390, cy[0], 1e-6);
        assertEquals(50, cy[1], 1e-6);
        assertEquals(220, cy[2], 1e-6);
        assertTrue(points.get(0).getTextContent().contains("mlp, checkpoint=1: 0, 10"));
        assertEquals(0, byClass(d, "line", "identity").size());
    }

    @Test
    void identityLineSharesOneRange() throws Exception {
        List<ScatterChart.Series> series = List.of(new ScatterChart.Series("a", List.of(new ScatterChart.Point(1, 3, null),
                new ScatterChart.Point(2, 4, null))));
        Document d = parse(new ScatterChart("t", "predicted", "measured").identityLine().svg(series));
        Element line = byClass(d, "line", "identity").get(0);
        // one range for both axes: the diagonal runs corner to corner
        assertEquals(86, Double.parseDouble(line.getAttribute("x1")), 1e-6);
        assertEquals(390, Double.parseDouble(line.getAttribute("y1")), 1e-6);
        assertEquals(610, Double.parseDouble(line.getAttribute("x2")), 1e-6);
        assertEquals(50, Double.parseDouble(line.getAttribute("y2")), 1e-6);
    }
}
