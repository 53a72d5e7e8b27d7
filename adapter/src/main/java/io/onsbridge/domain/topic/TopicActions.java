package io.onsbridge.domain.topic;

import io.onsbridge.cluster.Cluster;
import io.onsbridge.cluster.ClusterConsumers;
import io.onsbridge.cluster.ClusterOffsets.QueueStats;
import io.onsbridge.cluster.ClusterTopics;
import io.onsbridge.cluster.Pending;
import io.onsbridge.cluster.ResourceNames;
import io.onsbridge.domain.NameLocks;
import io.onsbridge.domain.OnsErrors;
import io.onsbridge.domain.Params;
import io.onsbridge.domain.RecentlyFound;
import io.onsbridge.domain.Rollback;
import io.onsbridge.domain.TagFilter;
import io.onsbridge.domain.WireList;
import io.onsbridge.domain.WireObject;
import io.onsbridge.domain.instance.InstanceRecord;
import io.onsbridge.domain.instance.Instances;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The topic actions of topic.md. A topic of instance X is the broker topic {@code X%name} on every
 * master; its MessageType is the broker's {@code message.type} attribute and its Perm the broker's
 * PermName, both read back from the brokers.
 */
public final class TopicActions {
    static final Pattern NAME = Pattern.compile("[A-Za-z0-9_-]{3,64}");
    static final String NAME_RULE = "3 to 64 letters, digits, '_' or '-', not starting with CID or GID.";
    private static final int MAX_REMARK = 256;

    private final Instances instances;
    private final Topics topics;
    private final Cluster cluster;
    private final int queuesPerMaster;
    private final NameLocks nameLocks;
    /** Instances whose topic status was asked lately: a dashboard asks it again and again (see {@link RecentlyFound}). */
    private final RecentlyFound<InstanceRecord> found = new RecentlyFound<>();

    public TopicActions(Instances instances, Topics topics, Cluster cluster, int queuesPerMaster, NameLocks nameLocks) {
        this.instances = instances;
        this.nameLocks = nameLocks;
        this.topics = topics;
        this.cluster = cluster;
        this.queuesPerMaster = queuesPerMaster;
    }

    public WireObject onsTopicCreate(Params request) {
        InstanceRecord instance = instances.require("InstanceId", request.required("InstanceId"));
        String name = topicName(request);
        int type = request.requiredInt("MessageType", 0, 5);
        if (type == 3) {
            throw OnsErrors.fieldCheckInvalid("MessageType", "use 0 (normal), 1 (partition order), 2 (global order), "
                    + "4 (transactional) or 5 (delayed).");
        }
        String remark = request.optional("Remark", MAX_REMARK);
        String brokerName = instance.brokerName(name);
        nameLocks.locked(brokerName, () -> {
            if (topics.exists(instance, name)) {
                throw OnsErrors.topicExisted(name);
            }
            // Metadata first: until the broker has the topic, a record alone is invisible.
            topics.saveRecord(brokerName, new TopicRecord(remark, System.currentTimeMillis(), null, type));
            Set<String> masters = cluster.topics().masters();
            int queues = queuesPerMaster;
            if (type == TopicView.GLOBAL_ORDER) {
                // Global order is one queue in the whole cluster: one master holds it.
                masters = Set.of(masters.iterator().next());
                queues = 1;
            }
            Set<String> targets = masters;
            int perMaster = queues;
            // A failure on any master removes the topic from every master and the record: no half topic.
            Rollback.onFailure(() -> cluster.topics().create(targets, brokerName, perMaster, TopicView.brokerType(type)),
                    () -> cluster.topics().delete(brokerName), () -> topics.deleteRecord(brokerName));
        });
        return WireObject.of();
    }

    public WireObject onsTopicDelete(Params request) {
        InstanceRecord instance = instances.require("InstanceId", request.required("InstanceId"));
        String name = request.required("Topic");
        nameLocks.locked(instance.brokerName(name), () -> {
            TopicView topic = topics.require(instance, name);
            cluster.topics().delete(topic.brokerName());
            topics.deleteRecord(topic.brokerName());
        });
        return WireObject.of();
    }

    public WireObject onsTopicStatus(Params request) {
        String instanceId = request.required("InstanceId");
        String name = request.required("Topic");
        // The instance check (unless found lately), the topic's config and its stats need only the names: asked at once.
        String brokerName = instances.brokerName(instanceId, name);
        InstanceRecord known = found.get(instanceId, brokerName);
        Pending<InstanceRecord> instance = known != null ? null : instances.requireMeanwhile("InstanceId", instanceId);
        Pending<List<QueueStats>> stats = cluster.meanwhile(() -> cluster.offsets().queueStats(brokerName));
        Optional<TopicView> config = topics.find(brokerName);
        InstanceRecord record = known != null ? known : instance.get();
        TopicView topic = config.orElseThrow(() -> OnsErrors.topicNotFound(name));
        found.put(instanceId, brokerName, record);
        long total = 0;
        long last = 0;
        for (QueueStats queue : stats.get()) {
            total += queue.maxOffset() - queue.minOffset();
            last = Math.max(last, queue.lastUpdateTimestamp());
        }
        return WireObject.of().with("Data", WireObject.of()
                .with("TotalCount", total)
                .with("LastTimeStamp", last)
                .with("Perm", topic.perm()));
    }

    public WireObject onsTopicList(Params request) {
        InstanceRecord instance = instances.require("InstanceId", request.required("InstanceId"));
        String only = request.optional("Topic");
        TagFilter filter = TagFilter.of(request);
        // One topic asked for: read for itself, as the cluster holds it now; otherwise the instance's list (topics.of).
        List<TopicView> listed = only == null ? topics.of(instance) : topics.find(instance, only).filter(t -> instance.owns(t.brokerName())).stream().toList();
        List<WireObject> items = listed.stream()
                .filter(t -> filter.matches(t.record().tags()))
                .map(t -> listItem(instance, t))
                .toList();
        return WireObject.of().with("Data", WireList.wrapped("PublishInfoDo", items));
    }

    public WireObject onsTopicUpdate(Params request) {
        InstanceRecord instance = instances.require("InstanceId", request.required("InstanceId"));
        String name = request.required("Topic");
        int perm = request.requiredInt("Perm", 2, 6);
        if (perm != ClusterTopics.PERM_WRITE && perm != ClusterTopics.PERM_READ && perm != (ClusterTopics.PERM_READ | ClusterTopics.PERM_WRITE)) {
            throw OnsErrors.fieldCheckInvalid("Perm", "use 2 (write only), 4 (read only) or 6 (read and write).");
        }
        TopicView topic = topics.require(instance, name);
        cluster.topics().setPerm(topic.brokerName(), perm);
        return WireObject.of();
    }

    public WireObject onsTopicSubDetail(Params request) {
        InstanceRecord instance = instances.require("InstanceId", request.required("InstanceId"));
        TopicView topic = topics.require(instance, request.required("Topic"));
        List<WireObject> subscriptions = new ArrayList<>();
        for (String group : cluster.consumers().groupsConsuming(topic.brokerName())) {
            ClusterConsumers.Connections connection = cluster.consumers().connections(group).orElse(null);
            ClusterConsumers.Subscription subscription = connection == null ? null : connection.subscriptions().get(topic.brokerName());
            if (subscription != null) {
                subscriptions.add(WireObject.of()
                        .with("GroupId", InstanceRecord.userName(group))
                        .with("MessageModel", connection.messageModel() == null ? null : connection.messageModel().name())
                        .with("SubString", subscription.expression()));
            }
        }
        return WireObject.of().with("Data", WireObject.of()
                .with("Topic", topic.name())
                .with("SubscriptionDataList", WireList.wrapped("SubscriptionDataList", subscriptions)));
    }

    private WireObject listItem(InstanceRecord instance, TopicView topic) {
        int perm = topic.perm();
        return WireObject.of()
                .with("Topic", topic.name())
                .with("InstanceId", instance.instanceId())
                .with("MessageType", topic.messageType())
                .with("Remark", topic.record().remark())
                .with("CreateTime", topic.record().createTime())
                .with("IndependentNaming", instance.independentNaming())
                .with("Owner", instances.accountId())
                .with("Relation", perm)
                .with("RelationName", relationName(perm))
                .with("Tags", TagFilter.wire(topic.record().tags()));
    }

    private static String relationName(int perm) {
        return switch (perm) {
            case ClusterTopics.PERM_WRITE -> "可发布";
            case ClusterTopics.PERM_READ -> "可订阅";
            case ClusterTopics.PERM_READ | ClusterTopics.PERM_WRITE -> "授权发布/订阅";
            default -> "禁止读写";
        };
    }

    static String topicName(Params request) {
        String name = request.required("Topic", NAME, NAME_RULE);
        if (name.startsWith("CID") || name.startsWith("GID")) {
            throw OnsErrors.fieldCheckInvalid("Topic", "names starting with CID or GID are reserved for group IDs.");
        }
        if (ResourceNames.isSystemTopicName(name)) {
            throw OnsErrors.fieldCheckInvalid("Topic", "\"" + name + "\" is a RocketMQ system topic name.");
        }
        return name;
    }
}
