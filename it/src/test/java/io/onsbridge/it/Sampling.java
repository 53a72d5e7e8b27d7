package io.onsbridge.it;

import io.onsbridge.OnsBridgeServer;
import io.onsbridge.config.Setting;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.apache.rocketmq.client.consumer.DefaultMQPushConsumer;
import org.apache.rocketmq.client.consumer.listener.ConsumeConcurrentlyStatus;
import org.apache.rocketmq.client.consumer.listener.MessageListenerConcurrently;
import org.apache.rocketmq.client.producer.DefaultMQProducer;
import org.apache.rocketmq.common.consumer.ConsumeFromWhere;
import org.apache.rocketmq.common.message.Message;
import org.apache.rocketmq.common.message.MessageQueue;
import org.apache.rocketmq.remoting.protocol.route.BrokerData;
import org.apache.rocketmq.remoting.protocol.route.TopicRouteData;

/** What the statistics and alarm tests share: a bridge that samples every second, traffic, offsets. */
final class Sampling {
    private Sampling() {
    }

    /** A bridge of the test's own on the shared cluster: consumers looked at every second, alarms may POST to loopback. */
    static OnsBridgeServer fastBridge(Bridge bridge) throws InterruptedException {
        return bridge.startServer(Map.of(Setting.SAMPLE_INTERVAL, "1", Setting.ALARM_URL_PREFIXES, "http://127.0.0.1:"));
    }

    static void send(Bridge bridge, String instance, String topic, int count) throws Exception {
        DefaultMQProducer producer = Clients.producer(bridge, instance, "GID_" + topic.toLowerCase() + "_sender");
        try {
            for (int i = 0; i < count; i++) {
                producer.send(new Message(topic, "TagA", "K" + i, ("m" + i).getBytes(StandardCharsets.UTF_8)));
            }
        } finally {
            producer.shutdown();
        }
    }

    /** A started consumer counting what it receives; commits its offsets every second. */
    static DefaultMQPushConsumer consumer(Bridge bridge, String instance, String group, String topic, Map<String, Integer> received)
            throws Exception {
        DefaultMQPushConsumer consumer = Clients.consumer(bridge, instance, group);
        consumer.setConsumeFromWhere(ConsumeFromWhere.CONSUME_FROM_FIRST_OFFSET);
        consumer.setPersistConsumerOffsetInterval(1_000);
        consumer.subscribe(topic, "*");
        consumer.registerMessageListener((MessageListenerConcurrently) (msgs, ctx) -> {
            msgs.forEach(m -> received.merge(m.getMsgId(), 1, Integer::sum));
            return ConsumeConcurrentlyStatus.CONSUME_SUCCESS;
        });
        consumer.start();
        return consumer;
    }

    /**
     * Commits offset 0 of the group on every queue of the topic, as a consumer that started and has not
     * consumed yet would: from then on the broker has consume stats of the group, so the bridge samples
     * it before any message is consumed.
     */
    static void commitStart(Bridge bridge, String instance, String group, String topic) throws Exception {
        String brokerTopic = instance + "%" + topic;
        TopicRouteData route = bridge.admin().examineTopicRouteInfo(brokerTopic);
        for (BrokerData broker : route.getBrokerDatas()) {
            for (int q = 0; q < route.getQueueDatas().stream().filter(d -> d.getBrokerName().equals(broker.getBrokerName()))
                    .findFirst().orElseThrow().getWriteQueueNums(); q++) {
                bridge.admin().updateConsumeOffset(broker.selectBrokerAddr(), instance + "%" + group,
                        new MessageQueue(brokerTopic, broker.getBrokerName(), q), 0);
            }
        }
    }
}
