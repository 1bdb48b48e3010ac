package dev.repgap.results;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RedactionTest {
    private static JsonNode yaml(String text) throws Exception {
        return new ObjectMapper(new YAMLFactory()).readTree(text);
    }

    @Test
    void secretNamesByRule() {
        for (String key : List.of("spark.hadoop.fs.s3a.secret.key", "spark.hadoop.fs.azure.account.key.acct.dfs.core.windows.net",
                "fs.azure.accountkey", "spark.authenticate.secret", "db.PASSWORD", "spark.hadoop.fs.gs.auth.token",
                "my.Credentials.file", "spark.hadoop.fs.s3a.access.key")) {
            assertTrue(Redaction.isSecret(key), key);
        }
        for (String key : List.of("spark.sql.shuffle.partitions", "spark.master", "spark.hadoop.fs.azure.account.name")) {
            assertFalse(Redaction.isSecret(key), key);
        }
        assertEquals(Map.of("a.password", Redaction.REDACTED, "b", "2"),
                Redaction.settings(List.of(Map.entry("a.password", "1"), Map.entry("b", "2"))));
    }

    @Test
    void documentsKeepTheirLayoutAndLoseTheirSecrets() throws Exception {
        String text = "# nightly\nspark:\n  conf: {fs.s3a.secret.key: abc/def+g==, x: abc}\n  other: \"abc/def+g==-not\"\n";
        String redacted = Redaction.document(text, yaml(text));
        assertEquals("# nightly\nspark:\n  conf: {fs.s3a.secret.key: (redacted), x: abc}\n  other: \"abc/def+g==-not\"\n", redacted);
        // a value under a secret key that is a mapping: every value in it
        String nested = "credentials:\n  user: bob\n  pass: hunter2\nkeep: bob2\n";
        assertEquals("credentials:\n  user: (redacted)\n  pass: (redacted)\nkeep: bob2\n", Redaction.document(nested, yaml(nested)));
    }

    @Test
    void aValueWrittenWithEscapesIsRedactedByRewriting() throws Exception {
        String text = "conf:\n  my.token: \"a\\u0062c\"\n  n: 1\n";
        String redacted = Redaction.document(text, yaml(text));
        assertFalse(redacted.contains("abc") || redacted.contains("u0062"), redacted);
        assertEquals(Redaction.REDACTED, yaml(redacted).get("conf").get("my.token").asText());
        assertEquals(1, yaml(redacted).get("conf").get("n").asInt());
    }

    @Test
    void userInformationInUrls() {
        assertEquals("k8s://https://(redacted)@host:6443", Redaction.url("k8s://https://user:pw@host:6443"));
        assertEquals("spark://host:7077", Redaction.url("spark://host:7077"));
        assertEquals("local[*]", Redaction.url("local[*]"));
    }
}
