package io.onsbridge.cluster.rocketmq;

import io.onsbridge.cluster.ClusterException;
import io.onsbridge.cluster.ClusterTopics;
import io.onsbridge.cluster.Queue;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.rocketmq.client.impl.factory.MQClientInstance;
import org.apache.rocketmq.common.TopicAttributes;
import org.apache.rocketmq.common.constant.PermName;

/** Topics on every master, read back from the brokers; system topics never appear as user topics. */
final class BrokerTopics implements ClusterTopics {
    static {
        if (PERM_READ != PermName.PERM_READ || PERM_WRITE != PermName.PERM_WRITE) {
            throw new IllegalStateException("ClusterTopics' perm bits differ from RocketMQ's PermName");
        }
    }

    private final ClusterAdmin cluster;
    private final Deletions deletions;
    /** The bridge's own topics known to exist (a handful of names). */
    private final Set<String> ensured = ConcurrentHashMap.newKeySet();

    BrokerTopics(ClusterAdmin cluster, Deletions deletions) {
        this.cluster = cluster;
        this.deletions = deletions;
    }

    @Override
    public Set<String> names() {
        return cluster.topicNames();
    }

    @Override
    public Map<String, Map<String, TopicConfig>> configs() {
        return userTopics(cluster.topicConfigs());
    }

    @Override
    public Map<String, Map<String, TopicConfig>> recentConfigs(String prefix) {
        return userTopics(cluster.recentTopicConfigs(prefix));
    }

    @Override
    public Set<String> recentNames() {
        return cluster.recentTopicNames();
    }

    private Map<String, Map<String, TopicConfig>> userTopics(Map<String, Map<String, org.apache.rocketmq.common.TopicConfig>> table) {
        Set<String> reserved = cluster.brokerAndClusterNames();
        Map<String, Map<String, TopicConfig>> topics = new TreeMap<>();
        table.forEach((topic, configs) -> {
            if (!SystemResources.isSystemTopic(topic, reserved)) {
                topics.put(topic, convert(configs));
            }
        });
        return topics;
    }

    @Override
    public Map<String, TopicConfig> config(String topic) {
        if (SystemResources.isSystemTopic(topic, Set.of())) {
            return Map.of();
        }
        return convert(cluster.topicConfig(topic));
    }

    private static Map<String, TopicConfig> convert(Map<String, org.apache.rocketmq.common.TopicConfig> configs) {
        Map<String, TopicConfig> converted = new TreeMap<>();
        configs.forEach((master, c) -> converted.put(master, convert(c)));
        return converted;
    }

    private static TopicConfig convert(org.apache.rocketmq.common.TopicConfig c) {
        Map<String, String> attributes = c.getAttributes();
        boolean typed = attributes != null && attributes.containsKey(TopicAttributes.TOPIC_MESSAGE_TYPE_ATTRIBUTE.getName());
        MessageType type = null;
        if (typed) {
            type = switch (c.getTopicMessageType()) {
                case FIFO -> MessageType.FIFO;
                case TRANSACTION -> MessageType.TRANSACTION;
                case DELAY -> MessageType.DELAY;
                default -> MessageType.NORMAL;
            };
        }
        return new TopicConfig(c.getTopicName(), c.getReadQueueNums(), c.getWriteQueueNums(), c.getPerm(), type);
    }

    @Override
    public boolean exists(String topic) {
        // One topic asked of each master, not every master's whole table: a create costs the same at 10,000 topics.
        return !cluster.topicConfig(topic).isEmpty();
    }

    @Override
    public Set<String> masters() {
        return cluster.masterAddresses();
    }

    @Override
    public void create(Set<String> masters, String topic, int queuesPerMaster, MessageType type) {
        org.apache.rocketmq.common.TopicConfig config = new org.apache.rocketmq.common.TopicConfig(topic, queuesPerMaster,
                queuesPerMaster, PermName.PERM_READ | PermName.PERM_WRITE);
        if (type != null) {
            config.setAttributes(Map.of("+" + TopicAttributes.TOPIC_MESSAGE_TYPE_ATTRIBUTE.getName(), type.name()));
        }
        deletions.creatingTopic(topic, masters);
        cluster.createTopic(masters, config);
    }

    @Override
    public void setPerm(String topic, int perm) {
        cluster.topicConfig(topic).forEach((master, current) -> {
            // No attributes: on an update the broker keeps the ones it has (message.type).
            org.apache.rocketmq.common.TopicConfig updated = new org.apache.rocketmq.common.TopicConfig(current.getTopicName(),
                    current.getReadQueueNums(), current.getWriteQueueNums(), perm, current.getTopicSysFlag());
            updated.setOrder(current.isOrder());
            cluster.createTopic(Set.of(master), updated);
        });
    }

    @Override
    public void delete(String topic) {
        ensured.remove(topic);
        Set<String> masters = cluster.masterAddresses();
        deletions.deletingTopic(topic, masters);
        Set<String> done = cluster.deleteTopic(topic);
        if (!done.containsAll(masters)) {
            deletions.deletingTopic(topic, done); // a master that did not answer is brought in line once it does
        }
    }

    @Override
    public void ensure(String topic, int queuesPerMaster) {
        if (ensured.contains(topic)) {
            return;
        }
        if (!cluster.topicNames().contains(topic)) {
            create(cluster.masterAddresses(), topic, queuesPerMaster, null);
        }
        ensured.add(topic);
    }

    @Override
    public Set<Queue> readableQueues(String topic) {
        try {
            Set<Queue> queues = new TreeSet<>();
            MQClientInstance.topicRouteData2TopicSubscribeInfo(topic, cluster.call("read the route of " + topic,
                    a -> a.examineTopicRouteInfo(topic))).forEach(q -> queues.add(Values.queue(q)));
            return queues;
        } catch (ClusterException e) {
            if (e.is(ClusterException.Reason.TOPIC_NOT_FOUND)) {
                return Set.of(); // a topic just deleted: its queues are no one's to hold
            }
            throw e;
        }
    }
}
