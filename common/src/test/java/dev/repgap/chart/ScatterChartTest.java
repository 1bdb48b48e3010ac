package dev.repgap.chart;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;
import org.w3c.dom.Element;

class ScatterChartTest {

    @Test
    void pointsSitWhereTheTicksSay() throws Exception {
        List<ScatterChart.Series> series = List.of(
                new ScatterChart.Series("mlp", List.of(new ScatterChart.Point(0, 10, "checkpoint=1"), new ScatterChart.Point(5, 20, "checkpoint=2"))),
                new ScatterChart.Series("cnn", List.of(new ScatterChart.Point(2.5, 15, "checkpoint=1"), new ScatterChart.Point(Double.NaN, 1, "skipped"))));
        Document d = LineChartTest.parse(new ScatterChart("t", "measure", "test loss").svg(series));
        List<Element> points = LineChartTest.byClass(d, "circle", "point");
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
        assertEquals(0, LineChartTest.byClass(d, "line", "identity").size());
    }

    @Test
    void identityLineSharesOneRange() throws Exception {
        List<ScatterChart.Series> series = List.of(new ScatterChart.Series("a", List.of(new ScatterChart.Point(1, 3, null),
                new ScatterChart.Point(2, 4, null))));
        Document d = LineChartTest.parse(new ScatterChart("t", "predicted", "measured").identityLine().svg(series));
        Element line = LineChartTest.byClass(d, "line", "identity").get(0);
        // one range for both axes: the diagonal runs corner to corner
        assertEquals(86, Double.parseDouble(line.getAttribute("x1")), 1e-6);
        assertEquals(390, Double.parseDouble(line.getAttribute("y1")), 1e-6);
        assertEquals(610, Double.parseDouble(line.getAttribute("x2")), 1e-6);
        assertEquals(50, Double.parseDouble(line.getAttribute("y2")), 1e-6);
    }
}
