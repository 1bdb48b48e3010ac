package dev.repgap.results;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The one rule for secrets in what repgap stores or prints (the {@code runs} table's Spark configuration and spec,
 * messages, Spark's own logs and UI): the value of any setting whose name contains {@code secret}, {@code password},
 * {@code token}, {@code credential}, {@code access.key}/{@code accesskey} or {@code account.key}/{@code accountkey}
 * (case-insensitive, e.g. {@code spark.hadoop.fs.s3a.secret.key}, {@code fs.azure.account.key.NAME.dfs.core.windows.net})
 * is replaced by {@value #REDACTED}.
 */
public final class Redaction {
    public static final String REDACTED = "(redacted)";

    /** Names of secret settings, found anywhere in the name; also given to Spark as {@code spark.redaction.regex}. */
    public static final String KEY_PATTERN = "(?i)secret|password|token|credential|access[._-]?key|account[._-]?key";

    private static final Pattern KEY = Pattern.compile(KEY_PATTERN);
    /** A value stands alone in YAML or JSON text: between these characters or the ends of the text. */
    private static final String EDGE = "\\s\"':,{}\\[\\]#=";

    private Redaction() {}

    public static boolean isSecret(String key) {
        return key != null && KEY.matcher(key).find();
    }

    /** {@code value}, or {@value #REDACTED} when {@code key} names a secret. */
    public static String value(String key, String value) {
        return isSecret(key) ? REDACTED : value;
    }

    /** The settings sorted by name, secret values redacted. */
    public static Map<String, String> settings(Iterable<Map.Entry<String, String>> settings) {
        Map<String, String> out = new TreeMap<>();
        for (Map.Entry<String, String> e : settings) out.put(e.getKey(), value(e.getKey(), e.getValue()));
        return out;
    }

    /**
     * The text of a YAML or JSON document ({@code root} parsed from it) with the value of every secret key replaced
     * where it stands, so comments and layout stay; when a value cannot be found as written (an escape in quotes), the
     * whole document rewritten as YAML from the redacted tree instead.
     */
    public static String document(String text, JsonNode root) {
        Set<String> secrets = new LinkedHashSet<>();
        collect(root, false, secrets);
        String out = text;
        for (String secret : secrets) {
            Matcher m = Pattern.compile("(?<![^" + EDGE + "])" + Pattern.quote(secret) + "(?![^" + EDGE + "])").matcher(out);
            if (!m.find()) return rewritten(root);
            out = m.replaceAll(Matcher.quoteReplacement(REDACTED));
        }
        return out;
    }

    /** A URL with any user information ({@code scheme://user:password@host}) redacted. */
    public static String url(String url) {
        return url == null ? null : url.replaceFirst("(?<=://)[^/@]+@", Matcher.quoteReplacement(REDACTED) + "@");
    }

    private static void collect(JsonNode node, boolean secret, Set<String> out) {
        if (node == null || node.isNull()) return;
        if (node.isValueNode()) {
            if (secret && !node.asText().isEmpty()) out.add(node.asText());
        } else if (node.isObject()) {
            node.fields().forEachRemaining(e -> collect(e.getValue(), secret || isSecret(e.getKey()), out));
        } else {
            node.forEach(x -> collect(x, secret, out));
        }
    }

    private static String rewritten(JsonNode root) {
        JsonNode copy = root.deepCopy();
        redactTree(copy);
        try {
            return new ObjectMapper(new YAMLFactory()).writeValueAsString(copy);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void redactTree(JsonNode node) {
        if (node instanceof ObjectNode o) {
            for (Iterator<Map.Entry<String, JsonNode>> it = o.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> e = it.next();
                if (isSecret(e.getKey())) e.setValue(TextNode.valueOf(REDACTED));
                else redactTree(e.getValue());
            }
        } else if (node != null && node.isArray()) {
            node.forEach(Redaction::redactTree);
        }
    }
}
