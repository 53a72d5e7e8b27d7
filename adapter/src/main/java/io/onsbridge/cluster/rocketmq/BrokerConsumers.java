package io.onsbridge.cluster.rocketmq;

import io.onsbridge.cluster.ClusterConsumers;
import io.onsbridge.cluster.ClusterException;
import io.onsbridge.cluster.Queue;
import io.onsbridge.cluster.StoredMessage;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import org.apache.rocketmq.common.MQVersion;
import org.apache.rocketmq.common.message.MessageExt;
import org.apache.rocketmq.remoting.protocol.admin.ConsumeStats;
import org.apache.rocketmq.remoting.protocol.body.Connection;
import org.apache.rocketmq.remoting.protocol.body.ConsumeMessageDirectlyResult;
import org.apache.rocketmq.remoting.protocol.body.ConsumeStatus;
import org.apache.rocketmq.remoting.protocol.body.ConsumerConnection;
import org.apache.rocketmq.remoting.protocol.body.ConsumerRunningInfo;
import org.apache.rocketmq.remoting.protocol.ResponseCode;
import org.apache.rocketmq.remoting.protocol.heartbeat.SubscriptionData;
import org.apache.rocketmq.tools.admin.api.TrackType;

/**
 * What the brokers know of consumer groups, through the one admin client: who is connected, the consume
 * stats, a client's own report, who consumes a topic; and what acts on consumers: offset resets, a
 * message pushed to one client. The answers that only mean "nobody" become empty results, not errors.
 */
final class BrokerConsumers implements ClusterConsumers {
    private final ClusterAdmin cluster;

    BrokerConsumers(ClusterAdmin cluster) {
        this.cluster = cluster;
    }

    @Override
    public Optional<Connections> connections(String group) {
        return connection(group).map(BrokerConsumers::connections);
    }

    /**
     * Who is connected, as every master knows it (each asked directly, all at once; the clients of all of them
     * together). MQAdminExt's {@code examineConsumerConnectionInfo(group)} asks the name server for the group's
     * retry topic's route first, then one broker of it picked at random.
     */
    Optional<ConsumerConnection> connection(String group) {
        ConsumerConnection all = null;
        Set<String> clients = new HashSet<>();
        for (Optional<ConsumerConnection> on : cluster.onEveryMaster(master -> connectionOn(master, group)).values()) {
            if (on.isEmpty()) {
                continue;
            }
            ConsumerConnection c = on.get();
            if (all == null) {
                all = c;
                c.getConnectionSet().forEach(client -> clients.add(client.getClientId()));
                continue;
            }
            for (Connection client : c.getConnectionSet()) {
                if (clients.add(client.getClientId())) {
                    all.getConnectionSet().add(client);
                }
            }
            c.getSubscriptionTable().forEach(all.getSubscriptionTable()::putIfAbsent);
        }
        return Optional.ofNullable(all);
    }

    private Optional<ConsumerConnection> connectionOn(String master, String group) {
        return cluster.callOrAbsent("read the consumers of " + group + " on " + master, ClusterException.Reason.CONSUMER_NOT_ONLINE,
                a -> a.examineConsumerConnectionInfo(group, master));
    }

    private static Connections connections(ConsumerConnection c) {
        List<Client> clients = c.getConnectionSet().stream()
                .sorted(Comparator.comparing(Connection::getClientId))
                .map(BrokerConsumers::client)
                .toList();
        Map<String, Subscription> subscriptions = new TreeMap<>();
        c.getSubscriptionTable().forEach((topic, s) -> subscriptions.put(topic, subscription(s)));
        MessageModel model = c.getMessageModel() == null ? null : MessageModel.valueOf(c.getMessageModel().name());
        return new Connections(model, consumeType(c.getConsumeType()), clients, subscriptions);
    }

    private static Client client(Connection c) {
        return new Client(c.getClientId(), c.getClientAddr(), c.getLanguage() == null ? null : c.getLanguage().name(),
                MQVersion.getVersionDesc(c.getVersion()));
    }

    private static Subscription subscription(SubscriptionData s) {
        return new Subscription(s.getTopic(), s.getSubString(), s.getSubVersion(), Set.copyOf(new HashSet<>(s.getTagsSet())));
    }

    /** ONS names RocketMQ's passive (push) and active (pull) consumers PUSH and PULL; pop consumers are pushed to. */
    private static ConsumeType consumeType(org.apache.rocketmq.remoting.protocol.heartbeat.ConsumeType type) {
        if (type == null) {
            return null;
        }
        return type == org.apache.rocketmq.remoting.protocol.heartbeat.ConsumeType.CONSUME_ACTIVELY ? ConsumeType.PULL : ConsumeType.PUSH;
    }

    @Override
    public Optional<GroupOffsets> offsets(String group) {
        return consumeStats(group).map(stats -> {
            List<QueueOffsets> queues = new ArrayList<>();
            stats.getOffsetTable().forEach((queue, o) -> queues.add(
                    new QueueOffsets(Values.queue(queue), o.getBrokerOffset(), o.getConsumerOffset(), o.getLastTimestamp())));
            queues.sort(Comparator.comparing(QueueOffsets::queue));
            return new GroupOffsets(queues, stats.getConsumeTps());
        });
    }

    /**
     * The group's offsets and backlog on every topic it consumes (its retry topic included), from every master
     * at once, each asked directly (GET_CONSUME_STATS); empty when it has none: a group that never consumed, or
     * broadcasting consumers, which keep their offsets on the client. MQAdminExt's {@code examineConsumeStats(group)}
     * asks the name server for the retry topic's route first, then the brokers, then per topic found its route and
     * each broker's config (to map RocketMQ 5's static topics), and when no offsets came, who is connected: four to
     * six round trips where one does. A static topic is read as its physical queues, as RocketMQ 4 brokers read
     * every topic.
     */
    Optional<ConsumeStats> consumeStats(String group) {
        ConsumeStats all = new ConsumeStats();
        cluster.onEveryMaster(master -> cluster.call("read the consume stats of " + group + " on " + master,
                a -> a.examineConsumeStats(master, group, null, ClusterAdmin.BROKER_TIMEOUT_MILLIS))).values().forEach(stats -> {
                    all.getOffsetTable().putAll(stats.getOffsetTable());
                    all.setConsumeTps(all.getConsumeTps() + stats.getConsumeTps());
                });
        return all.getOffsetTable().isEmpty() ? Optional.empty() : Optional.of(all);
    }

    @Override
    public ClientReport report(String group, String clientId, boolean jstack) {
        ConsumerRunningInfo info = cluster.call("ask client " + clientId, a -> a.getConsumerRunningInfo(group, clientId, jstack));
        Map<Queue, Long> held = new TreeMap<>();
        info.getMqTable().forEach((queue, process) -> held.put(Values.queue(queue), process.getLastConsumeTimestamp()));
        Map<String, Rates> rates = new TreeMap<>();
        info.getStatusTable().forEach((topic, s) -> rates.put(topic, rates(s)));
        return new ClientReport(info.getSubscriptionSet().stream().map(BrokerConsumers::subscription).toList(), held, rates,
                intProperty(info, ConsumerRunningInfo.PROP_THREADPOOL_CORE_SIZE),
                longProperty(info, ConsumerRunningInfo.PROP_CONSUMER_START_TIMESTAMP), info.getJstack());
    }

    private static Rates rates(ConsumeStatus s) {
        return new Rates(s.getConsumeOKTPS(), s.getConsumeFailedTPS(), s.getConsumeRT(), s.getConsumeFailedMsgs());
    }

    private static Integer intProperty(ConsumerRunningInfo info, String name) {
        Long value = longProperty(info, name);
        return value == null ? null : value.intValue();
    }

    /** A figure of the client's report; null when it sent none or not a number (an old or foreign client). */
    private static Long longProperty(ConsumerRunningInfo info, String name) {
        Object value = info.getProperties().get(name);
        try {
            return value == null ? null : Long.parseLong(value.toString().trim());
        } catch (NumberFormatException e) {
            return null;
        }
    }

    /**
     * As every master knows it, each asked at once: MQAdminExt's {@code queryTopicConsumeByWho(topic)} asks the first
     * broker of the topic's route only, which misses the groups that consume the topic on the others, and fails the
     * whole answer when that one hangs.
     */
    @Override
    public Set<String> groupsConsuming(String topic) {
        Set<String> groups = new java.util.TreeSet<>();
        cluster.onEveryMaster(master -> cluster.call("find who consumes " + topic + " on " + master,
                a -> a.getDefaultMQAdminExtImpl().getMqClientInstance().getMQClientAPIImpl()
                        .queryTopicConsumeByWho(master, topic, ClusterAdmin.BROKER_TIMEOUT_MILLIS)))
                .values().forEach(list -> groups.addAll(list.getGroupList()));
        return groups;
    }

    @Override
    public PushResult push(String group, String clientId, String topic, String offsetId) {
        ConsumeMessageDirectlyResult result = cluster.call("push " + offsetId + " to " + clientId,
                a -> a.consumeMessageDirectly(group, clientId, topic, offsetId));
        return new PushResult(result.getConsumeResult() == null ? null : result.getConsumeResult().name(),
                result.getSpentTimeMills(), result.getRemark());
    }

    /**
     * RocketMQ 5 ({@code useServerSideResetOffset}, the default): the broker records the new offset per
     * queue and answers the next pull of each queue "offset moved"; older brokers tell each client, or
     * with none online have the offsets written per queue (RocketMQ's resetOffsetNew, as mqadmin does).
     */
    @Override
    public void resetOffsets(String topic, String group, long timestamp) {
        cluster.call("reset the offsets of " + group + " on " + topic, a -> {
            a.resetOffsetNew(group, topic, timestamp);
            return null;
        });
    }

    /**
     * What MQAdminExt's {@code messageTrackDetail} says of each group, from the answers of every master that answers
     * ({@link #groupsConsuming}, {@link #connection}, {@link #consumeStats}): it asks one broker of a route for each
     * part, so one hung master failed the whole answer, and RocketMQ 4 brokers refuse the topic read its consumed
     * check makes.
     */
    @Override
    public List<Track> track(StoredMessage stored) {
        MessageExt message = Values.messageExt(stored);
        List<Track> result = new ArrayList<>();
        for (String group : groupsConsuming(message.getTopic())) {
            Optional<ConsumerConnection> connection = connection(group);
            result.add(new Track(group, trackType(group, connection, message).name(), connection.isPresent() ? null
                    : "CODE:" + ResponseCode.CONSUMER_NOT_ONLINE + " DESC:the consumer group[" + group + "] not online"));
        }
        return result;
    }

    private TrackType trackType(String group, Optional<ConsumerConnection> connection, MessageExt message) {
        if (connection.isEmpty()) {
            return TrackType.NOT_ONLINE;
        }
        ConsumerConnection online = connection.get();
        if (online.getConsumeType() == org.apache.rocketmq.remoting.protocol.heartbeat.ConsumeType.CONSUME_ACTIVELY) {
            return TrackType.PULL;
        }
        Optional<ConsumeStats> stats = consumeStats(group);
        if (stats.isEmpty() && online.getMessageModel() == org.apache.rocketmq.remoting.protocol.heartbeat.MessageModel.BROADCASTING) {
            return TrackType.CONSUME_BROADCASTING; // its clients keep the offsets
        }
        if (!OlderBrokers.consumed(cluster, stats, message)) {
            return TrackType.NOT_CONSUME_YET;
        }
        // CONSUMED_BUT_FILTERED when the group's subscription to the topic does not take the message's tag.
        SubscriptionData subscription = online.getSubscriptionTable().get(message.getTopic());
        if (subscription == null || subscription.getTagsSet().isEmpty() || subscription.getTagsSet().contains("*")
                || subscription.getTagsSet().contains(message.getTags())) {
            return TrackType.CONSUMED;
        }
        return TrackType.CONSUMED_BUT_FILTERED;
    }
}
