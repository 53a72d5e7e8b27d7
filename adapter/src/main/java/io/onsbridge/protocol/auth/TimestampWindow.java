package io.onsbridge.protocol.auth;

import io.onsbridge.domain.OnsErrors;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;

/** V1's Timestamp and V3's x-acs-date: an ISO 8601 instant within the window of the bridge's clock. */
final class TimestampWindow {
    private final Clock clock;
    private final Duration window;
    /** The last timestamp read: clients send the same one all second long, and parsing it costs more than the signature. */
    private volatile Parsed last = new Parsed("", Instant.EPOCH);

    private record Parsed(String timestamp, Instant at) {
    }

    TimestampWindow(Clock clock, Duration window) {
        this.clock = clock;
        this.window = window;
    }

    void check(String timestamp) {
        Parsed known = last;
        Instant sent;
        if (known.timestamp().equals(timestamp)) {
            sent = known.at();
        } else {
            try {
                sent = Instant.parse(timestamp);
            } catch (DateTimeParseException e) {
                throw OnsErrors.malformedTimestamp(timestamp);
            }
            last = new Parsed(timestamp, sent);
        }
        Duration skew = Duration.between(sent, clock.instant()).abs();
        if (skew.compareTo(window) > 0) {
            throw OnsErrors.expiredTimestamp(timestamp, window.toMinutes());
        }
    }
}
