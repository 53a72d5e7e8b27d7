package io.onsbridge.consumer;

import io.onsbridge.backend.ClusterAdmin;
import io.onsbridge.backend.MessageClient;
import io.onsbridge.backend.Pending;
import io.onsbridge.group.GroupView;
import io.onsbridge.group.Groups;
import io.onsbridge.instance.InstanceRecord;
import io.onsbridge.instance.Instances;
import io.onsbridge.message.MessageActions;
import io.onsbridge.protocol.OnsErrors;
import io.onsbridge.protocol.OnsRequest;
import io.onsbridge.protocol.render.WireList;
import io.onsbridge.protocol.render.WireObject;
import io.onsbridge.topic.TopicView;
import io.onsbridge.topic.Topics;
import java.util.List;
import java.util.Optional;
import org.apache.rocketmq.common.MQVersion;
import org.apache.rocketmq.common.message.MessageExt;
import org.apache.rocketmq.remoting.protocol.admin.TopicOffset;
import org.apache.rocketmq.remoting.protocol.body.Connection;
import org.apache.rocketmq.remoting.protocol.body.ConsumeMessageDirectlyResult;
import org.apache.rocketmq.remoting.protocol.body.ConsumerConnection;

/**
 * The consumer actions of consumer.md, from the broker's consume stats and the clients' own reports.
 * Every figure is read from the cluster when asked; nothing is estimated.
 */
public final class ConsumerActions {
    private final Instances instances;
    private final Groups groups;
    private final Topics topics;
    private final ClusterAdmin cluster;
    private final MessageClient messages;
    private final OffsetReset reset;
    private final ConsumerStatus status;

    public ConsumerActions(Instances instances, Groups groups, Topics topics, ClusterAdmin cluster, MessageClient messages) {
        this.instances = instances;
        this.groups = groups;
        this.topics = topics;
        this.cluster = cluster;
        this.messages = messages;
        this.reset = new OffsetReset(cluster);
        this.status = new ConsumerStatus(cluster);
    }

    public WireObject onsConsumerAccumulate(OnsRequest request) {
        String group = brokerGroup(request);
        boolean detail = Boolean.TRUE.equals(request.optionalBoolean("Detail"));
        // Who is online and the backlog need only the group's name: asked while the group is checked.
        Pending<Boolean> online = cluster.meanwhile(() -> cluster.consumers().connection(group).isPresent());
        Pending<Backlog> pending = cluster.meanwhile(() -> backlog(group));
        target(request);
        Backlog backlog = pending.get();
        return WireObject.of().with("Data", WireObject.of()
                .with("Online", online.get())
                .with("TotalDiff", backlog.totalDiff())
                .with("ConsumeTps", (float) backlog.consumeTps())
                .with("LastTimestamp", backlog.lastTimestamp())
                .with("DelayTime", backlog.delayTime())
                .with("DetailInTopicList", detail ? backlog.detail() : WireList.wrapped("DetailInTopicDo", List.of())));
    }

    public WireObject onsConsumerStatus(OnsRequest request) {
        Target target = target(request);
        boolean detail = Boolean.TRUE.equals(request.optionalBoolean("Detail"));
        boolean jstack = detail && Boolean.TRUE.equals(request.optionalBoolean("NeedJstack"));
        return WireObject.of().with("Data", status.of(target.instance(), target.group(), backlog(target.group().brokerName()), detail, jstack));
    }

    public WireObject onsConsumerGetConnection(OnsRequest request) {
        Target target = target(request);
        ConsumerConnection connection = online(target.group());
        List<WireObject> connections = connection.getConnectionSet().stream()
                .sorted(java.util.Comparator.comparing(Connection::getClientId))
                .map(ConsumerActions::connection)
                .toList();
        return WireObject.of().with("Data", WireObject.of().with("ConnectionList", WireList.wrapped("ConnectionDo", connections)));
    }

    public WireObject onsConsumerResetOffset(OnsRequest request) {
        Target target = target(request);
        TopicView topic = topics.require(target.instance(), request.required("Topic"));
        int type = request.requiredInt("Type", 0, 1);
        Long timestamp = request.optionalLong("ResetTimestamp", 0, Long.MAX_VALUE);
        if (type == 1 && timestamp == null) {
            throw OnsErrors.missingParameter("ResetTimestamp");
        }
        reset.reset(topic.brokerName(), target.group().brokerName(), type == 0 ? OffsetReset.toEnd() : timestamp);
        return WireObject.of();
    }

    public WireObject onsConsumerTimeSpan(OnsRequest request) {
        Target target = target(request);
        TopicView topic = topics.require(target.instance(), request.required("Topic"));
        long min = 0;
        long max = 0;
        for (var queue : cluster.topicStats(topic.brokerName()).getOffsetTable().entrySet()) {
            TopicOffset offsets = queue.getValue();
            if (offsets.getMaxOffset() > offsets.getMinOffset()) {
                long earliest = cluster.call("read the earliest message of " + queue.getKey(), a -> a.earliestMsgStoreTime(queue.getKey()));
                min = min == 0 ? earliest : Math.min(min, earliest);
                max = Math.max(max, offsets.getLastUpdateTimestamp());
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

    public WireObject onsMessagePush(OnsRequest request) {
        Target target = target(request);
        TopicView topic = topics.require(target.instance(), request.required("Topic"));
        String clientId = request.required("ClientId");
        String id = MessageActions.messageId(request);
        ConsumerConnection connection = online(target.group());
        if (connection.getConnectionSet().stream().noneMatch(c -> c.getClientId().equals(clientId))) {
            throw OnsErrors.consumerNotOnline("client " + clientId + " of group " + target.group().groupId() + " is not online.");
        }
        if (!connection.getSubscriptionTable().containsKey(topic.brokerName())) {
            // consume-message-directly would hand the listener a message of a topic it never asked for
            throw OnsErrors.consumerNotOnline("no client of group " + target.group().groupId() + " subscribes topic " + topic.name() + ".");
        }
        MessageExt message = messages.byId(topic.brokerName(), id)
                .orElseThrow(() -> OnsErrors.noMessage("topic " + topic.name() + " has no message with ID " + id + "."));
        // The broker finds the message by its offset id; handing it over avoids the admin's guess at the id's kind.
        String offsetId = MessageClient.offsetId(message);
        ConsumeMessageDirectlyResult result = cluster.call("push " + id + " to " + clientId,
                a -> a.consumeMessageDirectly(target.group().brokerName(), clientId, topic.brokerName(), offsetId));
        return WireObject.of()
                .with("ConsumeResult", result.getConsumeResult() == null ? null : result.getConsumeResult().name())
                .with("SpentTimeMills", result.getSpentTimeMills())
                .with("Remark", result.getRemark());
    }

    // --- shared ----------------------------------------------------------------------------------------

    private record Target(InstanceRecord instance, GroupView group) {
    }

    private Target target(OnsRequest request) {
        String instanceId = request.required("InstanceId");
        String groupId = request.required("GroupId");
        Pending<InstanceRecord> instance = instances.requireMeanwhile("InstanceId", instanceId);
        Optional<GroupView> group = groups.find(instances.brokerName(instanceId, groupId)); // meanwhile the instance is checked
        return new Target(instance.get(), group.orElseThrow(() -> OnsErrors.groupNotFound(groupId)));
    }

    /** The broker's name of the request's group, from the names alone (not yet checked). */
    private String brokerGroup(OnsRequest request) {
        return instances.brokerName(request.required("InstanceId"), request.required("GroupId"));
    }

    private ConsumerConnection online(GroupView group) {
        return cluster.consumers().connection(group.brokerName())
                .orElseThrow(() -> OnsErrors.consumerNotOnline("no client of group " + group.groupId() + " is online."));
    }

    private Backlog backlog(String brokerGroup) {
        long now = System.currentTimeMillis();
        return cluster.consumers().consumeStats(brokerGroup).map(stats -> Backlog.of(stats, messages, cluster, now)).orElse(Backlog.NONE);
    }

    static WireObject connection(Connection connection) {
        String address = connection.getClientAddr();
        return WireObject.of()
                .with("ClientId", connection.getClientId())
                .with("ClientAddr", address)
                .with("RemoteIP", address == null ? null : address.replaceFirst(":\\d+$", ""))
                .with("Language", connection.getLanguage() == null ? null : connection.getLanguage().name())
                .with("Version", MQVersion.getVersionDesc(connection.getVersion()));
    }

    static Optional<String> messageModel(ConsumerConnection connection) {
        return Optional.ofNullable(connection.getMessageModel()).map(Enum::name);
    }
}
