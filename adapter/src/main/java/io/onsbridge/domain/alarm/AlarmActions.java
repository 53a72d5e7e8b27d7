package io.onsbridge.domain.alarm;

import io.onsbridge.cluster.ClusterMetadata;
import io.onsbridge.domain.OnsErrors;
import io.onsbridge.domain.Params;
import io.onsbridge.domain.WireObject;
import io.onsbridge.domain.group.GroupView;
import io.onsbridge.domain.group.Groups;
import io.onsbridge.domain.instance.InstanceRecord;
import io.onsbridge.domain.instance.Instances;
import io.onsbridge.domain.topic.TopicView;
import io.onsbridge.domain.topic.Topics;
import java.util.regex.Pattern;

/**
 * OnsWarnCreate and OnsWarnDelete (consumer.md; Tea SDK only, semantics inferred): one alarm rule per
 * group and topic, kept in the cluster with the other metadata, evaluated by {@link AlarmEvaluator}.
 * Creating a rule that exists replaces it.
 */
public final class AlarmActions {
    static final int MAX_RULES = 1_000;
    private static final Pattern LEVEL = Pattern.compile("[A-Za-z0-9_-]{1,32}");
    private static final int MAX_CONTACTS = 1_024;
    private static final long DEFAULT_ALERT_MINUTES = 30;

    private final Instances instances;
    private final Groups groups;
    private final Topics topics;
    private final ClusterMetadata store;

    public AlarmActions(Instances instances, Groups groups, Topics topics, ClusterMetadata store) {
        this.instances = instances;
        this.groups = groups;
        this.topics = topics;
        this.store = store;
    }

    public WireObject onsWarnCreate(Params request) {
        InstanceRecord instance = instances.require("InstanceId", request.required("InstanceId"));
        GroupView group = groups.require(instance, request.required("GroupId"));
        TopicView topic = topics.require(instance, request.required("Topic"));
        long threshold = orZero(request.optionalLong("Threshold", 0, Long.MAX_VALUE / 2));
        long delay = orZero(request.optionalLong("DelayTime", 0, 525_600));
        long block = orZero(request.optionalLong("BlockTime", 0, 525_600));
        Long alert = request.optionalLong("AlertTime", 1, 10_080);
        if (threshold == 0 && delay == 0 && block == 0) {
            throw OnsErrors.fieldCheckInvalid("Threshold", "give at least one of Threshold (messages), DelayTime or BlockTime (minutes) above 0.");
        }
        String level = request.optional("Level", LEVEL, "1 to 32 letters, digits, '_' or '-'.");
        String contacts = request.optional("Contacts", MAX_CONTACTS);
        AlarmRule rule = new AlarmRule(instance.instanceId(), group.groupId(), topic.name(), group.brokerName(), topic.brokerName(),
                threshold, delay, block, alert == null ? DEFAULT_ALERT_MINUTES : alert, level == null ? "WARN" : level,
                contacts, System.currentTimeMillis());
        synchronized (this) { // the rule count check and the write, one create at a time in this bridge
            var existing = store.list(AlarmRule.KIND, AlarmRule.class);
            if (!existing.containsKey(rule.key()) && existing.size() >= MAX_RULES) {
                throw OnsErrors.fieldCheckInvalid("GroupId", "this cluster already has the maximum of " + MAX_RULES + " alarm rules.");
            }
            store.put(AlarmRule.KIND, rule.key(), rule);
        }
        return WireObject.of();
    }

    public WireObject onsWarnDelete(Params request) {
        InstanceRecord instance = instances.require("InstanceId", request.required("InstanceId"));
        GroupView group = groups.require(instance, request.required("GroupId"));
        TopicView topic = topics.require(instance, request.required("Topic"));
        String key = AlarmRule.key(group.brokerName(), topic.brokerName());
        if (store.get(AlarmRule.KIND, key, AlarmRule.class).isEmpty()) {
            throw OnsErrors.resourceNotFound("alarm rule", group.groupId() + " on " + topic.name());
        }
        store.delete(AlarmRule.KIND, key);
        return WireObject.of();
    }

    private static long orZero(Long value) {
        return value == null ? 0 : value;
    }
}
