package io.onsbridge.it;

import static io.onsbridge.it.TopicIT.awaitUntil;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import com.aliyun.mq.http.MQClient;
import com.aliyun.mq.http.MQConsumer;
import com.aliyun.mq.http.model.Message;
import com.aliyun.mq.http.model.TopicMessage;
import com.aliyun.ons20190214.models.OnsDLQMessagePageQueryByGroupIdRequest;
import com.aliyun.ons20190214.models.OnsGroupCreateRequest;
import com.aliyun.ons20190214.models.OnsTopicCreateRequest;
import io.onsbridge.OnsBridgeServer;
import io.onsbridge.config.Setting;
import io.onsbridge.junit.OnsBridgeEnvironment;
import io.onsbridge.junit.OnsBridgeTest;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.rocketmq.remoting.protocol.subscription.SubscriptionGroupConfig;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * What the MQ HTTP protocol does with time, through the Java SDK: a message not acked within its invisible
 * time (5 s on this bridge) comes back with ConsumedTimes 2 and its first consume time kept; a timed message
 * ({@code __STARTDELIVERTIME}) is not delivered before its time; a message retried past its group's limit goes to the
 * group's dead-letter queue, where the ONS API's DLQ actions find it.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@OnsBridgeTest
class MqHttpRedeliveryIT {
    private final Bridge bridge;
    private OnsBridgeServer server;
    private MQClient client;
    private String instance;

    MqHttpRedeliveryIT(OnsBridgeEnvironment env) {
        this.bridge = Bridge.of(env);
    }

    @BeforeAll
    void bridgeWithShortInvisibleTime() throws Exception {
        server = bridge.startServer(Map.of(Setting.MQ_HTTP_INVISIBLE_SECONDS, "5"));
        client = new MQClient(server.endpoint(), bridge.accessKeyId, bridge.accessKeySecret);
        instance = bridge.newInstance("redelivery");
    }

    @AfterAll
    void close() {
        client.close();
        server.close();
    }

    @Test
    void aMessageNeverAckedComesBackWithConsumedTimesTwo() throws Exception {
        topicAndGroup("Unacked", "GID_http_unacked");
        long begin = System.currentTimeMillis() - 1_000;
        client.getProducer(instance, "Unacked").publishMessage(new TopicMessage("again".getBytes(StandardCharsets.UTF_8), "TagR"));
        MQConsumer consumer = client.getConsumer(instance, "Unacked", "GID_http_unacked", null);
        Message first = MqHttpSdkIT.receive(consumer, 1).values().iterator().next();
        assertThat(first.getConsumedTimes()).isEqualTo(1);
        assertThat(first.getNextConsumeTime() - first.getFirstConsumeTime()).isBetween(4_000L, 6_000L);

        AtomicReference<Message> again = new AtomicReference<>();
        awaitUntil(Duration.ofSeconds(90), () -> {
            List<Message> messages = consumer.consumeMessage(16, 3);
            if (messages != null) {
                messages.stream().filter(m -> m.getMessageId().equals(first.getMessageId())).findFirst().ifPresent(again::set);
            }
            assertThat(again.get()).isNotNull();
        });
        Message second = again.get();
        assertThat(second.getConsumedTimes()).isEqualTo(2);
        assertThat(second.getMessageBodyString()).isEqualTo("again");
        assertThat(second.getMessageTag()).isEqualTo("TagR");
        assertThat(second.getFirstConsumeTime()).isEqualTo(first.getFirstConsumeTime());
        assertThat(second.getReceiptHandle()).isNotEqualTo(first.getReceiptHandle());
        assertThat(System.currentTimeMillis()).isGreaterThanOrEqualTo(first.getNextConsumeTime());
        // Acked now, it stays gone.
        consumer.ackMessage(List.of(second.getReceiptHandle()));
        assertThat(consumer.consumeMessage(16, 8)).isNull();

        // The trace tells both attempts as ONS does: the first not acked in time (failed), the second acked.
        awaitUntil(Duration.ofSeconds(45), () -> {
            var trace = TraceIT.traceById(bridge.tea(), instance, "Unacked", first.getMessageId(), begin);
            assertThat(trace).hasSize(1);
            var groups = trace.get(0).getSubList().getSubMapDo();
            assertThat(groups).extracting(g -> g.getSubGroupName(), g -> g.getSuccessCount(), g -> g.getFailCount())
                    .containsExactly(tuple("GID_http_unacked", 1, 1));
            assertThat(groups.get(0).getClientList().getSubClientInfoDo()).extracting(c -> c.getStatus(), c -> c.getReconsumeTimes())
                    .containsExactly(tuple("CONSUME_FAILED", 0), tuple("CONSUME_SUCCESS", 1));
        });
    }

    @Test
    void aMessageRetriedPastItsGroupsLimitGoesToTheDeadLetterQueue() throws Exception {
        topicAndGroup("Poison", "GID_http_poison");
        SubscriptionGroupConfig config = bridge.admin().examineSubscriptionGroupConfig(bridge.cluster.brokerAddr(), instance + "%GID_http_poison");
        config.setRetryMaxTimes(1);
        bridge.admin().createAndUpdateSubscriptionGroupConfig(bridge.cluster.brokerAddr(), config);
        long begin = System.currentTimeMillis() - 1_000;
        String id = client.getProducer(instance, "Poison").publishMessage(new TopicMessage("poison".getBytes(StandardCharsets.UTF_8)))
                .getMessageId();
        MQConsumer consumer = client.getConsumer(instance, "Poison", "GID_http_poison", null);
        List<Integer> consumedTimes = new java.util.concurrent.CopyOnWriteArrayList<>();
        // Never acked: delivered once and retried once (the limit), then moved to the group's dead-letter topic.
        awaitUntil(Duration.ofSeconds(120), () -> {
            List<Message> messages = consumer.consumeMessage(16, 3);
            if (messages != null) {
                messages.forEach(m -> consumedTimes.add(m.getConsumedTimes()));
            }
            assertThat(bridge.tea().onsDLQMessagePageQueryByGroupId(new OnsDLQMessagePageQueryByGroupIdRequest().setInstanceId(instance)
                    .setGroupId("GID_http_poison").setBeginTime(begin).setEndTime(System.currentTimeMillis()).setCurrentPage(1))
                    .getBody().getMsgFoundDo().getMsgFoundList().getOnsRestMessageDo()).extracting(m -> m.getMsgId()).containsExactly(id);
        });
        assertThat(consumedTimes).containsExactly(1, 2);
        assertThat(consumer.consumeMessage(16, 1)).isNull();
    }

    @Test
    void aTimedMessageIsDeliveredAtItsTimeNotBefore() throws Exception {
        topicAndGroup("Timed", "GID_http_timed");
        MQConsumer consumer = client.getConsumer(instance, "Timed", "GID_http_timed", null);
        assertThat(consumer.consumeMessage(1, 1)).isNull(); // the group's offsets exist before the message
        long deliverAt = System.currentTimeMillis() + 4_000;
        TopicMessage timed = new TopicMessage("at its time".getBytes(StandardCharsets.UTF_8));
        timed.setStartDeliverTime(deliverAt);
        String id = client.getProducer(instance, "Timed").publishMessage(timed).getMessageId();
        assertThat(consumer.consumeMessage(1, 1)).isNull();
        Message delivered = MqHttpSdkIT.receive(consumer, 1).get(id);
        long late = System.currentTimeMillis() - deliverAt;
        assertThat(delivered).isNotNull();
        System.out.printf("timed delivery lateness (MQ HTTP SDK): %d ms%n", late);
        // never before; after it by the timer's precision (EmbeddedCluster) and the broker's and the long poll's hand-over
        assertThat(late).as("delivered %d ms after its time", late).isBetween(0L, 1_000L);
        assertThat(delivered.getStartDeliverTime()).isEqualTo(deliverAt);
        consumer.ackMessage(List.of(delivered.getReceiptHandle()));
    }

    private void topicAndGroup(String topic, String group) throws Exception {
        bridge.tea().onsTopicCreate(new OnsTopicCreateRequest().setInstanceId(instance).setTopic(topic).setMessageType(0));
        bridge.tea().onsGroupCreate(new OnsGroupCreateRequest().setInstanceId(instance).setGroupId(group).setGroupType("http"));
    }
}
