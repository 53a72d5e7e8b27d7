package io.onsbridge.domain.consumer;

import io.onsbridge.cluster.Cluster;
import io.onsbridge.cluster.ClusterConsumers.Client;
import io.onsbridge.cluster.ClusterConsumers.ClientReport;
import io.onsbridge.cluster.ClusterConsumers.Connections;
import io.onsbridge.cluster.ClusterConsumers.MessageModel;
import io.onsbridge.cluster.ClusterConsumers.Rates;
import io.onsbridge.cluster.ClusterConsumers.Subscription;
import io.onsbridge.cluster.ClusterException;
import io.onsbridge.cluster.Queue;
import io.onsbridge.cluster.ResourceNames;
import io.onsbridge.domain.WireList;
import io.onsbridge.domain.WireObject;
import io.onsbridge.domain.group.GroupView;
import io.onsbridge.domain.instance.InstanceRecord;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * OnsConsumerStatus in the SDK shape of consumer.md: the broker's view (connections, backlog) and each
 * online client's own report (running info: subscriptions, assigned queues, TPS, threads), from which
 * SubscriptionSame and RebalanceOK are computed rather than assumed.
 */
final class ConsumerStatus {
    private static final Logger log = LoggerFactory.getLogger(ConsumerStatus.class);

    private final Cluster cluster;

    ConsumerStatus(Cluster cluster) {
        this.cluster = cluster;
    }

    /** @param httpOnline an HTTP consumer of the group polled lately (it holds no connection the broker could show) */
    WireObject of(InstanceRecord instance, GroupView group, Backlog backlog, boolean httpOnline, boolean detail, boolean jstack) {
        Optional<Connections> online = cluster.consumers().connections(group.brokerName());
        WireObject data = WireObject.of()
                .with("InstanceId", instance.instanceId())
                .with("Online", online.isPresent() || httpOnline)
                .with("TotalDiff", backlog.totalDiff())
                .with("ConsumeTps", (float) backlog.consumeTps())
                .with("LastTimestamp", backlog.lastTimestamp())
                .with("DelayTime", backlog.delayTime())
                .with("DetailInTopicList", detail ? backlog.detail() : WireList.wrapped("DetailInTopicDo", List.of()));
        if (online.isEmpty()) {
            // HTTP consumers are clustering consumers (each message to one of them) and have no connection to list.
            return data.with("ConsumeModel", httpOnline ? MessageModel.CLUSTERING.name() : null)
                    .with("ConnectionSet", WireList.wrapped("ConnectionDo", List.of()))
                    .with("ConsumerConnectionInfoList", WireList.wrapped("ConsumerConnectionInfoDo", List.of()));
        }
        Connections connection = online.get();
        Map<String, ClientReport> reports = reports(group.brokerName(), connection, jstack);
        data.with("ConsumeModel", name(connection.messageModel()))
                .with("SubscriptionSame", subscriptionSame(reports.values()))
                .with("RebalanceOK", rebalanceOk(connection.messageModel(), reports.values(), cluster.topics()::readableQueues))
                .with("ConnectionSet", WireList.wrapped("ConnectionDo", connection.clients().stream().map(ConsumerActions::connection).toList()));
        List<WireObject> infos = new ArrayList<>();
        if (detail) {
            for (Client client : connection.clients()) {
                infos.add(clientInfo(group, connection, client, reports.get(client.clientId()), jstack));
            }
        }
        return data.with("ConsumerConnectionInfoList", WireList.wrapped("ConsumerConnectionInfoDo", infos));
    }

    /**
     * Each client's report. A client that does not answer (an old client, or one going away) is left out:
     * it still shows in ConnectionSet, without the figures only it could give, and holds no queue for
     * RebalanceOK.
     */
    private Map<String, ClientReport> reports(String group, Connections connection, boolean jstack) {
        Map<String, ClientReport> reports = new TreeMap<>();
        for (Client client : connection.clients()) {
            try {
                reports.put(client.clientId(), cluster.consumers().report(group, client.clientId(), jstack));
            } catch (ClusterException e) {
                log.debug("client {} of {} gave no report", client.clientId(), group, e);
            }
        }
        return reports;
    }

    static boolean subscriptionSame(Collection<ClientReport> reports) {
        return reports.stream().map(ConsumerStatus::subscriptions).distinct().count() <= 1;
    }

    private static Set<String> subscriptions(ClientReport report) {
        return report.subscriptions().stream()
                .filter(s -> !s.topic().startsWith(ResourceNames.RETRY_PREFIX))
                .map(s -> s.topic() + "|" + s.expression())
                .collect(Collectors.toSet());
    }

    /**
     * Clustering: every queue of every subscribed topic (the route's readable queues, which is what the
     * clients rebalance) is held by exactly one client. Broadcasting: every client holds every queue.
     * A queue nobody holds counts: clients of one group subscribing different topics split a topic's
     * queues among clients that do not all pull it, and what lands on the others' share is never consumed.
     * RocketMQ's own ConsumerRunningInfo.analyzeRebalance only returns true.
     *
     * @param routeQueues a topic's readable queues
     */
    static boolean rebalanceOk(MessageModel model, Collection<ClientReport> reports, Function<String, Set<Queue>> routeQueues) {
        if (reports.isEmpty()) {
            return false;
        }
        Map<Queue, Integer> holders = new HashMap<>();
        reports.forEach(report -> report.heldQueues().keySet().forEach(q -> holders.merge(q, 1, Integer::sum)));
        reports.stream().flatMap(report -> report.subscriptions().stream()).map(Subscription::topic).distinct()
                .forEach(topic -> routeQueues.apply(topic).forEach(q -> holders.putIfAbsent(q, 0)));
        if (holders.isEmpty()) {
            return false;
        }
        int expected = model == MessageModel.BROADCASTING ? reports.size() : 1;
        return holders.values().stream().allMatch(n -> n == expected);
    }

    private static WireObject clientInfo(GroupView group, Connections connection, Client client, ClientReport report, boolean jstack) {
        WireObject item = ConsumerActions.connection(client)
                .with("Connection", client.clientAddr())
                .with("ConsumeModel", name(connection.messageModel()))
                .with("ConsumeType", name(connection.consumeType()));
        if (report == null) {
            return item;
        }
        item.with("ThreadCount", report.threadCount())
                .with("StartTimeStamp", report.startTimestamp())
                .with("LastTimeStamp", report.heldQueues().values().stream().mapToLong(Long::longValue).max().orElse(0))
                .with("RunningDataList", WireList.wrapped("ConsumerRunningDataDo", runningData(group, report)))
                .with("SubscriptionSet", WireList.wrapped("SubscriptionData", subscriptionData(report)));
        if (jstack) {
            item.with("Jstack", WireList.wrapped("ThreadTrackDo", JstackText.parse(report.jstack()).stream()
                    .map(t -> WireObject.of().with("Thread", t.thread()).with("TrackList", WireList.wrapped("Track", t.track())))
                    .toList()));
        }
        return item;
    }

    static String name(Enum<?> value) {
        return value == null ? null : value.name();
    }

    private static List<WireObject> runningData(GroupView group, ClientReport report) {
        List<WireObject> data = new ArrayList<>();
        for (Map.Entry<String, Rates> topic : report.rates().entrySet()) {
            Rates rates = topic.getValue();
            data.add(WireObject.of()
                    .with("GroupId", group.groupId())
                    .with("Topic", InstanceRecord.userName(topic.getKey()))
                    .with("OkTps", (float) rates.okTps())
                    .with("FailedTps", (float) rates.failedTps())
                    .with("Rt", (float) rates.rt())
                    .with("FailedCountPerHour", rates.failedPerHour()));
        }
        return data;
    }

    private static List<WireObject> subscriptionData(ClientReport report) {
        List<WireObject> subscriptions = new ArrayList<>();
        for (Subscription s : report.subscriptions()) {
            subscriptions.add(WireObject.of()
                    .with("Topic", InstanceRecord.userName(s.topic()))
                    .with("SubString", s.expression())
                    .with("SubVersion", s.version())
                    .with("TagsSet", WireList.wrapped("Tag", new ArrayList<>(s.tags()))));
        }
        return subscriptions;
    }
}
