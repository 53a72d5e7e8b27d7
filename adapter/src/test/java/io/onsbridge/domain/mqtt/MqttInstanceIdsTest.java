package io.onsbridge.domain.mqtt;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class MqttInstanceIdsTest {
    @Test
    void theMqttFormIsTheOnsIdBehindMqttDashAndGoesBack() {
        String ons = "MQ_INST_1234567890_AbCdEfGh";
        assertThat(MqttInstanceIds.mqttInstanceId(ons)).isEqualTo("mqtt-MQ_INST_1234567890_AbCdEfGh");
        assertThat(MqttInstanceIds.onsInstanceId(MqttInstanceIds.mqttInstanceId(ons))).isEqualTo(ons);
    }

    @Test
    void anOnsIdIsItself() {
        assertThat(MqttInstanceIds.onsInstanceId("MQ_INST_1_x")).isEqualTo("MQ_INST_1_x");
        assertThat(MqttInstanceIds.onsInstanceId("mqtt")).isEqualTo("mqtt");
        assertThat(MqttInstanceIds.onsInstanceId("mqtt-")).isEqualTo("mqtt-");
        assertThat(MqttInstanceIds.onsInstanceId(null)).isNull();
    }

    @Test
    void anInstanceWhoseIdStartsWithMqttDashIsNamedTwiceDashed() {
        assertThat(MqttInstanceIds.onsInstanceId("mqtt-mqtt-devices")).isEqualTo("mqtt-devices");
        assertThat(MqttInstanceIds.onsInstanceId("mqtt-devices")).isEqualTo("devices");
    }

    @Test
    void caseIsKept() {
        assertThat(MqttInstanceIds.onsInstanceId("mqtt-MQ_INST_1_aB")).isEqualTo("MQ_INST_1_aB");
        assertThat(MqttInstanceIds.onsInstanceId("MQTT-x")).isEqualTo("MQTT-x");
    }
}
