package io.onsbridge.topic;

import io.onsbridge.actions.NameLocks;
import io.onsbridge.actions.Rollback;
import io.onsbridge.backend.ClusterAdmin;
import io.onsbridge.backend.Pending;
import io.onsbridge.instance.InstanceRecord;
import io.onsbridge.instance.Instances;
import io.onsbridge.protocol.OnsErrors;
import io.onsbridge.protocol.OnsRequest;
import io.onsbridge.protocol.render.WireList;
import io.onsbridge.protocol.render.WireObject;
import io.onsbridge.tag.TagFilter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;
import org.apache.rocketmq.common.TopicConfig;
import org.apache.rocketmq.common.constant.PermName;
import org.apache.rocketmq.remoting.protocol.admin.TopicOffset;
import org.apache.rocketmq.remoting.protocol.admin.TopicStatsTable;
import org.apache.rocketmq.remoting.protocol.body.ConsumerConnection;
import org.apache.rocketmq.remoting.protocol.heartbeat.SubscriptionData;

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
    private final ClusterAdmin cluster;
    private final int queuesPerMaster;
    private final NameLocks nameLocks;

    public TopicActions(Instances instances, Topics topics, ClusterAdmin cluster, int queuesPerMaster, NameLocks nameLocks) {
        this.instances = instances;
        this.nameLocks = nameLocks;
        this.topics = topics;
        this.cluster = cluster;
        this.queuesPerMaster = queuesPerMaster;
    }

    public WireObject onsTopicCreate(OnsRequest request) {
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
            Set<String> masters = cluster.masterAddresses();
            int queues = queuesPerMaster;
            if (type == TopicView.GLOBAL_ORDER) {
                // Global order is one queue in the whole cluster: one master holds it.
                masters = Set.of(masters.iterator().next());
                queues = 1;
            }
            TopicConfig config = new TopicConfig(brokerName, queues, queues, PermName.PERM_READ | PermName.PERM_WRITE);
            config.setAttributes(Map.of("+message.type", TopicView.brokerType(type).getValue()));
            Set<String> targets = masters;
            // A failure on any master removes the topic from every master and the record: no half topic.
            Rollback.onFailure(() -> cluster.createTopic(targets, config),
                    () -> cluster.deleteTopic(brokerName), () -> topics.deleteRecord(brokerName));
        });
        return WireObject.of();
    }

    public WireObject onsTopicDelete(OnsRequest request) {
        InstanceRecord instance = instances.require("InstanceId", request.required("InstanceId"));
        String name = request.required("Topic");
        nameLocks.locked(instance.brokerName(name), () -> {
            TopicView topic = topics.require(instance, name);
            cluster.deleteTopic(topic.brokerName());
            topics.deleteRecord(topic.brokerName());
        });
        return WireObject.of();
    }

    public WireObject onsTopicStatus(OnsRequest request) {
        String instanceId = request.required("InstanceId");
        String name = request.required("Topic");
        // The instance check, the topic's config and its stats need only the names: asked at once.
        Pending<InstanceRecord> instance = instances.requireMeanwhile("InstanceId", instanceId);
        String brokerName = instances.brokerName(instanceId, name);
        Pending<TopicStatsTable> stats = cluster.meanwhile(() -> cluster.topicStats(brokerName));
        Optional<TopicView> found = topics.find(brokerName);
        instance.get();
        TopicView topic = found.orElseThrow(() -> OnsErrors.topicNotFound(name));
        long total = 0;
        long last = 0;
        for (TopicOffset offset : stats.get().getOffsetTable().values()) {
            total += offset.getMaxOffset() - offset.getMinOffset();
            last = Math.max(last, offset.getLastUpdateTimestamp());
        }
        return WireObject.of().with("Data", WireObject.of()
                .with("TotalCount", total)
                .with("LastTimeStamp", last)
                .with("Perm", topic.perm()));
    }

    public WireObject onsTopicList(OnsRequest request) {
        Pending<InstanceRecord> pending = instances.requireMeanwhile("InstanceId", request.required("InstanceId"));
        String only = request.optional("Topic");
        TagFilter filter = TagFilter.of(request);
        List<TopicView> all = topics.all(); // meanwhile the instance is checked
        InstanceRecord instance = pending.get();
        List<WireObject> items = all.stream()
                .filter(t -> instance.owns(t.brokerName()))
                .filter(t -> only == null || t.name().equals(only))
                .filter(t -> filter.matches(t.record().tags()))
                .map(t -> listItem(instance, t))
                .toList();
        return WireObject.of().with("Data", WireList.wrapped("PublishInfoDo", items));
    }

    public WireObject onsTopicUpdate(OnsRequest request) {
        InstanceRecord instance = instances.require("InstanceId", request.required("InstanceId"));
        String name = request.required("Topic");
        int perm = request.requiredInt("Perm", 2, 6);
        if (perm != PermName.PERM_WRITE && perm != PermName.PERM_READ && perm != (PermName.PERM_READ | PermName.PERM_WRITE)) {
            throw OnsErrors.fieldCheckInvalid("Perm", "use 2 (write only), 4 (read only) or 6 (read and write).");
        }
        TopicView topic = topics.require(instance, name);
        topic.configs().forEach((master, current) -> {
            // No attributes: on an update the broker keeps the ones it has (message.type).
            TopicConfig updated = new TopicConfig(current.getTopicName(), current.getReadQueueNums(),
                    current.getWriteQueueNums(), perm, current.getTopicSysFlag());
            updated.setOrder(current.isOrder());
            cluster.createTopic(Set.of(master), updated);
        });
        return WireObject.of();
    }

    public WireObject onsTopicSubDetail(OnsRequest request) {
        InstanceRecord instance = instances.require("InstanceId", request.required("InstanceId"));
        TopicView topic = topics.require(instance, request.required("Topic"));
        List<WireObject> subscriptions = new ArrayList<>();
        for (String group : cluster.consumers().groupsConsuming(topic.brokerName())) {
            ConsumerConnection connection = cluster.consumers().connection(group).orElse(null);
            SubscriptionData subscription = connection == null ? null : connection.getSubscriptionTable().get(topic.brokerName());
            if (subscription != null) {
                subscriptions.add(WireObject.of()
                        .with("GroupId", InstanceRecord.userName(group))
                        .with("MessageModel", connection.getMessageModel() == null ? null : connection.getMessageModel().name())
                        .with("SubString", subscription.getSubString()));
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
            case PermName.PERM_WRITE -> "可发布";
            case PermName.PERM_READ -> "可订阅";
            case PermName.PERM_READ | PermName.PERM_WRITE -> "授权发布/订阅";
            default -> "禁止读写";
        };
    }

    private static String topicName(OnsRequest request) {
        String name = request.required("Topic", NAME, NAME_RULE);
        if (name.startsWith("CID") || name.startsWith("GID")) {
            throw OnsErrors.fieldCheckInvalid("Topic", "names starting with CID or GID are reserved for group IDs.");
        }
        if (name.toUpperCase(Locale.ROOT).startsWith("RMQ_SYS_") || name.equals("TBW102")
                || name.equals("SCHEDULE_TOPIC_XXXX") || name.equals("OFFSET_MOVED_EVENT")) {
            throw OnsErrors.fieldCheckInvalid("Topic", "\"" + name + "\" is a RocketMQ system topic name.");
        }
        return name;
    }
}
