package io.onsbridge.message;

import io.onsbridge.backend.MessageClient;
import io.onsbridge.instance.InstanceRecord;
import io.onsbridge.instance.Instances;
import io.onsbridge.protocol.OnsErrors;
import io.onsbridge.protocol.OnsRequest;
import io.onsbridge.protocol.render.WireList;
import io.onsbridge.protocol.render.WireObject;
import io.onsbridge.topic.TopicView;
import io.onsbridge.topic.Topics;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.regex.Pattern;
import org.apache.rocketmq.client.producer.SendResult;
import org.apache.rocketmq.common.message.MessageExt;
import org.apache.rocketmq.tools.admin.api.MessageTrack;

/** The message actions of message.md: lookups by id and key, time-range paging, consumption state, sending. */
public final class MessageActions {
    private static final Pattern MESSAGE_ID = Pattern.compile("[0-9A-Fa-f]{32,64}");
    private static final String MESSAGE_ID_RULE = "a message ID is 32 to 64 hexadecimal characters.";
    private static final int MAX_BODY_BYTES = 4 << 20;

    private final Instances instances;
    private final Topics topics;
    private final MessageClient messages;
    private final TimeRangePager pager;

    public MessageActions(Instances instances, Topics topics, MessageClient messages, TimeRangePager pager) {
        this.instances = instances;
        this.topics = topics;
        this.messages = messages;
        this.pager = pager;
    }

    public WireObject onsMessageGetByMsgId(OnsRequest request) {
        Found found = find(request);
        return WireObject.of().with("Data", MessageWire.of(found.message(), found.instance(), false, false));
    }

    /** Legacy SDK only: the message with its body (Base64), properties as a bare list. */
    public WireObject onsMessageDetail(OnsRequest request) {
        Found found = find(request);
        return WireObject.of().with("Data", MessageWire.of(found.message(), found.instance(), true, true));
    }

    public WireObject onsMessageGetByKey(OnsRequest request) {
        InstanceRecord instance = instances.require("InstanceId", request.required("InstanceId"));
        TopicView topic = topics.require(instance, request.required("Topic"));
        String key = request.optional("Key", 128);
        if (key == null) {
            throw OnsErrors.missingParameter("Key");
        }
        List<MessageExt> found = messages.byKey(topic.brokerName(), key);
        if (found.isEmpty()) {
            throw OnsErrors.noMessage("no message of topic " + topic.name() + " has the key \"" + key + "\".");
        }
        return WireObject.of().with("Data", WireList.wrapped("OnsRestMessageDo",
                found.stream().map(m -> MessageWire.of(m, instance, false, false)).toList()));
    }

    public WireObject onsMessagePageQueryByTopic(OnsRequest request) {
        InstanceRecord instance = instances.require("InstanceId", request.required("InstanceId"));
        TopicView topic = topics.require(instance, request.required("Topic"));
        TimeRangePager.Page page = pager.page(request, topic.brokerName());
        return page.wire(m -> MessageWire.of(m, instance, false, false));
    }

    public WireObject onsMessageTrace(OnsRequest request) {
        Found found = find(request);
        List<WireObject> tracks = messages.track(found.message()).stream()
                .filter(t -> found.instance().owns(t.getConsumerGroup()))
                .map(t -> WireObject.of()
                        .with("ConsumerGroup", InstanceRecord.userName(t.getConsumerGroup()))
                        .with("InstanceId", found.instance().instanceId())
                        .with("TrackType", trackType(t))
                        .with("ExceptionDesc", t.getExceptionDesc()))
                .toList();
        return WireObject.of().with("Data", WireList.wrapped("MessageTrack", tracks));
    }

    /** Tea SDK only: sends a text message and answers its message ID. */
    public WireObject onsMessageSend(OnsRequest request) {
        InstanceRecord instance = instances.require("InstanceId", request.required("InstanceId"));
        TopicView topic = topics.require(instance, request.required("Topic"));
        String body = request.required("Message");
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        if (bytes.length > MAX_BODY_BYTES) {
            throw OnsErrors.fieldCheckInvalid("Message", "a message body has at most " + MAX_BODY_BYTES + " bytes.");
        }
        SendResult result = messages.send(topic.brokerName(), request.optional("Tag", 128), request.optional("Key", 128), bytes);
        return WireObject.of().with("Data", result.getMsgId());
    }

    private record Found(InstanceRecord instance, MessageExt message) {
    }

    /** InstanceId + Topic + MsgId (client id or broker offset id) to the stored message, or BIZ_NO_MESSAGE. */
    private Found find(OnsRequest request) {
        InstanceRecord instance = instances.require("InstanceId", request.required("InstanceId"));
        TopicView topic = topics.require(instance, request.required("Topic"));
        String id = messageId(request);
        MessageExt message = messages.byId(topic.brokerName(), id)
                .orElseThrow(() -> OnsErrors.noMessage("topic " + topic.name() + " has no message with ID " + id + "."));
        return new Found(instance, message);
    }

    /** The MsgId parameter: a client or broker message ID, 32 to 64 hex characters, as upper case. */
    public static String messageId(OnsRequest request) {
        return request.required("MsgId", MESSAGE_ID, MESSAGE_ID_RULE).toUpperCase(java.util.Locale.ROOT);
    }

    /** RocketMQ's TrackType names ONS's, but for a pull or broadcast consumer, where only UNKNOWN fits. */
    private static String trackType(MessageTrack track) {
        return switch (track.getTrackType()) {
            case CONSUMED, CONSUMED_BUT_FILTERED, NOT_CONSUME_YET, NOT_ONLINE -> track.getTrackType().name();
            default -> "UNKNOWN";
        };
    }
}
