package io.onsbridge.it;

import static io.onsbridge.it.TopicIT.awaitUntil;
import static org.assertj.core.api.Assertions.assertThat;

import com.aliyun.ons20190214.models.OnsConsumerAccumulateRequest;
import com.aliyun.ons20190214.models.OnsConsumerResetOffsetRequest;
import com.aliyun.ons20190214.models.OnsGroupCreateRequest;
import com.aliyun.ons20190214.models.OnsTopicCreateRequest;
import io.onsbridge.junit.OnsBridgeEnvironment;
import io.onsbridge.junit.OnsBridgeTest;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.rocketmq.client.consumer.DefaultMQPushConsumer;
import org.apache.rocketmq.client.consumer.listener.ConsumeConcurrentlyStatus;
import org.apache.rocketmq.client.consumer.listener.MessageListenerConcurrently;
import org.apache.rocketmq.client.impl.consumer.ProcessQueue;
import org.apache.rocketmq.client.producer.DefaultMQProducer;
import org.apache.rocketmq.common.message.Message;
import org.apache.rocketmq.common.message.MessageExt;
import org.junit.jupiter.api.Test;

/**
 * OnsConsumerResetOffset while the consumer is online: ten resets to a time between two batches in a
 * row, each re-delivering exactly the later batch, then a skip of a backlog the paused consumer built.
 */
@OnsBridgeTest
class OnlineResetIT {
    private static final int BATCH = 6;

    private final Bridge bridge;

    OnlineResetIT(OnsBridgeEnvironment env) {
        this.bridge = Bridge.of(env);
    }

    @Test
    void tenResetsOfAnOnlineConsumerEachRedeliverExactlyTheLaterMessages() throws Exception {
        String instance = bridge.newInstance("reset");
        var tea = bridge.tea();
        tea.onsTopicCreate(new OnsTopicCreateRequest().setInstanceId(instance).setTopic("Replay").setMessageType(0));
        tea.onsGroupCreate(new OnsGroupCreateRequest().setInstanceId(instance).setGroupId("GID_replay"));
        Map<String, MessageExt> everything = new ConcurrentHashMap<>();
        // What the listener got since the last reset; replaced (not cleared) so a late delivery of the
        // round before cannot land in the next round's set.
        AtomicReference<Set<String>> round = new AtomicReference<>(ConcurrentHashMap.newKeySet());
        DefaultMQPushConsumer consumer = Clients.consumer(bridge, instance, "GID_replay");
        // The client commits its offsets on a timer, and a commit read just before the client takes up a reset and sent
        // just after undoes it (docs/consumer.md#resetting-online-consumers): RocketMQ's race, not the bridge's. It made
        // this test fail about once in eight runs with a 1 s timer, and still now and then with the default 5 s (a skipped
        // message came in a fresh-clone .ci/run, 2026-12-03). So the timer is off and the test commits the client's offsets itself
        // (committedDiff), only once every queue has taken the reset up: what it checks is the bridge's reset alone.
        consumer.setPersistConsumerOffsetInterval(Integer.MAX_VALUE);
        consumer.subscribe("Replay", "*");
        consumer.registerMessageListener((MessageListenerConcurrently) (msgs, ctx) -> {
            msgs.forEach(m -> {
                everything.put(m.getMsgId(), m);
                round.get().add(m.getMsgId());
            });
            return ConsumeConcurrentlyStatus.CONSUME_SUCCESS;
        });
        consumer.start();
        DefaultMQProducer producer = Clients.producer(bridge, instance, "GID_replay_producer");
        try {
            List<String> early = send(producer, "early", BATCH);
            awaitUntil(Duration.ofSeconds(30), () -> assertThat(everything).containsKeys(early.toArray(String[]::new)));
            // A reset time strictly after every early message was stored and before any later one is.
            long lastEarly = early.stream().mapToLong(id -> everything.get(id).getStoreTimestamp()).max().orElseThrow();
            awaitUntil(Duration.ofSeconds(5), () -> assertThat(System.currentTimeMillis()).isGreaterThan(lastEarly + 1));
            long between = lastEarly + 1;
            List<String> later = send(producer, "later", BATCH);
            awaitUntil(Duration.ofSeconds(30), () -> assertThat(everything).containsKeys(later.toArray(String[]::new)));
            assertThat(later).allSatisfy(id -> assertThat(everything.get(id).getStoreTimestamp()).isGreaterThanOrEqualTo(between));
            awaitUntil(Duration.ofSeconds(20), () -> assertThat(committedDiff(instance, consumer)).isZero());

            List<Long> millis = new ArrayList<>();
            for (int i = 1; i <= 10; i++) {
                Set<String> received = ConcurrentHashMap.newKeySet();
                round.set(received);
                Set<ProcessQueue> beforeReset = processQueues(consumer);
                long start = System.currentTimeMillis();
                tea.onsConsumerResetOffset(new OnsConsumerResetOffsetRequest().setInstanceId(instance).setGroupId("GID_replay")
                        .setTopic("Replay").setType(1).setResetTimestamp(between));
                long backlog = totalDiff(instance);
                if (received.isEmpty()) {
                    // Nothing consumed since the reset, so nothing committed past it: the broker shows the later batch as backlog.
                    assertThat(backlog).as("backlog right after reset %d", i).isEqualTo(BATCH);
                }
                // An idle consumer sees the reset at its next pull: within ~20 s (long polling), see OffsetReset.
                awaitUntil(Duration.ofSeconds(45), () -> assertThat(received).containsAll(later));
                millis.add(System.currentTimeMillis() - start);
                awaitResetTakenUp(consumer, beforeReset);
                awaitUntil(Duration.ofSeconds(20), () -> assertThat(committedDiff(instance, consumer)).isZero());
                // The consumer is idle again (nothing left to pull), so a duplicate would have had its
                // chance: a duplicate of a later message is allowed (at-least-once), an early message is not,
                // since the offsets went to the reset time and not to the start of the queues.
                assertThat(received).as("ids delivered after reset %d", i).containsExactlyInAnyOrderElementsOf(later);
            }
            System.out.println("online reset re-delivery times (ms): " + millis);

            skipTheBacklogOfAPausedConsumer(instance, producer, consumer, everything, round);
        } finally {
            producer.shutdown();
            consumer.shutdown();
        }
    }

    /**
     * Type 0 with the consumer online but paused: the backlog it built is skipped, TotalDiff drops to 0
     * and, resumed, it gets the messages sent after the reset and none of the skipped ones.
     */
    private void skipTheBacklogOfAPausedConsumer(String instance, DefaultMQProducer producer, DefaultMQPushConsumer consumer,
                                                 Map<String, MessageExt> everything, AtomicReference<Set<String>> round) throws Exception {
        consumer.suspend();
        // A paused client still has one pull per queue held by the broker (long polling); one message on
        // every queue answers those pulls, and the client issues no new one while paused.
        int queues = producer.fetchPublishMessageQueues("Replay").size();
        List<String> flush = new ArrayList<>();
        for (int q = 0; q < queues; q++) {
            flush.add(producer.send(new Message("Replay", "T", "flush" + q, ("flush" + q).getBytes(StandardCharsets.UTF_8)),
                    (mqs, msg, arg) -> mqs.get((Integer) arg), q).getMsgId());
        }
        awaitUntil(Duration.ofSeconds(30), () -> assertThat(everything).containsKeys(flush.toArray(String[]::new)));
        awaitUntil(Duration.ofSeconds(20), () -> assertThat(committedDiff(instance, consumer)).isZero());
        List<String> skipped = send(producer, "skipped", BATCH);
        awaitUntil(Duration.ofSeconds(20), () -> assertThat(totalDiff(instance)).isEqualTo(BATCH));
        assertThat(everything).doesNotContainKeys(skipped.toArray(String[]::new));

        Set<String> received = ConcurrentHashMap.newKeySet();
        round.set(received);
        Set<ProcessQueue> beforeReset = processQueues(consumer);
        bridge.tea().onsConsumerResetOffset(new OnsConsumerResetOffsetRequest().setInstanceId(instance).setGroupId("GID_replay")
                .setTopic("Replay").setType(0));
        awaitUntil(Duration.ofSeconds(20), () -> assertThat(totalDiff(instance)).isZero());
        consumer.resume();
        List<String> after = send(producer, "after", BATCH);
        awaitUntil(Duration.ofSeconds(45), () -> assertThat(received).containsAll(after));
        awaitResetTakenUp(consumer, beforeReset);
        awaitUntil(Duration.ofSeconds(20), () -> assertThat(committedDiff(instance, consumer)).isZero());
        // What the reset must do: none of the skipped messages is ever delivered. Delivery is at least once,
        // so an earlier message may come again (one did, once in a CI run): that is not a skipped one.
        assertThat(received).containsAll(after).doesNotContainAnyElementsOf(skipped);
        assertThat(everything).doesNotContainKeys(skipped.toArray(String[]::new));
    }

    private static List<String> send(DefaultMQProducer producer, String prefix, int count) throws Exception {
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            ids.add(producer.send(new Message("Replay", "T", prefix + i, (prefix + i).getBytes(StandardCharsets.UTF_8))).getMsgId());
        }
        return ids;
    }

    /** The client's process queues of the topic now (not its retry topic's); RocketMQ drops one and makes a new one when its queue takes up a reset. */
    private static Set<ProcessQueue> processQueues(DefaultMQPushConsumer consumer) {
        Set<ProcessQueue> queues = Collections.newSetFromMap(new IdentityHashMap<>());
        consumer.getDefaultMQPushConsumerImpl().getRebalanceImpl().getProcessQueueTable().forEach((queue, process) -> {
            if (queue.getTopic().endsWith("%Replay")) {
                queues.add(process);
            }
        });
        return queues;
    }

    /** Every queue of the client has taken the reset up: none of the process queues from before it is left, each replaced. */
    private static void awaitResetTakenUp(DefaultMQPushConsumer consumer, Set<ProcessQueue> beforeReset) {
        int queues = beforeReset.size();
        awaitUntil(Duration.ofSeconds(45), () -> assertThat(processQueues(consumer)).hasSize(queues).doesNotContainAnyElementsOf(beforeReset));
    }

    /** TotalDiff once the client has committed what it consumed (its commit timer is off, see above). */
    private long committedDiff(String instance, DefaultMQPushConsumer consumer) throws Exception {
        consumer.getDefaultMQPushConsumerImpl().persistConsumerOffset();
        return totalDiff(instance);
    }

    private long totalDiff(String instance) throws Exception {
        return bridge.tea().onsConsumerAccumulate(new OnsConsumerAccumulateRequest().setInstanceId(instance).setGroupId("GID_replay"))
                .getBody().getData().getTotalDiff();
    }
}
