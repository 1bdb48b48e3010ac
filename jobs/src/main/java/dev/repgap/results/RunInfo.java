package dev.repgap.results;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.UUID;

/** Identifies one run of one command: every row it writes carries these. */
public record RunInfo(String runId, Instant startTime, String command, String input) {
    private static final DateTimeFormatter ID_TIME = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'")
            .withZone(ZoneOffset.UTC);

    public static RunInfo start(String command, String input) {
        Instant now = Instant.now();
        String id = ID_TIME.format(now) + "-" + UUID.randomUUID().toString().substring(0, 8);
        return new RunInfo(id, now, command, input);
    }

    /** The partition value of the results table: the UTC date the run started. */
    public String runDate() {
        return DateTimeFormatter.ISO_LOCAL_DATE.withZone(ZoneOffset.UTC).format(startTime);
    }
}
