package io.onsbridge.domain.instance;

import io.onsbridge.cluster.ResourceNames;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * An instance as stored in the cluster (see {@code ClusterMetadata}) or derived from it.
 *
 * @param independentNaming true when the instance ID is a RocketMQ namespace ({@code X%topic}); false
 *                          only for the default instance, which holds the cluster's un-namespaced resources
 * @param createTime        epoch ms, or null where unknown (discovered and default instances)
 * @param tags              tag key to value, in the order they were attached
 */
public record InstanceRecord(String instanceId, String instanceName, String remark, int instanceType,
                             int instanceStatus, boolean independentNaming, Long createTime,
                             Map<String, String> tags) {
    /** InstanceType 1: a standard ("postpaid") instance, the only kind a self-hosted cluster has. */
    public static final int TYPE_STANDARD = 1;
    /** InstanceStatus 5: in service. */
    public static final int STATUS_IN_SERVICE = 5;

    /**
     * Every instance is an MQTT instance too, named {@code mqtt-} and its ID as MQTT clients and the OnsMqtt
     * API name it (docs/mqtt-api.md#instance-ids): reversible, case kept.
     */
    public static final String MQTT_ID_PREFIX = "mqtt-";

    public InstanceRecord {
        tags = tags == null ? new LinkedHashMap<>() : new LinkedHashMap<>(tags);
    }

    /** The broker's name of a topic or group of this instance: {@code X%name}, or the bare name without a namespace. */
    public String brokerName(String name) {
        return brokerName(independentNaming, instanceId, name);
    }

    static String brokerName(boolean independentNaming, String instanceId, String name) {
        return independentNaming ? ResourceNames.inNamespace(instanceId, name) : name;
    }

    /** What the broker names of the instance's topics and groups start with: its namespace and '%'; empty for the default instance. */
    public String namePrefix() {
        return independentNaming ? instanceId + ResourceNames.NAMESPACE_SEPARATOR : "";
    }

    /** Whether a broker topic or group (not a retry or DLQ topic) belongs to this instance. */
    public boolean owns(String brokerName) {
        String namespace = ResourceNames.namespaceOf(brokerName);
        return independentNaming ? instanceId.equals(namespace) : namespace.isEmpty();
    }

    /** The name as the user knows it: without the namespace. */
    public static String userName(String brokerName) {
        return ResourceNames.withoutNamespace(brokerName);
    }

    /** The instance's MQTT-style ID ({@link #MQTT_ID_PREFIX}). */
    public String mqttInstanceId() {
        return MQTT_ID_PREFIX + instanceId;
    }

    public InstanceRecord withTags(Map<String, String> newTags) {
        return new InstanceRecord(instanceId, instanceName, remark, instanceType, instanceStatus, independentNaming, createTime, newTags);
    }

    public InstanceRecord withNameAndRemark(String name, String newRemark) {
        return new InstanceRecord(instanceId, name, newRemark, instanceType, instanceStatus, independentNaming, createTime, tags);
    }
}
