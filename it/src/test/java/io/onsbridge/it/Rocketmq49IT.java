package io.onsbridge.it;

import static io.onsbridge.it.TopicIT.awaitUntil;
import static org.assertj.core.api.Assertions.assertThat;

import com.aliyun.ons20190214.models.OnsConsumerAccumulateRequest;
import com.aliyun.ons20190214.models.OnsConsumerResetOffsetRequest;
import com.aliyun.ons20190214.models.OnsGroupCreateRequest;
import com.aliyun.ons20190214.models.OnsGroupListRequest;
import com.aliyun.ons20190214.models.OnsInstanceCreateRequest;
import com.aliyun.ons20190214.models.OnsInstanceInServiceListRequest;
import com.aliyun.ons20190214.models.OnsMessageGetByKeyRequest;
import com.aliyun.ons20190214.models.OnsMessageGetByMsgIdRequest;
import com.aliyun.ons20190214.models.OnsMessageSendRequest;
import com.aliyun.ons20190214.models.OnsTopicCreateRequest;
import com.aliyun.ons20190214.models.OnsTopicListRequest;
import com.aliyun.ons20190214.models.OnsTopicStatusRequest;
import io.onsbridge.OnsBridgeServer;
import io.onsbridge.junit.OnsBridgeEnvironment;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.rocketmq.client.consumer.DefaultMQPushConsumer;
import org.apache.rocketmq.client.consumer.listener.ConsumeConcurrentlyStatus;
import org.apache.rocketmq.client.consumer.listener.MessageListenerConcurrently;
import org.apache.rocketmq.client.producer.DefaultMQProducer;
import org.apache.rocketmq.client.producer.SendResult;
import org.apache.rocketmq.common.consumer.ConsumeFromWhere;
import org.apache.rocketmq.common.message.Message;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Compatibility with the older broker line migrating users still run: a RocketMQ 4.9 name server and
 * broker (their own jars, child JVMs) behind the bridge, and a representative subset of the acceptance
 * checks through the Tea SDK, with today's RocketMQ clients as applications. README "Compatibility"
 * lists what differs.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class Rocketmq49IT {
    private final String accessKeyId = "LTAIold" + UUID.randomUUID().toString().substring(0, 8);
    private final String secret = UUID.randomUUID().toString();
    private ChildJvmCluster cluster;
    private OnsBridgeServer bridge;
    private com.aliyun.ons20190214.Client tea;

    @BeforeAll
    void startRocketmq49() throws Exception {
        Path data = Path.of("target", "it-rocketmq-4.9", Long.toString(System.currentTimeMillis())).toAbsolutePath();
        Files.createDirectories(data);
        cluster = ChildJvmCluster.builder(data).classpath(ChildJvmCluster.rocketmq49Classpath()).start();
        bridge = OnsBridgeEnvironment.startServer(cluster.namesrvAddr(), Map.of(), Map.of(accessKeyId, secret));
        tea = Bridge.tea("127.0.0.1:" + bridge.port(), accessKeyId, secret);
    }

    @AfterAll
    void stop() {
        if (bridge != null) {
            bridge.close();
        }
        if (cluster != null) {
            cluster.close();
        }
    }

    private String newInstance(String name) throws Exception {
        return tea.onsInstanceCreate(new OnsInstanceCreateRequest().setInstanceName(name + "_" + UUID.randomUUID().toString().substring(0, 6)))
                .getBody().getData().getInstanceId();
    }

    @Test
    void instancesTopicsAndGroupsAreCreatedAndListed() throws Exception {
        String instance = newInstance("old_broker");
        assertThat(tea.onsInstanceInServiceList(new OnsInstanceInServiceListRequest()).getBody().getData().getInstanceVO())
                .extracting(i -> i.getInstanceId()).contains(instance);
        tea.onsTopicCreate(new OnsTopicCreateRequest().setInstanceId(instance).setTopic("Plain").setMessageType(0));
        tea.onsTopicCreate(new OnsTopicCreateRequest().setInstanceId(instance).setTopic("Ordered").setMessageType(1));
        tea.onsGroupCreate(new OnsGroupCreateRequest().setInstanceId(instance).setGroupId("GID_old"));
        assertThat(tea.onsTopicList(new OnsTopicListRequest().setInstanceId(instance)).getBody().getData().getPublishInfoDo())
                .extracting(t -> t.getTopic() + ":" + t.getMessageType()).containsExactly("Ordered:1", "Plain:0");
        assertThat(tea.onsGroupList(new OnsGroupListRequest().setInstanceId(instance)).getBody().getData().getSubscribeInfoDo())
                .extracting(g -> g.getGroupId()).containsExactly("GID_old");
    }

    @Test
    void messagesAreSentAndFoundByIdAndKey() throws Exception {
        String instance = newInstance("old_messages");
        tea.onsTopicCreate(new OnsTopicCreateRequest().setInstanceId(instance).setTopic("Stored").setMessageType(0));
        List<SendResult> sent = send(instance, "Stored", 5);
        for (SendResult result : List.of(sent.get(0), sent.get(4))) {
            for (String id : List.of(result.getMsgId(), result.getOffsetMsgId())) {
                assertThat(tea.onsMessageGetByMsgId(new OnsMessageGetByMsgIdRequest().setInstanceId(instance).setTopic("Stored").setMsgId(id))
                        .getBody().getData().getMsgId()).isEqualTo(result.getMsgId());
            }
        }
        String apiId = tea.onsMessageSend(new OnsMessageSendRequest().setInstanceId(instance).setTopic("Stored")
                .setTag("TagA").setKey("OLD-API").setMessage("through ONS")).getBody().getData();
        assertThat(tea.onsMessageGetByKey(new OnsMessageGetByKeyRequest().setInstanceId(instance).setTopic("Stored").setKey("OLD-API"))
                .getBody().getData().getOnsRestMessageDo()).extracting(m -> m.getMsgId()).containsExactly(apiId);
        assertThat(tea.onsTopicStatus(new OnsTopicStatusRequest().setInstanceId(instance).setTopic("Stored")).getBody().getData()
                .getTotalCount()).isEqualTo(6);
    }

    @Test
    void backlogIsCountedAndOffsetsAreReset() throws Exception {
        String instance = newInstance("old_offsets");
        tea.onsTopicCreate(new OnsTopicCreateRequest().setInstanceId(instance).setTopic("Work").setMessageType(0));
        tea.onsGroupCreate(new OnsGroupCreateRequest().setInstanceId(instance).setGroupId("GID_work"));
        long beforeAll = System.currentTimeMillis() - 1_000;
        send(instance, "Work", 10);
        Map<String, Boolean> consumed = new ConcurrentHashMap<>();
        DefaultMQPushConsumer consumer = Clients.consumer(cluster.namesrvAddr(), instance, "GID_work");
        consumer.setConsumeFromWhere(ConsumeFromWhere.CONSUME_FROM_FIRST_OFFSET);
        consumer.setPersistConsumerOffsetInterval(1_000);
        consumer.subscribe("Work", "*");
        consumer.registerMessageListener((MessageListenerConcurrently) (msgs, ctx) -> {
            msgs.forEach(m -> consumed.put(m.getMsgId(), true));
            return ConsumeConcurrentlyStatus.CONSUME_SUCCESS;
        });
        consumer.start();
        try {
            awaitUntil(Duration.ofSeconds(30), () -> assertThat(consumed).hasSize(10));
        } finally {
            consumer.shutdown();
        }
        send(instance, "Work", 4);
        assertThat(totalDiff(instance, "GID_work")).isEqualTo(4);

        tea.onsConsumerResetOffset(new OnsConsumerResetOffsetRequest().setInstanceId(instance).setGroupId("GID_work").setTopic("Work").setType(0));
        assertThat(totalDiff(instance, "GID_work")).isZero();
        tea.onsConsumerResetOffset(new OnsConsumerResetOffsetRequest().setInstanceId(instance).setGroupId("GID_work").setTopic("Work")
                .setType(1).setResetTimestamp(beforeAll));
        assertThat(totalDiff(instance, "GID_work")).isEqualTo(14);
    }

    private long totalDiff(String instance, String group) throws Exception {
        return tea.onsConsumerAccumulate(new OnsConsumerAccumulateRequest().setInstanceId(instance).setGroupId(group))
                .getBody().getData().getTotalDiff();
    }

    private List<SendResult> send(String instance, String topic, int count) throws Exception {
        DefaultMQProducer producer = Clients.producer(cluster.namesrvAddr(), instance, "GID_" + topic.toLowerCase() + "_producer");
        List<SendResult> results = new ArrayList<>();
        try {
            for (int i = 0; i < count; i++) {
                results.add(producer.send(new Message(topic, "TagA", "K" + i, ("m" + i).getBytes(StandardCharsets.UTF_8))));
            }
        } finally {
            producer.shutdown();
        }
        return results;
    }
}
