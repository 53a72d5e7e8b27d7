package io.onsbridge.cluster.rocketmq;

import static org.assertj.core.api.Assertions.assertThat;

import org.apache.rocketmq.common.consumer.ReceiptHandle;
import org.junit.jupiter.api.Test;

/** The MQ HTTP receipt handle: the broker's pop check point (and, traced, the message and attempt), as one Base64url word. */
class BrokerPopsHandleTest {
    /** A check point as RocketMQ 5.5's client writes it into POP_CK: start offset, pop time, invisible time, ... */
    private static final String CHECK_POINT = "12 1796194429752 300000 0 1 broker-a 3 14";

    @Test
    void aHandleIsTheCheckPointInOneWordAndReadsBack() {
        String handle = BrokerPops.encode(CHECK_POINT);
        assertThat(handle).matches("[A-Za-z0-9_-]+");
        ReceiptHandle decoded = BrokerPops.decode(handle);
        assertThat(decoded.getBrokerName()).isEqualTo("broker-a");
        assertThat(decoded.getQueueId()).isEqualTo(3);
        assertThat(decoded.getOffset()).isEqualTo(14);
        assertThat(decoded.isRetryTopic()).isTrue();
        assertThat(decoded.getReceiptHandle()).isEqualTo(CHECK_POINT);
    }

    @Test
    void aTracedHandleCarriesTheSameCheckPoint() {
        String handle = BrokerPops.tracedHandle(CHECK_POINT, "7F0000010001ABCDEF", 2);
        assertThat(handle).matches("[A-Za-z0-9_-]+").isNotEqualTo(BrokerPops.encode(CHECK_POINT));
        assertThat(BrokerPops.decode(handle).getReceiptHandle()).isEqualTo(CHECK_POINT);
    }

    @Test
    void aPopsTraceRecordsPairByGroupMessageAndAttempt() {
        String first = PopTraces.requestId("MQ_INST_1%GID_a", "7F00", 0);
        assertThat(first).isEqualTo(PopTraces.requestId("GID_a", "7F00", 0)).hasSize(32);
        assertThat(first).isNotEqualTo(PopTraces.requestId("GID_a", "7F00", 1)).isNotEqualTo(PopTraces.requestId("GID_b", "7F00", 0))
                .isNotEqualTo(PopTraces.requestId("GID_a", "7F01", 0));
    }

    @Test
    void anythingElseIsNoHandle() {
        assertThat(BrokerPops.decode("not-a-handle")).isNull();
        assertThat(BrokerPops.decode("%%%")).isNull();
        assertThat(BrokerPops.decode(BrokerPops.encode("1 2 3"))).isNull();
        assertThat(BrokerPops.decode(BrokerPops.encode("a b c d e f g h"))).isNull();
    }
}
