package io.onsbridge.domain.trace;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.onsbridge.cluster.StoredMessage;
import io.onsbridge.domain.OnsException;
import io.onsbridge.tracecollector.MessageTrace;
import io.onsbridge.tracecollector.TraceEvent;
import java.util.List;
import org.apache.rocketmq.common.message.MessageType;
import org.apache.rocketmq.common.topic.TopicValidator;
import org.junit.jupiter.api.Test;

class TraceQueryTest {
    private static final String ID = "7F0000010B5C18B4AAC2A4F1A0C00000";

    @Test
    void aQueryIdCarriesTheWholeQuery() {
        TraceQuery query = new TraceQuery(true, "MQ_INST_1_abc", "orders", "key|with|bars", 1_000, 2_000, 1_500);
        assertThat(TraceQuery.of(query.queryId())).isEqualTo(query);
        assertThat(query.queryId()).matches("[A-Za-z0-9_-]+");
    }

    @Test
    void anythingElseIsRefusedByName() {
        for (String bad : List.of("", "nonsense", "dDF8aWR8eA", "%%%")) {
            assertThatThrownBy(() -> TraceQuery.of(bad)).isInstanceOfSatisfying(OnsException.class, e -> {
                assertThat(e.code()).isEqualTo("BIZ_FIELD_CHECK_INVALID");
                assertThat(e.getMessage()).contains("QueryId");
            });
        }
    }

    @Test
    void sendStatusFollowsTheRecordsAndWhereTheMessageIs() {
        assertThat(status(pub(true, MessageType.Normal_Msg), null, null)).isEqualTo("SEND_SUCCESS");
        assertThat(status(pub(false, MessageType.Normal_Msg), null, null)).isEqualTo("SEND_FAILED");
        assertThat(status(pub(true, MessageType.Normal_Msg), null, "rmq_sys_wheel_timer")).isEqualTo("SEND_DELAY");
        assertThat(status(pub(true, MessageType.Delay_Msg), null, TopicValidator.RMQ_SYS_SCHEDULE_TOPIC)).isEqualTo("SEND_DELAY");
        String half = TopicValidator.RMQ_SYS_TRANS_HALF_TOPIC;
        assertThat(status(pub(true, MessageType.Trans_Msg_Half), null, half)).isEqualTo("SEND_UNKNOWN");
        assertThat(status(pub(true, MessageType.Trans_Msg_Half), TraceEvent.TxState.ROLLBACK, half)).isEqualTo("SEND_ROLLBACK");
        assertThat(status(pub(true, MessageType.Trans_Msg_Half), TraceEvent.TxState.COMMIT, half)).isEqualTo("SEND_SUCCESS");
        assertThat(status(pub(true, MessageType.Trans_Msg_Half), null, null)).isEqualTo("SEND_SUCCESS");
        assertThat(status(null, null, half)).isEqualTo("SEND_UNKNOWN"); // an untraced producer's half message
    }

    private static TraceEvent pub(boolean success, MessageType type) {
        return TraceEvent.pub(ID, 1, "g", "t", null, null, "h", 1, success, type.ordinal());
    }

    private static String status(TraceEvent pub, TraceEvent.TxState tx, String waitingIn) {
        MessageTrace trace = new MessageTrace(ID, pub, tx, List.of());
        return TraceWire.sendStatus(new TraceLookup.Found(new TraceLookup.Located(new StoredMessage("t", "b", 0, 0, 0, ID, ID, "1.2.3.4:5", 1, "1.2.3.4:6", 1, 1, 1, 0, 0, new byte[0], java.util.Map.of()), waitingIn), trace));
    }
}
