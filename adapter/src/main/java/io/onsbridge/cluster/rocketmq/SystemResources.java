package io.onsbridge.cluster.rocketmq;

import io.onsbridge.cluster.ResourceNames;
import java.util.Set;
import org.apache.rocketmq.common.MixAll;
import org.apache.rocketmq.common.topic.TopicValidator;

/**
 * What belongs to RocketMQ or to the bridge itself and never appears as a user's topic or group:
 * system topics (RMQ_SYS_*, TBW102, SCHEDULE_TOPIC_XXXX, ...), retry and dead-letter topics, the
 * topics a broker and a cluster create under their own names, and the broker's built-in groups.
 */
final class SystemResources {
    /** The bridge's own topic of consumer-offset samples (stats/OffsetSamples). */
    static final String STATS_TOPIC = ResourceNames.STATS_TOPIC;
    private static final Set<String> BUILT_IN_GROUPS = Set.of(
            MixAll.TOOLS_CONSUMER_GROUP, MixAll.FILTERSRV_CONSUMER_GROUP, MixAll.MONITOR_CONSUMER_GROUP,
            MixAll.CLIENT_INNER_PRODUCER_GROUP, MixAll.SELF_TEST_PRODUCER_GROUP, MixAll.SELF_TEST_CONSUMER_GROUP,
            MixAll.ONS_HTTP_PROXY_GROUP, MixAll.CID_ONSAPI_PERMISSION_GROUP, MixAll.CID_ONSAPI_OWNER_GROUP,
            MixAll.CID_ONSAPI_PULL_GROUP, MixAll.CID_SYS_RMQ_TRANS, MixAll.DEFAULT_CONSUMER_GROUP,
            MixAll.DEFAULT_PRODUCER_GROUP, MixAll.SCHEDULE_CONSUMER_GROUP);

    private SystemResources() {
    }

    /** @param brokerAndClusterNames names of the cluster's brokers and clusters, which are topics too */
    static boolean isSystemTopic(String topic, Set<String> brokerAndClusterNames) {
        return TopicValidator.isSystemTopic(topic)
                || topic.startsWith(MixAll.RETRY_GROUP_TOPIC_PREFIX)
                || topic.startsWith(MixAll.DLQ_GROUP_TOPIC_PREFIX)
                || topic.startsWith(MixAll.LMQ_PREFIX)
                || topic.startsWith("rmq_sys_")
                || topic.equals(STATS_TOPIC)
                || topic.equals(ResourceNames.LOCK_TOPIC)
                || topic.equals(ResourceNames.HALF_TOPIC)
                || topic.equals(ResourceNames.MQTT_TOPIC)
                || topic.equals(ResourceNames.MQTT_SESSIONS_TOPIC)
                || brokerAndClusterNames.contains(topic);
    }

    static boolean isSystemGroup(String group) {
        return BUILT_IN_GROUPS.contains(group)
                || MixAll.isSysConsumerGroup(group)
                || group.startsWith(ClusterAdmin.ADMIN_GROUP_PREFIX);
    }
}
