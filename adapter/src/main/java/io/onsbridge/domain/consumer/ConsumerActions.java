package io.onsbridge.domain.consumer;

import io.onsbridge.cluster.Cluster;
import io.onsbridge.cluster.ClusterConsumers.Client;
import io.onsbridge.cluster.ClusterConsumers.Connections;
import io.onsbridge.cluster.ClusterConsumers;
import io.onsbridge.cluster.ClusterOffsets.QueueStats;
import io.onsbridge.cluster.Pending;
import io.onsbridge.cluster.ResourceNames;
import io.onsbridge.cluster.StoredMessage;
import io.onsbridge.domain.OnsErrors;
import io.onsbridge.domain.Params;
import io.onsbridge.domain.RecentlyFound;
import io.onsbridge.domain.WireList;
import io.onsbridge.domain.WireObject;
import io.onsbridge.domain.group.GroupView;
import io.onsbridge.domain.group.Groups;
import io.onsbridge.domain.instance.InstanceRecord;
import io.onsbridge.domain.instance.Instances;
import io.onsbridge.domain.message.MessageIds;
import io.onsbridge.domain.messaging.HttpConsumers;
import io.onsbridge.domain.topic.TopicView;
import io.onsbridge.domain.topic.Topics;
import java.util.List;
import java.util.Optional;

/**
 * The consumer actions of consumer.md, from the broker's consume stats and the clients' own reports.
 * Every figure is read from the cluster when asked; nothing is estimated.
 */
public final class ConsumerActions {
    private final Instances instances;
    private final Groups groups;
    private final Topics topics;
    private final Cluster cluster;
    private final ConsumerStatus status;
    private final StoreTimes storeTimes = new StoreTimes();
    private final HttpConsumers http;
    /** Groups whose backlog was asked lately, with their instance: a dashboard asks again and again (see {@link RecentlyFound}). */
    private final RecentlyFound<Target> accumulated = new RecentlyFound<>();

    /** @param http what this bridge saw of HTTP (pop) consumers, which the brokers show neither online nor in their backlog */
    public ConsumerActions(Instances instances, Groups groups, Topics topics, Cluster cluster, HttpConsumers http) {
        this.http = http;
        this.instances = instances;
        this.groups = groups;
        this.topics = topics;
        this.cluster = cluster;
        this.status = new ConsumerStatus(cluster);
    }

    public WireObject onsConsumerAccumulate(Params request) {
        String group = brokerGroup(request);
        boolean detail = Boolean.TRUE.equals(request.optionalBoolean("Detail"));
        // Who is online and the backlog need only the group's name: asked while the group is checked (unless found lately).
        String instanceId = request.required("InstanceId");
        Pending<Boolean> online = cluster.meanwhile(() -> http.online(group) || cluster.consumers().connections(group).isPresent());
        Backlog backlog;
        if (accumulated.get(instanceId, group) != null) {
            backlog = backlog(group);
        } else {
            Pending<Backlog> pending = cluster.meanwhile(() -> backlog(group));
            accumulated.put(instanceId, group, target(request));
            backlog = pending.get();
        }
        return WireObject.of().with("Data", WireObject.of()
                .with("Online", online.get())
                .with("TotalDiff", backlog.totalDiff())
                .with("ConsumeTps", (float) backlog.consumeTps())
                .with("LastTimestamp", backlog.lastTimestamp())
                .with("DelayTime", backlog.delayTime())
                .with("DetailInTopicList", detail ? backlog.detail() : WireList.wrapped("DetailInTopicDo", List.of())));
    }

    public WireObject onsConsumerStatus(Params request) {
        Target target = target(request);
        boolean detail = Boolean.TRUE.equals(request.optionalBoolean("Detail"));
        boolean jstack = detail && Boolean.TRUE.equals(request.optionalBoolean("NeedJstack"));
        String group = target.group().brokerName();
        return WireObject.of().with("Data", status.of(target.instance(), target.group(), backlog(group), http.online(group), detail, jstack));
    }

    public WireObject onsConsumerGetConnection(Params request) {
        Target target = target(request);
        Connections connection = online(target.group());
        List<WireObject> connections = connection.clients().stream().map(ConsumerActions::connection).toList();
        return WireObject.of().with("Data", WireObject.of().with("ConnectionList", WireList.wrapped("ConnectionDo", connections)));
    }

    public WireObject onsConsumerResetOffset(Params request) {
        Target target = target(request);
        TopicView topic = topics.require(target.instance(), request.required("Topic"));
        int type = request.requiredInt("Type", 0, 1);
        Long timestamp = request.optionalLong("ResetTimestamp", 0, Long.MAX_VALUE);
        if (type == 1 && timestamp == null) {
            throw OnsErrors.missingParameter("ResetTimestamp");
        }
        // Type 0, "skip the backlog", is RocketMQ's own "to the end": a time after every message is not the same
        // everywhere (RocketMQ 4 answers it with the last message's offset, one short of the end).
        cluster.consumers().resetOffsets(topic.brokerName(), target.group().brokerName(),
                type == 0 ? ClusterConsumers.TO_END : timestamp);
        return WireObject.of();
    }

    public WireObject onsConsumerTimeSpan(Params request) {
        Target target = target(request);
        TopicView topic = topics.require(target.instance(), request.required("Topic"));
        long min = 0;
        long max = 0;
        for (QueueStats queue : cluster.offsets().queueStats(topic.brokerName())) {
            if (queue.maxOffset() > queue.minOffset()) {
                long earliest = cluster.offsets().earliestStoreTime(queue.queue());
                min = min == 0 ? earliest : Math.min(min, earliest);
                max = Math.max(max, queue.lastUpdateTimestamp());
            }
        }
        Backlog backlog = backlog(target.group().brokerName());
        Backlog onTopic = backlog.byTopic().getOrDefault(topic.brokerName(), Backlog.NONE);
        return WireObject.of().with("Data", WireObject.of()
                .with("Topic", topic.name())
                .with("InstanceId", target.instance().instanceId())
                .with("MinTimeStamp", min)
                .with("MaxTimeStamp", max)
                .with("ConsumeTimeStamp", onTopic.lastTimestamp()));
    }

    public WireObject onsMessagePush(Params request) {
        Target target = target(request);
        TopicView topic = topics.require(target.instance(), request.required("Topic"));
        String clientId = request.required("ClientId");
        String id = MessageIds.param(request);
        Connections connection = online(target.group());
        if (connection.clients().stream().noneMatch(c -> c.clientId().equals(clientId))) {
            throw OnsErrors.consumerNotOnline("client " + clientId + " of group " + target.group().groupId() + " is not online.");
        }
        if (!connection.subscriptions().containsKey(topic.brokerName())) {
            // consume-message-directly would hand the listener a message of a topic it never asked for
            throw OnsErrors.consumerNotOnline("no client of group " + target.group().groupId() + " subscribes topic " + topic.name() + ".");
        }
        StoredMessage message = cluster.messages().byId(topic.brokerName(), id)
                .orElseThrow(() -> OnsErrors.noMessage("topic " + topic.name() + " has no message with ID " + id + "."));
        // The broker finds the message by its offset id; handing it over avoids the admin's guess at the id's kind.
        ClusterConsumers.PushResult result = cluster.consumers().push(target.group().brokerName(), clientId, topic.brokerName(),
                message.offsetId());
        return WireObject.of()
                .with("ConsumeResult", result.consumeResult())
                .with("SpentTimeMills", result.spentMillis())
                .with("Remark", result.remark());
    }

    // --- shared ----------------------------------------------------------------------------------------

    private record Target(InstanceRecord instance, GroupView group) {
    }

    private Target target(Params request) {
        String instanceId = request.required("InstanceId");
        String groupId = request.required("GroupId");
        Pending<InstanceRecord> instance = instances.requireMeanwhile("InstanceId", instanceId);
        Optional<GroupView> group = groups.find(instances.brokerName(instanceId, groupId)); // meanwhile the instance is checked
        return new Target(instance.get(), group.orElseThrow(() -> OnsErrors.groupNotFound(groupId)));
    }

    /** The broker's name of the request's group, from the names alone (not yet checked but for its characters). */
    private String brokerGroup(Params request) {
        String groupId = request.required("GroupId");
        String brokerName = instances.brokerName(request.required("InstanceId"), groupId);
        if (!ResourceNames.couldExist(brokerName)) {
            throw OnsErrors.groupNotFound(groupId); // no round trip for a name no group can have
        }
        return brokerName;
    }

    private Connections online(GroupView group) {
        return cluster.consumers().connections(group.brokerName())
                .orElseThrow(() -> OnsErrors.consumerNotOnline("no client of group " + group.groupId() + " is online."));
    }

    private Backlog backlog(String brokerGroup) {
        long now = System.currentTimeMillis();
        return cluster.consumers().offsets(brokerGroup).map(offsets -> Backlog.read(offsets, cluster, now, storeTimes)).orElse(Backlog.NONE)
                .withInFlight(http.inFlight(brokerGroup));
    }

    static WireObject connection(Client client) {
        String address = client.clientAddr();
        return WireObject.of()
                .with("ClientId", client.clientId())
                .with("ClientAddr", address)
                .with("RemoteIP", address == null ? null : address.replaceFirst(":\\d+$", ""))
                .with("Language", client.language())
                .with("Version", client.version());
    }
}
