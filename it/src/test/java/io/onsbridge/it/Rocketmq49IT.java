package io.onsbridge.it;

import static io.onsbridge.it.TopicIT.awaitUntil;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.aliyun.ons20190214.models.OnsConsumerAccumulateRequest;
import com.aliyun.ons20190214.models.OnsConsumerGetConnectionRequest;
import com.aliyun.ons20190214.models.OnsConsumerResetOffsetRequest;
import com.aliyun.ons20190214.models.OnsConsumerStatusRequest;
import com.aliyun.ons20190214.models.OnsConsumerTimeSpanRequest;
import com.aliyun.ons20190214.models.OnsGroupCreateRequest;
import com.aliyun.ons20190214.models.OnsGroupDeleteRequest;
import com.aliyun.ons20190214.models.OnsGroupListRequest;
import com.aliyun.ons20190214.models.OnsInstanceCreateRequest;
import com.aliyun.ons20190214.models.OnsInstanceDeleteRequest;
import com.aliyun.ons20190214.models.OnsInstanceInServiceListRequest;
import com.aliyun.ons20190214.models.OnsMessageGetByKeyRequest;
import com.aliyun.ons20190214.models.OnsMessageGetByMsgIdRequest;
import com.aliyun.ons20190214.models.OnsMessagePageQueryByTopicRequest;
import com.aliyun.ons20190214.models.OnsMessageSendRequest;
import com.aliyun.ons20190214.models.OnsMessageTraceRequest;
import com.aliyun.ons20190214.models.OnsTopicCreateRequest;
import com.aliyun.ons20190214.models.OnsTopicDeleteRequest;
import com.aliyun.ons20190214.models.OnsTopicListRequest;
import com.aliyun.ons20190214.models.OnsTopicStatusRequest;
import com.aliyun.tea.TeaException;
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
        long begin = System.currentTimeMillis() - 1_000;
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
        List<String> all = new ArrayList<>(sent.stream().map(SendResult::getMsgId).toList());
        all.add(apiId);
        assertThat(page(instance, "Stored", begin, System.currentTimeMillis())).containsExactlyInAnyOrderElementsOf(all);
        assertThat(page(instance, "Stored", System.currentTimeMillis() + 60_000, System.currentTimeMillis() + 120_000)).isEmpty();
    }

    private List<String> page(String instance, String topic, long begin, long end) throws Exception {
        var found = tea.onsMessagePageQueryByTopic(new OnsMessagePageQueryByTopicRequest().setInstanceId(instance).setTopic(topic)
                .setBeginTime(begin).setEndTime(end).setCurrentPage(1).setPageSize(50)).getBody().getMsgFoundDo();
        return found.getMsgFoundList() == null || found.getMsgFoundList().getOnsRestMessageDo() == null ? List.of()
                : found.getMsgFoundList().getOnsRestMessageDo().stream().map(m -> m.getMsgId()).toList();
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
            assertThat(tea.onsConsumerGetConnection(new OnsConsumerGetConnectionRequest().setInstanceId(instance).setGroupId("GID_work"))
                    .getBody().getData().getConnectionList().getConnectionDo()).extracting(c -> c.getClientId())
                    .containsExactly(consumer.buildMQClientId());
            awaitUntil(Duration.ofSeconds(30), () -> assertThat(tea.onsConsumerStatus(new OnsConsumerStatusRequest().setInstanceId(instance)
                    .setGroupId("GID_work").setDetail(true)).getBody().getData().getRebalanceOK()).isTrue());
            String traced = consumed.keySet().iterator().next();
            awaitUntil(Duration.ofSeconds(30), () -> assertThat(tea.onsMessageTrace(new OnsMessageTraceRequest().setInstanceId(instance)
                    .setTopic("Work").setMsgId(traced)).getBody().getData().getMessageTrack())
                    .extracting(t -> t.getConsumerGroup() + ":" + t.getTrackType()).containsExactly("GID_work:CONSUMED"));
            // online: the broker tells the client, which consumes everything again. RocketMQ 4 refuses this
            // ("THe consumer group <...> not exist") while the group lacks a committed offset on any queue of
            // the topic, which it may right after its first commits (README, Compatibility): retried until taken.
            awaitUntil(Duration.ofSeconds(30), () -> assertThat(totalDiff(instance, "GID_work")).isZero());
            consumed.clear();
            long refusedSince = System.nanoTime();
            await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(500)).ignoreExceptionsInstanceOf(TeaException.class)
                    .until(() -> tea.onsConsumerResetOffset(new OnsConsumerResetOffsetRequest().setInstanceId(instance)
                            .setGroupId("GID_work").setTopic("Work").setType(1).setResetTimestamp(beforeAll)) != null);
            System.err.println("online reset on RocketMQ 4.9 taken after " + (System.nanoTime() - refusedSince) / 1_000_000 + " ms");
            awaitUntil(Duration.ofSeconds(30), () -> assertThat(consumed).hasSize(10));
        } finally {
            consumer.shutdown();
        }
        var span = tea.onsConsumerTimeSpan(new OnsConsumerTimeSpanRequest().setInstanceId(instance).setGroupId("GID_work").setTopic("Work"))
                .getBody().getData();
        assertThat(span.getMinTimeStamp()).isGreaterThanOrEqualTo(beforeAll).isLessThanOrEqualTo(span.getMaxTimeStamp());
        send(instance, "Work", 4);
        assertThat(totalDiff(instance, "GID_work")).isEqualTo(4);

        tea.onsConsumerResetOffset(new OnsConsumerResetOffsetRequest().setInstanceId(instance).setGroupId("GID_work").setTopic("Work").setType(0));
        assertThat(totalDiff(instance, "GID_work")).isZero();
        tea.onsConsumerResetOffset(new OnsConsumerResetOffsetRequest().setInstanceId(instance).setGroupId("GID_work").setTopic("Work")
                .setType(1).setResetTimestamp(beforeAll));
        assertThat(totalDiff(instance, "GID_work")).isEqualTo(14);
    }

    @Test
    void deletesRemoveTopicsGroupsAndInstances() throws Exception {
        String instance = newInstance("old_deletes");
        tea.onsTopicCreate(new OnsTopicCreateRequest().setInstanceId(instance).setTopic("Gone").setMessageType(0));
        tea.onsGroupCreate(new OnsGroupCreateRequest().setInstanceId(instance).setGroupId("GID_gone"));
        send(instance, "Gone", 2);
        tea.onsGroupDelete(new OnsGroupDeleteRequest().setInstanceId(instance).setGroupId("GID_gone"));
        tea.onsTopicDelete(new OnsTopicDeleteRequest().setInstanceId(instance).setTopic("Gone"));
        assertThat(tea.onsTopicList(new OnsTopicListRequest().setInstanceId(instance)).getBody().getData().getPublishInfoDo()).isEmpty();
        assertThat(tea.onsGroupList(new OnsGroupListRequest().setInstanceId(instance)).getBody().getData().getSubscribeInfoDo()).isEmpty();
        tea.onsInstanceDelete(new OnsInstanceDeleteRequest().setInstanceId(instance));
        assertThat(tea.onsInstanceInServiceList(new OnsInstanceInServiceListRequest()).getBody().getData().getInstanceVO())
                .extracting(i -> i.getInstanceId()).doesNotContain(instance);
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
