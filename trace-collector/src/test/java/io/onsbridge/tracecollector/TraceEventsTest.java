package io.onsbridge.tracecollector;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.apache.rocketmq.client.AccessChannel;
import org.apache.rocketmq.client.producer.LocalTransactionState;
import org.apache.rocketmq.client.trace.TraceBean;
import org.apache.rocketmq.client.trace.TraceContext;
import org.apache.rocketmq.client.trace.TraceDataEncoder;
import org.apache.rocketmq.client.trace.TraceType;
import org.apache.rocketmq.common.message.MessageType;
import org.junit.jupiter.api.Test;

/** Records written by RocketMQ's own encoder, read back through {@link TraceEvents}. */
class TraceEventsTest {
    static final String ID = "7F0000010B5C18B4AAC2A4F1A0C00000";

    static String wire(TraceContext... contexts) {
        StringBuilder data = new StringBuilder();
        for (TraceContext context : contexts) {
            data.append(TraceDataEncoder.encoderFromContextBean(context).getTransData());
        }
        return data.toString();
    }

    static TraceContext context(TraceType type, long ts, String group, String requestId, boolean success, int cost, TraceBean bean) {
        TraceContext c = new TraceContext();
        c.setTraceType(type);
        c.setTimeStamp(ts);
        c.setRegionId("DefaultRegion");
        c.setGroupName(group);
        c.setRequestId(requestId);
        c.setSuccess(success);
        c.setCostTime(cost);
        c.setAccessChannel(AccessChannel.LOCAL);
        c.setTraceBeans(new ArrayList<>(List.of(bean)));
        return c;
    }

    static TraceBean bean(String topic, String tags, String keys) {
        TraceBean b = new TraceBean();
        b.setMsgId(ID);
        b.setTopic(topic);
        b.setTags(tags);
        b.setKeys(keys);
        b.setStoreHost("10.0.0.1:10911");
        b.setMsgType(MessageType.Normal_Msg);
        b.setOffsetMsgId("0A00000100002A9F0000000000000000");
        return b;
    }

    @Test
    void decodesEveryKindWithTheSendersHost() {
        TraceBean tx = bean("orders", "TagA", "K1");
        tx.setTransactionState(LocalTransactionState.ROLLBACK_MESSAGE);
        tx.setTransactionId("tx-1");
        tx.setMsgType(MessageType.Trans_msg_Commit);
        TraceBean retried = bean(null, null, "K1");
        retried.setRetryTimes(2);
        String data = wire(
                context(TraceType.Pub, 1_000, "GID_p", null, true, 7, bean("orders", "TagA", "K1")),
                context(TraceType.SubBefore, 2_000, "GID_c", "req-1", false, 0, retried),
                context(TraceType.SubAfter, 2_050, "GID_c", "req-1", true, 50, bean(null, null, "K1")),
                context(TraceType.EndTransaction, 3_000, "GID_p", null, false, 0, tx));

        List<TraceEvent> events = TraceEvents.of(data, "192.168.1.7");

        assertThat(events).extracting(TraceEvent::kind).containsExactly(TraceEvent.Kind.PUB, TraceEvent.Kind.SUB_BEFORE,
                TraceEvent.Kind.SUB_AFTER, TraceEvent.Kind.END_TRANSACTION);
        assertThat(events).allSatisfy(e -> {
            assertThat(e.msgId()).isEqualTo(ID);
            assertThat(e.host()).isEqualTo("192.168.1.7");
        });
        TraceEvent pub = events.get(0);
        assertThat(pub.topic()).isEqualTo("orders");
        assertThat(pub.tags()).isEqualTo("TagA");
        assertThat(pub.keys()).isEqualTo("K1");
        assertThat(pub.group()).isEqualTo("GID_p");
        assertThat(pub.costTime()).isEqualTo(7);
        assertThat(pub.success()).isTrue();
        assertThat(events.get(1).retryTimes()).isEqualTo(2);
        assertThat(events.get(1).requestHash()).isEqualTo(events.get(2).requestHash()).isNotZero();
        assertThat(events.get(2).group()).isEqualTo("GID_c");
        assertThat(events.get(2).costTime()).isEqualTo(50);
        assertThat(events.get(3).code()).isEqualTo(TraceEvent.TxState.ROLLBACK.ordinal());
    }

    @Test
    void missingTagsAndKeysAreNull() {
        List<TraceEvent> events = TraceEvents.of(wire(context(TraceType.Pub, 1, "G", null, true, 1, bean("t", null, null))), "h");
        assertThat(events.get(0).tags()).isNull();
        assertThat(events.get(0).keys()).isNull();
    }

    @Test
    void emptyOrForeignDataGivesNoEvents() {
        assertThat(TraceEvents.of("", "h")).isEmpty();
        assertThat(TraceEvents.of("Recall\u00011\u0001r\u0001g\u0001t\u0001" + ID + "\u0001true\u0002", "h")).isEmpty();
    }
}
