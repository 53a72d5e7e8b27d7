package io.onsbridge.domain.topic;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.onsbridge.domain.OnsException;
import io.onsbridge.domain.Params;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The Topic rule of OnsTopicCreate ({@link TopicActions#topicName}). */
class TopicNameTest {

    private static Params topic(String name) {
        Map<String, String> params = new HashMap<>();
        params.put("InstanceId", "MQ_INST_1");
        params.put("Topic", name);
        return new Params(params);
    }

    private static OnsException refused(Params params) {
        OnsException e = catchThrowableOfType(OnsException.class, () -> TopicActions.topicName(params));
        assertThat(e).as("refused").isNotNull();
        return e;
    }

    @ParameterizedTest
    @ValueSource(strings = {"abc", "orders", "Order_Events-2", "0123", "a-b", "___", "TBW1020", "OFFSET_MOVED_EVENTS"})
    void aValidNameIsReturnedAsSent(String name) {
        assertThat(TopicActions.topicName(topic(name))).isEqualTo(name);
    }

    @Test
    void sixtyFourCharactersAreAllowedSixtyFiveAreNot() {
        String max = "t".repeat(64);
        assertThat(TopicActions.topicName(topic(max))).isEqualTo(max);

        OnsException e = refused(topic(max + "t"));
        assertThat(e.code()).isEqualTo("BIZ_FIELD_CHECK_INVALID");
        assertThat(e.getMessage()).contains("\"Topic\"");
    }

    @ParameterizedTest
    @ValueSource(strings = {"ab", "a", "top.ic", "top ic", "top/ic", "X%orders", "%RETRY%GID_a", "orders|b", "主题名称", "orders\n"})
    void aNameBreakingThePatternIsAFieldCheckError(String name) {
        OnsException e = refused(topic(name));

        assertThat(e.code()).isEqualTo("BIZ_FIELD_CHECK_INVALID");
        assertThat(e.httpStatus()).isEqualTo(400);
        assertThat(e.getMessage()).contains("\"Topic\"").contains(TopicActions.NAME_RULE);
    }

    @ParameterizedTest
    @ValueSource(strings = {"CID_orders", "GID_orders", "GIDorders", "CID-x"})
    void namesOfGroupIdsAreReserved(String name) {
        OnsException e = refused(topic(name));

        assertThat(e.code()).isEqualTo("BIZ_FIELD_CHECK_INVALID");
        assertThat(e.getMessage()).contains("\"Topic\"").contains("CID or GID");
    }

    @ParameterizedTest
    @ValueSource(strings = {"TBW102", "SCHEDULE_TOPIC_XXXX", "OFFSET_MOVED_EVENT", "RMQ_SYS_TRACE_TOPIC",
            "RMQ_SYS_TRANS_HALF_TOPIC", "rmq_sys_wheel_timer", "Rmq_Sys_anything"})
    void rocketMqSystemTopicNamesAreRefused(String name) {
        OnsException e = refused(topic(name));

        assertThat(e.code()).isEqualTo("BIZ_FIELD_CHECK_INVALID");
        assertThat(e.getMessage()).contains("\"Topic\"").contains("\"" + name + "\"").contains("system topic");
    }

    @Test
    void aMissingOrEmptyTopicIsAMissingParameter() {
        for (Params params : new Params[] {new Params(Map.of("InstanceId", "MQ_INST_1")), topic("")}) {
            OnsException e = refused(params);

            assertThat(e.code()).isEqualTo("MissingParameter");
            assertThat(e.httpStatus()).isEqualTo(400);
            assertThat(e.getMessage()).contains("\"Topic\"");
        }
    }
}
