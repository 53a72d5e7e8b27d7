package io.onsbridge.dlq;

import io.onsbridge.backend.MessageClient;
import io.onsbridge.group.GroupView;
import io.onsbridge.group.Groups;
import io.onsbridge.instance.InstanceRecord;
import io.onsbridge.instance.Instances;
import io.onsbridge.message.MessageActions;
import io.onsbridge.message.MessageWire;
import io.onsbridge.message.TimeRangePager;
import io.onsbridge.protocol.OnsErrors;
import io.onsbridge.protocol.OnsRequest;
import io.onsbridge.protocol.render.WireList;
import io.onsbridge.protocol.render.WireObject;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.rocketmq.client.producer.SendResult;
import org.apache.rocketmq.common.MixAll;
import org.apache.rocketmq.common.message.Message;
import org.apache.rocketmq.common.message.MessageAccessor;
import org.apache.rocketmq.common.message.MessageConst;
import org.apache.rocketmq.common.message.MessageExt;

/**
 * The dead-letter actions of dlq.md, on the broker's {@code %DLQ%X%GID_...} topic. A dead letter shows
 * the topic it was first sent to (its RETRY_TOPIC). A resend puts it, with its id, body, keys, tags and
 * user properties, on the group's retry topic {@code %RETRY%X%GID_...}: only that group consumes it, and
 * a resent message that fails again becomes a dead letter again. Like ONS, the bridge keeps no resend
 * state: resending twice delivers twice.
 */
public final class DlqActions {
    /** What the broker adds to a stored, retried or dead message; a resend starts without them. */
    private static final Set<String> BROKER_PROPERTIES = Set.of(MessageConst.PROPERTY_REAL_TOPIC, MessageConst.PROPERTY_REAL_QUEUE_ID,
            MessageConst.PROPERTY_DELAY_TIME_LEVEL, MessageConst.PROPERTY_RECONSUME_TIME, MessageConst.PROPERTY_MAX_RECONSUME_TIMES,
            MessageConst.PROPERTY_CLUSTER, MessageConst.PROPERTY_MSG_REGION, MessageConst.PROPERTY_MIN_OFFSET,
            MessageConst.PROPERTY_MAX_OFFSET, MessageConst.PROPERTY_CONSUME_START_TIMESTAMP, MessageConst.PROPERTY_WAIT_STORE_MSG_OK);

    private final Instances instances;
    private final Groups groups;
    private final MessageClient messages;
    private final TimeRangePager pager;

    public DlqActions(Instances instances, Groups groups, MessageClient messages, TimeRangePager pager) {
        this.instances = instances;
        this.groups = groups;
        this.messages = messages;
        this.pager = pager;
    }

    public WireObject onsDLQMessageGetById(OnsRequest request) {
        DeadLetter dead = find(request);
        return WireObject.of().with("Data", MessageWire.of(dead.message(), originalTopic(dead.message()), dead.instance(), false, true));
    }

    public WireObject onsDLQMessagePageQueryByGroupId(OnsRequest request) {
        InstanceRecord instance = instances.require("InstanceId", request.required("InstanceId"));
        GroupView group = groups.require(instance, request.required("GroupId"));
        // A group that never had a dead letter has no DLQ topic yet: the pager answers an empty page.
        TimeRangePager.Page page = pager.page(request, MixAll.getDLQTopic(group.brokerName()));
        return page.wire(m -> MessageWire.of(m, originalTopic(m), instance, false, false));
    }

    public WireObject onsDLQMessageResendById(OnsRequest request) {
        DeadLetter dead = find(request);
        MessageExt original = dead.message();
        Message resend = new Message(MixAll.getRetryTopic(dead.group().brokerName()), original.getBody());
        resend.setFlag(original.getFlag());
        for (Map.Entry<String, String> property : original.getProperties().entrySet()) {
            if (!BROKER_PROPERTIES.contains(property.getKey())) {
                MessageAccessor.putProperty(resend, property.getKey(), property.getValue());
            }
        }
        // The consumer shows a message from the retry topic under its RETRY_TOPIC: the original topic.
        MessageAccessor.putProperty(resend, MessageConst.PROPERTY_RETRY_TOPIC, originalTopic(original));
        SendResult result = messages.send(resend);
        return WireObject.of().with("Data", WireList.wrapped("MsgId", List.of(result.getMsgId())));
    }

    private record DeadLetter(InstanceRecord instance, GroupView group, MessageExt message) {
    }

    private DeadLetter find(OnsRequest request) {
        InstanceRecord instance = instances.require("InstanceId", request.required("InstanceId"));
        GroupView group = groups.require(instance, request.required("GroupId"));
        String id = MessageActions.messageId(request);
        String dlqTopic = MixAll.getDLQTopic(group.brokerName());
        if (messages.queues(dlqTopic).isEmpty()) {
            throw OnsErrors.noMessage("group " + group.groupId() + " has no dead letters.");
        }
        MessageExt message = messages.byId(dlqTopic, id)
                .orElseThrow(() -> OnsErrors.noMessage("group " + group.groupId() + " has no dead letter with ID " + id + "."));
        return new DeadLetter(instance, group, message);
    }

    /** RETRY_TOPIC names the topic the message was first sent to; a message without it shows where it is. */
    private static String originalTopic(MessageExt message) {
        String retryTopic = message.getProperty(MessageConst.PROPERTY_RETRY_TOPIC);
        return retryTopic != null ? retryTopic : message.getTopic();
    }
}
