package io.onsbridge.domain.consumer;

import static org.assertj.core.api.Assertions.assertThat;

import io.onsbridge.cluster.Queue;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class StoreTimesTest {
    private final Queue queue = new Queue("MQ_INST_1_abc%orders", "broker-a", 3);

    @Test
    void aStoreTimeIsReadOnceWhileKept() {
        StoreTimes times = new StoreTimes();
        AtomicInteger reads = new AtomicInteger();
        for (int i = 0; i < 3; i++) {
            assertThat(times.at(queue, 25, () -> {
                reads.incrementAndGet();
                return 1_000L;
            })).isEqualTo(1_000L);
        }
        assertThat(reads).hasValue(1);
        // another offset (the group moved on) is another message
        assertThat(times.at(queue, 26, () -> 2_000L)).isEqualTo(2_000L);
    }

    @Test
    void noMessageThereIsNotKept() {
        StoreTimes times = new StoreTimes();
        AtomicInteger reads = new AtomicInteger();
        for (int i = 0; i < 2; i++) {
            assertThat(times.at(queue, 7, () -> {
                reads.incrementAndGet();
                return Backlog.NO_MESSAGE;
            })).isEqualTo(Backlog.NO_MESSAGE);
        }
        assertThat(reads).hasValue(2);
    }
}
