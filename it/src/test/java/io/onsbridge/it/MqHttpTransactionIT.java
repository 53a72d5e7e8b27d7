package io.onsbridge.it;

import static io.onsbridge.it.TopicIT.awaitUntil;
import static org.assertj.core.api.Assertions.assertThat;

import com.aliyun.mq.http.MQClient;
import com.aliyun.mq.http.MQConsumer;
import com.aliyun.mq.http.MQTransProducer;
import com.aliyun.mq.http.common.AckMessageException;
import com.aliyun.mq.http.model.Message;
import com.aliyun.mq.http.model.TopicMessage;
import com.aliyun.ons20190214.models.OnsGroupCreateRequest;
import com.aliyun.ons20190214.models.OnsTopicCreateRequest;
import io.onsbridge.OnsBridgeServer;
import io.onsbridge.junit.OnsBridgeEnvironment;
import io.onsbridge.junit.OnsBridgeTest;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Transactional messages through the Java SDK's {@code MQTransProducer}, unchanged: a committed half message is
 * delivered to the topic's consumers under the id its publish answered; a rolled-back one never is; one left
 * undecided is offered to {@code consumeHalfMessage} from its check time on, again 10 s later with ConsumedTimes 2,
 * and committed with the handle of that check. A second bridge (a fresh server on the same cluster) serves the check
 * and the commit of what the first published: nothing is kept in a bridge.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@OnsBridgeTest
class MqHttpTransactionIT {
    private final Bridge bridge;
    private OnsBridgeServer other;
    private MQClient client;
    private MQClient otherClient;
    private String instance;

    MqHttpTransactionIT(OnsBridgeEnvironment env) {
        this.bridge = Bridge.of(env);
    }

    @BeforeAll
    void twoBridges() throws Exception {
        instance = bridge.newInstance("mqtrans");
        client = new MQClient("http://" + bridge.hostPort(), bridge.accessKeyId, bridge.accessKeySecret);
        other = bridge.startServer(Map.of());
        otherClient = new MQClient(other.endpoint(), bridge.accessKeyId, bridge.accessKeySecret);
    }

    @AfterAll
    void close() {
        client.close();
        otherClient.close();
        other.close();
    }

    @Test
    void aCommittedHalfMessageIsDeliveredAndARolledBackOneNever() throws Exception {
        topicAndGroups("Payments", "GID_tx_pay", "GID_tx_pay_consumer");
        MQTransProducer producer = client.getTransProducer(instance, "Payments", "GID_tx_pay");
        TopicMessage committed = half("paid", 60);
        committed.setMessageKey("order-1");
        committed.getProperties().put("color", "red");
        TopicMessage paid = producer.publishMessage(committed);
        TopicMessage cancelled = producer.publishMessage(half("cancelled", 60));
        assertThat(paid.getReceiptHandle()).isNotBlank();
        assertThat(cancelled.getReceiptHandle()).isNotBlank();

        MQConsumer consumer = client.getConsumer(instance, "Payments", "GID_tx_pay_consumer", null);
        assertThat(consumer.consumeMessage(16, 2)).as("a half message is not delivered before its commit").isNull();
        producer.commit(paid.getReceiptHandle());
        producer.rollback(cancelled.getReceiptHandle());
        // Decided already: the other decision is refused, per handle.
        assertThat(refusedCode(() -> producer.rollback(paid.getReceiptHandle()))).isEqualTo("MessageNotExist");
        assertThat(refusedCode(() -> producer.commit("not-a-handle"))).isEqualTo("ReceiptHandleError");
        producer.commit(paid.getReceiptHandle()); // the same decision again: accepted, nothing more is sent

        Message delivered = MqHttpSdkIT.receive(consumer, 1).get(paid.getMessageId());
        assertThat(delivered).isNotNull();
        assertThat(delivered.getMessageBodyString()).isEqualTo("paid");
        assertThat(delivered.getMessageTag()).isEqualTo("TagT");
        assertThat(delivered.getMessageKey()).isEqualTo("order-1");
        assertThat(delivered.getProperties()).containsEntry("color", "red");
        consumer.ackMessage(List.of(delivered.getReceiptHandle()));

        // A normal message published after the rollback arrives; the rolled-back one never came before it.
        String after = client.getProducer(instance, "Payments").publishMessage(new TopicMessage("after".getBytes(StandardCharsets.UTF_8)))
                .getMessageId();
        List<String> bodies = new ArrayList<>();
        awaitUntil(Duration.ofSeconds(60), () -> {
            List<Message> messages = consumer.consumeMessage(16, 3);
            if (messages != null) {
                messages.forEach(m -> bodies.add(m.getMessageId().equals(after) ? "after" : m.getMessageBodyString()));
                consumer.ackMessage(messages.stream().map(Message::getReceiptHandle).toList());
            }
            assertThat(bodies).contains("after");
        });
        assertThat(bodies).doesNotContain("cancelled", "paid");
    }

    @Test
    void anUndecidedHalfMessageIsCheckedAgainUntilCommittedOnAnyBridge() throws Exception {
        topicAndGroups("Undecided", "GID_tx_undecided", "GID_tx_undecided_consumer");
        MQTransProducer producer = client.getTransProducer(instance, "Undecided", "GID_tx_undecided");
        MQTransProducer elsewhere = otherClient.getTransProducer(instance, "Undecided", "GID_tx_undecided");
        long published = System.currentTimeMillis();
        String id = producer.publishMessage(half("maybe", 2)).getMessageId();

        Message first = check(elsewhere, id);
        assertThat(System.currentTimeMillis()).isGreaterThanOrEqualTo(published + 2_000);
        assertThat(first.getConsumedTimes()).isEqualTo(1);
        assertThat(first.getMessageBodyString()).isEqualTo("maybe");
        assertThat(first.getNextConsumeTime() - System.currentTimeMillis()).isBetween(0L, 10_500L);

        Message second = check(producer, id);
        assertThat(second.getConsumedTimes()).isEqualTo(2);
        assertThat(System.currentTimeMillis()).isGreaterThanOrEqualTo(first.getNextConsumeTime());
        elsewhere.commit(second.getReceiptHandle());

        MQConsumer consumer = client.getConsumer(instance, "Undecided", "GID_tx_undecided_consumer", null);
        Message delivered = MqHttpSdkIT.receive(consumer, 1).get(id);
        assertThat(delivered).isNotNull();
        assertThat(delivered.getMessageBodyString()).isEqualTo("maybe");
        consumer.ackMessage(List.of(delivered.getReceiptHandle()));
        // Committed, it is checked no more (its next check would have come 10 s after the second).
        assertThat(producer.consumeHalfMessage(16, 15)).isNull();
    }

    /** Polls the producer's half messages until the one with this id is offered. */
    private static Message check(MQTransProducer producer, String id) {
        AtomicReference<Message> offered = new AtomicReference<>();
        awaitUntil(Duration.ofSeconds(60), () -> {
            List<Message> halves = producer.consumeHalfMessage(16, 3);
            if (halves != null) {
                halves.stream().filter(m -> m.getMessageId().equals(id)).findFirst().ifPresent(offered::set);
            }
            assertThat(offered.get()).isNotNull();
        });
        return offered.get();
    }

    private static TopicMessage half(String body, int checkSeconds) {
        TopicMessage message = new TopicMessage(body.getBytes(StandardCharsets.UTF_8), "TagT");
        message.setTransCheckImmunityTime(checkSeconds);
        return message;
    }

    private static String refusedCode(MqHttpSdkIT.SdkCall call) {
        try {
            call.run();
            return "accepted";
        } catch (AckMessageException e) {
            return e.getErrorMessages().values().iterator().next().getErrorCode();
        } catch (Exception e) {
            return e.toString();
        }
    }

    private void topicAndGroups(String topic, String producerGroup, String consumerGroup) throws Exception {
        bridge.tea().onsTopicCreate(new OnsTopicCreateRequest().setInstanceId(instance).setTopic(topic).setMessageType(4));
        for (String group : List.of(producerGroup, consumerGroup)) {
            bridge.tea().onsGroupCreate(new OnsGroupCreateRequest().setInstanceId(instance).setGroupId(group).setGroupType("http"));
        }
    }
}
