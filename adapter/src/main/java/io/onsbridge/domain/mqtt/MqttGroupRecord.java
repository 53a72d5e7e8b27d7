package io.onsbridge.domain.mqtt;

/**
 * An MQTT group ({@code OnsMqttGroupIdCreate}) as kept in the cluster's metadata.
 *
 * @param topic the parent topic it was created for
 */
public record MqttGroupRecord(String instanceId, String groupId, String topic, long createTime, long updateTime) {
}
