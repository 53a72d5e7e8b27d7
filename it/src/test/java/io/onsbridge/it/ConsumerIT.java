package io.onsbridge.it;

import static io.onsbridge.it.InstanceIT.assertTeaError;
import static io.onsbridge.it.TopicIT.awaitUntil;
import static org.assertj.core.api.Assertions.assertThat;

import com.aliyun.ons20190214.models.OnsConsumerAccumulateRequest;
import com.aliyun.ons20190214.models.OnsConsumerAccumulateResponseBody.OnsConsumerAccumulateResponseBodyData;
import com.aliyun.ons20190214.models.OnsConsumerGetConnectionRequest;
import com.aliyun.ons20190214.models.OnsConsumerResetOffsetRequest;
import com.aliyun.ons20190214.models.OnsConsumerStatusRequest;
import com.aliyun.ons20190214.models.OnsConsumerStatusResponseBody.OnsConsumerStatusResponseBodyData;
import com.aliyun.ons20190214.models.OnsConsumerTimeSpanRequest;
import com.aliyun.ons20190214.models.OnsGroupCreateRequest;
import com.aliyun.ons20190214.models.OnsMessagePushRequest;
import com.aliyun.ons20190214.models.OnsTopicCreateRequest;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.rocketmq.client.consumer.DefaultMQPushConsumer;
import org.apache.rocketmq.client.consumer.listener.ConsumeConcurrentlyStatus;
import org.apache.rocketmq.client.consumer.listener.MessageListenerConcurrently;
import org.apache.rocketmq.client.producer.DefaultMQProducer;
import org.apache.rocketmq.common.consumer.ConsumeFromWhere;
import org.apache.rocketmq.common.message.Message;
import org.apache.rocketmq.remoting.protocol.heartbeat.MessageModel;
import io.onsbridge.junit.OnsBridgeEnvironment;
import io.onsbridge.junit.OnsBridgeTest;
import org.junit.jupiter.api.Test;

/** Backlog, status, connections, time span, offset reset and push, against live RocketMQ consumers. */
@OnsBridgeTest
class ConsumerIT {
    private final Bridge bridge;

    ConsumerIT(OnsBridgeEnvironment env) {
        this.bridge = Bridge.of(env);
    }

    @Test
    void backlogIsWhatWasSentMinusWhatWasConsumedAndResetsMoveIt() throws Exception {
        String instance = bridge.newInstance("backlog");
        var tea = bridge.tea();
        tea.onsTopicCreate(new OnsTopicCreateRequest().setInstanceId(instance).setTopic("Work").setMessageType(0));
        tea.onsGroupCreate(new OnsGroupCreateRequest().setInstanceId(instance).setGroupId("GID_work"));
        long firstBatch = System.currentTimeMillis() - 1_000;
        send(instance, "Work", 30);
        Map<String, Integer> consumed = new ConcurrentHashMap<>();
        DefaultMQPushConsumer consumer = consumer(instance, "GID_work", "Work", "*", MessageModel.CLUSTERING, consumed);
        try {
            awaitUntil(Duration.ofSeconds(30), () -> assertThat(consumed).hasSize(30));
            awaitUntil(Duration.ofSeconds(20), () -> assertThat(accumulate(instance, "GID_work").getTotalDiff()).isZero());
            OnsConsumerAccumulateResponseBodyData online = accumulate(instance, "GID_work");
            assertThat(online.getOnline()).isTrue();
            assertThat(online.getLastTimestamp()).isGreaterThanOrEqualTo(firstBatch);
        } finally {
            consumer.shutdown();
        }
        long secondBatch = System.currentTimeMillis();
        send(instance, "Work", 12);
        OnsConsumerAccumulateResponseBodyData offline = accumulate(instance, "GID_work");
        assertThat(offline.getOnline()).isFalse();
        assertThat(offline.getTotalDiff()).isEqualTo(12);
        assertThat(offline.getDelayTime()).isPositive();
        assertThat(offline.getDetailInTopicList().getDetailInTopicDo())
                .filteredOn(t -> t.getTopic().equals("Work")).singleElement().satisfies(t -> assertThat(t.getTotalDiff()).isEqualTo(12));
        // The legacy SDK reads the same figures.
        var legacy = new com.aliyuncs.ons.model.v20190214.OnsConsumerAccumulateRequest();
        legacy.setInstanceId(instance);
        legacy.setGroupId("GID_work");
        assertThat(bridge.legacy(legacy).getData().getTotalDiff()).isEqualTo(12);

        reset(instance, "GID_work", "Work", 1, firstBatch);
        assertThat(accumulate(instance, "GID_work").getTotalDiff()).isEqualTo(42);
        reset(instance, "GID_work", "Work", 1, secondBatch);
        assertThat(accumulate(instance, "GID_work").getTotalDiff()).isEqualTo(12);
        reset(instance, "GID_work", "Work", 0, null);
        assertThat(accumulate(instance, "GID_work").getTotalDiff()).isZero();

        var span = tea.onsConsumerTimeSpan(new OnsConsumerTimeSpanRequest().setInstanceId(instance).setGroupId("GID_work").setTopic("Work"))
                .getBody().getData();
        assertThat(span.getMinTimeStamp()).isBetween(firstBatch, secondBatch);
        assertThat(span.getMaxTimeStamp()).isGreaterThanOrEqualTo(secondBatch).isGreaterThanOrEqualTo(span.getMinTimeStamp());
        assertThat(span.getConsumeTimeStamp()).isGreaterThanOrEqualTo(firstBatch);
        assertThat(span.getTopic()).isEqualTo("Work");

        assertTeaError(() -> tea.onsConsumerResetOffset(new OnsConsumerResetOffsetRequest().setInstanceId(instance).setGroupId("GID_work")
                .setTopic("Work").setType(1)), "MissingParameter", 400, "ResetTimestamp");
        assertTeaError(() -> tea.onsConsumerResetOffset(new OnsConsumerResetOffsetRequest().setInstanceId(instance).setGroupId("GID_work")
                .setTopic("Work").setType(2)), "BIZ_FIELD_CHECK_INVALID", 400, "Type");
        assertTeaError(() -> tea.onsConsumerResetOffset(new OnsConsumerResetOffsetRequest().setInstanceId(instance).setGroupId("GID_work")
                .setTopic("Nowhere").setType(0)), "BIZ_TOPIC_NOT_FOUND", 404, "Nowhere");
        assertTeaError(() -> tea.onsConsumerAccumulate(new OnsConsumerAccumulateRequest().setInstanceId(instance).setGroupId("GID_nobody")),
                "BIZ_SUBSCRIPTION_NOT_FOUND", 404, "GID_nobody");
    }

    @Test
    void statusAndConnectionsNameTheRealClientsAndCheckTheirAgreement() throws Exception {
        String instance = bridge.newInstance("status");
        var tea = bridge.tea();
        tea.onsTopicCreate(new OnsTopicCreateRequest().setInstanceId(instance).setTopic("Watched").setMessageType(0));
        tea.onsGroupCreate(new OnsGroupCreateRequest().setInstanceId(instance).setGroupId("GID_pair"));
        tea.onsGroupCreate(new OnsGroupCreateRequest().setInstanceId(instance).setGroupId("GID_mixed"));
        tea.onsGroupCreate(new OnsGroupCreateRequest().setInstanceId(instance).setGroupId("GID_everyone"));
        List<DefaultMQPushConsumer> consumers = new ArrayList<>();
        try {
            consumers.add(consumer(instance, "GID_pair", "Watched", "*", MessageModel.CLUSTERING, new ConcurrentHashMap<>()));
            consumers.add(consumer(instance, "GID_pair", "Watched", "*", MessageModel.CLUSTERING, new ConcurrentHashMap<>()));
            consumers.add(consumer(instance, "GID_mixed", "Watched", "TagA", MessageModel.CLUSTERING, new ConcurrentHashMap<>()));
            consumers.add(consumer(instance, "GID_mixed", "Watched", "TagB", MessageModel.CLUSTERING, new ConcurrentHashMap<>()));
            consumers.add(consumer(instance, "GID_everyone", "Watched", "*", MessageModel.BROADCASTING, new ConcurrentHashMap<>()));
            Set<String> pairIds = Set.of(consumers.get(0).buildMQClientId(), consumers.get(1).buildMQClientId());

            awaitUntil(Duration.ofSeconds(30), () -> assertThat(tea.onsConsumerGetConnection(new OnsConsumerGetConnectionRequest()
                    .setInstanceId(instance).setGroupId("GID_pair")).getBody().getData().getConnectionList().getConnectionDo())
                    .extracting(c -> c.getClientId()).containsExactlyInAnyOrderElementsOf(pairIds));
            var connections = tea.onsConsumerGetConnection(new OnsConsumerGetConnectionRequest().setInstanceId(instance).setGroupId("GID_pair"))
                    .getBody().getData().getConnectionList().getConnectionDo();
            assertThat(connections).allSatisfy(c -> {
                assertThat(c.getLanguage()).isEqualTo("JAVA");
                assertThat(c.getVersion()).startsWith("V5_");
                assertThat(c.getClientAddr()).startsWith("127.0.0.1:");
            });

            awaitUntil(Duration.ofSeconds(30), () -> {
                OnsConsumerStatusResponseBodyData pair = status(instance, "GID_pair", true, true);
                assertThat(pair.getOnline()).isTrue();
                assertThat(pair.getConsumeModel()).isEqualTo("CLUSTERING");
                assertThat(pair.getSubscriptionSame()).isTrue();
                assertThat(pair.getRebalanceOK()).isTrue();
                assertThat(pair.getConnectionSet().getConnectionDo()).hasSize(2);
                assertThat(pair.getConsumerConnectionInfoList().getConsumerConnectionInfoDo()).hasSize(2).allSatisfy(info -> {
                    assertThat(pairIds).contains(info.getClientId());
                    assertThat(info.getConsumeType()).isEqualTo("PUSH");
                    assertThat(info.getSubscriptionSet().getSubscriptionData())
                            .anySatisfy(s -> assertThat(s.getTopic()).isEqualTo("Watched"));
                    assertThat(info.getJstack().getThreadTrackDo()).isNotEmpty()
                            .allSatisfy(t -> assertThat(t.getTrackList().getTrack().get(0)).startsWith("TID:"));
                    assertThat(info.getStartTimeStamp()).isPositive();
                });
            });
            awaitUntil(Duration.ofSeconds(30), () -> assertThat(status(instance, "GID_mixed", false, false).getSubscriptionSame()).isFalse());
            awaitUntil(Duration.ofSeconds(30), () -> {
                OnsConsumerStatusResponseBodyData everyone = status(instance, "GID_everyone", false, false);
                assertThat(everyone.getConsumeModel()).isEqualTo("BROADCASTING");
                assertThat(everyone.getRebalanceOK()).isTrue();
            });
            // The legacy SDK parses the nested shape too.
            var legacy = new com.aliyuncs.ons.model.v20190214.OnsConsumerStatusRequest();
            legacy.setInstanceId(instance);
            legacy.setGroupId("GID_pair");
            legacy.setDetail(true);
            assertThat(bridge.legacy(legacy).getData().getConsumerConnectionInfoList()).hasSize(2);
        } finally {
            consumers.forEach(DefaultMQPushConsumer::shutdown);
        }
        awaitUntil(Duration.ofSeconds(20), () -> assertThat(status(instance, "GID_pair", true, false).getOnline()).isFalse());
        assertTeaError(() -> tea.onsConsumerGetConnection(new OnsConsumerGetConnectionRequest().setInstanceId(instance).setGroupId("GID_pair")),
                "BIZ_CONSUMER_NOT_ONLINE", 400, "GID_pair");
    }

    @Test
    void aMessageIsPushedToOneNamedClient() throws Exception {
        String instance = bridge.newInstance("push");
        var tea = bridge.tea();
        tea.onsTopicCreate(new OnsTopicCreateRequest().setInstanceId(instance).setTopic("Pushed").setMessageType(0));
        tea.onsGroupCreate(new OnsGroupCreateRequest().setInstanceId(instance).setGroupId("GID_pushed"));
        List<String> ids = send(instance, "Pushed", 1);
        Map<String, Integer> received = new ConcurrentHashMap<>();
        DefaultMQPushConsumer consumer = consumer(instance, "GID_pushed", "Pushed", "*", MessageModel.CLUSTERING, received);
        try {
            awaitUntil(Duration.ofSeconds(30), () -> assertThat(received).containsKey(ids.get(0)));
            String clientId = consumer.buildMQClientId();
            var pushed = tea.onsMessagePush(new OnsMessagePushRequest().setInstanceId(instance).setGroupId("GID_pushed")
                    .setTopic("Pushed").setMsgId(ids.get(0)).setClientId(clientId));
            assertThat(pushed.getBody().getRequestId()).isNotBlank();
            awaitUntil(Duration.ofSeconds(10), () -> assertThat(received.get(ids.get(0))).isEqualTo(2));
            assertTeaError(() -> tea.onsMessagePush(new OnsMessagePushRequest().setInstanceId(instance).setGroupId("GID_pushed")
                    .setTopic("Pushed").setMsgId(ids.get(0)).setClientId("10.0.0.1@nobody")), "BIZ_CONSUMER_NOT_ONLINE", 400, "10.0.0.1@nobody");
        } finally {
            consumer.shutdown();
        }
    }

    private List<String> send(String instance, String topic, int count) throws Exception {
        List<String> ids = new ArrayList<>();
        DefaultMQProducer producer = Clients.producer(bridge, instance, "GID_" + topic.toLowerCase() + "_producer");
        try {
            for (int i = 0; i < count; i++) {
                ids.add(producer.send(new Message(topic, "TagA", "K" + i, ("m" + i).getBytes(StandardCharsets.UTF_8))).getMsgId());
            }
        } finally {
            producer.shutdown();
        }
        return ids;
    }

    private DefaultMQPushConsumer consumer(String instance, String group, String topic, String tags, MessageModel model,
                                           Map<String, Integer> received) throws Exception {
        DefaultMQPushConsumer consumer = Clients.consumer(bridge, instance, group);
        consumer.setMessageModel(model);
        consumer.setConsumeFromWhere(ConsumeFromWhere.CONSUME_FROM_FIRST_OFFSET);
        consumer.setPersistConsumerOffsetInterval(1_000);
        consumer.subscribe(topic, tags);
        consumer.registerMessageListener((MessageListenerConcurrently) (msgs, ctx) -> {
            msgs.forEach(m -> received.merge(m.getMsgId(), 1, Integer::sum));
            return ConsumeConcurrentlyStatus.CONSUME_SUCCESS;
        });
        consumer.start();
        return consumer;
    }

    private OnsConsumerAccumulateResponseBodyData accumulate(String instance, String group) throws Exception {
        return bridge.tea().onsConsumerAccumulate(new OnsConsumerAccumulateRequest().setInstanceId(instance).setGroupId(group).setDetail(true))
                .getBody().getData();
    }

    private OnsConsumerStatusResponseBodyData status(String instance, String group, boolean detail, boolean jstack) throws Exception {
        return bridge.tea().onsConsumerStatus(new OnsConsumerStatusRequest().setInstanceId(instance).setGroupId(group)
                .setDetail(detail).setNeedJstack(jstack)).getBody().getData();
    }

    private void reset(String instance, String group, String topic, int type, Long timestamp) throws Exception {
        bridge.tea().onsConsumerResetOffset(new OnsConsumerResetOffsetRequest().setInstanceId(instance).setGroupId(group)
                .setTopic(topic).setType(type).setResetTimestamp(timestamp));
    }
}
