package dev.repgap.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Assumptions;
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

    /** Headless Chromium, or the test is skipped where it is not installed (CI installs it). */
    static Path chromium() {
        Path chromium = Stream.of("/usr/bin/chromium", "/usr/bin/chromium-browser").map(Path::of).filter(Files::isExecutable)
                .findFirst().orElse(null);
        Assumptions.assumeTrue(chromium != null, "Chromium is not installed");
        return chromium;
    }

    /** Runs headless Chromium with {@code args} (its profile and log under {@code tmp}); returns its stdout. */
    static String browser(Path tmp, Path chromium, String... args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of(chromium.toString(), "--headless", "--no-sandbox", "--disable-gpu",
                "--user-data-dir=" + tmp.resolve("chromium-profile")));
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd).redirectError(tmp.resolve("chromium.log").toFile()).start();
        byte[] out = p.getInputStream().readAllBytes();
        assertTrue(p.waitFor(120, TimeUnit.SECONDS), "chromium did not finish");
        assertEquals(0, p.exitValue(), Files.readString(tmp.resolve("chromium.log")));
        return new String(out, StandardCharsets.UTF_8);
    }

    /** Pixels (every second row and column) of a screenshot {@code width} wide in chart colours, not grey text. */
    static long colouredPixels(Path png, int width) throws Exception {
        BufferedImage image = ImageIO.read(png.toFile());
        assertEquals(width, image.getWidth());
        long coloured = 0;
        for (int y = 0; y < image.getHeight(); y += 2) {
            for (int x = 0; x < image.getWidth(); x += 2) {
                int rgb = image.getRGB(x, y);
                int r = (rgb >> 16) & 255, g = (rgb >> 8) & 255, b = rgb & 255;
                if (Math.max(r, Math.max(g, b)) - Math.min(r, Math.min(g, b)) > 60) coloured++;
            }
        }
        return coloured;
    }

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
