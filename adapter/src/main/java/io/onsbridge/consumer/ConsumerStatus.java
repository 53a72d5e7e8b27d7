package io.onsbridge.consumer;

import io.onsbridge.backend.ClusterAdmin;
import io.onsbridge.backend.ClusterException;
import io.onsbridge.group.GroupView;
import io.onsbridge.instance.InstanceRecord;
import io.onsbridge.protocol.render.WireList;
import io.onsbridge.protocol.render.WireObject;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.apache.rocketmq.client.impl.factory.MQClientInstance;
import org.apache.rocketmq.common.MixAll;
import org.apache.rocketmq.common.message.MessageQueue;
import org.apache.rocketmq.remoting.protocol.body.Connection;
import org.apache.rocketmq.remoting.protocol.body.ConsumeStatus;
import org.apache.rocketmq.remoting.protocol.body.ConsumerConnection;
import org.apache.rocketmq.remoting.protocol.body.ConsumerRunningInfo;
import org.apache.rocketmq.remoting.protocol.body.ProcessQueueInfo;
import org.apache.rocketmq.remoting.protocol.heartbeat.ConsumeType;
import org.apache.rocketmq.remoting.protocol.heartbeat.MessageModel;
import org.apache.rocketmq.remoting.protocol.heartbeat.SubscriptionData;

/**
 * OnsConsumerStatus in the SDK shape of consumer.md: the broker's view (connections, backlog) and each
 * online client's own report (running info: subscriptions, assigned queues, TPS, threads), from which
 * SubscriptionSame and RebalanceOK are computed rather than assumed.
 */
final class ConsumerStatus {
    private final ClusterAdmin cluster;

    ConsumerStatus(ClusterAdmin cluster) {
        this.cluster = cluster;
    }

    WireObject of(InstanceRecord instance, GroupView group, Backlog backlog, boolean detail, boolean jstack) {
        Optional<ConsumerConnection> online = cluster.consumers().connection(group.brokerName());
        WireObject data = WireObject.of()
                .with("InstanceId", instance.instanceId())
                .with("Online", online.isPresent())
                .with("TotalDiff", backlog.totalDiff())
                .with("ConsumeTps", (float) backlog.consumeTps())
                .with("LastTimestamp", backlog.lastTimestamp())
                .with("DelayTime", backlog.delayTime())
                .with("DetailInTopicList", detail ? backlog.detail() : WireList.wrapped("DetailInTopicDo", List.of()));
        if (online.isEmpty()) {
            return data.with("ConnectionSet", WireList.wrapped("ConnectionDo", List.of()))
                    .with("ConsumerConnectionInfoList", WireList.wrapped("ConsumerConnectionInfoDo", List.of()));
        }
        ConsumerConnection connection = online.get();
        Map<String, ConsumerRunningInfo> reports = reports(group.brokerName(), connection, jstack);
        List<Connection> clients = connection.getConnectionSet().stream()
                .sorted(java.util.Comparator.comparing(Connection::getClientId)).toList();
        data.with("ConsumeModel", ConsumerActions.messageModel(connection).orElse(null))
                .with("SubscriptionSame", subscriptionSame(reports))
                .with("RebalanceOK", rebalanceOk(connection, reports))
                .with("ConnectionSet", WireList.wrapped("ConnectionDo", clients.stream().map(ConsumerActions::connection).toList()));
        List<WireObject> infos = new ArrayList<>();
        if (detail) {
            for (Connection client : clients) {
                infos.add(clientInfo(group, connection, client, reports.get(client.getClientId()), jstack));
            }
        }
        return data.with("ConsumerConnectionInfoList", WireList.wrapped("ConsumerConnectionInfoDo", infos));
    }

    /** Each client's running info; a client that does not answer is left out (it shows in ConnectionSet). */
    private Map<String, ConsumerRunningInfo> reports(String group, ConsumerConnection connection, boolean jstack) {
        Map<String, ConsumerRunningInfo> reports = new TreeMap<>();
        for (Connection client : connection.getConnectionSet()) {
            try {
                reports.put(client.getClientId(), cluster.consumers().runningInfo(group, client.getClientId(), jstack));
            } catch (ClusterException e) {
                // an old client or one that is going away; the others still tell their story
            }
        }
        return reports;
    }

    private static boolean subscriptionSame(Map<String, ConsumerRunningInfo> reports) {
        return reports.values().stream().map(ConsumerStatus::subscriptions).distinct().count() <= 1;
    }

    private static Set<String> subscriptions(ConsumerRunningInfo info) {
        return info.getSubscriptionSet().stream()
                .filter(s -> !s.getTopic().startsWith(MixAll.RETRY_GROUP_TOPIC_PREFIX))
                .map(s -> s.getTopic() + "|" + s.getSubString())
                .collect(Collectors.toSet());
    }

    /**
     * Clustering: every queue of every subscribed topic (the route's readable queues, which is what the
     * clients rebalance) is held by exactly one client. Broadcasting: every client holds every queue.
     * A queue nobody holds counts: clients of one group subscribing different topics split a topic's
     * queues among clients that do not all pull it, and what lands on the others' share is never consumed.
     * RocketMQ's own ConsumerRunningInfo.analyzeRebalance only returns true.
     */
    private boolean rebalanceOk(ConsumerConnection connection, Map<String, ConsumerRunningInfo> reports) {
        if (reports.isEmpty()) {
            return false;
        }
        Map<MessageQueue, Integer> holders = new HashMap<>();
        reports.values().forEach(info -> info.getMqTable().keySet().forEach(q -> holders.merge(q, 1, Integer::sum)));
        reports.values().stream().flatMap(info -> info.getSubscriptionSet().stream()).map(SubscriptionData::getTopic).distinct()
                .forEach(topic -> routeQueues(topic).forEach(q -> holders.putIfAbsent(q, 0)));
        if (holders.isEmpty()) {
            return false;
        }
        int expected = connection.getMessageModel() == MessageModel.BROADCASTING ? reports.size() : 1;
        return holders.values().stream().allMatch(n -> n == expected);
    }

    /** The topic's readable queues as the clients see them in its route; none if the route cannot be read. */
    private Set<MessageQueue> routeQueues(String topic) {
        try {
            return MQClientInstance.topicRouteData2TopicSubscribeInfo(topic,
                    cluster.call("read the route of " + topic, a -> a.examineTopicRouteInfo(topic)));
        } catch (ClusterException e) {
            return Set.of(); // a topic just deleted: its queues are no one's to hold
        }
    }

    private static WireObject clientInfo(GroupView group, ConsumerConnection connection, Connection client, ConsumerRunningInfo info,
                                         boolean jstack) {
        WireObject item = ConsumerActions.connection(client)
                .with("Connection", client.getClientAddr())
                .with("ConsumeModel", ConsumerActions.messageModel(connection).orElse(null))
                .with("ConsumeType", consumeType(connection.getConsumeType()));
        if (info == null) {
            return item;
        }
        item.with("ThreadCount", intProperty(info, ConsumerRunningInfo.PROP_THREADPOOL_CORE_SIZE))
                .with("StartTimeStamp", longProperty(info, ConsumerRunningInfo.PROP_CONSUMER_START_TIMESTAMP))
                .with("LastTimeStamp", info.getMqTable().values().stream().mapToLong(ProcessQueueInfo::getLastConsumeTimestamp).max().orElse(0))
                .with("RunningDataList", WireList.wrapped("ConsumerRunningDataDo", runningData(group, info)))
                .with("SubscriptionSet", WireList.wrapped("SubscriptionData", subscriptionData(info)));
        if (jstack) {
            item.with("Jstack", WireList.wrapped("ThreadTrackDo", JstackText.parse(info.getJstack()).stream()
                    .map(t -> WireObject.of().with("Thread", t.thread()).with("TrackList", WireList.wrapped("Track", t.track())))
                    .toList()));
        }
        return item;
    }

    /** ONS names RocketMQ's passive (push) and active (pull) consumers PUSH and PULL; pop consumers are pushed to. */
    private static String consumeType(ConsumeType type) {
        if (type == null) {
            return null;
        }
        return type == ConsumeType.CONSUME_ACTIVELY ? "PULL" : "PUSH";
    }

    private static List<WireObject> runningData(GroupView group, ConsumerRunningInfo info) {
        List<WireObject> data = new ArrayList<>();
        for (Map.Entry<String, ConsumeStatus> topic : info.getStatusTable().entrySet()) {
            ConsumeStatus status = topic.getValue();
            data.add(WireObject.of()
                    .with("GroupId", group.groupId())
                    .with("Topic", InstanceRecord.userName(topic.getKey()))
                    .with("OkTps", (float) status.getConsumeOKTPS())
                    .with("FailedTps", (float) status.getConsumeFailedTPS())
                    .with("Rt", (float) status.getConsumeRT())
                    .with("FailedCountPerHour", status.getConsumeFailedMsgs()));
        }
        return data;
    }

    private static List<WireObject> subscriptionData(ConsumerRunningInfo info) {
        List<WireObject> subscriptions = new ArrayList<>();
        for (SubscriptionData s : info.getSubscriptionSet()) {
            subscriptions.add(WireObject.of()
                    .with("Topic", InstanceRecord.userName(s.getTopic()))
                    .with("SubString", s.getSubString())
                    .with("SubVersion", s.getSubVersion())
                    .with("TagsSet", WireList.wrapped("Tag", new ArrayList<>(new HashSet<>(s.getTagsSet())))));
        }
        return subscriptions;
    }

    private static Integer intProperty(ConsumerRunningInfo info, String name) {
        Long value = longProperty(info, name);
        return value == null ? null : value.intValue();
    }

    private static Long longProperty(ConsumerRunningInfo info, String name) {
        Object value = info.getProperties().get(name);
        try {
            return value == null ? null : Long.parseLong(value.toString().trim());
        } catch (NumberFormatException e) {
            return null;
        }
    }
}
