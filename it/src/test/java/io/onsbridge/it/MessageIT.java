package io.onsbridge.it;

import static io.onsbridge.it.InstanceIT.assertTeaError;
import static io.onsbridge.it.TopicIT.awaitUntil;
import static org.assertj.core.api.Assertions.assertThat;

import com.aliyun.ons20190214.models.OnsGroupCreateRequest;
import com.aliyun.ons20190214.models.OnsMessageGetByKeyRequest;
import com.aliyun.ons20190214.models.OnsMessageGetByMsgIdRequest;
import com.aliyun.ons20190214.models.OnsMessageGetByMsgIdResponseBody.OnsMessageGetByMsgIdResponseBodyData;
import com.aliyun.ons20190214.models.OnsMessagePageQueryByTopicRequest;
import com.aliyun.ons20190214.models.OnsMessagePageQueryByTopicResponseBody.OnsMessagePageQueryByTopicResponseBodyMsgFoundDo;
import com.aliyun.ons20190214.models.OnsMessageSendRequest;
import com.aliyun.ons20190214.models.OnsMessageTraceRequest;
import com.aliyun.ons20190214.models.OnsTopicCreateRequest;
import com.aliyuncs.ons.model.v20190214.OnsMessageDetailRequest;
import com.aliyuncs.ons.model.v20190214.OnsMessagePageQueryByTopicResponse.MsgFoundDo.OnsRestMessageDo;
import io.onsbridge.junit.OnsBridgeEnvironment;
import io.onsbridge.junit.OnsBridgeTest;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.apache.rocketmq.client.consumer.DefaultMQPushConsumer;
import org.apache.rocketmq.client.consumer.listener.ConsumeConcurrentlyStatus;
import org.apache.rocketmq.client.consumer.listener.MessageListenerConcurrently;
import org.apache.rocketmq.client.producer.DefaultMQProducer;
import org.apache.rocketmq.client.producer.SendResult;
import org.apache.rocketmq.common.UtilAll;
import org.apache.rocketmq.common.message.Message;
import org.apache.rocketmq.common.message.MessageExt;
import org.apache.rocketmq.common.message.MessageQueue;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Message queries on real traffic: one instance, one topic, messages sent by a RocketMQ producer with
 * namespace = instance ID (keys, tags, a user property, a key on two messages, a delayed message, batches on
 * two queues).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@OnsBridgeTest
class MessageIT {
    private final Bridge bridge;

    MessageIT(OnsBridgeEnvironment env) {
        this.bridge = Bridge.of(env);
    }
    private String instance;
    private long firstStored;
    /** After every message of the traffic was stored and before any test sends more. */
    private long trafficEnd;
    /** What was sent, by message id: key, tag, body. */
    private final Map<String, Message> sent = new LinkedHashMap<>();
    private final Map<String, SendResult> results = new HashMap<>();

    @BeforeAll
    void sendTraffic() throws Exception {
        instance = bridge.newInstance("messages");
        bridge.tea().onsTopicCreate(new OnsTopicCreateRequest().setInstanceId(instance).setTopic("Traffic").setMessageType(0));
        firstStored = System.currentTimeMillis() - 1_000;
        DefaultMQProducer producer = Clients.producer(bridge, instance, "GID_traffic_producer");
        try {
            for (int i = 0; i < 15; i++) {
                Message message = new Message("Traffic", i % 2 == 0 ? "TagEven" : "TagOdd", "KEY-" + i, ("body " + i).getBytes(StandardCharsets.UTF_8));
                message.putUserProperty("order", Integer.toString(i));
                remember(message, producer.send(message));
            }
            for (int i = 1; i <= 2; i++) { // one key on two messages
                Message shared = new Message("Traffic", "TagShared", "KEY-shared", ("shared " + i).getBytes(StandardCharsets.UTF_8));
                remember(shared, producer.send(shared));
            }
            Message delayed = new Message("Traffic", "TagDelayed", "KEY-delayed", "later".getBytes(StandardCharsets.UTF_8));
            delayed.setDelayTimeLevel(2);
            remember(delayed, producer.send(delayed));
            List<MessageQueue> queues = producer.fetchPublishMessageQueues("Traffic");
            for (int q = 0; q < 2; q++) {
                List<Message> batch = new ArrayList<>();
                for (int i = 0; i < 4; i++) {
                    batch.add(new Message("Traffic", "TagBatch", "BATCH-" + q + "-" + i, ("batch " + q + "/" + i).getBytes(StandardCharsets.UTF_8)));
                }
                // send(batch, queue) wraps the batch's topic in the namespace but not the queue's: name it in full.
                MessageQueue queue = new MessageQueue(instance + "%Traffic", queues.get(q).getBrokerName(), queues.get(q).getQueueId());
                SendResult result = producer.send(batch, queue);
                String[] ids = result.getMsgId().split(",");
                for (int i = 0; i < ids.length; i++) {
                    sent.put(ids[i], batch.get(i));
                }
            }
        } finally {
            producer.shutdown();
        }
        // The delayed message is stored in the topic once its delay (1 s on the test broker) has passed.
        awaitUntil(Duration.ofSeconds(20), () -> assertThat(pageAll(50)).hasSize(sent.size()));
        trafficEnd = System.currentTimeMillis();
    }

    private void remember(Message message, SendResult result) {
        sent.put(result.getMsgId(), message);
        results.put(result.getMsgId(), result);
    }

    @Test
    void getByMsgIdFindsAMessageByItsClientIdAndByItsBrokerOffsetId() throws Exception {
        String plain = sent.keySet().iterator().next();
        String delayed = idWithKey("KEY-delayed");
        String batched = idWithKey("BATCH-1-2");
        // Asked for (client id, or the broker offset id the send told) to the message's client id. A delayed
        // message's send result names its copy on the timer's topic: the bridge follows it to the delivered one.
        Map<String, String> askedFor = new LinkedHashMap<>();
        askedFor.put(plain, plain);
        askedFor.put(results.get(plain).getOffsetMsgId(), plain);
        askedFor.put(delayed, delayed);
        askedFor.put(results.get(delayed).getOffsetMsgId(), delayed);
        askedFor.put(batched, batched);
        for (Map.Entry<String, String> ask : askedFor.entrySet()) {
            String asked = ask.getKey();
            String id = ask.getValue();
            Message original = sent.get(id);
            OnsMessageGetByMsgIdResponseBodyData found = bridge.tea().onsMessageGetByMsgId(new OnsMessageGetByMsgIdRequest()
                    .setInstanceId(instance).setTopic("Traffic").setMsgId(asked)).getBody().getData();
            assertThat(found.getMsgId()).isEqualTo(id);
            // The offset id it shows (legacy SDK only) finds the same message.
            var legacy = new com.aliyuncs.ons.model.v20190214.OnsMessageGetByMsgIdRequest();
            legacy.setInstanceId(instance);
            legacy.setTopic("Traffic");
            legacy.setMsgId(asked);
            legacy.setMsgId(bridge.legacy(legacy).getData().getOffsetId());
            var byOffset = bridge.legacy(legacy).getData();
            assertThat(byOffset.getMsgId()).isEqualTo(id);
            assertThat(byOffset.getStoreTimestamp()).isEqualTo(found.getStoreTimestamp());
            assertThat(found.getTopic()).isEqualTo("Traffic");
            assertThat(found.getInstanceId()).isEqualTo(instance);
            assertThat(found.getStoreHost()).isEqualTo(bridge.cluster.brokerAddr());
            assertThat(found.getBornTimestamp()).isLessThanOrEqualTo(found.getStoreTimestamp());
            assertThat(found.getStoreTimestamp()).isGreaterThanOrEqualTo(firstStored);
            Map<String, String> properties = new HashMap<>();
            found.getPropertyList().getMessageProperty().forEach(p -> properties.put(p.getName(), p.getValue()));
            assertThat(properties).containsEntry("TAGS", original.getTags()).containsEntry("KEYS", original.getKeys())
                    .containsEntry("INSTANCE_ID", instance).containsEntry("UNIQ_KEY", id);
            assertThat(properties.get("order")).isEqualTo(original.getUserProperty("order"));
            assertThat(found.getBodyCRC()).isEqualTo(UtilAll.crc32(original.getBody()));
            if (id.equals(delayed)) {
                // Stored in the topic only once its delay passed; the property naming the topic keeps the namespace.
                assertThat(found.getStoreTimestamp() - found.getBornTimestamp()).isGreaterThanOrEqualTo(900);
                assertThat(properties).containsEntry("REAL_TOPIC", instance + "%Traffic");
            } else if (id.equals(plain)) {
                assertThat(properties).containsEntry("TRACE_ON", "true"); // the producer's trace hook marks single sends only
            }
        }
        assertTeaError(() -> bridge.tea().onsMessageGetByMsgId(new OnsMessageGetByMsgIdRequest().setInstanceId(instance)
                .setTopic("Traffic").setMsgId("0123456789ABCDEF0123456789ABCDEF")), "BIZ_NO_MESSAGE", 404, "0123456789ABCDEF0123456789ABCDEF");
        assertTeaError(() -> bridge.tea().onsMessageGetByMsgId(new OnsMessageGetByMsgIdRequest().setInstanceId(instance)
                .setTopic("Traffic").setMsgId("not-an-id")), "BIZ_FIELD_CHECK_INVALID", 400, "MsgId");
    }

    @Test
    void getByKeyReturnsEveryMatchInTheSdkShape() throws Exception {
        var tea = bridge.tea().onsMessageGetByKey(new OnsMessageGetByKeyRequest().setInstanceId(instance).setTopic("Traffic").setKey("KEY-3"))
                .getBody().getData().getOnsRestMessageDo();
        assertThat(tea).singleElement().satisfies(m -> assertThat(sent.get(m.getMsgId()).getKeys()).isEqualTo("KEY-3"));
        // Every message with the key, newest first, each with its own tag and body.
        var shared = bridge.tea().onsMessageGetByKey(new OnsMessageGetByKeyRequest().setInstanceId(instance).setTopic("Traffic")
                .setKey("KEY-shared")).getBody().getData().getOnsRestMessageDo();
        List<String> sharedIds = sent.entrySet().stream().filter(e -> "KEY-shared".equals(e.getValue().getKeys())).map(Map.Entry::getKey).toList();
        assertThat(sharedIds).hasSize(2);
        assertThat(shared).extracting(m -> m.getMsgId()).containsExactlyInAnyOrderElementsOf(sharedIds);
        assertThat(shared).extracting(m -> m.getStoreTimestamp()).isSortedAccordingTo(java.util.Comparator.reverseOrder());
        assertThat(shared).allSatisfy(m -> assertThat(m.getBodyCRC()).isEqualTo(UtilAll.crc32(sent.get(m.getMsgId()).getBody())));
        var legacy = new com.aliyuncs.ons.model.v20190214.OnsMessageGetByKeyRequest();
        legacy.setInstanceId(instance);
        legacy.setTopic("Traffic");
        legacy.setKey("BATCH-1-2");
        assertThat(bridge.legacy(legacy).getData()).singleElement()
                .satisfies(m -> assertThat(new String(sent.get(m.getMsgId()).getBody(), StandardCharsets.UTF_8)).isEqualTo("batch 1/2"));
        assertTeaError(() -> bridge.tea().onsMessageGetByKey(new OnsMessageGetByKeyRequest().setInstanceId(instance).setTopic("Traffic")
                .setKey("NO-SUCH-KEY")), "BIZ_NO_MESSAGE", 404, "NO-SUCH-KEY");
    }

    @Test
    void messageDetailCarriesTheBodyForTheLegacySdk() throws Exception {
        String id = sent.keySet().stream().filter(k -> "KEY-delayed".equals(sent.get(k).getKeys())).findFirst().orElseThrow();
        OnsMessageDetailRequest request = new OnsMessageDetailRequest();
        request.setInstanceId(instance);
        request.setTopic("Traffic");
        request.setMsgId(id);
        var data = bridge.legacy(request).getData();
        assertThat(data.getMsgId()).isEqualTo(id);
        assertThat(new String(Base64.getDecoder().decode(data.getBody()), StandardCharsets.UTF_8)).isEqualTo("later");
        assertThat(data.getPropertyList()).anySatisfy(p -> {
            assertThat(p.getName()).isEqualTo("TAGS");
            assertThat(p.getValue()).isEqualTo("TagDelayed");
        });
    }

    @Test
    void pagingThroughTheRangeReturnsEveryMessageOnceInStoreOrder() throws Exception {
        List<OnsRestMessageDo> all = new ArrayList<>();
        var first = legacyPage(null, 1);
        long pages = first.getMaxPageCount();
        assertThat(pages).isEqualTo((sent.size() + 4) / 5);
        all.addAll(first.getMsgFoundList());
        for (int page = 2; page <= pages; page++) {
            var next = legacyPage(first.getTaskId(), page);
            assertThat(next.getCurrentPage()).isEqualTo(page);
            all.addAll(next.getMsgFoundList());
        }
        assertThat(all).extracting(OnsRestMessageDo::getMsgId).containsExactlyInAnyOrderElementsOf(sent.keySet());
        assertThat(all).extracting(OnsRestMessageDo::getStoreTimestamp).isSorted();
        // Each is the message sent: tag, key and body (its CRC; a page carries no body).
        for (OnsRestMessageDo message : all) {
            Message original = sent.get(message.getMsgId());
            Map<String, String> properties = new HashMap<>();
            message.getPropertyList().forEach(p -> properties.put(p.getName(), p.getValue()));
            assertThat(properties).containsEntry("TAGS", original.getTags()).containsEntry("KEYS", original.getKeys());
            assertThat(message.getBodyCRC()).isEqualTo(UtilAll.crc32(original.getBody()));
        }
        // A new query for a deep page (no TaskId, nothing cached: it jumps there by store time) answers that same page.
        for (int page = 2; page <= pages; page++) {
            assertThat(legacyPage(null, page).getMsgFoundList()).extracting(OnsRestMessageDo::getMsgId)
                    .containsExactlyElementsOf(all.subList((page - 1) * 5, Math.min(all.size(), page * 5)).stream()
                            .map(OnsRestMessageDo::getMsgId).toList());
        }
        // Pages can be read again, in any order, with the same answer.
        assertThat(legacyPage(first.getTaskId(), 2).getMsgFoundList()).extracting(OnsRestMessageDo::getMsgId)
                .containsExactlyElementsOf(all.subList(5, 10).stream().map(OnsRestMessageDo::getMsgId).toList());
    }

    @Test
    void pagingRejectsBadRangesAndPagesPastTheEnd() throws Exception {
        var tea = bridge.tea();
        OnsMessagePageQueryByTopicResponseBodyMsgFoundDo future = tea.onsMessagePageQueryByTopic(new OnsMessagePageQueryByTopicRequest()
                .setInstanceId(instance).setTopic("Traffic").setBeginTime(System.currentTimeMillis() + 3_600_000L)
                .setEndTime(System.currentTimeMillis() + 7_200_000L).setCurrentPage(1)).getBody().getMsgFoundDo();
        assertThat(future.getMaxPageCount()).isZero();
        assertThat(future.getMsgFoundList().getOnsRestMessageDo()).isEmpty();
        assertTeaError(() -> tea.onsMessagePageQueryByTopic(new OnsMessagePageQueryByTopicRequest().setInstanceId(instance).setTopic("Traffic")
                .setBeginTime(2_000L).setEndTime(1_000L).setCurrentPage(1)), "BIZ_FIELD_CHECK_INVALID", 400, "EndTime");
        assertTeaError(() -> tea.onsMessagePageQueryByTopic(new OnsMessagePageQueryByTopicRequest().setInstanceId(instance).setTopic("Traffic")
                .setBeginTime(0L).setEndTime(System.currentTimeMillis()).setCurrentPage(40)), "BIZ_FIELD_CHECK_INVALID", 400, "CurrentPage");
        // 50 at most, whatever the range holds (message.md).
        assertTeaError(() -> tea.onsMessagePageQueryByTopic(new OnsMessagePageQueryByTopicRequest().setInstanceId(instance).setTopic("Traffic")
                .setBeginTime(0L).setEndTime(System.currentTimeMillis()).setCurrentPage(51)), "BIZ_FIELD_CHECK_INVALID", 400,
                "must be between 1 and 50");
        assertTeaError(() -> tea.onsMessagePageQueryByTopic(new OnsMessagePageQueryByTopicRequest().setInstanceId(instance).setTopic("Traffic")
                .setBeginTime(0L).setEndTime(System.currentTimeMillis()).setCurrentPage(1).setPageSize(2)), "BIZ_FIELD_CHECK_INVALID", 400, "PageSize");
        assertTeaError(() -> tea.onsMessagePageQueryByTopic(new OnsMessagePageQueryByTopicRequest().setInstanceId(instance).setTopic("Traffic")
                .setTaskId("forged").setCurrentPage(1)), "BIZ_FIELD_CHECK_INVALID", 400, "TaskId");
    }

    @Test
    void sendThroughTheApiReachesARocketMqConsumer() throws Exception {
        bridge.tea().onsGroupCreate(new OnsGroupCreateRequest().setInstanceId(instance).setGroupId("GID_api_sends"));
        Map<String, MessageExt> received = new ConcurrentHashMap<>();
        DefaultMQPushConsumer consumer = Clients.consumer(bridge, instance, "GID_api_sends");
        consumer.subscribe("Traffic", "FromApi");
        consumer.registerMessageListener((MessageListenerConcurrently) (msgs, ctx) -> {
            msgs.forEach(m -> received.put(m.getMsgId(), m));
            return ConsumeConcurrentlyStatus.CONSUME_SUCCESS;
        });
        consumer.start();
        try {
            String id = bridge.tea().onsMessageSend(new OnsMessageSendRequest().setInstanceId(instance).setTopic("Traffic")
                    .setTag("FromApi").setKey("API-1").setMessage("sent through ONS 你好")).getBody().getData();
            assertThat(id).matches("[0-9A-F]{32}");
            awaitUntil(Duration.ofSeconds(30), () -> assertThat(received).containsKey(id));
            MessageExt message = received.get(id);
            assertThat(new String(message.getBody(), StandardCharsets.UTF_8)).isEqualTo("sent through ONS 你好");
            assertThat(message.getKeys()).isEqualTo("API-1");
            assertThat(message.getTopic()).isEqualTo("Traffic");
        } finally {
            consumer.shutdown();
        }
    }

    @Test
    void messageTraceTellsPerGroupWhetherTheMessageWasConsumed() throws Exception {
        bridge.tea().onsGroupCreate(new OnsGroupCreateRequest().setInstanceId(instance).setGroupId("GID_tracked_all"));
        bridge.tea().onsGroupCreate(new OnsGroupCreateRequest().setInstanceId(instance).setGroupId("GID_tracked_other"));
        bridge.tea().onsGroupCreate(new OnsGroupCreateRequest().setInstanceId(instance).setGroupId("GID_tracked_held"));
        String evenId = sent.keySet().stream().filter(k -> "TagEven".equals(sent.get(k).getTags())).findFirst().orElseThrow();
        DefaultMQPushConsumer all = startConsumer("GID_tracked_all", "*");
        DefaultMQPushConsumer other = startConsumer("GID_tracked_other", "NoSuchTag");
        // Online and committing offsets, but still busy with this message: the queue's offset stays at it.
        CountDownLatch release = new CountDownLatch(1);
        DefaultMQPushConsumer held = startConsumer("GID_tracked_held", "*", (msgs, ctx) -> {
            for (MessageExt m : msgs) {
                if (m.getMsgId().equals(evenId)) {
                    try {
                        release.await(2, TimeUnit.MINUTES);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                }
            }
            return ConsumeConcurrentlyStatus.CONSUME_SUCCESS;
        });
        try {
            awaitUntil(Duration.ofSeconds(40), () -> assertThat(trackStates(evenId)).containsEntry("GID_tracked_all", "CONSUMED")
                    .containsEntry("GID_tracked_other", "CONSUMED_BUT_FILTERED").containsEntry("GID_tracked_held", "NOT_CONSUME_YET"));
            // Stopped: its offsets stay on the broker, its consumer is gone.
            all.shutdown();
            awaitUntil(Duration.ofSeconds(30), () -> assertThat(trackStates(evenId)).containsEntry("GID_tracked_all", "NOT_ONLINE"));
            release.countDown();
            awaitUntil(Duration.ofSeconds(30), () -> assertThat(trackStates(evenId)).containsEntry("GID_tracked_held", "CONSUMED"));
        } finally {
            release.countDown();
            all.shutdown();
            other.shutdown();
            held.shutdown();
        }
    }

    /** OnsMessageTrace: the state per consumer group of the instance. */
    private Map<String, String> trackStates(String id) throws Exception {
        Map<String, String> states = new HashMap<>();
        bridge.tea().onsMessageTrace(new OnsMessageTraceRequest().setInstanceId(instance).setTopic("Traffic").setMsgId(id))
                .getBody().getData().getMessageTrack().forEach(t -> {
                    assertThat(t.getInstanceId()).isEqualTo(instance);
                    states.put(t.getConsumerGroup(), t.getTrackType());
                });
        return states;
    }

    private String idWithKey(String key) {
        return sent.keySet().stream().filter(k -> key.equals(sent.get(k).getKeys())).findFirst().orElseThrow();
    }

    private DefaultMQPushConsumer startConsumer(String group, String tags) throws Exception {
        return startConsumer(group, tags, (msgs, ctx) -> ConsumeConcurrentlyStatus.CONSUME_SUCCESS);
    }

    private DefaultMQPushConsumer startConsumer(String group, String tags, MessageListenerConcurrently listener) throws Exception {
        DefaultMQPushConsumer consumer = Clients.consumer(bridge, instance, group);
        consumer.setConsumeFromWhere(org.apache.rocketmq.common.consumer.ConsumeFromWhere.CONSUME_FROM_FIRST_OFFSET);
        consumer.setPersistConsumerOffsetInterval(500);
        consumer.subscribe("Traffic", tags);
        consumer.registerMessageListener(listener);
        consumer.start();
        return consumer;
    }

    private List<String> pageAll(int pageSize) throws Exception {
        return bridge.tea().onsMessagePageQueryByTopic(new OnsMessagePageQueryByTopicRequest().setInstanceId(instance).setTopic("Traffic")
                        .setBeginTime(firstStored).setEndTime(System.currentTimeMillis()).setCurrentPage(1).setPageSize(pageSize))
                .getBody().getMsgFoundDo().getMsgFoundList().getOnsRestMessageDo().stream().map(m -> m.getMsgId()).toList();
    }

    private com.aliyuncs.ons.model.v20190214.OnsMessagePageQueryByTopicResponse.MsgFoundDo legacyPage(String taskId, int page) throws Exception {
        var request = new com.aliyuncs.ons.model.v20190214.OnsMessagePageQueryByTopicRequest();
        request.setInstanceId(instance);
        request.setTopic("Traffic");
        request.setCurrentPage(page);
        request.setPageSize(5);
        if (taskId == null) {
            request.setBeginTime(firstStored);
            request.setEndTime(trafficEnd);
        } else {
            request.setTaskId(taskId);
        }
        return bridge.legacy(request).getMsgFoundDo();
    }
}
