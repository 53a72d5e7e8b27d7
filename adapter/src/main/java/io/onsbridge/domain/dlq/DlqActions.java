package io.onsbridge.domain.dlq;

import io.onsbridge.cluster.Cluster;
import io.onsbridge.cluster.MessageProperties;
import io.onsbridge.cluster.OutgoingMessage;
import io.onsbridge.cluster.ResourceNames;
import io.onsbridge.cluster.StoredMessage;
import io.onsbridge.domain.OnsErrors;
import io.onsbridge.domain.Params;
import io.onsbridge.domain.WireList;
import io.onsbridge.domain.WireObject;
import io.onsbridge.domain.group.GroupView;
import io.onsbridge.domain.group.Groups;
import io.onsbridge.domain.instance.InstanceRecord;
import io.onsbridge.domain.instance.Instances;
import io.onsbridge.domain.message.MessageIds;
import io.onsbridge.domain.message.MessageWire;
import io.onsbridge.domain.message.TimeRangePager;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The dead-letter actions of dlq.md, on the broker's {@code %DLQ%X%GID_...} topic. A dead letter shows
 * the topic it was first sent to (its RETRY_TOPIC). A resend puts it, with its id, body, keys, tags and
 * user properties, on the group's retry topic {@code %RETRY%X%GID_...}: only that group consumes it, and
 * a resent message that fails again becomes a dead letter again. Like ONS, the bridge keeps no resend
 * state: resending twice delivers twice.
 */
public final class DlqActions {
    private final Instances instances;
    private final Groups groups;
    private final Cluster cluster;
    private final TimeRangePager pager;

    public DlqActions(Instances instances, Groups groups, Cluster cluster, TimeRangePager pager) {
        this.instances = instances;
        this.groups = groups;
        this.cluster = cluster;
        this.pager = pager;
    }

    public WireObject onsDLQMessageGetById(Params request) {
        DeadLetter dead = find(request);
        return WireObject.of().with("Data", MessageWire.of(dead.message(), originalTopic(dead.message()), dead.instance(), false, true));
    }

    public WireObject onsDLQMessagePageQueryByGroupId(Params request) {
        InstanceRecord instance = instances.require("InstanceId", request.required("InstanceId"));
        GroupView group = groups.require(instance, request.required("GroupId"));
        // A group that never had a dead letter has no DLQ topic yet: the pager answers an empty page.
        TimeRangePager.Page page = pager.page(request, ResourceNames.deadLetterTopic(group.brokerName()));
        return page.wire(m -> MessageWire.of(m, originalTopic(m), instance, false, false));
    }

    public WireObject onsDLQMessageResendById(Params request) {
        DeadLetter dead = find(request);
        StoredMessage original = dead.message();
        Map<String, String> properties = new TreeMap<>();
        original.properties().forEach((name, value) -> {
            if (!MessageProperties.BROKER_ADDED.contains(name)) {
                properties.put(name, value);
            }
        });
        // The consumer shows a message from the retry topic under its RETRY_TOPIC: the original topic.
        properties.put(MessageProperties.RETRY_TOPIC, originalTopic(original));
        String msgId = cluster.messages().send(new OutgoingMessage(ResourceNames.retryTopic(dead.group().brokerName()), null, null,
                original.body(), original.flag(), properties));
        return WireObject.of().with("Data", WireList.wrapped("MsgId", List.of(msgId)));
    }

    private record DeadLetter(InstanceRecord instance, GroupView group, StoredMessage message) {
    }

    private DeadLetter find(Params request) {
        InstanceRecord instance = instances.require("InstanceId", request.required("InstanceId"));
        GroupView group = groups.require(instance, request.required("GroupId"));
        String id = MessageIds.param(request);
        String dlqTopic = ResourceNames.deadLetterTopic(group.brokerName());
        if (cluster.offsets().queueStats(dlqTopic).isEmpty()) {
            throw OnsErrors.noMessage("group " + group.groupId() + " has no dead letters.");
        }
        StoredMessage message = cluster.messages().byId(dlqTopic, id)
                .orElseThrow(() -> OnsErrors.noMessage("group " + group.groupId() + " has no dead letter with ID " + id + "."));
        return new DeadLetter(instance, group, message);
    }

    /** RETRY_TOPIC names the topic the message was first sent to; a message without it shows where it is. */
    private static String originalTopic(StoredMessage message) {
        String retryTopic = message.property(MessageProperties.RETRY_TOPIC);
        return retryTopic != null ? retryTopic : message.topic();
    }
}
