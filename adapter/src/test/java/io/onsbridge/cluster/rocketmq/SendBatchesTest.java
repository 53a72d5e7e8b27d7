package io.onsbridge.cluster.rocketmq;

import static org.assertj.core.api.Assertions.assertThat;

import org.apache.rocketmq.common.MixAll;
import org.apache.rocketmq.common.message.Message;
import org.apache.rocketmq.common.message.MessageAccessor;
import org.apache.rocketmq.common.message.MessageConst;
import org.junit.jupiter.api.Test;

/** Which messages may share a batch: RocketMQ refuses delayed and retry messages in one, and a timed or ordered one needs its own path. */
class SendBatchesTest {
    private static Message message(String topic, int bodyBytes) {
        Message message = new Message(topic, "TagA", "KEY-1", new byte[bodyBytes]);
        message.putUserProperty("mqttSecondTopic", "/eu/berlin");
        return message;
    }

    @Test
    void aPlainMessageWithTagKeysAndUserPropertiesMayShareABatch() {
        assertThat(SendBatches.batchable(message("X%Orders", 100))).isTrue();
    }

    @Test
    void timedDelayedOrderedAndTransactionalMessagesGoAlone() {
        for (String reserved : new String[] {MessageConst.PROPERTY_TIMER_DELIVER_MS, MessageConst.PROPERTY_TIMER_DELAY_SEC,
                MessageConst.PROPERTY_TIMER_DELAY_MS, MessageConst.PROPERTY_DELAY_TIME_LEVEL, MessageConst.PROPERTY_SHARDING_KEY,
                MessageConst.PROPERTY_TRANSACTION_PREPARED, "__STARTDELIVERTIME"}) {
            Message message = message("X%Orders", 100);
            MessageAccessor.putProperty(message, reserved, "1");
            assertThat(SendBatches.batchable(message)).as(reserved).isFalse();
        }
    }

    @Test
    void retryAndDeadLetterTopicsAndLargeBodiesGoAlone() {
        assertThat(SendBatches.batchable(message(MixAll.RETRY_GROUP_TOPIC_PREFIX + "X%GID_a", 100))).isFalse();
        assertThat(SendBatches.batchable(message(MixAll.DLQ_GROUP_TOPIC_PREFIX + "X%GID_a", 100))).isFalse();
        assertThat(SendBatches.batchable(message("X%Orders", 512 * 1024 + 1))).isFalse();
        assertThat(SendBatches.batchable(message("X%Orders", 512 * 1024))).isTrue();
    }
}
