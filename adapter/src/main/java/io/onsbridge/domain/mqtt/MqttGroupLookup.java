package io.onsbridge.domain.mqtt;

/** Whether an MQTT group ({@code OnsMqttGroupIdCreate}) exists in an instance: the gateway's check of a client id's group. */
@FunctionalInterface
public interface MqttGroupLookup {
    boolean exists(String instanceId, String groupId);
}
