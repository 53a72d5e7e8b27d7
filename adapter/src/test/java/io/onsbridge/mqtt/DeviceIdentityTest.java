package io.onsbridge.mqtt;

import static org.assertj.core.api.Assertions.assertThat;

import io.onsbridge.mqttgateway.MqttBackend;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

class DeviceIdentityTest {
    @Test
    void clientIdsAreGroupThreeAtsAndDevice() {
        assertThat(DeviceIdentity.parse("GID_sensors@@@dev-1")).isEqualTo(new DeviceIdentity("GID_sensors", "dev-1"));
        assertThat(DeviceIdentity.parse("GID-abc@@@a.b:c_d")).isEqualTo(new DeviceIdentity("GID-abc", "a.b:c_d"));
        assertThat(DeviceIdentity.parse("GID_sensors")).isNull();
        assertThat(DeviceIdentity.parse("GID_sensors@@@")).isNull();
        assertThat(DeviceIdentity.parse("sensors@@@dev")).isNull();
        assertThat(DeviceIdentity.parse("GID_ab@@@dev")).as("group ids have at least 7 characters").isNull();
        assertThat(DeviceIdentity.parse("GID_sensors@@@dev 1")).isNull();
        assertThat(DeviceIdentity.parse("GID_sensors@@@" + "d".repeat(50))).isNotNull();
        assertThat(DeviceIdentity.parse("GID_sensors@@@" + "d".repeat(51))).as("client ids have at most 64 characters").isNull();
        assertThat(DeviceIdentity.parse(null)).isNull();
    }

    @Test
    void usernamesAreModeKeyAndInstance() {
        assertThat(DeviceIdentity.Username.parse("Signature|LTAIkey|MQ_INST_1")).isEqualTo(
                new DeviceIdentity.Username("Signature", "LTAIkey", "MQ_INST_1"));
        assertThat(DeviceIdentity.Username.parse("Signature|LTAIkey|mqtt-MQ_INST_1")).as("the MQTT form of the instance id")
                .isEqualTo(new DeviceIdentity.Username("Signature", "LTAIkey", "MQ_INST_1"));
        assertThat(DeviceIdentity.Username.parse("Signature|LTAIkey")).isNull();
        assertThat(DeviceIdentity.Username.parse("Signature||MQ_INST_1")).isNull();
        assertThat(DeviceIdentity.Username.parse("a|b|c|d")).isNull();
        assertThat(DeviceIdentity.Username.parse(null)).isNull();
    }

    /** A value computed independently (openssl: printf GID_test@@@dev1 | openssl dgst -sha1 -hmac secret -binary | base64). */
    @Test
    void thePasswordIsTheBase64HmacSha1OfTheClientId() {
        assertThat(DeviceIdentity.password("secret", "GID_test@@@dev1")).isEqualTo(OPENSSL);
        assertThat(DeviceIdentity.passwordMatches("secret", "GID_test@@@dev1", OPENSSL.getBytes(StandardCharsets.UTF_8))).isTrue();
        assertThat(DeviceIdentity.passwordMatches("other", "GID_test@@@dev1", OPENSSL.getBytes(StandardCharsets.UTF_8))).isFalse();
        assertThat(DeviceIdentity.passwordMatches("secret", "GID_test@@@dev2", OPENSSL.getBytes(StandardCharsets.UTF_8))).isFalse();
        assertThat(DeviceIdentity.passwordMatches("secret", "GID_test@@@dev1", null)).isFalse();
    }

    @Test
    void everyCloseHasTheActionInfoOfAlibabasTable() {
        assertThat(Arrays.stream(MqttBackend.CloseReason.values()).map(MqttDoor::actionInfo))
                .contains("disconnected by client", "closed by client", "no heart", "Socket IOException", "clientId conflict",
                        "resource auth failed", "invalid param");
    }

    private static final String OPENSSL = "SzpLhxR5lvha9fLDdn/TEm5rZz4=";
}
