package io.onsbridge.it;

import static io.onsbridge.it.TopicIT.awaitUntil;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.aliyun.mq.http.MQClient;
import com.aliyun.mq.http.MQConsumer;
import com.aliyun.mq.http.MQProducer;
import com.aliyun.mq.http.common.AckMessageException;
import com.aliyun.mq.http.common.ServiceException;
import com.aliyun.mq.http.model.Message;
import com.aliyun.mq.http.model.TopicMessage;
import com.aliyun.ons20190214.models.OnsGroupCreateRequest;
import com.aliyun.ons20190214.models.OnsInstanceBaseInfoRequest;
import com.aliyun.ons20190214.models.OnsMessageGetByMsgIdRequest;
import com.aliyun.ons20190214.models.OnsTopicCreateRequest;
import io.onsbridge.junit.OnsBridgeEnvironment;
import io.onsbridge.junit.OnsBridgeTest;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.rocketmq.client.consumer.DefaultMQPushConsumer;
import org.apache.rocketmq.client.consumer.listener.ConsumeConcurrentlyStatus;
import org.apache.rocketmq.client.consumer.listener.MessageListenerConcurrently;
import org.apache.rocketmq.client.producer.DefaultMQProducer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Alibaba's Java MQ HTTP SDK ({@code com.aliyun.mq:mq-http-sdk}, unchanged) against the bridge: pointed at the
 * HTTP endpoint {@code OnsInstanceBaseInfo} gives, it publishes, consumes (long polling on RocketMQ 5's pop)
 * and acks, and reads every refusal as the error it is.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@OnsBridgeTest
class MqHttpSdkIT {
    private final Bridge bridge;
    private String instance;
    private String endpoint;
    private MQClient client;

    MqHttpSdkIT(OnsBridgeEnvironment env) {
        this.bridge = Bridge.of(env);
    }

    @BeforeAll
    void instanceWithHttpEndpoint() throws Exception {
        instance = bridge.newInstance("mqhttp");
        endpoint = bridge.tea().onsInstanceBaseInfo(new OnsInstanceBaseInfoRequest().setInstanceId(instance)).getBody()
                .getInstanceBaseInfo().getEndpoints().getHttpInternetEndpoint();
        client = new MQClient(endpoint, bridge.accessKeyId, bridge.accessKeySecret);
    }

    @AfterAll
    void close() {
        client.close();
    }

    @Test
    void theInstanceNamesTheBridgesHttpPortAsBothHttpEndpoints() throws Exception {
        var endpoints = bridge.tea().onsInstanceBaseInfo(new OnsInstanceBaseInfoRequest().setInstanceId(instance)).getBody()
                .getInstanceBaseInfo().getEndpoints();
        assertThat(endpoints.getHttpInternetEndpoint()).isEqualTo("http://" + bridge.hostPort());
        assertThat(endpoints.getHttpInternalEndpoint()).isEqualTo(endpoints.getHttpInternetEndpoint());
    }

    @Test
    void publishedMessagesAreConsumedWithTheirPropertiesAndGoneOnceAcked() throws Exception {
        String topic = topicAndGroup("Orders", "GID_http_orders");
        long begin = System.currentTimeMillis() - 1_000;
        MQProducer producer = client.getProducer(instance, topic);
        List<TopicMessage> published = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            TopicMessage message = new TopicMessage(("order " + i + " & <more>").getBytes(StandardCharsets.UTF_8), "TagA");
            message.setMessageKey("KEY-" + i);
            message.getProperties().put("color", "red" + i);
            published.add(producer.publishMessage(message));
        }
        for (int i = 0; i < 3; i++) {
            assertThat(published.get(i).getMessageId()).isNotBlank();
            assertThat(published.get(i).getMessageBodyMD5()).isEqualTo(md5(("order " + i + " & <more>").getBytes(StandardCharsets.UTF_8)));
        }
        // The MessageId is the one the ONS API finds the message by.
        String firstId = published.get(0).getMessageId();
        awaitUntil(Duration.ofSeconds(20), () -> assertThat(bridge.tea().onsMessageGetByMsgId(new OnsMessageGetByMsgIdRequest()
                .setInstanceId(instance).setTopic(topic).setMsgId(firstId)).getBody().getData().getMsgId()).isEqualTo(firstId));

        MQConsumer consumer = client.getConsumer(instance, topic, "GID_http_orders", null);
        Map<String, Message> received = receive(consumer, 3);
        assertThat(received.keySet()).containsExactlyInAnyOrderElementsOf(published.stream().map(TopicMessage::getMessageId).toList());
        for (Message message : received.values()) {
            int i = Integer.parseInt(message.getMessageBodyString().substring(6, 7));
            assertThat(message.getMessageBodyString()).isEqualTo("order " + i + " & <more>");
            assertThat(message.getMessageTag()).isEqualTo("TagA");
            assertThat(message.getMessageKey()).isEqualTo("KEY-" + i);
            assertThat(message.getProperties()).containsEntry("color", "red" + i);
            assertThat(message.getConsumedTimes()).isEqualTo(1);
            assertThat(message.getMessageBodyMD5()).isEqualTo(md5(message.getMessageBodyBytes()));
            assertThat(message.getNextConsumeTime()).isGreaterThan(message.getFirstConsumeTime());
            assertThat(message.getFirstConsumeTime()).isGreaterThanOrEqualTo(message.getPublishTime());
        }
        consumer.ackMessage(received.values().stream().map(Message::getReceiptHandle).toList());
        // Acked, they do not come back: the long poll ends with nothing (the SDK answers null for MessageNotExist).
        assertThat(consumer.consumeMessage(16, 2)).isNull();
        // The trace shows the HTTP consumer's consumption like any traced consumer's.
        awaitUntil(Duration.ofSeconds(45), () -> assertThat(TraceIT.traceById(bridge.tea(), instance, topic, firstId, begin))
                .singleElement().satisfies(t -> assertThat(t.getSubList().getSubMapDo())
                        .extracting(g -> g.getSubGroupName(), g -> g.getSuccessCount(), g -> g.getFailCount())
                        .containsExactly(org.assertj.core.groups.Tuple.tuple("GID_http_orders", 1, 0))));
    }

    @Test
    void aLongPollWaitsForAMessagePublishedMeanwhile() throws Exception {
        String topic = topicAndGroup("Waited", "GID_http_waited");
        MQConsumer consumer = client.getConsumer(instance, topic, "GID_http_waited", null);
        assertThat(consumer.consumeMessage(1, 1)).isNull(); // nothing yet; the group's offsets now exist
        // The message arrives while the poll waits: published now, it reaches the topic 2 s later (the broker's timer).
        TopicMessage late = new TopicMessage("late".getBytes(StandardCharsets.UTF_8));
        long due = System.currentTimeMillis() + 2_000;
        late.setStartDeliverTime(due);
        long start = System.nanoTime();
        client.getProducer(instance, topic).publishMessage(late);
        List<Message> messages = consumer.consumeMessage(1, 20);
        // not before its time, and at most 1 s after it (the timer's precision and the long poll's hand-over)
        assertThat(System.currentTimeMillis()).isBetween(due, due + 1_000);
        assertThat(messages).extracting(Message::getMessageBodyString).containsExactly("late");
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(15));
    }

    @Test
    void aTagFilterDeliversOnlyThatTag() throws Exception {
        String topic = topicAndGroup("Tagged", "GID_http_tagged");
        MQConsumer consumer = client.getConsumer(instance, topic, "GID_http_tagged", "TagB||TagC");
        MQProducer producer = client.getProducer(instance, topic);
        for (String tag : List.of("TagA", "TagB", "TagC", "TagA")) {
            producer.publishMessage(new TopicMessage(tag.getBytes(StandardCharsets.UTF_8), tag));
        }
        Map<String, Message> received = receive(consumer, 2);
        assertThat(received.values()).extracting(Message::getMessageTag).containsExactlyInAnyOrder("TagB", "TagC");
        consumer.ackMessage(received.values().stream().map(Message::getReceiptHandle).toList());
        assertThat(consumer.consumeMessage(16, 1)).isNull();
    }

    @Test
    void orderedConsumptionKeepsTheOrderOfEachShardingKey() throws Exception {
        bridge.tea().onsTopicCreate(new OnsTopicCreateRequest().setInstanceId(instance).setTopic("Sharded").setMessageType(1));
        bridge.tea().onsGroupCreate(new OnsGroupCreateRequest().setInstanceId(instance).setGroupId("GID_http_sharded").setGroupType("http"));
        MQProducer producer = client.getProducer(instance, "Sharded");
        List<String> keys = List.of("user-1", "user-2", "user-3");
        for (int i = 0; i < 5; i++) {
            for (String key : keys) {
                TopicMessage message = new TopicMessage((key + "#" + i).getBytes(StandardCharsets.UTF_8));
                message.setShardingKey(key);
                producer.publishMessage(message);
            }
        }
        MQConsumer consumer = client.getConsumer(instance, "Sharded", "GID_http_sharded", null);
        Map<String, List<String>> seen = new ConcurrentHashMap<>();
        awaitUntil(Duration.ofSeconds(60), () -> {
            List<Message> messages = consumer.consumeMessageOrderly(16, 3);
            if (messages != null) {
                for (Message m : messages) {
                    assertThat(m.getShardingKey()).isEqualTo(m.getMessageBodyString().split("#")[0]);
                    seen.computeIfAbsent(m.getShardingKey(), k -> new ArrayList<>()).add(m.getMessageBodyString());
                }
                consumer.ackMessage(messages.stream().map(Message::getReceiptHandle).toList());
            }
            assertThat(seen.values().stream().mapToInt(List::size).sum()).isEqualTo(15);
        });
        for (String key : keys) {
            assertThat(seen.get(key)).containsExactly(key + "#0", key + "#1", key + "#2", key + "#3", key + "#4");
        }
    }

    @Test
    void anAckWithABadHandleReportsThatHandle() throws Exception {
        String topic = topicAndGroup("BadAck", "GID_http_bad_ack");
        MQConsumer consumer = client.getConsumer(instance, topic, "GID_http_bad_ack", null);
        assertThatThrownBy(() -> consumer.ackMessage(List.of("not-a-handle")))
                .isInstanceOfSatisfying(AckMessageException.class, e -> {
                    assertThat(e.getErrorMessages()).containsOnlyKeys("not-a-handle");
                    assertThat(e.getErrorMessages().get("not-a-handle").getErrorCode()).isEqualTo("ReceiptHandleError");
                });
    }

    @Test
    void refusalsReachTheSdkAsServiceErrorsNotTimeouts() throws Exception {
        String topic = topicAndGroup("Refusals", "GID_http_refusals");
        assertThat(code(() -> client.getProducer(instance, "NoSuchTopic").publishMessage(new TopicMessage("x".getBytes(StandardCharsets.UTF_8)))))
                .isEqualTo("TopicNotExist");
        assertThat(code(() -> client.getConsumer(instance, topic, "GID_nobody", null).consumeMessage(1, 0))).isEqualTo("SubscriptionNotExist");
        assertThat(code(() -> client.getProducer("MQ_INST_nowhere", topic).publishMessage(new TopicMessage("x".getBytes(StandardCharsets.UTF_8)))))
                .isEqualTo("InstanceNotExist");
        MQClient wrongKey = new MQClient(endpoint, bridge.accessKeyId, "wrong-secret");
        try {
            assertThat(code(() -> wrongKey.getProducer(instance, topic).publishMessage(new TopicMessage("x".getBytes(StandardCharsets.UTF_8)))))
                    .isEqualTo("SignatureDoesNotMatch");
        } finally {
            wrongKey.close();
        }
        assertThat(code(() -> client.getConsumer(instance, topic, "GID_http_refusals", null).consumeMessage(17, 0))).isEqualTo("InvalidArgument");
    }

    @Test
    void rocketMqClientsAndTheHttpSdkReadEachOthersMessages() throws Exception {
        String topic = topicAndGroup("Mixed", "GID_http_mixed");
        bridge.tea().onsGroupCreate(new OnsGroupCreateRequest().setInstanceId(instance).setGroupId("GID_tcp_mixed").setGroupType("tcp"));
        Map<String, String> tcpReceived = new ConcurrentHashMap<>();
        DefaultMQPushConsumer tcp = Clients.consumer(bridge, instance, "GID_tcp_mixed");
        tcp.subscribe(topic, "*");
        tcp.registerMessageListener((MessageListenerConcurrently) (messages, context) -> {
            messages.forEach(m -> tcpReceived.put(m.getMsgId(), new String(m.getBody(), StandardCharsets.UTF_8)));
            return ConsumeConcurrentlyStatus.CONSUME_SUCCESS;
        });
        tcp.start();
        DefaultMQProducer producer = Clients.producer(bridge, instance, "GID_tcp_mixed_producer");
        try {
            String fromHttp = client.getProducer(instance, topic).publishMessage(new TopicMessage("from http".getBytes(StandardCharsets.UTF_8)))
                    .getMessageId();
            awaitUntil(Duration.ofSeconds(60), () -> assertThat(tcpReceived).containsEntry(fromHttp, "from http"));
            String fromTcp = producer.send(new org.apache.rocketmq.common.message.Message(topic, "TagT", "k-tcp",
                    "from tcp".getBytes(StandardCharsets.UTF_8))).getMsgId();
            Map<String, Message> received = receive(client.getConsumer(instance, topic, "GID_http_mixed", null), 2);
            assertThat(received).containsKeys(fromHttp, fromTcp);
            assertThat(received.get(fromTcp).getMessageTag()).isEqualTo("TagT");
            assertThat(received.get(fromTcp).getMessageKey()).isEqualTo("k-tcp");
        } finally {
            producer.shutdown();
            tcp.shutdown();
        }
    }

    private String topicAndGroup(String topic, String group) throws Exception {
        bridge.tea().onsTopicCreate(new OnsTopicCreateRequest().setInstanceId(instance).setTopic(topic).setMessageType(0));
        bridge.tea().onsGroupCreate(new OnsGroupCreateRequest().setInstanceId(instance).setGroupId(group).setGroupType("http"));
        return topic;
    }

    /** Consumes (long polls of 3 s) until {@code count} messages came; by message id. */
    static Map<String, Message> receive(MQConsumer consumer, int count) {
        Map<String, Message> received = new ConcurrentHashMap<>();
        awaitUntil(Duration.ofSeconds(60), () -> {
            List<Message> messages = consumer.consumeMessage(16, 3);
            if (messages != null) {
                messages.forEach(m -> received.put(m.getMessageId(), m));
            }
            assertThat(received).hasSizeGreaterThanOrEqualTo(count);
        });
        return received;
    }

    interface SdkCall {
        void run() throws Exception;
    }

    /** The error code of a call the bridge refuses: answered at once, as the XML error the SDK parses. */
    static String code(SdkCall call) {
        long start = System.nanoTime();
        try {
            call.run();
        } catch (ServiceException e) {
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(10));
            assertThat(e.getRequestId()).isNotBlank();
            return e.getErrorCode();
        } catch (Exception e) {
            throw new AssertionError("expected a ServiceException, got " + e, e);
        }
        throw new AssertionError("the call was not refused");
    }

    static String md5(byte[] bytes) throws Exception {
        return HexFormat.of().withUpperCase().formatHex(MessageDigest.getInstance("MD5").digest(bytes));
    }
}
