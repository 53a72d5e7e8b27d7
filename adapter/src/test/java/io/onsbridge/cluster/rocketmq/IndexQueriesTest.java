package io.onsbridge.cluster.rocketmq;

import static org.assertj.core.api.Assertions.assertThat;

import org.apache.rocketmq.common.message.MessageAccessor;
import org.apache.rocketmq.common.message.MessageClientExt;
import org.apache.rocketmq.common.message.MessageConst;
import org.apache.rocketmq.common.message.MessageExt;
import org.junit.jupiter.api.Test;

/** The broker's index is a hash: what an answer holds is filtered as MQAdminImpl filters it. */
class IndexQueriesTest {
    private static MessageExt keyed(String topic, String keys) {
        MessageExt m = new MessageExt();
        m.setTopic(topic);
        m.setKeys(keys);
        return m;
    }

    @Test
    void aKeyMatchesOneOfTheMessagesKeysInItsOwnTopicOnly() {
        MessageExt m = keyed("X%orders", "A-1" + MessageConst.KEY_SEPARATOR + "B-2");
        assertThat(IndexQueries.matches(m, "X%orders", "B-2", false)).isTrue();
        assertThat(IndexQueries.matches(m, "X%orders", "B", false)).isFalse(); // a key, not a part of one
        assertThat(IndexQueries.matches(m, "Y%orders", "B-2", false)).isFalse(); // same hash, other topic
        assertThat(IndexQueries.matches(keyed("X%orders", null), "X%orders", "B-2", false)).isFalse();
    }

    @Test
    void aUniqueIdMatchesTheClientsIdNotTheOffsetId() {
        MessageClientExt m = new MessageClientExt();
        m.setTopic("X%orders");
        m.setOffsetMsgId("C0A8010A00002A9F0000000000001234");
        MessageAccessor.putProperty(m, MessageConst.PROPERTY_UNIQ_CLIENT_MESSAGE_ID_KEYIDX, "7F00000100002A9F0000000000000001");
        assertThat(IndexQueries.matches(m, "X%orders", "7F00000100002A9F0000000000000001", true)).isTrue();
        assertThat(IndexQueries.matches(m, "X%orders", "C0A8010A00002A9F0000000000001234", true)).isFalse();
    }

    @Test
    void aUniqueIdMatchesInItsOwnTopicOnlyAsTheBrokersAnswerIsDecoded() {
        MessageExt m = new MessageExt(); // what IndexQueries decodes: not a client message, its getMsgId is the offset id
        m.setTopic("X%orders");
        MessageAccessor.putProperty(m, MessageConst.PROPERTY_UNIQ_CLIENT_MESSAGE_ID_KEYIDX, "7F00000100002A9F0000000000000001");
        assertThat(IndexQueries.matches(m, "X%orders", "7F00000100002A9F0000000000000001", true)).isTrue();
        // another instance's topic of the same name: a colliding hash must not hand its message over
        assertThat(IndexQueries.matches(m, "Y%orders", "7F00000100002A9F0000000000000001", true)).isFalse();
    }
}
