package io.onsbridge.domain.messaging;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class HttpConsumersTest {
    private final AtomicLong now = new AtomicLong(1_000_000);
    private final HttpConsumers seen = new HttpConsumers(new Clock() {
        @Override
        public ZoneOffset getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return Instant.ofEpochMilli(now.get());
        }
    });

    @Test
    void aGroupIsOnlineForAMinuteAfterItsLastPoll() {
        assertThat(seen.online("G")).isFalse();
        seen.polled("G");
        now.addAndGet(HttpConsumers.ONLINE_WINDOW.toMillis());
        assertThat(seen.online("G")).isTrue();
        now.incrementAndGet();
        assertThat(seen.online("G")).isFalse();
        assertThat(seen.online("other")).isFalse();
    }

    @Test
    void aDeliveryCountsUntilAckedOrVisibleAgain() {
        seen.delivered("G", "T1", "h1", now.get() + 5_000);
        seen.delivered("G", "T1", "h2", now.get() + 5_000);
        seen.delivered("G", "T2", "h3", now.get() + 10_000);
        assertThat(seen.inFlight("G")).containsEntry("T1", 2L).containsEntry("T2", 1L).hasSize(2);
        seen.acked("G", "h1");
        seen.acked("G", "unknown");
        assertThat(seen.inFlight("G")).containsEntry("T1", 1L).containsEntry("T2", 1L);
        now.addAndGet(5_000); // h2 is visible again: the broker's retry topic counts it from now on
        assertThat(seen.inFlight("G")).doesNotContainKey("T1").containsEntry("T2", 1L);
        assertThat(seen.inFlight("other")).isEmpty();
    }
}
