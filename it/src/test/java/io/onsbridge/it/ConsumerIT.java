package io.onsbridge.it;

import static io.onsbridge.it.InstanceIT.assertTeaError;
import static io.onsbridge.it.TopicIT.awaitUntil;
import static org.assertj.core.api.Assertions.assertThat;

import com.aliyun.ons20190214.models.OnsConsumerAccumulateRequest;
import com.aliyun.ons20190214.models.OnsConsumerAccumulateResponseBody.OnsConsumerAccumulateResponseBodyData;
import com.aliyun.ons20190214.models.OnsConsumerAccumulateResponseBody.OnsConsumerAccumulateResponseBodyDataDetailInTopicListDetailInTopicDo;
import com.aliyun.ons20190214.models.OnsConsumerGetConnectionRequest;
import com.aliyun.ons20190214.models.OnsConsumerResetOffsetRequest;
import com.aliyun.ons20190214.models.OnsConsumerStatusRequest;
import com.aliyun.ons20190214.models.OnsConsumerStatusResponseBody.OnsConsumerStatusResponseBodyData;
import com.aliyun.ons20190214.models.OnsConsumerTimeSpanRequest;
import com.aliyun.ons20190214.models.OnsGroupCreateRequest;
import com.aliyun.ons20190214.models.OnsTopicCreateRequest;
import io.onsbridge.junit.OnsBridgeEnvironment;
import io.onsbridge.junit.OnsBridgeTest;
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
import org.apache.rocketmq.common.message.MessageExt;
import org.apache.rocketmq.remoting.protocol.NamespaceUtil;
import org.apache.rocketmq.remoting.protocol.heartbeat.MessageModel;
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
        List<String> ids = send(bridge, instance, "Work", 30);
        // The listener fails the first message once: it comes back through the group's retry topic.
        Map<String, Integer> consumed = new ConcurrentHashMap<>();
        DefaultMQPushConsumer consumer = consumer(bridge, instance, "GID_work", Map.of("Work", "*"), MessageModel.CLUSTERING, (msgs, ctx) -> {
            for (MessageExt m : msgs) {
                if (consumed.merge(m.getMsgId(), 1, Integer::sum) == 1 && m.getMsgId().equals(ids.get(0))) {
                    return ConsumeConcurrentlyStatus.RECONSUME_LATER;
                }
            }
            return ConsumeConcurrentlyStatus.CONSUME_SUCCESS;
        });
        try {
            awaitUntil(Duration.ofSeconds(30), () -> assertThat(consumed).hasSize(30).containsEntry(ids.get(0), 2));
            awaitUntil(Duration.ofSeconds(20), () -> assertThat(accumulate(bridge, instance, "GID_work").getTotalDiff()).isZero());
            OnsConsumerAccumulateResponseBodyData online = accumulate(bridge, instance, "GID_work");
            assertThat(online.getOnline()).isTrue();
            assertThat(online.getLastTimestamp()).isGreaterThanOrEqualTo(firstBatch);
            // The retry topic is a row of its own, named as ONS names it, and shows the retried message consumed.
            assertThat(online.getDetailInTopicList().getDetailInTopicDo()).extracting(t -> t.getTopic())
                    .containsExactlyInAnyOrder("Work", "%RETRY%GID_work");
            assertThat(row(online, "%RETRY%GID_work")).satisfies(r -> {
                assertThat(r.getTotalDiff()).isZero();
                assertThat(r.getLastTimestamp()).isGreaterThanOrEqualTo(firstBatch);
            });
        } finally {
            consumer.shutdown();
        }
        long secondBatch = System.currentTimeMillis();
        send(bridge, instance, "Work", 12);
        long sent = System.currentTimeMillis();
        // Two messages waiting on the retry topic while the group is offline, as a consumer's send-back leaves them.
        DefaultMQProducer producer = Clients.producer(bridge, instance, "GID_work_retry_producer");
        try {
            for (int i = 0; i < 2; i++) {
                producer.send(new Message("%RETRY%GID_work", "TagA", "R" + i, ("r" + i).getBytes(StandardCharsets.UTF_8)));
            }
        } finally {
            producer.shutdown();
        }
        long asked = System.currentTimeMillis();
        OnsConsumerAccumulateResponseBodyData offline = accumulate(bridge, instance, "GID_work");
        long answered = System.currentTimeMillis();
        assertThat(offline.getOnline()).isFalse();
        assertThat(offline.getTotalDiff()).isEqualTo(14);
        // The oldest unconsumed message is the first of the 12, stored between secondBatch and sent.
        assertThat(offline.getDelayTime()).isBetween(asked - sent, answered - secondBatch);
        assertThat(row(offline, "Work")).satisfies(t -> {
            assertThat(t.getTotalDiff()).isEqualTo(12);
            assertThat(t.getDelayTime()).isBetween(asked - sent, answered - secondBatch);
        });
        assertThat(row(offline, "%RETRY%GID_work")).satisfies(t -> {
            assertThat(t.getTotalDiff()).isEqualTo(2);
            assertThat(t.getDelayTime()).isBetween(0L, answered - sent);
        });
        // The legacy SDK reads the same figures.
        var legacy = new com.aliyuncs.ons.model.v20190214.OnsConsumerAccumulateRequest();
        legacy.setInstanceId(instance);
        legacy.setGroupId("GID_work");
        assertThat(bridge.legacy(legacy).getData().getTotalDiff()).isEqualTo(14);

        // Resets move the topic's offsets only; the retry topic keeps its two.
        reset(instance, "GID_work", "Work", 1, firstBatch);
        assertThat(row(accumulate(bridge, instance, "GID_work"), "Work").getTotalDiff()).isEqualTo(42);
        reset(instance, "GID_work", "Work", 1, secondBatch);
        assertThat(row(accumulate(bridge, instance, "GID_work"), "Work").getTotalDiff()).isEqualTo(12);
        reset(instance, "GID_work", "Work", 0, null);
        assertThat(accumulate(bridge, instance, "GID_work").getTotalDiff()).isEqualTo(2);

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
        tea.onsTopicCreate(new OnsTopicCreateRequest().setInstanceId(instance).setTopic("Other").setMessageType(0));
        for (String group : List.of("GID_pair", "GID_mixed", "GID_everyone", "GID_split")) {
            tea.onsGroupCreate(new OnsGroupCreateRequest().setInstanceId(instance).setGroupId(group));
        }
        List<DefaultMQPushConsumer> consumers = new ArrayList<>();
        Map<String, Integer> pairReceived = new ConcurrentHashMap<>();
        try {
            consumers.add(consumer(bridge, instance, "GID_pair", "Watched", "*", MessageModel.CLUSTERING, pairReceived));
            consumers.add(consumer(bridge, instance, "GID_pair", "Watched", "*", MessageModel.CLUSTERING, pairReceived));
            consumers.add(consumer(bridge, instance, "GID_mixed", "Watched", "TagA", MessageModel.CLUSTERING, new ConcurrentHashMap<>()));
            consumers.add(consumer(bridge, instance, "GID_mixed", "Watched", "TagB", MessageModel.CLUSTERING, new ConcurrentHashMap<>()));
            consumers.add(consumer(bridge, instance, "GID_everyone", "Watched", "*", MessageModel.BROADCASTING, new ConcurrentHashMap<>()));
            DefaultMQPushConsumer splitWatched = consumer(bridge, instance, "GID_split", "Watched", "*", MessageModel.CLUSTERING, new ConcurrentHashMap<>());
            consumers.add(splitWatched);
            consumers.add(consumer(bridge, instance, "GID_split", "Other", "*", MessageModel.CLUSTERING, new ConcurrentHashMap<>()));
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
            // Queues assigned (and their process queues made) before anything is sent.
            awaitUntil(Duration.ofSeconds(30), () -> assertThat(status(instance, "GID_pair", false, false).getRebalanceOK()).isTrue());
            long sentAt = System.currentTimeMillis();
            List<String> ids = send(bridge, instance, "Watched", 8);
            // 60 s: a RocketMQ 5 client whose first pulls reach the broker before its heartbeat is refused "subscription
            // is not latest" until its next heartbeat, 30 s later (seen once in CI: half the queues waited 30 s).
            awaitUntil(Duration.ofSeconds(60), () -> assertThat(pairReceived).containsKeys(ids.toArray(String[]::new)));

            awaitUntil(Duration.ofSeconds(30), () -> {
                OnsConsumerStatusResponseBodyData pair = status(instance, "GID_pair", true, true);
                assertThat(pair.getOnline()).isTrue();
                assertThat(pair.getConsumeModel()).isEqualTo("CLUSTERING");
                assertThat(pair.getSubscriptionSame()).isTrue();
                assertThat(pair.getRebalanceOK()).isTrue();
                assertThat(pair.getConsumeTps()).isNotNull().isGreaterThanOrEqualTo(0f);
                assertThat(pair.getConnectionSet().getConnectionDo()).hasSize(2);
                var infos = pair.getConsumerConnectionInfoList().getConsumerConnectionInfoDo();
                assertThat(infos).hasSize(2).allSatisfy(info -> {
                    assertThat(pairIds).contains(info.getClientId());
                    assertThat(info.getConsumeType()).isEqualTo("PUSH");
                    assertThat(info.getSubscriptionSet().getSubscriptionData())
                            .anySatisfy(s -> assertThat(s.getTopic()).isEqualTo("Watched"));
                    assertThat(info.getJstack().getThreadTrackDo()).isNotEmpty()
                            .allSatisfy(t -> assertThat(t.getTrackList().getTrack().get(0)).startsWith("TID:"));
                    assertThat(info.getStartTimeStamp()).isPositive().isLessThanOrEqualTo(sentAt);
                    assertThat(info.getThreadCount()).isPositive();
                    assertThat(info.getLastTimeStamp()).isPositive().isLessThanOrEqualTo(System.currentTimeMillis());
                    assertThat(info.getRunningDataList().getConsumerRunningDataDo()).anySatisfy(d -> {
                        assertThat(d.getTopic()).isEqualTo("Watched");
                        assertThat(d.getGroupId()).isEqualTo("GID_pair");
                        assertThat(d.getOkTps()).isGreaterThanOrEqualTo(0f);
                        assertThat(d.getFailedTps()).isZero();
                        assertThat(d.getRt()).isGreaterThanOrEqualTo(0f);
                        assertThat(d.getFailedCountPerHour()).isZero();
                    });
                });
                // A client that consumed one of the messages consumed it after they were sent.
                assertThat(infos).anySatisfy(info -> assertThat(info.getLastTimeStamp()).isGreaterThanOrEqualTo(sentAt));
            });
            awaitUntil(Duration.ofSeconds(30), () -> assertThat(status(instance, "GID_mixed", false, false).getSubscriptionSame()).isFalse());
            awaitUntil(Duration.ofSeconds(30), () -> {
                OnsConsumerStatusResponseBodyData everyone = status(instance, "GID_everyone", false, false);
                assertThat(everyone.getConsumeModel()).isEqualTo("BROADCASTING");
                assertThat(everyone.getRebalanceOK()).isTrue();
            });
            // Broadcasting consumers keep their offsets themselves: the broker has no backlog to show.
            OnsConsumerAccumulateResponseBodyData broadcast = accumulate(bridge, instance, "GID_everyone");
            assertThat(broadcast.getOnline()).isTrue();
            assertThat(broadcast.getTotalDiff()).isZero();
            assertThat(broadcast.getDetailInTopicList().getDetailInTopicDo()).isEmpty();

            // One group, two topics: each client takes its share of both topics' queues but pulls only its
            // own topic, so half of Watched's queues are nobody's: RebalanceOK is false.
            int watchedQueues = splitWatched.fetchSubscribeMessageQueues("Watched").size();
            awaitUntil(Duration.ofSeconds(30), () -> assertThat(held(splitWatched, "Watched")).isPositive().isLessThan(watchedQueues));
            OnsConsumerStatusResponseBodyData split = status(instance, "GID_split", true, false);
            assertThat(split.getConsumerConnectionInfoList().getConsumerConnectionInfoDo()).hasSize(2)
                    .allSatisfy(info -> assertThat(info.getSubscriptionSet().getSubscriptionData()).isNotEmpty());
            assertThat(split.getSubscriptionSame()).isFalse();
            assertThat(split.getRebalanceOK()).isFalse();

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

    /** Queues of the topic the client's own rebalance gave it. */
    private static long held(DefaultMQPushConsumer consumer, String topic) {
        return consumer.getDefaultMQPushConsumerImpl().getRebalanceImpl().getProcessQueueTable().keySet().stream()
                .filter(q -> NamespaceUtil.withoutNamespace(q.getTopic()).equals(topic)).count();
    }

    static List<String> send(Bridge bridge, String instance, String topic, int count) throws Exception {
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

    static DefaultMQPushConsumer consumer(Bridge bridge, String instance, String group, String topic, String tags, MessageModel model,
                                          Map<String, Integer> received) throws Exception {
        return consumer(bridge, instance, group, Map.of(topic, tags), model, (msgs, ctx) -> {
            msgs.forEach(m -> received.merge(m.getMsgId(), 1, Integer::sum));
            return ConsumeConcurrentlyStatus.CONSUME_SUCCESS;
        });
    }

    /** Started, reading every subscribed topic from its first message. */
    static DefaultMQPushConsumer consumer(Bridge bridge, String instance, String group, Map<String, String> subscriptions, MessageModel model,
                                          MessageListenerConcurrently listener) throws Exception {
        DefaultMQPushConsumer consumer = Clients.consumer(bridge, instance, group);
        consumer.setMessageModel(model);
        consumer.setConsumeFromWhere(ConsumeFromWhere.CONSUME_FROM_FIRST_OFFSET);
        consumer.setPersistConsumerOffsetInterval(1_000);
        for (Map.Entry<String, String> subscription : subscriptions.entrySet()) {
            consumer.subscribe(subscription.getKey(), subscription.getValue());
        }
        consumer.registerMessageListener(listener);
        consumer.start();
        return consumer;
    }

    static OnsConsumerAccumulateResponseBodyData accumulate(Bridge bridge, String instance, String group) throws Exception {
        return bridge.tea().onsConsumerAccumulate(new OnsConsumerAccumulateRequest().setInstanceId(instance).setGroupId(group).setDetail(true))
                .getBody().getData();
    }

    static OnsConsumerAccumulateResponseBodyDataDetailInTopicListDetailInTopicDo row(OnsConsumerAccumulateResponseBodyData data, String topic) {
        return data.getDetailInTopicList().getDetailInTopicDo().stream().filter(t -> t.getTopic().equals(topic)).findFirst()
                .orElseThrow(() -> new AssertionError("no row for " + topic));
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
