package io.onsbridge.it;

import static io.onsbridge.it.ConsumerIT.accumulate;
import static io.onsbridge.it.ConsumerIT.consumer;
import static io.onsbridge.it.ConsumerIT.row;
import static io.onsbridge.it.ConsumerIT.send;
import static io.onsbridge.it.InstanceIT.assertTeaError;
import static io.onsbridge.it.TopicIT.awaitUntil;
import static org.assertj.core.api.Assertions.assertThat;

import com.aliyun.ons20190214.models.OnsConsumerResetOffsetRequest;
import com.aliyun.ons20190214.models.OnsConsumerTimeSpanRequest;
import com.aliyun.ons20190214.models.OnsGroupCreateRequest;
import com.aliyun.ons20190214.models.OnsMessagePushRequest;
import com.aliyun.ons20190214.models.OnsTopicCreateRequest;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.onsbridge.junit.OnsBridgeEnvironment;
import io.onsbridge.junit.OnsBridgeTest;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.rocketmq.client.consumer.DefaultMQPushConsumer;
import org.apache.rocketmq.client.consumer.listener.ConsumeConcurrentlyStatus;
import org.apache.rocketmq.client.producer.DefaultMQProducer;
import org.apache.rocketmq.client.producer.SendResult;
import org.apache.rocketmq.common.message.Message;
import org.apache.rocketmq.common.message.MessageQueue;
import org.apache.rocketmq.remoting.protocol.NamespaceUtil;
import org.apache.rocketmq.remoting.protocol.heartbeat.MessageModel;
import org.junit.jupiter.api.Test;

/** A partly consumed backlog, what a pushed message's client answers, and a topic the group never subscribed. */
@OnsBridgeTest
class ConsumerEdgesIT {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Bridge bridge;

    ConsumerEdgesIT(OnsBridgeEnvironment env) {
        this.bridge = Bridge.of(env);
    }

    @Test
    void aPartlyConsumedBacklogCountsTheRestAndDelaysFromTheOldestOfThem() throws Exception {
        String instance = bridge.newInstance("partial");
        var tea = bridge.tea();
        tea.onsTopicCreate(new OnsTopicCreateRequest().setInstanceId(instance).setTopic("Part").setMessageType(0));
        tea.onsGroupCreate(new OnsGroupCreateRequest().setInstanceId(instance).setGroupId("GID_part"));
        int sentCount = 20;
        int consumedCount = 7;
        List<SendResult> results = new ArrayList<>();
        long[] sendStart = new long[sentCount];
        long[] sendEnd = new long[sentCount];
        DefaultMQProducer producer = Clients.producer(bridge, instance, "GID_part_producer");
        try {
            for (int i = 0; i < sentCount; i++) {
                sendStart[i] = System.currentTimeMillis();
                results.add(producer.send(new Message("Part", "T", "K" + i, ("m" + i).getBytes(StandardCharsets.UTF_8))));
                sendEnd[i] = System.currentTimeMillis();
            }
        } finally {
            producer.shutdown();
        }
        // The group has consumed the first consumedCount messages: on every queue its offset is that of
        // its first message not among them (what a consumer commits after consuming them in order).
        Map<MessageQueue, Long> offsets = new HashMap<>();
        for (int i = 0; i < sentCount; i++) {
            MessageQueue sentTo = results.get(i).getMessageQueue();
            MessageQueue queue = new MessageQueue(NamespaceUtil.wrapNamespace(instance, "Part"), sentTo.getBrokerName(), sentTo.getQueueId());
            long offset = results.get(i).getQueueOffset();
            if (i < consumedCount) {
                offsets.put(queue, offset + 1);
            } else {
                offsets.putIfAbsent(queue, offset);
            }
        }
        String group = NamespaceUtil.wrapNamespace(instance, "GID_part");
        for (Map.Entry<MessageQueue, Long> queue : offsets.entrySet()) {
            bridge.admin().updateConsumeOffset(bridge.cluster.brokerAddr(), group, queue.getKey(), queue.getValue());
        }
        long asked = System.currentTimeMillis();
        var backlog = accumulate(bridge, instance, "GID_part");
        long answered = System.currentTimeMillis();
        assertThat(backlog.getOnline()).isFalse();
        assertThat(backlog.getTotalDiff()).isEqualTo(sentCount - consumedCount);
        assertThat(row(backlog, "Part").getTotalDiff()).isEqualTo(sentCount - consumedCount);
        // Delay: the age of the oldest unconsumed message (number consumedCount); last consumed: the one before it.
        assertThat(backlog.getDelayTime()).isBetween(asked - sendEnd[consumedCount], answered - sendStart[consumedCount]);
        assertThat(backlog.getLastTimestamp()).isBetween(sendStart[consumedCount - 1], sendEnd[consumedCount - 1]);
    }

    @Test
    void aMessageIsPushedToOneNamedClientWhichAnswersForItself() throws Exception {
        String instance = bridge.newInstance("push");
        var tea = bridge.tea();
        tea.onsTopicCreate(new OnsTopicCreateRequest().setInstanceId(instance).setTopic("Pushed").setMessageType(0));
        tea.onsGroupCreate(new OnsGroupCreateRequest().setInstanceId(instance).setGroupId("GID_pushed"));
        tea.onsGroupCreate(new OnsGroupCreateRequest().setInstanceId(instance).setGroupId("GID_absent"));
        List<String> ids = send(bridge, instance, "Pushed", 1);
        String id = ids.get(0);
        Map<String, Integer> received = new ConcurrentHashMap<>();
        AtomicBoolean refuse = new AtomicBoolean();
        DefaultMQPushConsumer consumer = consumer(bridge, instance, "GID_pushed", Map.of("Pushed", "*"), MessageModel.CLUSTERING, (msgs, ctx) -> {
            msgs.forEach(m -> received.merge(m.getMsgId(), 1, Integer::sum));
            return refuse.get() ? ConsumeConcurrentlyStatus.RECONSUME_LATER : ConsumeConcurrentlyStatus.CONSUME_SUCCESS;
        });
        try {
            awaitUntil(Duration.ofSeconds(30), () -> assertThat(received).containsKey(id));
            String clientId = consumer.buildMQClientId();
            var pushed = tea.onsMessagePush(new OnsMessagePushRequest().setInstanceId(instance).setGroupId("GID_pushed")
                    .setTopic("Pushed").setMsgId(id).setClientId(clientId));
            assertThat(pushed.getBody().getRequestId()).isNotBlank();
            assertThat(received.get(id)).isEqualTo(2); // consumed directly, before the answer
            // The SDK models keep only RequestId; the raw answer carries the client's own result.
            JsonNode ok = push(instance, "GID_pushed", id, clientId);
            assertThat(ok.path("ConsumeResult").asText()).isEqualTo("CR_SUCCESS");
            assertThat(ok.path("SpentTimeMills").isNumber()).isTrue();
            refuse.set(true);
            assertThat(push(instance, "GID_pushed", id, clientId).path("ConsumeResult").asText()).isEqualTo("CR_LATER");
            refuse.set(false);
            assertThat(received.get(id)).isEqualTo(4);

            assertTeaError(() -> tea.onsMessagePush(new OnsMessagePushRequest().setInstanceId(instance).setGroupId("GID_pushed")
                    .setTopic("Pushed").setMsgId(id).setClientId("10.0.0.1@nobody")), "BIZ_CONSUMER_NOT_ONLINE", 400, "10.0.0.1@nobody");
            String unknown = id.substring(0, id.length() - 4) + (id.endsWith("0000") ? "FFFF" : "0000");
            assertTeaError(() -> tea.onsMessagePush(new OnsMessagePushRequest().setInstanceId(instance).setGroupId("GID_pushed")
                    .setTopic("Pushed").setMsgId(unknown).setClientId(clientId)), "BIZ_NO_MESSAGE", 404, unknown);
            assertTeaError(() -> tea.onsMessagePush(new OnsMessagePushRequest().setInstanceId(instance).setGroupId("GID_absent")
                    .setTopic("Pushed").setMsgId(id).setClientId(clientId)), "BIZ_CONSUMER_NOT_ONLINE", 400, "GID_absent");
            assertThat(received.get(id)).isEqualTo(4);
        } finally {
            consumer.shutdown();
        }
    }

    /**
     * TimeSpan answers the topic's span and ConsumeTimeStamp 0; a reset presets where a later
     * subscription of the group starts; a push is refused, since the group's clients do not take the topic.
     */
    @Test
    void aTopicTheGroupNeverSubscribed() throws Exception {
        String instance = bridge.newInstance("unsubscribed");
        var tea = bridge.tea();
        tea.onsTopicCreate(new OnsTopicCreateRequest().setInstanceId(instance).setTopic("Mine").setMessageType(0));
        tea.onsTopicCreate(new OnsTopicCreateRequest().setInstanceId(instance).setTopic("Foreign").setMessageType(0));
        tea.onsGroupCreate(new OnsGroupCreateRequest().setInstanceId(instance).setGroupId("GID_mine"));
        long before = System.currentTimeMillis();
        List<String> early = send(bridge, instance, "Foreign", 3);
        long between = System.currentTimeMillis() + 1;
        awaitUntil(Duration.ofSeconds(5), () -> assertThat(System.currentTimeMillis()).isGreaterThan(between));
        List<String> later = send(bridge, instance, "Foreign", 3);
        long after = System.currentTimeMillis();
        Map<String, Integer> received = new ConcurrentHashMap<>();
        DefaultMQPushConsumer mine = consumer(bridge, instance, "GID_mine", "Mine", "*", MessageModel.CLUSTERING, received);
        try {
            var span = tea.onsConsumerTimeSpan(new OnsConsumerTimeSpanRequest().setInstanceId(instance).setGroupId("GID_mine").setTopic("Foreign"))
                    .getBody().getData();
            assertThat(span.getMinTimeStamp()).isBetween(before, between);
            assertThat(span.getMaxTimeStamp()).isBetween(between, after);
            assertThat(span.getConsumeTimeStamp()).isZero();

            String clientId = mine.buildMQClientId();
            awaitUntil(Duration.ofSeconds(30), () -> assertThat(bridge.tea().onsConsumerGetConnection(
                    new com.aliyun.ons20190214.models.OnsConsumerGetConnectionRequest().setInstanceId(instance).setGroupId("GID_mine"))
                    .getBody().getData().getConnectionList().getConnectionDo()).extracting(c -> c.getClientId()).contains(clientId));
            assertTeaError(() -> tea.onsMessagePush(new OnsMessagePushRequest().setInstanceId(instance).setGroupId("GID_mine")
                    .setTopic("Foreign").setMsgId(early.get(0)).setClientId(clientId)), "BIZ_CONSUMER_NOT_ONLINE", 400, "Foreign");
            assertThat(received).isEmpty();

            tea.onsConsumerResetOffset(new OnsConsumerResetOffsetRequest().setInstanceId(instance).setGroupId("GID_mine")
                    .setTopic("Foreign").setType(1).setResetTimestamp(between));
            // While clients are online the broker counts only the topics they subscribe.
            assertThat(accumulate(bridge, instance, "GID_mine").getDetailInTopicList().getDetailInTopicDo())
                    .extracting(t -> t.getTopic()).doesNotContain("Foreign");
        } finally {
            mine.shutdown();
        }
        awaitUntil(Duration.ofSeconds(20), () -> assertThat(accumulate(bridge, instance, "GID_mine").getOnline()).isFalse());
        assertThat(row(accumulate(bridge, instance, "GID_mine"), "Foreign").getTotalDiff()).isEqualTo(3);
        // A client of the group that subscribes the topic later starts where the reset put it.
        Map<String, Integer> both = new ConcurrentHashMap<>();
        DefaultMQPushConsumer widened = consumer(bridge, instance, "GID_mine", Map.of("Mine", "*", "Foreign", "*"), MessageModel.CLUSTERING,
                (msgs, ctx) -> {
                    msgs.forEach(m -> both.merge(m.getMsgId(), 1, Integer::sum));
                    return ConsumeConcurrentlyStatus.CONSUME_SUCCESS;
                });
        try {
            awaitUntil(Duration.ofSeconds(45), () -> assertThat(both).containsKeys(later.toArray(String[]::new)));
            awaitUntil(Duration.ofSeconds(20), () -> assertThat(accumulate(bridge, instance, "GID_mine").getTotalDiff()).isZero());
            assertThat(both).containsOnlyKeys(later.toArray(String[]::new));
        } finally {
            widened.shutdown();
        }
    }

    private JsonNode push(String instance, String group, String msgId, String clientId) throws Exception {
        var response = new RawOnsCall("OnsMessagePush", bridge.accessKeyId, bridge.accessKeySecret)
                .with("InstanceId", instance).with("GroupId", group).with("Topic", "Pushed").with("MsgId", msgId).with("ClientId", clientId)
                .send(bridge.hostPort());
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        return JSON.readTree(response.body());
    }
}
