package io.onsbridge.backend;

import java.util.Optional;
import java.util.Set;
import org.apache.rocketmq.remoting.protocol.ResponseCode;
import org.apache.rocketmq.remoting.protocol.admin.ConsumeStats;
import org.apache.rocketmq.remoting.protocol.body.ConsumerConnection;
import org.apache.rocketmq.remoting.protocol.body.ConsumerRunningInfo;

/**
 * What the brokers know of a consumer group's clients and offsets, through {@link ClusterAdmin}'s one
 * admin client: who is connected, the consume stats, a client's own report, who consumes a topic. The
 * answers that only mean "nobody" become empty results, not errors.
 */
public final class ConsumerAdmin {
    private final ClusterAdmin cluster;

    ConsumerAdmin(ClusterAdmin cluster) {
        this.cluster = cluster;
    }

    /** The group's connected consumers, or empty when none is online. */
    public Optional<ConsumerConnection> connection(String group) {
        try {
            return Optional.of(cluster.call("read the consumers of " + group, a -> a.examineConsumerConnectionInfo(group)));
        } catch (ClusterException e) {
            if (rejectedWith(e, ResponseCode.CONSUMER_NOT_ONLINE)) {
                return Optional.empty();
            }
            throw e;
        }
    }

    /** The group's offsets and backlog on every topic it consumes (its retry topic included); empty if it has none. */
    public Optional<ConsumeStats> consumeStats(String group) {
        String what = "read the consume stats of " + group;
        try {
            try {
                return Optional.of(cluster.call(what, a -> a.examineConsumeStats(group)));
            } catch (ClusterException e) {
                if (!OlderBrokers.notSupported(e)) {
                    throw e;
                }
                return Optional.of(cluster.call(what, a -> OlderBrokers.consumeStats(a, group, ClusterAdmin.BROKER_TIMEOUT_MILLIS)));
            }
        } catch (ClusterException error) {
            if (rejectedWith(error, ResponseCode.CONSUMER_NOT_ONLINE) || rejectedWith(error, ResponseCode.TOPIC_NOT_EXIST)
                    || rejectedWith(error, ResponseCode.BROADCAST_CONSUMPTION)) {
                // no offsets yet, a group without a retry topic that never consumed, or broadcasting
                // consumers, which keep their offsets on the client
                return Optional.empty();
            }
            throw error;
        }
    }

    /** What one online client reports about itself: subscriptions, queues, TPS, optionally its threads. */
    public ConsumerRunningInfo runningInfo(String group, String clientId, boolean jstack) {
        return cluster.call("ask client " + clientId, a -> a.getConsumerRunningInfo(group, clientId, jstack));
    }

    /** Groups that consume the topic now or have consumer offsets on it. */
    public Set<String> groupsConsuming(String topic) {
        return cluster.call("find who consumes " + topic, a -> a.queryTopicConsumeByWho(topic)).getGroupList();
    }

    private static boolean rejectedWith(ClusterException e, int responseCode) {
        return e.kind() == ClusterException.Kind.REJECTED && e.responseCode() == responseCode;
    }
}
