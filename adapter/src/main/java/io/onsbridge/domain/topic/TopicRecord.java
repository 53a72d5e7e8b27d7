package io.onsbridge.domain.topic;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What ONS knows of a topic that the broker does not: remark, create time, tags. Kept in the cluster
 * ({@code ClusterMetadata}, kind TOPIC, keyed by the broker's topic name). Permission and, on RocketMQ 5,
 * message type are read back from the broker; {@code messageType} is the type asked for at creation, shown
 * only where the broker keeps none (RocketMQ 4 has no topic attributes). Null in older records.
 */
public record TopicRecord(String remark, Long createTime, Map<String, String> tags, Integer messageType) {
    public TopicRecord {
        tags = tags == null ? new LinkedHashMap<>() : new LinkedHashMap<>(tags);
    }

    /** A topic made outside the bridge: no remark, no known create time, no tags. */
    static TopicRecord unknown() {
        return new TopicRecord(null, null, null, null);
    }

    public TopicRecord withTags(Map<String, String> newTags) {
        return new TopicRecord(remark, createTime, newTags, messageType);
    }
}
