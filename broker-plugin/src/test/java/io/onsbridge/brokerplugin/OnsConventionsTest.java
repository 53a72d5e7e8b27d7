package io.onsbridge.brokerplugin;

import static org.assertj.core.api.Assertions.assertThat;

import io.onsbridge.brokerplugin.OnsMessageStore.OnsConventions;
import org.apache.rocketmq.common.message.MessageAccessor;
import org.apache.rocketmq.common.message.MessageConst;
import org.apache.rocketmq.common.message.MessageDecoder;
import org.apache.rocketmq.common.message.MessageExtBrokerInner;
import org.junit.jupiter.api.Test;

class OnsConventionsTest {
    private static final long NOW = 1_700_000_000_000L;

    @Test
    void aStartDeliverTimeStillToComeBecomesTheBrokersTimerProperty() {
        MessageExtBrokerInner msg = message("MQ_INST_1%Orders", Long.toString(NOW + 20_000));
        OnsConventions.onTheWayIn(msg, NOW);
        assertThat(msg.getProperty(MessageConst.PROPERTY_TIMER_DELIVER_MS)).isEqualTo(Long.toString(NOW + 20_000));
        // the stored form is the properties string, not the map
        assertThat(MessageDecoder.string2messageProperties(msg.getPropertiesString()))
                .containsEntry(MessageConst.PROPERTY_TIMER_DELIVER_MS, Long.toString(NOW + 20_000))
                .containsEntry("__STARTDELIVERTIME", Long.toString(NOW + 20_000));
    }

    @Test
    void pastTimesCopiesAndOtherTimersAreLeftAlone() {
        assertThat(timerOf(message("Orders", Long.toString(NOW - 1)))).isNull();
        assertThat(timerOf(message("Orders", Long.toString(NOW)))).isNull();
        assertThat(timerOf(message("Orders", "tomorrow"))).isNull();
        assertThat(timerOf(message("%RETRY%GID_a", Long.toString(NOW + 5_000)))).isNull();
        assertThat(timerOf(message("rmq_sys_wheel_timer", Long.toString(NOW + 5_000)))).isNull();
        MessageExtBrokerInner fromTheTimer = message("Orders", Long.toString(NOW + 5_000));
        MessageAccessor.putProperty(fromTheTimer, MessageConst.PROPERTY_TIMER_OUT_MS, Long.toString(NOW));
        assertThat(timerOf(fromTheTimer)).isNull();
        MessageExtBrokerInner ownDelay = message("Orders", Long.toString(NOW + 5_000));
        MessageAccessor.putProperty(ownDelay, MessageConst.PROPERTY_TIMER_DELAY_SEC, "3");
        assertThat(timerOf(ownDelay)).isNull();
        MessageExtBrokerInner half = message("Orders", Long.toString(NOW + 5_000));
        MessageAccessor.putProperty(half, MessageConst.PROPERTY_TRANSACTION_PREPARED, "true");
        assertThat(timerOf(half)).isNull();
        assertThat(timerOf(message("Orders", null))).isNull();
    }

    @Test
    void aHalfMessagesCheckImmunityTimeBecomesTheBrokersOwn() {
        MessageExtBrokerInner half = half("45");
        OnsConventions.onTheWayIn(half, NOW);
        assertThat(MessageDecoder.string2messageProperties(half.getPropertiesString()))
                .containsEntry(MessageConst.PROPERTY_CHECK_IMMUNITY_TIME_IN_SECONDS, "45")
                .containsEntry("CheckImmunityTimeInSeconds", "45");
    }

    @Test
    void aCheckImmunityTimeIsLeftAloneOutsideHalfMessagesOrWhenNotSeconds() {
        assertThat(immunityOf(half("soon"))).isNull();
        assertThat(immunityOf(half("-3"))).isNull();
        MessageExtBrokerInner own = half("45");
        MessageAccessor.putProperty(own, MessageConst.PROPERTY_CHECK_IMMUNITY_TIME_IN_SECONDS, "10");
        own.setPropertiesString(MessageDecoder.messageProperties2String(own.getProperties()));
        assertThat(immunityOf(own)).isEqualTo("10");
        MessageExtBrokerInner plain = message("Orders", null);
        plain.putUserProperty("CheckImmunityTimeInSeconds", "45");
        assertThat(immunityOf(plain)).isNull();
    }

    private static String immunityOf(MessageExtBrokerInner msg) {
        return MessageDecoder.string2messageProperties(OnsConventions.onTheWayIn(msg, NOW).getPropertiesString())
                .get(MessageConst.PROPERTY_CHECK_IMMUNITY_TIME_IN_SECONDS);
    }

    private static MessageExtBrokerInner half(String checkImmunitySeconds) {
        MessageExtBrokerInner msg = message("RMQ_SYS_TRANS_HALF_TOPIC", null);
        msg.putUserProperty("CheckImmunityTimeInSeconds", checkImmunitySeconds);
        MessageAccessor.putProperty(msg, MessageConst.PROPERTY_TRANSACTION_PREPARED, "true");
        msg.setPropertiesString(MessageDecoder.messageProperties2String(msg.getProperties()));
        return msg;
    }

    private static String timerOf(MessageExtBrokerInner msg) {
        return OnsConventions.onTheWayIn(msg, NOW).getProperty(MessageConst.PROPERTY_TIMER_DELIVER_MS);
    }

    private static MessageExtBrokerInner message(String topic, String startDeliverTime) {
        MessageExtBrokerInner msg = new MessageExtBrokerInner();
        msg.setTopic(topic);
        msg.setBody(new byte[] {1});
        if (startDeliverTime != null) {
            msg.putUserProperty("__STARTDELIVERTIME", startDeliverTime);
        }
        msg.setPropertiesString(MessageDecoder.messageProperties2String(msg.getProperties()));
        return msg;
    }
}
