package io.onsbridge.cluster;

import java.util.List;
import org.apache.rocketmq.common.MixAll;
import org.apache.rocketmq.common.topic.TopicValidator;
import org.apache.rocketmq.remoting.protocol.NamespaceUtil;

/**
 * RocketMQ's names of things, by RocketMQ's own rules ({@code NamespaceUtil}, {@code MixAll}): a resource
 * in a namespace ({@code X%name}), a group's retry and dead-letter topics, the topics where a message
 * waits before it reaches its own.
 */
public final class ResourceNames {
    public static final char NAMESPACE_SEPARATOR = NamespaceUtil.NAMESPACE_SEPARATOR;
    public static final String DLQ_PREFIX = MixAll.DLQ_GROUP_TOPIC_PREFIX;
    public static final String RETRY_PREFIX = MixAll.RETRY_GROUP_TOPIC_PREFIX;
    /** The bridge's own topic of consumer-offset samples. */
    public static final String STATS_TOPIC = "ONS_BRIDGE_STATS";
    /**
     * The MQTT devices' history and state (domain.mqtt): connection events keyed by instance and client id,
     * each bridge's snapshot of its connected devices, per-minute counts.
     */
    public static final String MQTT_TOPIC = "ONS_BRIDGE_MQTT";
    /** The bridges' shared lock log (cluster.rocketmq.LockLog): one queue on one broker. */
    public static final String LOCK_TOPIC = "ONS_BRIDGE_LOCKS";
    /** The MQ HTTP protocol's transactional half messages and their rollbacks (domain.messaging.HalfMessages). */
    public static final String HALF_TOPIC = "ONS_BRIDGE_HALF";
    /** The MQTT gateway's session notices: a connection claiming a client id, which closes an older one on any bridge. */
    public static final String MQTT_SESSIONS_TOPIC = "ONS_BRIDGE_MQTT_SESSIONS";
    /** What the names of the bridge's own topics start with: none is a user's. */
    public static final String BRIDGE_TOPIC_PREFIX = "ONS_BRIDGE_";
    /** Where a message not yet delivered to its topic waits: delay levels, the 5.x timer, transaction halves. */
    public static final String TRANSACTION_HALF_TOPIC = TopicValidator.RMQ_SYS_TRANS_HALF_TOPIC;
    public static final List<String> HOLDING_TOPICS = List.of(TopicValidator.RMQ_SYS_SCHEDULE_TOPIC, "rmq_sys_wheel_timer",
            TRANSACTION_HALF_TOPIC);

    private static final int MAX_NAME_LENGTH = 255;

    private ResourceNames() {
    }

    /**
     * A name RocketMQ keeps for itself (RMQ_SYS_* in any case, TBW102, SCHEDULE_TOPIC_XXXX, BenchmarkTest,
     * SELF_TEST_TOPIC, OFFSET_MOVED_EVENT, ...): a user's topic of that name would be taken for a system topic.
     */
    public static boolean isSystemTopicName(String name) {
        return TopicValidator.isSystemTopic(name) || name.toUpperCase(java.util.Locale.ROOT).startsWith("RMQ_SYS_")
                || name.equals("OFFSET_MOVED_EVENT");
    }

    /**
     * Whether a topic or group could have that broker name at all (RocketMQ's characters, at most 255 of
     * them): a lookup of any other name is answered "not found" without a round trip, so hostile input
     * costs the cluster nothing and fills no broker log.
     */
    public static boolean couldExist(String brokerName) {
        return brokerName != null && !brokerName.isEmpty() && brokerName.length() <= MAX_NAME_LENGTH
                && !TopicValidator.isTopicOrGroupIllegal(brokerName);
    }

    /** {@code namespace%name}. */
    public static String inNamespace(String namespace, String name) {
        return NamespaceUtil.wrapNamespace(namespace, name);
    }

    /** The namespace of a resource (retry and dead-letter topics included); empty when it has none. */
    public static String namespaceOf(String resource) {
        return NamespaceUtil.getNamespaceFromResource(resource);
    }

    /** The name without its namespace (a retry topic keeps its prefix: {@code %RETRY%GID_a}). */
    public static String withoutNamespace(String resource) {
        return NamespaceUtil.withoutNamespace(resource);
    }

    public static String retryTopic(String group) {
        return MixAll.getRetryTopic(group);
    }

    public static String deadLetterTopic(String group) {
        return MixAll.getDLQTopic(group);
    }
}
