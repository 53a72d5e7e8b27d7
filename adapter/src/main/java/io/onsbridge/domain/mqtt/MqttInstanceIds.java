package io.onsbridge.domain.mqtt;

import io.onsbridge.domain.instance.InstanceRecord;

/**
 * The two names of an instance on the MQTT side (docs/mqtt-api.md#instance-ids): its ONS instance ID, and
 * {@code mqtt-} followed by that ID, the form Alibaba's MQTT instances have. The MQTT actions and a device's
 * username ({@code Signature|AccessKeyId|InstanceId}) take either; everything is kept under the ONS ID.
 */
public final class MqttInstanceIds {
    private MqttInstanceIds() {
    }

    /**
     * The ONS instance ID of either form: {@code mqtt-X} is X, anything else is itself (an instance whose own
     * ID starts with {@code mqtt-} is thus named {@code mqtt-mqtt-...} here). Null stays null.
     */
    public static String onsInstanceId(String instanceId) {
        if (instanceId != null && instanceId.startsWith(InstanceRecord.MQTT_ID_PREFIX)
                && instanceId.length() > InstanceRecord.MQTT_ID_PREFIX.length()) {
            return instanceId.substring(InstanceRecord.MQTT_ID_PREFIX.length());
        }
        return instanceId;
    }

    /** The MQTT-style ID of an ONS instance ID. */
    public static String mqttInstanceId(String onsInstanceId) {
        return InstanceRecord.MQTT_ID_PREFIX + onsInstanceId;
    }
}
