package io.onsbridge.it;

import static io.onsbridge.it.TopicIT.awaitUntil;
import static org.assertj.core.api.Assertions.assertThat;

import com.aliyun.ons20190214.models.OnsGroupCreateRequest;
import com.aliyun.ons20190214.models.OnsGroupSubDetailRequest;
import com.aliyun.ons20190214.models.OnsGroupSubDetailResponseBody.OnsGroupSubDetailResponseBodyData;
import com.aliyun.ons20190214.models.OnsTopicCreateRequest;
import com.aliyun.ons20190214.models.OnsTopicSubDetailRequest;
import com.aliyun.ons20190214.models.OnsTopicSubDetailResponseBody.OnsTopicSubDetailResponseBodyDataSubscriptionDataListSubscriptionDataList;
import io.onsbridge.junit.OnsBridgeEnvironment;
import io.onsbridge.junit.OnsBridgeTest;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.rocketmq.client.consumer.DefaultMQPushConsumer;
import org.apache.rocketmq.client.consumer.listener.ConsumeConcurrentlyStatus;
import org.apache.rocketmq.client.consumer.listener.ConsumeOrderlyStatus;
import org.apache.rocketmq.client.consumer.listener.MessageListenerConcurrently;
import org.apache.rocketmq.client.consumer.listener.MessageListenerOrderly;
import org.apache.rocketmq.client.producer.DefaultMQProducer;
import org.apache.rocketmq.client.producer.SendResult;
import org.apache.rocketmq.client.producer.SendStatus;
import org.apache.rocketmq.common.message.Message;
import org.apache.rocketmq.common.message.MessageExt;
import org.apache.rocketmq.remoting.protocol.heartbeat.MessageModel;
import org.junit.jupiter.api.Test;

/** Topics and groups made through the API, used by real RocketMQ producers and consumers of the instance. */
@OnsBridgeTest
class ConsumersOnTopicsIT {
    private final Bridge bridge;

    ConsumersOnTopicsIT(OnsBridgeEnvironment env) {
        this.bridge = Bridge.of(env);
    }

    @Test
    void subDetailsShowAnOnlineConsumerAndForgetItWhenItStops() throws Exception {
        String instance = bridge.newInstance("subdetail");
        DefaultMQPushConsumer consumer = onlineConsumer(instance, "Watched", "GID_watcher", "TagA || TagB", MessageModel.CLUSTERING);
        try {
            awaitUntil(Duration.ofSeconds(20), () -> assertThat(topicSubscriptions(instance, "Watched")).singleElement().satisfies(s -> {
                assertThat(s.getGroupId()).isEqualTo("GID_watcher");
                assertThat(s.getMessageModel()).isEqualTo("CLUSTERING");
                assertThat(s.getSubString()).isEqualTo("TagA || TagB");
            }));
            OnsGroupSubDetailResponseBodyData group = groupDetail(instance, "GID_watcher");
            assertThat(group.getOnline()).isTrue();
            assertThat(group.getMessageModel()).isEqualTo("CLUSTERING");
            assertThat(group.getSubscriptionDataList().getSubscriptionDataList()).singleElement().satisfies(s -> {
                assertThat(s.getTopic()).isEqualTo("Watched");
                assertThat(s.getSubString()).isEqualTo("TagA || TagB");
            });
            // The legacy SDK reads the same answer.
            var legacy = new com.aliyuncs.ons.model.v20190214.OnsGroupSubDetailRequest();
            legacy.setInstanceId(instance);
            legacy.setGroupId("GID_watcher");
            assertThat(bridge.legacy(legacy).getData().getSubscriptionDataList()).extracting(s -> s.getTopic()).containsExactly("Watched");
        } finally {
            consumer.shutdown();
        }
        awaitUntil(Duration.ofSeconds(20), () -> {
            assertThat(topicSubscriptions(instance, "Watched")).isEmpty();
            OnsGroupSubDetailResponseBodyData offline = groupDetail(instance, "GID_watcher");
            assertThat(offline.getOnline()).isFalse();
            assertThat(offline.getSubscriptionDataList().getSubscriptionDataList()).isEmpty();
        });
    }

    @Test
    void theLegacySdkShowsABroadcastingConsumerInBothSubDetails() throws Exception {
        String instance = bridge.newInstance("broadcast");
        DefaultMQPushConsumer consumer = onlineConsumer(instance, "Announced", "GID_listeners", "TagX", MessageModel.BROADCASTING);
        try {
            var topicDetail = new com.aliyuncs.ons.model.v20190214.OnsTopicSubDetailRequest();
            topicDetail.setInstanceId(instance);
            topicDetail.setTopic("Announced");
            awaitUntil(Duration.ofSeconds(20), () -> assertThat(bridge.legacy(topicDetail).getData().getSubscriptionDataList())
                    .singleElement().satisfies(s -> {
                        assertThat(s.getGroupId()).isEqualTo("GID_listeners");
                        assertThat(s.getMessageModel()).isEqualTo("BROADCASTING");
                        assertThat(s.getSubString()).isEqualTo("TagX");
                    }));
            var groupDetail = new com.aliyuncs.ons.model.v20190214.OnsGroupSubDetailRequest();
            groupDetail.setInstanceId(instance);
            groupDetail.setGroupId("GID_listeners");
            var group = bridge.legacy(groupDetail).getData();
            assertThat(group.getOnline()).isTrue();
            assertThat(group.getMessageModel()).isEqualTo("BROADCASTING");
            assertThat(group.getSubscriptionDataList()).singleElement().satisfies(s -> assertThat(s.getTopic()).isEqualTo("Announced"));
        } finally {
            consumer.shutdown();
        }
    }

    @Test
    void aPartitionOrderTopicDeliversInOrderToAnOrderlyConsumer() throws Exception {
        String instance = bridge.newInstance("fifo");
        var tea = bridge.tea();
        tea.onsTopicCreate(new OnsTopicCreateRequest().setInstanceId(instance).setTopic("Ordered").setMessageType(1));
        tea.onsGroupCreate(new OnsGroupCreateRequest().setInstanceId(instance).setGroupId("GID_ordered"));
        DefaultMQProducer producer = Clients.producer(bridge, instance, "GID_ordered");
        try {
            for (int i = 0; i < 30; i++) {
                // One sharding key: every message goes to the same queue, where order is kept.
                SendResult result = producer.send(new Message("Ordered", "TagA", "order-1", Integer.toString(i).getBytes(StandardCharsets.UTF_8)),
                        (queues, msg, key) -> queues.get(Math.abs(key.hashCode()) % queues.size()), "order-1");
                assertThat(result.getSendStatus()).isEqualTo(SendStatus.SEND_OK);
            }
        } finally {
            producer.shutdown();
        }
        List<Integer> received = new CopyOnWriteArrayList<>();
        DefaultMQPushConsumer consumer = Clients.consumer(bridge, instance, "GID_ordered");
        consumer.setConsumeFromWhere(org.apache.rocketmq.common.consumer.ConsumeFromWhere.CONSUME_FROM_FIRST_OFFSET);
        consumer.subscribe("Ordered", "*");
        consumer.registerMessageListener((MessageListenerOrderly) (msgs, ctx) -> {
            for (MessageExt msg : msgs) {
                received.add(Integer.parseInt(new String(msg.getBody(), StandardCharsets.UTF_8)));
            }
            return ConsumeOrderlyStatus.SUCCESS;
        });
        consumer.start();
        try {
            awaitUntil(Duration.ofSeconds(30), () -> assertThat(received).hasSize(30));
            assertThat(received).isSorted();
        } finally {
            consumer.shutdown();
        }
    }

    @Test
    void aDelayTopicTakesATimedMessageAndDeliversItNoEarlier() throws Exception {
        String instance = bridge.newInstance("delay");
        var tea = bridge.tea();
        tea.onsTopicCreate(new OnsTopicCreateRequest().setInstanceId(instance).setTopic("Later").setMessageType(5));
        tea.onsGroupCreate(new OnsGroupCreateRequest().setInstanceId(instance).setGroupId("GID_later"));
        List<Long> deliveredAt = new CopyOnWriteArrayList<>();
        DefaultMQPushConsumer consumer = Clients.consumer(bridge, instance, "GID_later");
        consumer.subscribe("Later", "*");
        consumer.registerMessageListener((MessageListenerConcurrently) (msgs, ctx) -> {
            msgs.forEach(m -> deliveredAt.add(System.currentTimeMillis()));
            return ConsumeConcurrentlyStatus.CONSUME_SUCCESS;
        });
        consumer.start();
        DefaultMQProducer producer = Clients.producer(bridge, instance, "GID_later");
        try {
            Message message = new Message("Later", "TagA", "delayed-1", "wake up".getBytes(StandardCharsets.UTF_8));
            long due = System.currentTimeMillis() + 3_000;
            message.setDeliverTimeMs(due);
            assertThat(producer.send(message).getSendStatus()).isEqualTo(SendStatus.SEND_OK);
            awaitUntil(Duration.ofSeconds(30), () -> assertThat(deliveredAt).hasSize(1));
            assertThat(deliveredAt.get(0)).isGreaterThanOrEqualTo(due - 1_000);
        } finally {
            producer.shutdown();
            consumer.shutdown();
        }
    }

    /** A new topic and group of the instance and a started consumer of the group on the topic. */
    private DefaultMQPushConsumer onlineConsumer(String instance, String topic, String group, String expression, MessageModel model)
            throws Exception {
        bridge.tea().onsTopicCreate(new OnsTopicCreateRequest().setInstanceId(instance).setTopic(topic).setMessageType(0));
        bridge.tea().onsGroupCreate(new OnsGroupCreateRequest().setInstanceId(instance).setGroupId(group));
        DefaultMQPushConsumer consumer = Clients.consumer(bridge, instance, group);
        consumer.setMessageModel(model);
        consumer.subscribe(topic, expression);
        consumer.registerMessageListener((MessageListenerConcurrently) (msgs, ctx) -> ConsumeConcurrentlyStatus.CONSUME_SUCCESS);
        consumer.start();
        return consumer;
    }

    private List<OnsTopicSubDetailResponseBodyDataSubscriptionDataListSubscriptionDataList> topicSubscriptions(String instance, String topic)
            throws Exception {
        return bridge.tea().onsTopicSubDetail(new OnsTopicSubDetailRequest().setInstanceId(instance).setTopic(topic))
                .getBody().getData().getSubscriptionDataList().getSubscriptionDataList();
    }

    private OnsGroupSubDetailResponseBodyData groupDetail(String instance, String group) throws Exception {
        return bridge.tea().onsGroupSubDetail(new OnsGroupSubDetailRequest().setInstanceId(instance).setGroupId(group)).getBody().getData();
    }
}
