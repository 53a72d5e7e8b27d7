package io.onsbridge.it;

import static io.onsbridge.it.TopicIT.awaitUntil;
import static org.assertj.core.api.Assertions.assertThat;

import com.aliyun.ons20190214.models.OnsGroupCreateRequest;
import com.aliyun.ons20190214.models.OnsTopicCreateRequest;
import io.onsbridge.junit.OnsBridgeEnvironment;
import io.onsbridge.junit.OnsBridgeTest;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.rocketmq.client.consumer.DefaultMQPushConsumer;
import org.apache.rocketmq.client.consumer.listener.ConsumeConcurrentlyStatus;
import org.apache.rocketmq.client.consumer.listener.MessageListenerConcurrently;
import org.apache.rocketmq.client.producer.DefaultMQProducer;
import org.apache.rocketmq.common.message.Message;
import org.junit.jupiter.api.Test;

/**
 * ONS's timed delivery as ONS's clients send it: user property {@code __STARTDELIVERTIME} (epoch ms), which
 * ons-client's {@code Message.setStartDeliverTime} writes. The embedded broker loads the bridge's broker plugin
 * (docs/broker-plugin.md), which turns it into RocketMQ 5's timer: the message is delivered at its time,
 * not before and not at once. (An Apache broker without the plugin delivers it at once.)
 */
@OnsBridgeTest
class TimedDeliveryIT {
    private final Bridge bridge;

    TimedDeliveryIT(OnsBridgeEnvironment env) {
        this.bridge = Bridge.of(env);
    }

    @Test
    void aMessageWithAStartDeliverTimeIsDeliveredAtThatTime() throws Exception {
        String instance = bridge.newInstance("timed");
        bridge.tea().onsTopicCreate(new OnsTopicCreateRequest().setInstanceId(instance).setTopic("Timed").setMessageType(5));
        bridge.tea().onsGroupCreate(new OnsGroupCreateRequest().setInstanceId(instance).setGroupId("GID_timed"));
        Map<String, Long> receivedAt = new ConcurrentHashMap<>();
        DefaultMQPushConsumer consumer = Clients.consumer(bridge, instance, "GID_timed");
        consumer.subscribe("Timed", "*");
        consumer.registerMessageListener((MessageListenerConcurrently) (messages, context) -> {
            long now = System.currentTimeMillis();
            messages.forEach(m -> receivedAt.putIfAbsent(new String(m.getBody(), StandardCharsets.UTF_8), now));
            return ConsumeConcurrentlyStatus.CONSUME_SUCCESS;
        });
        consumer.start();
        DefaultMQProducer producer = Clients.producer(bridge, instance, "GID_timed_producer");
        try {
            long sentAt = System.currentTimeMillis();
            Map<String, Long> due = Map.of("now", sentAt, "in 4 s", sentAt + 4_000, "in 6.5 s", sentAt + 6_500);
            for (Map.Entry<String, Long> message : due.entrySet()) {
                Message msg = new Message("Timed", "TagT", message.getKey().getBytes(StandardCharsets.UTF_8));
                if (!message.getKey().equals("now")) {
                    msg.putUserProperty("__STARTDELIVERTIME", Long.toString(message.getValue()));
                }
                producer.send(msg);
            }
            awaitUntil(Duration.ofSeconds(60), () -> assertThat(receivedAt).containsKeys("now", "in 4 s", "in 6.5 s"));
            for (String timed : new String[] {"in 4 s", "in 6.5 s"}) {
                long late = receivedAt.get(timed) - due.get(timed);
                System.out.printf("timed delivery lateness (Apache client) %s: %d ms%n", timed, late);
                // never before its time; after it by the timer's precision (EmbeddedCluster) and the broker's hand-over
                assertThat(late).as("%s: delivered %d ms after its time", timed, late).isBetween(0L, 1_000L);
            }
            assertThat(receivedAt.get("now")).isLessThan(due.get("in 4 s"));
        } finally {
            producer.shutdown();
            consumer.shutdown();
        }
    }
}
