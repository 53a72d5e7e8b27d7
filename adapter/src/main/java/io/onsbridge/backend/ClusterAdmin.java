package io.onsbridge.backend;

import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.UUID;
import org.apache.rocketmq.client.exception.MQBrokerException;
import org.apache.rocketmq.client.exception.MQClientException;
import org.apache.rocketmq.common.MixAll;
import org.apache.rocketmq.common.TopicConfig;
import org.apache.rocketmq.remoting.RPCHook;
import org.apache.rocketmq.remoting.exception.RemotingConnectException;
import org.apache.rocketmq.remoting.exception.RemotingException;
import org.apache.rocketmq.remoting.exception.RemotingSendRequestException;
import org.apache.rocketmq.remoting.exception.RemotingTimeoutException;
import org.apache.rocketmq.remoting.protocol.ResponseCode;
import org.apache.rocketmq.remoting.protocol.admin.ConsumeStats;
import org.apache.rocketmq.remoting.protocol.admin.TopicStatsTable;
import org.apache.rocketmq.remoting.protocol.body.ClusterInfo;
import org.apache.rocketmq.remoting.protocol.body.ConsumerConnection;
import org.apache.rocketmq.remoting.protocol.body.ConsumerRunningInfo;
import org.apache.rocketmq.remoting.protocol.body.KVTable;
import org.apache.rocketmq.remoting.protocol.route.BrokerData;
import org.apache.rocketmq.remoting.protocol.subscription.SubscriptionGroupConfig;
import org.apache.rocketmq.tools.admin.DefaultMQAdminExt;

/**
 * The bridge's one long-lived {@link DefaultMQAdminExt}, started and stopped with the server. Every call
 * to the cluster goes through here, over the network, whether the cluster is embedded or external, and
 * every failure leaves as a {@link ClusterException}. The admin client reconnects by itself, so a
 * cluster that comes back is used again without a restart.
 */
public final class ClusterAdmin implements AutoCloseable {
    /** The admin client's own consumer group; {@link SystemResources} hides it. */
    static final String ADMIN_GROUP_PREFIX = "ons_bridge_admin_";
    /** The trace collector's consumer group: hidden from group lists like every admin group. */
    public static final String TRACE_COLLECTOR_GROUP = ADMIN_GROUP_PREFIX + "trace_collector";
    private static final long BROKER_TIMEOUT_MILLIS = 5_000;

    private final DefaultMQAdminExt admin;
    private final String namesrvAddr;
    private final OlderBrokers olderBrokers = new OlderBrokers();

    public ClusterAdmin(String namesrvAddr, RPCHook rpcHook, long timeoutMillis) {
        this.namesrvAddr = namesrvAddr;
        this.admin = new DefaultMQAdminExt(rpcHook, timeoutMillis);
        admin.setNamesrvAddr(namesrvAddr);
        // A client instance of its own: bridges sharing a JVM (tests) must not share one and stop it together.
        admin.setInstanceName("ons-bridge-" + UUID.randomUUID());
        admin.setAdminExtGroup(ADMIN_GROUP_PREFIX + UUID.randomUUID().toString().replace("-", ""));
    }

    public ClusterAdmin start() {
        try {
            admin.start();
        } catch (MQClientException e) {
            throw new IllegalStateException("cannot start the RocketMQ admin client for " + namesrvAddr, e);
        }
        return this;
    }

    public String namesrvAddr() {
        return namesrvAddr;
    }

    /** Every topic the name servers know, system topics included. */
    public Set<String> topicNames() {
        return call("list topics", a -> a.fetchAllTopicList().getTopicList());
    }

    /** Addresses of every master broker of every cluster behind the name servers, in a stable order. */
    public Set<String> masterAddresses() {
        Set<String> masters = new TreeSet<>();
        for (BrokerData broker : clusterInfo().getBrokerAddrTable().values()) {
            String master = broker.getBrokerAddrs().get(MixAll.MASTER_ID);
            if (master != null) {
                masters.add(master);
            }
        }
        return masters;
    }

    /** Every broker address, masters and slaves: what a message id may name. */
    public Set<String> brokerAddresses() {
        Set<String> addresses = new TreeSet<>();
        clusterInfo().getBrokerAddrTable().values().forEach(b -> addresses.addAll(b.getBrokerAddrs().values()));
        return addresses;
    }

    /** Broker and cluster names: RocketMQ creates a topic under each of them. */
    public Set<String> brokerAndClusterNames() {
        ClusterInfo info = clusterInfo();
        Set<String> names = new HashSet<>(info.getBrokerAddrTable().keySet());
        names.addAll(info.getClusterAddrTable().keySet());
        return names;
    }

    private ClusterInfo clusterInfo() {
        return call("read the cluster", DefaultMQAdminExt::examineBrokerClusterInfo);
    }

    /** Every subscription group of every master, system groups included. */
    public Set<String> groupNames() {
        return groupConfigs().keySet();
    }

    // --- topics and groups as the brokers hold them (the truth the bridge reads back) ---------------

    /** Every topic config of every master: topic to (master address to that master's config). */
    public Map<String, Map<String, TopicConfig>> topicConfigs() {
        Map<String, Map<String, TopicConfig>> topics = new TreeMap<>();
        for (String master : masterAddresses()) {
            call("list topics of " + master, a -> a.getAllTopicConfig(master, BROKER_TIMEOUT_MILLIS))
                    .getTopicConfigTable().values()
                    .forEach(config -> topics.computeIfAbsent(config.getTopicName(), t -> new TreeMap<>()).put(master, config));
        }
        return topics;
    }

    public void createTopic(Set<String> masters, TopicConfig config) {
        for (String master : masters) {
            call("create topic " + config.getTopicName() + " on " + master, a -> {
                a.createAndUpdateTopicConfig(master, config);
                return null;
            });
        }
    }

    /** Removes a topic from every master (with its consumer offsets) and from every name server. */
    public void deleteTopic(String topic) {
        Set<String> masters = masterAddresses();
        call("delete topic " + topic, a -> {
            a.deleteTopicInBroker(masters, topic);
            a.deleteTopicInNameServer(new HashSet<>(a.getNameServerAddressList()), topic);
            return null;
        });
    }

    public TopicStatsTable topicStats(String topic) {
        try {
            return call("read the stats of " + topic, a -> a.examineTopicStats(topic));
        } catch (ClusterException e) {
            if (!OlderBrokers.notSupported(e)) {
                throw e;
            }
            return call("read the stats of " + topic, a -> OlderBrokers.topicStats(a, topic));
        }
    }

    /** Whether the named broker runs RocketMQ older than 5 (see {@link OlderBrokers}); remembered per broker. */
    public boolean olderThan5(String brokerName) {
        return call("read the version of " + brokerName, a -> olderBrokers.isOlderThan5(a, brokerName));
    }

    /** Every subscription group of every master: group to its config on the first master that has it. */
    public Map<String, SubscriptionGroupConfig> groupConfigs() {
        Map<String, SubscriptionGroupConfig> groups = new TreeMap<>();
        for (String master : masterAddresses()) {
            call("list groups of " + master, a -> a.getAllSubscriptionGroup(master, BROKER_TIMEOUT_MILLIS))
                    .getSubscriptionGroupTable().forEach(groups::putIfAbsent);
        }
        return groups;
    }

    public void createGroup(Set<String> masters, SubscriptionGroupConfig config) {
        for (String master : masters) {
            call("create group " + config.getGroupName() + " on " + master, a -> {
                a.createAndUpdateSubscriptionGroupConfig(master, config);
                return null;
            });
        }
    }

    /** Removes a subscription group and its consumer offsets from every master. */
    public void deleteGroup(String group) {
        for (String master : masterAddresses()) {
            call("delete group " + group + " on " + master, a -> {
                a.deleteSubscriptionGroup(master, group, true);
                return null;
            });
        }
    }

    /** The group's connected consumers, or empty when none is online. */
    public Optional<ConsumerConnection> consumerConnection(String group) {
        try {
            return Optional.of(admin.examineConsumerConnectionInfo(group));
        } catch (MQBrokerException e) {
            if (e.getResponseCode() == ResponseCode.CONSUMER_NOT_ONLINE) {
                return Optional.empty();
            }
            throw translate("read the consumers of " + group, e);
        } catch (Exception e) {
            throw translate("read the consumers of " + group, e);
        }
    }

    /** The group's offsets and backlog on every topic it consumes (its retry topic included); empty if it has none. */
    public Optional<ConsumeStats> consumeStats(String group) {
        String what = "read the consume stats of " + group;
        try {
            try {
                return Optional.of(call(what, a -> a.examineConsumeStats(group)));
            } catch (ClusterException e) {
                if (!OlderBrokers.notSupported(e)) {
                    throw e;
                }
                return Optional.of(call(what, a -> OlderBrokers.consumeStats(a, group, BROKER_TIMEOUT_MILLIS)));
            }
        } catch (ClusterException error) {
            if (error.kind() == ClusterException.Kind.REJECTED && (error.responseCode() == ResponseCode.CONSUMER_NOT_ONLINE
                    || error.responseCode() == ResponseCode.TOPIC_NOT_EXIST || error.responseCode() == ResponseCode.BROADCAST_CONSUMPTION)) {
                // no offsets yet, a group without a retry topic that never consumed, or broadcasting
                // consumers, which keep their offsets on the client
                return Optional.empty();
            }
            throw error;
        }
    }

    /** What one online client reports about itself: subscriptions, queues, TPS, optionally its threads. */
    public ConsumerRunningInfo runningInfo(String group, String clientId, boolean jstack) {
        return call("ask client " + clientId, a -> a.getConsumerRunningInfo(group, clientId, jstack));
    }

    /** Groups that consume the topic now or have consumer offsets on it. */
    public Set<String> groupsConsuming(String topic) {
        return call("find who consumes " + topic, a -> a.queryTopicConsumeByWho(topic)).getGroupList();
    }

    // --- the name servers' KV config: where the bridge keeps its metadata (see MetadataStore) ---------

    public Map<String, String> kvList(String namespace) {
        try {
            KVTable table = admin.getKVListByNamespace(namespace);
            return table.getTable() == null ? Collections.emptyMap() : new HashMap<>(table.getTable());
        } catch (MQClientException e) {
            if (e.getResponseCode() == ResponseCode.QUERY_NOT_FOUND) {
                return Collections.emptyMap(); // the name server has no such namespace yet
            }
            throw translate("read " + namespace, e);
        } catch (Exception e) {
            throw translate("read " + namespace, e);
        }
    }

    public void kvPut(String namespace, String key, String value) {
        call("write " + namespace, a -> {
            a.createAndUpdateKvConfig(namespace, key, value);
            return null;
        });
    }

    public void kvDelete(String namespace, String key) {
        call("delete from " + namespace, a -> {
            a.deleteKvConfig(namespace, key);
            return null;
        });
    }

    /** Cheap liveness probe: the name server answers a cluster-info request. */
    public boolean reachable() {
        try {
            admin.examineBrokerClusterInfo();
            return true;
        } catch (Exception e) {
            return false;
        }
    }

    /** Runs one admin call; whatever it throws leaves as a {@link ClusterException}. */
    public <T> T call(String what, AdminCall<T> call) {
        try {
            return call.run(admin);
        } catch (Exception e) {
            throw translate(what, e);
        }
    }

    @FunctionalInterface
    public interface AdminCall<T> {
        T run(DefaultMQAdminExt admin) throws Exception;
    }

    static ClusterException translate(String what, Exception e) {
        if (e instanceof InterruptedException) {
            Thread.currentThread().interrupt();
            return new ClusterException(ClusterException.Kind.UNAVAILABLE, -1, what + ": interrupted", e);
        }
        if (e instanceof RemotingConnectException || e instanceof RemotingTimeoutException
                || e instanceof RemotingSendRequestException) {
            return new ClusterException(ClusterException.Kind.UNAVAILABLE, -1, what + ": " + e.getMessage(), e);
        }
        if (e instanceof MQBrokerException broker) {
            return rejected(what, broker.getResponseCode(), broker.getErrorMessage(), e);
        }
        if (e instanceof MQClientException client) {
            if (client.getCause() instanceof RemotingException || client.getCause() instanceof MQBrokerException) {
                return translate(what, (Exception) client.getCause());
            }
            if (client.getResponseCode() <= 0) {
                // No answer at all (no route, no name server): the cluster is not there.
                return new ClusterException(ClusterException.Kind.UNAVAILABLE, -1, what + ": " + client.getErrorMessage(), e);
            }
            return rejected(what, client.getResponseCode(), client.getErrorMessage(), e);
        }
        if (e instanceof RemotingException) {
            return new ClusterException(ClusterException.Kind.UNAVAILABLE, -1, what + ": " + e.getMessage(), e);
        }
        return new ClusterException(ClusterException.Kind.REJECTED, -1, what + ": " + e, e);
    }

    /** An answer with an error code; NO_PERMISSION is what an ACL-enabled broker answers unsigned or badly signed calls. */
    private static ClusterException rejected(String what, int code, String remark, Exception e) {
        ClusterException.Kind kind = code == ResponseCode.NO_PERMISSION ? ClusterException.Kind.FORBIDDEN : ClusterException.Kind.REJECTED;
        return new ClusterException(kind, code, what + ": " + remark, e);
    }

    @Override
    public void close() {
        admin.shutdown();
    }
}
