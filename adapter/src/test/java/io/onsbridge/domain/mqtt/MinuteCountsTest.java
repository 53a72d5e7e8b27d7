package io.onsbridge.domain.mqtt;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.onsbridge.domain.OnsException;
import io.onsbridge.domain.stats.Buckets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class MinuteCountsTest {
    private static final long MINUTE = 60_000;
    private static final String KEY = MinuteRecord.onlineKey("I", "GID_a");

    @Test
    void onlineIsEachBridgesLastCountInTheBucketSummed() {
        Buckets buckets = Buckets.of(0, 2 * MINUTE, 1);
        List<MinuteRecord> records = List.of(
                new MinuteRecord("b1", 0, MINUTE, Map.of(KEY, 3L), List.of()),
                new MinuteRecord("b2", 0, MINUTE, Map.of(KEY, 4L, "I/GID_b", 9L), List.of()),
                new MinuteRecord("b1", MINUTE, 2 * MINUTE, Map.of(KEY, 1L), List.of()));
        assertThat(MinuteCounts.online(records, buckets, "I", "GID_a")).containsExactly(7, 1, 0);
    }

    @Test
    void messagesAreSummedOverBridgesAndKinds() {
        Buckets buckets = Buckets.of(0, MINUTE, 1);
        MinuteRecord.Trans pub = new MinuteRecord.Trans("I", "T", "/a", 1, false, "PUB", 5);
        MinuteRecord.Trans sub = new MinuteRecord.Trans("I", "T", "/a", 1, false, "SUB", 7);
        List<MinuteRecord> records = List.of(
                new MinuteRecord("b1", 0, MINUTE, Map.of(), List.of(pub, sub)),
                new MinuteRecord("b2", 10, MINUTE - 10, Map.of(), List.of(pub)),
                new MinuteRecord("b2", MINUTE, 2 * MINUTE, Map.of(), List.of(pub)));
        assertThat(MinuteCounts.messages(records, buckets, t -> t.d().equals("PUB"))).containsExactly(10, 5);
    }

    @Test
    void theFinestPeriodThatFitsIsChosen() {
        assertThat(MinuteCounts.buckets(0, 60 * MINUTE).periodMillis()).isEqualTo(MINUTE);
        assertThat(MinuteCounts.buckets(0, 3 * 1_440 * MINUTE).periodMillis()).isEqualTo(5 * MINUTE);
        assertThat(MinuteCounts.buckets(0, 9 * 1_440 * MINUTE).periodMillis()).isEqualTo(10 * MINUTE);
        assertThatThrownBy(() -> MinuteCounts.buckets(0, 11 * 1_440 * MINUTE)).isInstanceOf(OnsException.class);
        assertThatThrownBy(() -> MinuteCounts.buckets(MINUTE, 0)).isInstanceOf(OnsException.class);
    }

    @Test
    void manyKindsAreCountedTogetherPastTheBound() {
        TransCounts counts = new TransCounts();
        for (int i = 0; i < TransCounts.MAX_KINDS + 10; i++) {
            counts.count("I", "T", "/d" + i, 0, false, "PUB");
        }
        List<MinuteRecord.Trans> taken = counts.takeAll();
        assertThat(taken).hasSize(TransCounts.MAX_KINDS + 1);
        assertThat(taken.stream().mapToLong(MinuteRecord.Trans::n).sum()).isEqualTo(TransCounts.MAX_KINDS + 10);
        assertThat(taken.stream().filter(t -> t.st() == null).findFirst().orElseThrow().n()).isEqualTo(10);
        assertThat(counts.takeAll()).isEmpty();
    }
}
