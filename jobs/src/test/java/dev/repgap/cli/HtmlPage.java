package dev.repgap.cli;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import javax.xml.parsers.DocumentBuilderFactory;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

/** The report's page read as XML (it is well-formed XHTML), and the elements the report tests look for. */
final class HtmlPage {
    private HtmlPage() {}

    static Document parse(String html) throws Exception {
        DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
        f.setFeature("http://apache.org/xml/features/nonvalidating/load-external-dtd", false);
        return f.newDocumentBuilder().parse(new ByteArrayInputStream(html.getBytes(StandardCharsets.UTF_8)));
    }

    /** Every element named {@code tag} below {@code root}, in document order. */
    static List<Element> all(Element root, String tag) {
        List<Element> out = new ArrayList<>();
        NodeList nodes = root.getElementsByTagName(tag);
        for (int i = 0; i < nodes.getLength(); i++) out.add((Element) nodes.item(i));
        return out;
    }

    /** The elements named {@code tag} below {@code root} that carry the class {@code cls}. */
    static List<Element> withClass(Element root, String tag, String cls) {
        return all(root, tag).stream().filter(e -> List.of(e.getAttribute("class").split(" ")).contains(cls)).toList();
    }
}
