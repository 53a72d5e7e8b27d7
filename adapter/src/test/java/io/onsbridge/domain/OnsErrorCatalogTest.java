package io.onsbridge.domain;

import static org.assertj.core.api.Assertions.assertThat;

import io.onsbridge.cluster.ClusterException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** docs/errors.md and {@link OnsError} say the same: every code, its HTTP status, and which are the bridge's own. */
class OnsErrorCatalogTest {
    /** A row of the codes table: codes in the first cell, the HTTP status in the second. */
    private static final Pattern ROW = Pattern.compile("^\\| (`[^|]+) \\| (\\d{3}) \\|");
    private static final Pattern CODE = Pattern.compile("`([^`]+)`");

    private record Documented(int status, boolean bridgeOwn) {
    }

    @Test
    void everyCodeIsDocumentedWithItsStatusAndOrigin() throws IOException {
        Map<String, Documented> documented = documented();
        for (OnsError error : OnsError.values()) {
            assertThat(documented).as("docs/errors.md lists %s", error.code()).containsKey(error.code());
            Documented doc = documented.get(error.code());
            assertThat(doc.status()).as("HTTP status of %s", error.code()).isEqualTo(error.httpStatus());
            assertThat(doc.bridgeOwn()).as("*bridge* mark of %s", error.code()).isEqualTo(error.origin() == OnsError.Origin.BRIDGE);
        }
    }

    @Test
    void nothingIsDocumentedThatTheBridgeNeverAnswers() throws IOException {
        Map<String, OnsError> byCode = new HashMap<>();
        for (OnsError error : OnsError.values()) {
            byCode.put(error.code(), error);
        }
        assertThat(byCode.keySet()).containsAll(documented().keySet());
    }

    @Test
    void callersMistakesAre4xxAndOnlyFailuresOfOursOrTheClusters5xx() {
        for (OnsError error : OnsError.values()) {
            boolean ours = error == OnsError.SYSTEM_ERROR || error == OnsError.SERVICE_UNAVAILABLE;
            assertThat(error.httpStatus() >= 500).as(error.code()).isEqualTo(ours);
        }
    }

    @Test
    void everyClusterFailureHasACode() {
        for (ClusterException.Reason reason : ClusterException.Reason.values()) {
            assertThat(OnsError.of(reason)).as(reason.name()).isNotNull();
        }
        assertThat(OnsError.of(ClusterException.Reason.UNAVAILABLE).httpStatus()).isEqualTo(503);
        assertThat(OnsError.of(ClusterException.Reason.FORBIDDEN).httpStatus()).isEqualTo(403);
        assertThat(OnsError.of(ClusterException.Reason.TOPIC_NOT_FOUND)).isEqualTo(OnsError.TOPIC_NOT_FOUND);
    }

    private static Map<String, Documented> documented() throws IOException {
        Path doc = Path.of("..", "docs", "errors.md");
        Map<String, Documented> documented = new HashMap<>();
        for (String line : Files.readAllLines(doc)) {
            Matcher row = ROW.matcher(line);
            if (!row.find()) {
                continue;
            }
            String cell = row.group(1);
            boolean bridgeOwn = cell.contains("*bridge*");
            Matcher code = CODE.matcher(cell);
            while (code.find()) {
                documented.put(code.group(1), new Documented(Integer.parseInt(row.group(2)), bridgeOwn));
            }
        }
        assertThat(documented).as("rows read from %s", doc.toAbsolutePath()).hasSizeGreaterThan(20);
        return documented;
    }
}
