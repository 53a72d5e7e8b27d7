package io.onsbridge.instance;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * An instance as stored in the cluster (see {@code MetadataStore}) or derived from it.
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

    public InstanceRecord {
        tags = tags == null ? new LinkedHashMap<>() : new LinkedHashMap<>(tags);
    }

    public InstanceRecord withNameAndRemark(String name, String newRemark) {
        return new InstanceRecord(instanceId, name, newRemark, instanceType, instanceStatus, independentNaming, createTime, tags);
    }

    public boolean hasTags(Map<String, String> wanted) {
        return wanted.entrySet().stream().allMatch(t -> t.getValue().equals(tags.get(t.getKey())));
    }
}
