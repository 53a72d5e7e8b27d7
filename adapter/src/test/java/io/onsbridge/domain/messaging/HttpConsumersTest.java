package io.onsbridge.domain.messaging;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class HttpConsumersTest {
    private final AtomicLong now = new AtomicLong(1_000_000);
    private final Clock clock = new Clock() {
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
    };
    private final HttpConsumers seen = new HttpConsumers(clock);

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

    @Test
    void anotherBridgesShareCountsHereUntilItIsReplaced() {
        HttpConsumers there = new HttpConsumers(clock);
        there.polled("G");
        there.delivered("G", "T1", "h1", now.get() + 5_000);
        there.delivered("G", "T1", "h2", now.get() + 5_000);
        seen.delivered("G", "T2", "h3", now.get() + 5_000);
        assertThat(seen.online("G")).isFalse();

        seen.others(List.of(there.share("b2", 1, now.get() + 6_000)));
        assertThat(seen.online("G")).isTrue();
        assertThat(seen.inFlight("G")).containsEntry("T1", 2L).containsEntry("T2", 1L);
        assertThat(seen.share("b1", 1, now.get() + 6_000).groups()).as("only its own counts are shared")
                .containsOnlyKeys("G").hasEntrySatisfying("G", g -> assertThat(g.inFlight()).containsOnlyKeys("T2"));

        seen.others(List.of()); // its share ran out
        assertThat(seen.online("G")).isFalse();
        assertThat(seen.inFlight("G")).containsOnlyKeys("T2");
    }

    @Test
    void aHandleAckedThroughAnotherBridgeStopsCountingWhereItWasHandedOut() {
        HttpConsumers there = new HttpConsumers(clock);
        seen.delivered("G", "T1", "h1", now.get() + 5_000);
        seen.delivered("G", "T1", "h2", now.get() + 5_000);
        there.acked("G", "h1"); // not handed out there: shared as acked elsewhere
        there.acked("G", "ordered"); // an ordered message nobody counts: nothing stops counting for it
        HttpConsumers.Share share = there.share("b2", 1, now.get() + 6_000);
        assertThat(share.groups()).isEmpty();
        assertThat(share.acked()).hasSize(2);

        seen.others(List.of(share));
        assertThat(seen.inFlight("G")).containsEntry("T1", 1L);
        now.addAndGet(HttpConsumers.FOREIGN_ACK_KEPT_MILLIS);
        assertThat(there.share("b2", 2, now.get() + 6_000).holdsNothing()).as("shared for a while, then dropped").isTrue();
    }
}
