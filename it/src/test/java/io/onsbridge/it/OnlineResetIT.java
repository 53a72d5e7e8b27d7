package io.onsbridge.it;

import static io.onsbridge.it.TopicIT.awaitUntil;
import static org.assertj.core.api.Assertions.assertThat;

import com.aliyun.ons20190214.models.OnsConsumerResetOffsetRequest;
import com.aliyun.ons20190214.models.OnsGroupCreateRequest;
import com.aliyun.ons20190214.models.OnsTopicCreateRequest;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.rocketmq.client.consumer.DefaultMQPushConsumer;
import org.apache.rocketmq.client.consumer.listener.ConsumeConcurrentlyStatus;
import org.apache.rocketmq.client.consumer.listener.MessageListenerConcurrently;
import org.apache.rocketmq.client.producer.DefaultMQProducer;
import org.apache.rocketmq.common.message.Message;
import io.onsbridge.junit.OnsBridgeEnvironment;
import io.onsbridge.junit.OnsBridgeTest;
import org.junit.jupiter.api.Test;

/** OnsConsumerResetOffset while the consumer is online: ten resets in a row, each re-delivers. */
@OnsBridgeTest
class OnlineResetIT {
    private final Bridge bridge;

    OnlineResetIT(OnsBridgeEnvironment env) {
        this.bridge = Bridge.of(env);
    }

    @Test
    void tenResetsOfAnOnlineConsumerEachRedeliverTheMessages() throws Exception {
        String instance = bridge.newInstance("reset");
        var tea = bridge.tea();
        tea.onsTopicCreate(new OnsTopicCreateRequest().setInstanceId(instance).setTopic("Replay").setMessageType(0));
        tea.onsGroupCreate(new OnsGroupCreateRequest().setInstanceId(instance).setGroupId("GID_replay"));
        Map<String, Integer> deliveries = new ConcurrentHashMap<>();
        DefaultMQPushConsumer consumer = Clients.consumer(bridge, instance, "GID_replay");
        consumer.setPersistConsumerOffsetInterval(1_000);
        consumer.subscribe("Replay", "*");
        consumer.registerMessageListener((MessageListenerConcurrently) (msgs, ctx) -> {
            msgs.forEach(m -> deliveries.merge(m.getMsgId(), 1, Integer::sum));
            return ConsumeConcurrentlyStatus.CONSUME_SUCCESS;
        });
        consumer.start();
        List<String> ids = new ArrayList<>();
        long before = System.currentTimeMillis() - 1_000;
        DefaultMQProducer producer = Clients.producer(bridge, instance, "GID_replay_producer");
        try {
            for (int i = 0; i < 10; i++) {
                ids.add(producer.send(new Message("Replay", "T", "K" + i, ("m" + i).getBytes(StandardCharsets.UTF_8))).getMsgId());
            }
        } finally {
            producer.shutdown();
        }
        try {
            awaitUntil(Duration.ofSeconds(30), () -> assertThat(ids).allSatisfy(id -> assertThat(deliveries.get(id)).isEqualTo(1)));
            List<Long> millis = new ArrayList<>();
            for (int round = 2; round <= 11; round++) {
                long start = System.currentTimeMillis();
                tea.onsConsumerResetOffset(new OnsConsumerResetOffsetRequest().setInstanceId(instance).setGroupId("GID_replay")
                        .setTopic("Replay").setType(1).setResetTimestamp(before));
                int expected = round;
                // An idle consumer sees the reset at its next pull: within ~20 s (long polling), see OffsetReset.
                awaitUntil(Duration.ofSeconds(45), () -> assertThat(ids).allSatisfy(id -> assertThat(deliveries.get(id)).isGreaterThanOrEqualTo(expected)));
                millis.add(System.currentTimeMillis() - start);
            }
            System.out.println("online reset re-delivery times (ms): " + millis);
        } finally {
            consumer.shutdown();
        }
    }
}
