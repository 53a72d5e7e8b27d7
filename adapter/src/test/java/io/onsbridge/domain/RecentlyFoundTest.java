package io.onsbridge.domain;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class RecentlyFoundTest {
    private final AtomicLong now = new AtomicLong(1_000_000_000L);
    private final RecentlyFound<String> found = new RecentlyFound<>(now::get);

    private void advanceMillis(long millis) {
        now.addAndGet(TimeUnit.MILLISECONDS.toNanos(millis));
    }

    @Test
    void heldForUnderASecond() {
        assertThat(found.get("MQ_INST_1_a", "MQ_INST_1_a%orders")).isNull();
        found.put("MQ_INST_1_a", "MQ_INST_1_a%orders", "record");
        assertThat(found.get("MQ_INST_1_a", "MQ_INST_1_a%orders")).isEqualTo("record");
        assertThat(found.get("MQ_INST_1_a", "MQ_INST_1_a%payments")).isNull();
        advanceMillis(RecentlyFound.KEPT_FOR.toMillis());
        assertThat(found.get("MQ_INST_1_a", "MQ_INST_1_a%orders")).isNull();
    }

    @Test
    void pastHalfItsTimeOneReadRenewsItWhileTheOthersStillGetIt() {
        found.put("MQ_INST_1_a", "MQ_INST_1_a%orders", "record");
        advanceMillis(400);
        assertThat(found.get("MQ_INST_1_a", "MQ_INST_1_a%orders")).isEqualTo("record");
        advanceMillis(100);
        assertThat(found.get("MQ_INST_1_a", "MQ_INST_1_a%orders")).as("the read that renews").isNull();
        assertThat(found.get("MQ_INST_1_a", "MQ_INST_1_a%orders")).as("the reads alongside it").isEqualTo("record");
        assertThat(found.get("MQ_INST_1_a", "MQ_INST_1_a%orders")).isEqualTo("record");
        found.put("MQ_INST_1_a", "MQ_INST_1_a%orders", "checked again");
        advanceMillis(800);
        assertThat(found.get("MQ_INST_1_a", "MQ_INST_1_a%orders")).as("renewed 800 ms ago, due again").isNull();
        assertThat(found.get("MQ_INST_1_a", "MQ_INST_1_a%orders")).isEqualTo("checked again");
    }

    @Test
    void anEntryNoReadRenewedIsGoneAfterItsTimeWhateverWasAsked() {
        found.put("MQ_INST_1_a", "MQ_INST_1_a%orders", "record");
        advanceMillis(500);
        assertThat(found.get("MQ_INST_1_a", "MQ_INST_1_a%orders")).isNull(); // its renewer never put (the check failed)
        advanceMillis(399);
        assertThat(found.get("MQ_INST_1_a", "MQ_INST_1_a%orders")).isEqualTo("record");
        advanceMillis(1);
        assertThat(found.get("MQ_INST_1_a", "MQ_INST_1_a%orders")).isNull();
    }

    @Test
    void boundedByWeightWhenGivenAWeigher() {
        RecentlyFound<String> bySize = new RecentlyFound<>(10, String::length);
        bySize.put("MQ_INST_1_a", "key1", "123456");
        bySize.put("MQ_INST_1_a", "key2", "123456");
        long held = java.util.stream.Stream.of("key1", "key2").filter(k -> bySize.get("MQ_INST_1_a", k) != null).count();
        assertThat(held).as("two entries of weight 6 under a bound of 10").isEqualTo(1);
        bySize.put("MQ_INST_1_a", "key3", "1234");
        assertThat(bySize.get("MQ_INST_1_a", "key3")).isEqualTo("1234");
    }
}
