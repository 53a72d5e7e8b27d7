package io.onsbridge.it;

import static io.onsbridge.it.InstanceIT.assertTeaError;
import static io.onsbridge.it.TopicIT.awaitUntil;
import static org.assertj.core.api.Assertions.assertThat;

import com.aliyun.ons20190214.models.OnsDLQMessageGetByIdRequest;
import com.aliyun.ons20190214.models.OnsDLQMessageGetByIdResponseBody.OnsDLQMessageGetByIdResponseBodyData;
import com.aliyun.ons20190214.models.OnsDLQMessagePageQueryByGroupIdRequest;
import com.aliyun.ons20190214.models.OnsDLQMessagePageQueryByGroupIdResponseBody.OnsDLQMessagePageQueryByGroupIdResponseBodyMsgFoundDo;
import com.aliyun.ons20190214.models.OnsDLQMessageResendByIdRequest;
import com.aliyun.ons20190214.models.OnsGroupCreateRequest;
import com.aliyun.ons20190214.models.OnsTopicCreateRequest;
import io.onsbridge.junit.OnsBridgeEnvironment;
import io.onsbridge.junit.OnsBridgeTest;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.rocketmq.client.consumer.DefaultMQPushConsumer;
import org.apache.rocketmq.client.consumer.listener.ConsumeConcurrentlyStatus;
import org.apache.rocketmq.client.consumer.listener.MessageListenerConcurrently;
import org.apache.rocketmq.client.producer.DefaultMQProducer;
import org.apache.rocketmq.common.message.Message;
import org.apache.rocketmq.common.message.MessageExt;
import org.junit.jupiter.api.Test;

/** Dead letters made by a real consumer that always fails, found, paged and resent through the SDKs. */
@OnsBridgeTest
class DeadLetterIT {
    private final Bridge bridge;

    DeadLetterIT(OnsBridgeEnvironment env) {
        this.bridge = Bridge.of(env);
    }

    @Test
    void aDeadLetterIsFoundPagedAndResentToItsGroupOnly() throws Exception {
        String instance = bridge.newInstance("dlq");
        var tea = bridge.tea();
        tea.onsTopicCreate(new OnsTopicCreateRequest().setInstanceId(instance).setTopic("Fragile").setMessageType(0));
        tea.onsGroupCreate(new OnsGroupCreateRequest().setInstanceId(instance).setGroupId("GID_fails"));
        tea.onsGroupCreate(new OnsGroupCreateRequest().setInstanceId(instance).setGroupId("GID_bystander"));
        long begin = System.currentTimeMillis() - 1_000;

        // A group that never had a dead letter: an empty page, not an error.
        assertThat(teaPage(instance, "GID_fails", begin).getMaxPageCount()).isZero();

        // The bystander, another group on the topic, consumes the original once, as it should.
        Map<String, MessageExt> bystander = new ConcurrentHashMap<>();
        Map<String, Integer> bystanderDeliveries = new ConcurrentHashMap<>();
        DefaultMQPushConsumer other = recordingConsumer(instance, "GID_bystander", bystander, bystanderDeliveries);
        DefaultMQPushConsumer failing = Clients.consumer(bridge, instance, "GID_fails");
        failing.setMaxReconsumeTimes(1);
        failing.subscribe("Fragile", "*");
        failing.registerMessageListener((MessageListenerConcurrently) (msgs, ctx) -> ConsumeConcurrentlyStatus.RECONSUME_LATER);
        failing.start();
        String id;
        DefaultMQProducer producer = Clients.producer(bridge, instance, "GID_fragile_producer");
        try {
            Message message = new Message("Fragile", "TagX", "KEY-dead", "poison".getBytes(StandardCharsets.UTF_8));
            message.putUserProperty("origin", "test");
            id = producer.send(message).getMsgId();
            awaitUntil(Duration.ofSeconds(60), () -> assertThat(teaPage(instance, "GID_fails", begin).getMsgFoundList()
                    .getOnsRestMessageDo()).extracting(m -> m.getMsgId()).containsExactly(id));
        } finally {
            failing.shutdown();
        }

        OnsDLQMessageGetByIdResponseBodyData dead = tea.onsDLQMessageGetById(new OnsDLQMessageGetByIdRequest()
                .setInstanceId(instance).setGroupId("GID_fails").setMsgId(id)).getBody().getData();
        assertThat(dead.getMsgId()).isEqualTo(id);
        assertThat(dead.getTopic()).isEqualTo("Fragile");
        assertThat(dead.getReconsumeTimes()).isGreaterThanOrEqualTo(1);
        assertThat(dead.getBornTimestamp()).isLessThanOrEqualTo(dead.getStoreTimestamp());
        Map<String, String> properties = new HashMap<>();
        dead.getPropertyList().getMessageProperty().forEach(p -> properties.put(p.getName(), p.getValue()));
        // The Topic field is the original topic; RETRY_TOPIC is as stored, with the instance, as in dlq.md's sample.
        assertThat(properties).containsEntry("KEYS", "KEY-dead").containsEntry("TAGS", "TagX").containsEntry("origin", "test")
                .containsEntry("RETRY_TOPIC", instance + "%Fragile");
        var legacy = new com.aliyuncs.ons.model.v20190214.OnsDLQMessageGetByIdRequest();
        legacy.setInstanceId(instance);
        legacy.setGroupId("GID_fails");
        legacy.setMsgId(id);
        assertThat(new String(Base64.getDecoder().decode(bridge.legacy(legacy).getData().getBody()), StandardCharsets.UTF_8)).isEqualTo("poison");

        // Resent: a healthy consumer of the group gets it, a consumer of another group on the topic does not.
        Map<String, MessageExt> healthy = new ConcurrentHashMap<>();
        Map<String, Integer> healthyDeliveries = new ConcurrentHashMap<>();
        DefaultMQPushConsumer fixed = recordingConsumer(instance, "GID_fails", healthy, healthyDeliveries);
        try {
            awaitUntil(Duration.ofSeconds(30), () -> assertThat(groupOnline(instance, "GID_fails") && groupOnline(instance, "GID_bystander")).isTrue());
            var resend = tea.onsDLQMessageResendById(new OnsDLQMessageResendByIdRequest().setInstanceId(instance).setGroupId("GID_fails").setMsgId(id));
            assertThat(resend.getBody().getData().getMsgId()).containsExactly(id);
            awaitUntil(Duration.ofSeconds(30), () -> assertThat(healthy).containsKey(id));
            MessageExt received = healthy.get(id);
            assertThat(new String(received.getBody(), StandardCharsets.UTF_8)).isEqualTo("poison");
            assertThat(received.getTopic()).isEqualTo("Fragile");
            assertThat(received.getKeys()).isEqualTo("KEY-dead");
            assertThat(received.getTags()).isEqualTo("TagX");
            assertThat(received.getUserProperty("origin")).isEqualTo("test");
            assertThat(received.getProperty("RETRY_TOPIC")).isEqualTo(instance + "%Fragile"); // it came through the retry topic
            // A marker on the topic reaches the bystander; by then the resent message would have too.
            DefaultMQProducer markers = Clients.producer(bridge, instance, "GID_marker_producer");
            try {
                String marker = markers.send(new Message("Fragile", "TagM", "KEY-marker", "marker".getBytes(StandardCharsets.UTF_8))).getMsgId();
                awaitUntil(Duration.ofSeconds(30), () -> assertThat(bystander).containsKey(marker));
            } finally {
                markers.shutdown();
            }
            assertThat(bystanderDeliveries.get(id)).isEqualTo(1);
            // No resend state, as on ONS: a second resend delivers a second time.
            var legacyResend = new com.aliyuncs.ons.model.v20190214.OnsDLQMessageResendByIdRequest();
            legacyResend.setInstanceId(instance);
            legacyResend.setGroupId("GID_fails");
            legacyResend.setMsgId(id);
            assertThat(bridge.legacy(legacyResend).getData()).containsExactly(id);
            awaitUntil(Duration.ofSeconds(30), () -> assertThat(healthyDeliveries.get(id)).isEqualTo(2));
        } finally {
            fixed.shutdown();
            other.shutdown();
        }

        // Resent to a group whose consumer still fails: consumed again, retried, and a dead letter again.
        Map<String, Integer> failures = new ConcurrentHashMap<>();
        DefaultMQPushConsumer failingAgain = Clients.consumer(bridge, instance, "GID_fails");
        failingAgain.setMaxReconsumeTimes(1);
        failingAgain.subscribe("Fragile", "*");
        failingAgain.registerMessageListener((MessageListenerConcurrently) (msgs, ctx) -> {
            msgs.forEach(m -> failures.merge(m.getMsgId(), 1, Integer::sum));
            return ConsumeConcurrentlyStatus.RECONSUME_LATER;
        });
        failingAgain.start();
        try {
            awaitUntil(Duration.ofSeconds(30), () -> assertThat(groupOnline(instance, "GID_fails")).isTrue());
            assertThat(tea.onsDLQMessageResendById(new OnsDLQMessageResendByIdRequest().setInstanceId(instance).setGroupId("GID_fails")
                    .setMsgId(id)).getBody().getData().getMsgId()).containsExactly(id);
            awaitUntil(Duration.ofSeconds(60), () -> assertThat(teaPage(instance, "GID_fails", begin).getMsgFoundList()
                    .getOnsRestMessageDo()).extracting(m -> m.getMsgId()).containsExactly(id, id));
        } finally {
            failingAgain.shutdown();
        }
        assertThat(failures.get(id)).isGreaterThanOrEqualTo(2); // the first delivery and its retry
        var copies = teaPage(instance, "GID_fails", begin).getMsgFoundList().getOnsRestMessageDo();
        assertThat(copies.get(0).getStoreTimestamp()).isLessThan(copies.get(1).getStoreTimestamp());
        // Both copies carry the id; GetById answers the newest, the one that died last.
        OnsDLQMessageGetByIdResponseBodyData again = tea.onsDLQMessageGetById(new OnsDLQMessageGetByIdRequest()
                .setInstanceId(instance).setGroupId("GID_fails").setMsgId(id)).getBody().getData();
        assertThat(again.getStoreTimestamp()).isEqualTo(copies.get(1).getStoreTimestamp());
        assertThat(again.getStoreTimestamp()).isGreaterThan(dead.getStoreTimestamp());
        assertThat(again.getTopic()).isEqualTo("Fragile");

        // An id that is not among this group's dead letters, or a group that never had one: BIZ_NO_MESSAGE.
        assertTeaError(() -> tea.onsDLQMessageResendById(new OnsDLQMessageResendByIdRequest().setInstanceId(instance).setGroupId("GID_fails")
                .setMsgId("0123456789ABCDEF0123456789ABCDEF")), "BIZ_NO_MESSAGE", 404, "0123456789ABCDEF0123456789ABCDEF");
        assertTeaError(() -> tea.onsDLQMessageGetById(new OnsDLQMessageGetByIdRequest().setInstanceId(instance).setGroupId("GID_fails")
                .setMsgId("0123456789ABCDEF0123456789ABCDEF")), "BIZ_NO_MESSAGE", 404, "0123456789ABCDEF0123456789ABCDEF");
        assertTeaError(() -> tea.onsDLQMessageGetById(new OnsDLQMessageGetByIdRequest().setInstanceId(instance).setGroupId("GID_bystander")
                .setMsgId(id)), "BIZ_NO_MESSAGE", 404, "GID_bystander");
        assertTeaError(() -> tea.onsDLQMessageResendById(new OnsDLQMessageResendByIdRequest().setInstanceId(instance).setGroupId("GID_bystander")
                .setMsgId(id)), "BIZ_NO_MESSAGE", 404, "GID_bystander");
        assertTeaError(() -> tea.onsDLQMessageGetById(new OnsDLQMessageGetByIdRequest().setInstanceId(instance).setGroupId("GID_unknown")
                .setMsgId(id)), "BIZ_SUBSCRIPTION_NOT_FOUND", 404, "GID_unknown");
    }

    private DefaultMQPushConsumer recordingConsumer(String instance, String group, Map<String, MessageExt> into,
                                                    Map<String, Integer> deliveries) throws Exception {
        DefaultMQPushConsumer consumer = Clients.consumer(bridge, instance, group);
        consumer.subscribe("Fragile", "*");
        consumer.registerMessageListener((MessageListenerConcurrently) (msgs, ctx) -> {
            msgs.forEach(m -> {
                into.put(m.getMsgId(), m);
                deliveries.merge(m.getMsgId(), 1, Integer::sum);
            });
            return ConsumeConcurrentlyStatus.CONSUME_SUCCESS;
        });
        consumer.start();
        return consumer;
    }

    private boolean groupOnline(String instance, String group) throws Exception {
        return bridge.tea().onsGroupSubDetail(new com.aliyun.ons20190214.models.OnsGroupSubDetailRequest().setInstanceId(instance)
                .setGroupId(group)).getBody().getData().getOnline();
    }

    private OnsDLQMessagePageQueryByGroupIdResponseBodyMsgFoundDo teaPage(String instance, String group, long begin) throws Exception {
        return bridge.tea().onsDLQMessagePageQueryByGroupId(new OnsDLQMessagePageQueryByGroupIdRequest().setInstanceId(instance)
                .setGroupId(group).setBeginTime(begin).setEndTime(System.currentTimeMillis()).setCurrentPage(1)).getBody().getMsgFoundDo();
    }
}
