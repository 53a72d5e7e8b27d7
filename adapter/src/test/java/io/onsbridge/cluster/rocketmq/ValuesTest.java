package io.onsbridge.cluster.rocketmq;

import static org.assertj.core.api.Assertions.assertThat;

import io.onsbridge.cluster.Queue;
import io.onsbridge.cluster.StoredMessage;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.apache.rocketmq.common.message.MessageAccessor;
import org.apache.rocketmq.common.message.MessageConst;
import org.apache.rocketmq.common.message.MessageDecoder;
import org.apache.rocketmq.common.message.MessageExt;
import org.apache.rocketmq.common.message.MessageId;
import org.apache.rocketmq.common.message.MessageQueue;
import org.junit.jupiter.api.Test;

class ValuesTest {
    private static final String UNIQ = "7F00000100002A9F0000000000000001";
    private static final byte[] BODY = "hello".getBytes(StandardCharsets.UTF_8);
    /** 192.168.1.10 = C0A8010A, port 10911 = 2A9F, commit log offset 0x1234. */
    private static final String OFFSET_ID = "C0A8010A00002A9F0000000000001234";

    private static MessageExt stored(boolean withUniqueKey) {
        MessageExt m = new MessageExt();
        m.setTopic("X%orders");
        m.setBrokerName("broker-a");
        m.setQueueId(3);
        m.setQueueOffset(42);
        m.setCommitLogOffset(0x1234);
        m.setBornHost(new InetSocketAddress("10.0.0.5", 54321));
        m.setBornTimestamp(1_700_000_000_000L);
        m.setStoreHost(new InetSocketAddress("192.168.1.10", 10911));
        m.setStoreTimestamp(1_700_000_000_123L);
        m.setStoreSize(321);
        m.setBodyCRC(987654);
        m.setReconsumeTimes(2);
        m.setFlag(8);
        m.setBody(BODY);
        MessageAccessor.putProperty(m, MessageConst.PROPERTY_TAGS, "TagA");
        MessageAccessor.putProperty(m, MessageConst.PROPERTY_KEYS, "order-1 order-2");
        MessageAccessor.putProperty(m, "color", "blue");
        if (withUniqueKey) {
            MessageAccessor.putProperty(m, MessageConst.PROPERTY_UNIQ_CLIENT_MESSAGE_ID_KEYIDX, UNIQ);
        }
        return m;
    }

    @Test
    void aStoredMessageCarriesWhereAndWhenItWasStored() {
        StoredMessage s = Values.stored(stored(true));

        assertThat(s.topic()).isEqualTo("X%orders");
        assertThat(s.broker()).isEqualTo("broker-a");
        assertThat(s.queueId()).isEqualTo(3);
        assertThat(s.queueOffset()).isEqualTo(42);
        assertThat(s.commitLogOffset()).isEqualTo(0x1234);
        assertThat(s.bornHost()).isEqualTo("10.0.0.5:54321");
        assertThat(s.bornIp()).isEqualTo("10.0.0.5");
        assertThat(s.bornTimestamp()).isEqualTo(1_700_000_000_000L);
        assertThat(s.storeHost()).isEqualTo("192.168.1.10:10911");
        assertThat(s.storeTimestamp()).isEqualTo(1_700_000_000_123L);
        assertThat(s.storeSize()).isEqualTo(321);
        assertThat(s.bodyCrc()).isEqualTo(987654);
        assertThat(s.reconsumeTimes()).isEqualTo(2);
        assertThat(s.flag()).isEqualTo(8);
        assertThat(s.body()).isEqualTo(BODY);
        assertThat(s.tags()).isEqualTo("TagA");
        assertThat(s.keys()).isEqualTo("order-1 order-2");
        assertThat(s.property("color")).isEqualTo("blue");
        assertThat(s.queue()).isEqualTo(new Queue("X%orders", "broker-a", 3));
    }

    @Test
    void theUniqueIdIsTheProducersUniqKeyAndTheOffsetIdTheStoreHostAndCommitLogOffset() throws Exception {
        StoredMessage s = Values.stored(stored(true));

        assertThat(s.uniqueId()).isEqualTo(UNIQ);
        assertThat(s.offsetId()).isEqualTo(OFFSET_ID);
        MessageId decoded = MessageDecoder.decodeMessageId(s.offsetId());
        assertThat(decoded.getAddress()).isEqualTo(new InetSocketAddress("192.168.1.10", 10911));
        assertThat(decoded.getOffset()).isEqualTo(0x1234);
    }

    @Test
    void withoutAUniqKeyTheUniqueIdIsTheOffsetId() {
        StoredMessage s = Values.stored(stored(false));

        assertThat(s.uniqueId()).isEqualTo(OFFSET_ID);
        assertThat(s.offsetId()).isEqualTo(OFFSET_ID);
        assertThat(s.properties()).doesNotContainKey(MessageConst.PROPERTY_UNIQ_CLIENT_MESSAGE_ID_KEYIDX);
    }

    @Test
    void aMessageWithoutPropertiesHasNone() {
        MessageExt m = new MessageExt();
        m.setTopic("X%orders");
        m.setStoreHost(new InetSocketAddress("192.168.1.10", 10911));
        m.setCommitLogOffset(0x1234);

        StoredMessage s = Values.stored(m);

        assertThat(s.properties()).isEmpty();
        assertThat(s.uniqueId()).isEqualTo(OFFSET_ID);
        assertThat(s.bornHost()).isNull();
        assertThat(s.bornIp()).isNull();
    }

    @Test
    void backToAMessageExtForRocketMqsMessageTrack() {
        StoredMessage s = Values.stored(stored(true));

        MessageExt ext = Values.messageExt(s);

        assertThat(ext.getTopic()).isEqualTo("X%orders");
        assertThat(ext.getBrokerName()).isEqualTo("broker-a");
        assertThat(ext.getQueueId()).isEqualTo(3);
        assertThat(ext.getQueueOffset()).isEqualTo(42);
        assertThat(ext.getCommitLogOffset()).isEqualTo(0x1234);
        assertThat(ext.getStoreHost()).isEqualTo(new InetSocketAddress("192.168.1.10", 10911));
        assertThat(ext.getBornHost()).isEqualTo(new InetSocketAddress("10.0.0.5", 54321));
        assertThat(ext.getBornTimestamp()).isEqualTo(1_700_000_000_000L);
        assertThat(ext.getStoreTimestamp()).isEqualTo(1_700_000_000_123L);
        assertThat(ext.getFlag()).isEqualTo(8);
        assertThat(ext.getBody()).isEqualTo(BODY);
        assertThat(ext.getTags()).isEqualTo("TagA");
        assertThat(ext.getKeys()).isEqualTo("order-1 order-2");
        assertThat(ext.getProperty("color")).isEqualTo("blue");
        assertThat(ext.getProperty(MessageConst.PROPERTY_UNIQ_CLIENT_MESSAGE_ID_KEYIDX)).isEqualTo(UNIQ);
        assertThat(ext.getMsgId()).isEqualTo(OFFSET_ID);
        assertThat(Values.uniqueId(ext)).isEqualTo(UNIQ);
        assertThat(Values.offsetId(ext)).isEqualTo(OFFSET_ID);
    }

    @Test
    void storedThenMessageExtThenStoredKeepsWhatTheTrackNeeds() {
        StoredMessage first = Values.stored(stored(true));

        StoredMessage again = Values.stored(Values.messageExt(first));

        // Size, CRC and reconsume times are the broker's bookkeeping: messageExt does not carry them.
        assertThat(again).usingRecursiveComparison().ignoringFields("storeSize", "bodyCrc", "reconsumeTimes").isEqualTo(first);
        assertThat(again.properties()).isEqualTo(first.properties());
    }

    @Test
    void ipv6HostsRoundTrip() throws Exception {
        MessageExt m = stored(true);
        m.setStoreHost(new InetSocketAddress("fd00::1", 10911));
        m.setBornHost(new InetSocketAddress("fd00::2", 50000));

        StoredMessage s = Values.stored(m);
        MessageExt ext = Values.messageExt(s);

        assertThat(s.storeHost()).isEqualTo("fd00:0:0:0:0:0:0:1:10911");
        assertThat(s.bornIp()).isEqualTo("fd00:0:0:0:0:0:0:2");
        assertThat(ext.getStoreHost()).isEqualTo(new InetSocketAddress("fd00::1", 10911));
        assertThat(ext.getBornHost()).isEqualTo(new InetSocketAddress("fd00::2", 50000));
        // 16 address bytes, 4 port, 8 offset
        assertThat(s.offsetId()).hasSize(56).isEqualTo(Values.offsetId(ext));
        assertThat(MessageDecoder.decodeMessageId(s.offsetId()).getOffset()).isEqualTo(0x1234);
    }

    @Test
    void missingHostsStayMissing() {
        StoredMessage s = Values.stored(stored(true));
        StoredMessage noBornHost = new StoredMessage(s.topic(), s.broker(), s.queueId(), s.queueOffset(), s.commitLogOffset(),
                s.uniqueId(), s.offsetId(), null, s.bornTimestamp(), s.storeHost(), s.storeTimestamp(), 0, 0, 0, 0, s.body(),
                Map.of());

        MessageExt ext = Values.messageExt(noBornHost);

        assertThat(ext.getBornHost()).isNull();
        assertThat(ext.getStoreHost()).isEqualTo(new InetSocketAddress("192.168.1.10", 10911));
    }

    @Test
    void queuesConvertBothWays() {
        MessageQueue mq = new MessageQueue("X%orders", "broker-b", 7);

        Queue queue = Values.queue(mq);

        assertThat(queue).isEqualTo(new Queue("X%orders", "broker-b", 7));
        assertThat(Values.messageQueue(queue)).isEqualTo(mq);
    }
}
