package io.onsbridge.domain.consumer;

import static org.assertj.core.api.Assertions.assertThat;

import io.onsbridge.cluster.ClusterConsumers.GroupOffsets;
import io.onsbridge.cluster.ClusterConsumers.QueueOffsets;
import io.onsbridge.cluster.Queue;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.ToLongFunction;
import org.junit.jupiter.api.Test;

class BacklogTest {
    private static final long NOW = 1_700_000_000_000L;
    private static final String TOPIC = "X%orders";
    private static final String OTHER = "X%payments";
    private static final String RETRY = "%RETRY%X%GID_a";

    private final List<Queue> asked = new ArrayList<>();

    private static QueueOffsets queue(String topic, int id, long brokerOffset, long consumerOffset, long lastTimestamp) {
        return new QueueOffsets(new Queue(topic, "broker-a", id), brokerOffset, consumerOffset, lastTimestamp);
    }

    /** Store times of the oldest unconsumed message by queue id; records which queues were asked about. */
    private ToLongFunction<QueueOffsets> oldest(Map<Queue, Long> storeTimes) {
        return q -> {
            asked.add(q.queue());
            Long time = storeTimes.get(q.queue());
            if (time == null) {
                throw new AssertionError("asked for the oldest unconsumed message of " + q.queue() + ", which has no backlog");
            }
            return time;
        };
    }

    @Test
    void sumsTheBacklogOfEveryQueueOfATopic() {
        GroupOffsets offsets = new GroupOffsets(List.of(
                queue(TOPIC, 0, 100, 90, 1_000),
                queue(TOPIC, 1, 50, 20, 3_000),
                queue(TOPIC, 2, 70, 70, 2_000)), 12.5);
        Backlog backlog = Backlog.of(offsets, oldest(Map.of(
                new Queue(TOPIC, "broker-a", 0), NOW - 4_000,
                new Queue(TOPIC, "broker-a", 1), NOW - 9_000)), NOW);

        assertThat(backlog.byTopic()).containsOnlyKeys(TOPIC);
        assertThat(backlog.byTopic().get(TOPIC)).isEqualTo(new Backlog(40, 3_000, 9_000, 0, Map.of()));
        assertThat(backlog.totalDiff()).isEqualTo(40);
        assertThat(backlog.lastTimestamp()).isEqualTo(3_000);
        assertThat(backlog.delayTime()).isEqualTo(9_000);
        assertThat(backlog.consumeTps()).isEqualTo(12.5);
    }

    @Test
    void aConsumerOffsetOfMinusOneMeansNothingConsumedYet() {
        GroupOffsets offsets = new GroupOffsets(List.of(queue(TOPIC, 0, 25, -1, 0)), 0);
        Backlog backlog = Backlog.of(offsets, oldest(Map.of(new Queue(TOPIC, "broker-a", 0), NOW - 60_000)), NOW);

        assertThat(backlog.totalDiff()).isEqualTo(25);
        assertThat(backlog.delayTime()).isEqualTo(60_000);
        assertThat(backlog.lastTimestamp()).isZero();
    }

    @Test
    void aConsumerAheadOfTheBrokerIsNoBacklogNeverANegativeOne() {
        // After a broker's queue was truncated or reset, the group's offset can be past the broker's.
        GroupOffsets offsets = new GroupOffsets(List.of(
                queue(TOPIC, 0, 10, 500, 7_000),
                queue(TOPIC, 1, 30, 25, 8_000)), 0);
        Backlog backlog = Backlog.of(offsets, oldest(Map.of(new Queue(TOPIC, "broker-a", 1), NOW - 100)), NOW);

        assertThat(backlog.byTopic().get(TOPIC).totalDiff()).isEqualTo(5);
        assertThat(backlog.totalDiff()).isEqualTo(5);
    }

    @Test
    void delayIsAskedOnlyForQueuesWithABacklog() {
        GroupOffsets offsets = new GroupOffsets(List.of(
                queue(TOPIC, 0, 10, 10, 5_000),   // caught up
                queue(TOPIC, 1, 0, -1, 0),        // empty queue, never consumed
                queue(TOPIC, 2, 10, 500, 5_000),  // ahead of the broker
                queue(TOPIC, 3, 12, 11, 6_000)), 0);
        Backlog backlog = Backlog.of(offsets, oldest(Map.of(new Queue(TOPIC, "broker-a", 3), NOW - 2_500)), NOW);

        assertThat(asked).containsExactly(new Queue(TOPIC, "broker-a", 3));
        assertThat(backlog.delayTime()).isEqualTo(2_500);
    }

    @Test
    void aGroupThatKeepsUpHasNoDelayWhateverItsLastConsumedTime() {
        GroupOffsets offsets = new GroupOffsets(List.of(queue(TOPIC, 0, 10, 10, NOW - 3_600_000)), 1.0);
        Backlog backlog = Backlog.of(offsets, oldest(Map.of()), NOW);

        assertThat(backlog.totalDiff()).isZero();
        assertThat(backlog.delayTime()).isZero();
        assertThat(backlog.lastTimestamp()).isEqualTo(NOW - 3_600_000);
        assertThat(asked).isEmpty();
    }

    @Test
    void aStoreTimeAfterNowIsNoNegativeDelay() {
        // A broker's clock ahead of the bridge's.
        GroupOffsets offsets = new GroupOffsets(List.of(queue(TOPIC, 0, 5, 0, 0)), 0);
        Backlog backlog = Backlog.of(offsets, oldest(Map.of(new Queue(TOPIC, "broker-a", 0), NOW + 10_000)), NOW);

        assertThat(backlog.totalDiff()).isEqualTo(5);
        assertThat(backlog.delayTime()).isZero();
        assertThat(backlog.byTopic().get(TOPIC).delayTime()).isZero();
    }

    @Test
    void theRetryTopicIsATopicOfItsOwnAndTotalsSpanEveryTopic() {
        GroupOffsets offsets = new GroupOffsets(List.of(
                queue(TOPIC, 0, 100, 60, 4_000),
                new QueueOffsets(new Queue(TOPIC, "broker-b", 0), 10, 5, 9_000),
                queue(OTHER, 0, 7, 7, 11_000),
                queue(RETRY, 0, 3, 1, 2_000)), 3.25);
        Backlog backlog = Backlog.of(offsets, oldest(Map.of(
                new Queue(TOPIC, "broker-a", 0), NOW - 1_000,
                new Queue(TOPIC, "broker-b", 0), NOW - 5_000,
                new Queue(RETRY, "broker-a", 0), NOW - 20_000)), NOW);

        assertThat(backlog.byTopic()).containsOnlyKeys(TOPIC, OTHER, RETRY);
        assertThat(backlog.byTopic().get(TOPIC)).isEqualTo(new Backlog(45, 9_000, 5_000, 0, Map.of()));
        assertThat(backlog.byTopic().get(OTHER)).isEqualTo(new Backlog(0, 11_000, 0, 0, Map.of()));
        assertThat(backlog.byTopic().get(RETRY)).isEqualTo(new Backlog(2, 2_000, 20_000, 0, Map.of()));
        assertThat(backlog.totalDiff()).isEqualTo(47);
        assertThat(backlog.lastTimestamp()).isEqualTo(11_000);
        assertThat(backlog.delayTime()).isEqualTo(20_000);
        assertThat(backlog.consumeTps()).isEqualTo(3.25);
    }

    @Test
    void topicsAreListedInNameOrder() {
        GroupOffsets offsets = new GroupOffsets(List.of(
                queue("X%b", 0, 1, 1, 0), queue(RETRY, 0, 1, 1, 0), queue("X%a", 0, 1, 1, 0)), 0);
        Backlog backlog = Backlog.of(offsets, oldest(Map.of()), NOW);

        assertThat(backlog.byTopic().keySet()).containsExactly(RETRY, "X%a", "X%b");
    }

    @Test
    void noQueuesIsNoBacklogButKeepsTheTps() {
        Backlog backlog = Backlog.of(new GroupOffsets(List.of(), 4.0), oldest(Map.of()), NOW);

        assertThat(backlog).isEqualTo(new Backlog(0, 0, 0, 4.0, Map.of()));
    }

    @Test
    void messagesHandedToHttpConsumersAndNotAckedAreAddedPerTopic() {
        GroupOffsets offsets = new GroupOffsets(List.of(queue(TOPIC, 0, 100, 90, 1_000)), 2.0);
        Backlog backlog = Backlog.of(offsets, oldest(Map.of(new Queue(TOPIC, "broker-a", 0), NOW - 4_000)), NOW)
                .withInFlight(Map.of(TOPIC, 3L, OTHER, 2L));

        assertThat(backlog.totalDiff()).isEqualTo(15);
        assertThat(backlog.byTopic().get(TOPIC)).isEqualTo(new Backlog(13, 1_000, 4_000, 0, Map.of()));
        assertThat(backlog.byTopic().get(OTHER)).isEqualTo(new Backlog(2, 0, 0, 0, Map.of()));
        assertThat(backlog.delayTime()).isEqualTo(4_000);
        assertThat(backlog.consumeTps()).isEqualTo(2.0);
        assertThat(Backlog.NONE.withInFlight(Map.of())).isSameAs(Backlog.NONE);
    }
}
