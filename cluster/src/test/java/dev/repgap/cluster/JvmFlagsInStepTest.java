package dev.repgap.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The Java 17 flags are written out where no script can source them: the root pom.xml (for Maven's
 * tests), bin/jvm-flags.sh (for the scripts), and the production templates. They must not drift.
 */
class JvmFlagsInStepTest {
    private static final Path REPO = Path.of("..").toAbsolutePath().normalize();

    @Test
    void everyCopyOfTheJvmFlagsIsTheSame() throws IOException {
        List<String> pom = split(System.getProperty("repgap.jvm.flags", ""));
        assertFalse(pom.isEmpty(), "the pom's repgap.jvm.flags did not reach the test");

        String script = Files.readString(REPO.resolve("bin/jvm-flags.sh"));
        String array = script.substring(script.indexOf("REPGAP_JVM_FLAGS=(") + "REPGAP_JVM_FLAGS=(".length(),
                script.indexOf(')', script.indexOf("REPGAP_JVM_FLAGS=(")));
        assertEquals(pom, split(array), "bin/jvm-flags.sh");

        for (String template : List.of("cluster/conf/spark-defaults.conf", "cluster/k8s/repgap-gap.yaml")) {
            Matcher m = Pattern.compile("spark\\.(driver|executor)\\.extraJavaOptions:?\\s+\"?([^\"\\n]+)\"?")
                    .matcher(Files.readString(REPO.resolve(template)));
            int found = 0;
            while (m.find()) {
                assertEquals(pom, split(m.group(2)), template + ": spark." + m.group(1) + ".extraJavaOptions");
                found++;
            }
            assertEquals(2, found, template + " should set the driver's and the executors' extraJavaOptions");
        }
    }

    private static List<String> split(String flags) {
        return Arrays.stream(flags.trim().split("\\s+")).filter(s -> !s.isEmpty()).toList();
    }
}
