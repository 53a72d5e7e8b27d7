package io.onsbridge.domain.message;

import io.onsbridge.cluster.Cluster;
import io.onsbridge.cluster.ClusterConsumers;
import io.onsbridge.cluster.OutgoingMessage;
import io.onsbridge.cluster.Pending;
import io.onsbridge.cluster.StoredMessage;
import io.onsbridge.domain.OnsErrors;
import io.onsbridge.domain.Params;
import io.onsbridge.domain.RecentlyFound;
import io.onsbridge.domain.WireList;
import io.onsbridge.domain.WireObject;
import io.onsbridge.domain.instance.InstanceRecord;
import io.onsbridge.domain.instance.Instances;
import io.onsbridge.domain.topic.TopicView;
import io.onsbridge.domain.topic.Topics;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/** The message actions of message.md: lookups by id and key, time-range paging, consumption state, sending. */
public final class MessageActions {
    private static final int MAX_BODY_BYTES = 4 << 20;

    private final Instances instances;
    private final Topics topics;
    private final Cluster cluster;
    private final TimeRangePager pager;
    /** Instances and topics found lately (see {@link RecentlyFound}), by instance ID and broker topic. */
    private final RecentlyFound<InstanceRecord> recentlyFound = new RecentlyFound<>();

    public MessageActions(Instances instances, Topics topics, Cluster cluster, TimeRangePager pager) {
        this.instances = instances;
        this.topics = topics;
        this.cluster = cluster;
        this.pager = pager;
    }

    public WireObject onsMessageGetByMsgId(Params request) {
        Found found = find(request);
        return WireObject.of().with("Data", MessageWire.of(found.message(), found.instance(), false, false));
    }

    /** Legacy SDK only: the message with its body (Base64), properties as a bare list. */
    public WireObject onsMessageDetail(Params request) {
        Found found = find(request);
        return WireObject.of().with("Data", MessageWire.of(found.message(), found.instance(), true, true));
    }

    /**
     * The instance, the topic and the key's index lookup at once (each needs only names): one round trip;
     * the instance and topic are not asked again while {@link RecentlyFound} holds them
     * ({@link #onsMessageGetByKeyWithoutBlocking}).
     */
    public CompletableFuture<WireObject> onsMessageGetByKey(Params request) {
        CompletableFuture<WireObject> known = onsMessageGetByKeyWithoutBlocking(request);
        if (known != null) {
            return known;
        }
        String instanceId = request.required("InstanceId");
        String topicName = request.required("Topic");
        String brokerTopic = instances.brokerName(instanceId, topicName);
        String key = request.optional("Key", 128);
        Pending<InstanceRecord> pendingInstance = instances.requireMeanwhile("InstanceId", instanceId);
        // Alongside the instance and topic reads; alone, in this thread (a hand-over to another costs more than it saves).
        Pending<List<StoredMessage>> pendingFound = key == null ? null : cluster.meanwhile(() -> cluster.messages().byKey(brokerTopic, key));
        Optional<TopicView> topic = topics.find(brokerTopic);
        InstanceRecord instance = pendingInstance.get();
        topic.orElseThrow(() -> OnsErrors.topicNotFound(topicName));
        recentlyFound.put(instanceId, brokerTopic, instance);
        if (key == null) {
            throw OnsErrors.missingParameter("Key");
        }
        return CompletableFuture.completedFuture(byKeyAnswer(pendingFound.get(), instance, topicName, key));
    }

    /**
     * {@link #onsMessageGetByKey} when its instance and topic were found lately: the key's lookup alone, sent from this
     * thread, which does not wait for it (the HTTP event loop calls this first); the answer is made on the thread the
     * reply arrives on (session 22, docs/benchmarks.md: 5 to 9% less CPU per call at 8 clients). Null otherwise: that
     * call must read the cluster first. A parameter refused is refused here already.
     */
    public CompletableFuture<WireObject> onsMessageGetByKeyWithoutBlocking(Params request) {
        String instanceId = request.required("InstanceId");
        Instances.checkId("InstanceId", instanceId);
        String topicName = request.required("Topic");
        String key = request.optional("Key", 128);
        String brokerTopic = instances.brokerName(instanceId, topicName);
        InstanceRecord known = key == null ? null : recentlyFound.get(instanceId, brokerTopic);
        if (known == null) {
            return null;
        }
        return cluster.messages().byKeyAsync(List.of(brokerTopic), key)
                .thenApply(found -> byKeyAnswer(found.get(brokerTopic), known, topicName, key));
    }

    private static WireObject byKeyAnswer(List<StoredMessage> found, InstanceRecord instance, String topicName, String key) {
        if (found.isEmpty()) {
            throw OnsErrors.noMessage("no message of topic " + topicName + " has the key \"" + key + "\".");
        }
        return WireObject.of().with("Data", WireList.wrapped("OnsRestMessageDo",
                found.stream().map(m -> MessageWire.of(m, instance, false, false)).toList()));
    }

    public WireObject onsMessagePageQueryByTopic(Params request) {
        InstanceRecord instance = instances.require("InstanceId", request.required("InstanceId"));
        TopicView topic = topics.require(instance, request.required("Topic"));
        TimeRangePager.Page page = pager.page(request, topic.brokerName());
        return page.wire(m -> MessageWire.of(m, instance, false, false));
    }

    public WireObject onsMessageTrace(Params request) {
        Found found = find(request);
        List<WireObject> tracks = cluster.consumers().track(found.message()).stream()
                .filter(t -> found.instance().owns(t.group()))
                .map(t -> WireObject.of()
                        .with("ConsumerGroup", InstanceRecord.userName(t.group()))
                        .with("InstanceId", found.instance().instanceId())
                        .with("TrackType", trackType(t))
                        .with("ExceptionDesc", t.exceptionDesc()))
                .toList();
        return WireObject.of().with("Data", WireList.wrapped("MessageTrack", tracks));
    }

    /** Tea SDK only: sends a text message and answers its message ID. */
    public WireObject onsMessageSend(Params request) {
        InstanceRecord instance = instances.require("InstanceId", request.required("InstanceId"));
        TopicView topic = topics.require(instance, request.required("Topic"));
        String body = request.required("Message");
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        if (bytes.length > MAX_BODY_BYTES) {
            throw OnsErrors.fieldCheckInvalid("Message", "a message body has at most " + MAX_BODY_BYTES + " bytes.");
        }
        String msgId = cluster.messages().send(OutgoingMessage.of(topic.brokerName(), request.optional("Tag", 128),
                request.optional("Key", 128), bytes));
        return WireObject.of().with("Data", msgId);
    }

    private record Found(InstanceRecord instance, StoredMessage message) {
    }

    /** InstanceId + Topic + MsgId (client id or broker offset id) to the stored message, or BIZ_NO_MESSAGE. */
    private Found find(Params request) {
        InstanceRecord instance = instances.require("InstanceId", request.required("InstanceId"));
        TopicView topic = topics.require(instance, request.required("Topic"));
        String id = MessageIds.param(request);
        StoredMessage message = cluster.messages().byId(topic.brokerName(), id)
                .orElseThrow(() -> OnsErrors.noMessage("topic " + topic.name() + " has no message with ID " + id + "."));
        return new Found(instance, message);
    }

    /** RocketMQ's TrackType names ONS's, but for a pull or broadcast consumer, where only UNKNOWN fits. */
    static String trackType(ClusterConsumers.Track track) {
        return switch (track.type()) {
            case "CONSUMED", "CONSUMED_BUT_FILTERED", "NOT_CONSUME_YET", "NOT_ONLINE" -> track.type();
            default -> "UNKNOWN";
        };
    }
}
