package io.onsbridge.topic;

import io.onsbridge.backend.ClusterAdmin;
import io.onsbridge.backend.MetadataStore;
import io.onsbridge.backend.SystemResources;
import io.onsbridge.instance.InstanceRecord;
import io.onsbridge.protocol.OnsErrors;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.apache.rocketmq.common.TopicConfig;

/**
 * The topics of an instance, read from the brokers (every master's topic table: the truth that mqadmin
 * and the dashboard see too) and joined with their metadata records. Topics made outside the bridge
 * appear with an empty record; system topics never appear.
 */
public final class Topics {
    static final String KIND = "TOPIC";

    private final ClusterAdmin cluster;
    private final MetadataStore store;

    public Topics(ClusterAdmin cluster, MetadataStore store) {
        this.cluster = cluster;
        this.store = store;
    }

    /** The instance's topics by user-visible name, in name order. */
    public List<TopicView> of(InstanceRecord instance) {
        Set<String> reserved = cluster.brokerAndClusterNames();
        Map<String, TopicRecord> records = store.list(KIND, TopicRecord.class);
        List<TopicView> topics = new ArrayList<>();
        cluster.topicConfigs().forEach((brokerName, configs) -> {
            if (instance.owns(brokerName) && !SystemResources.isSystemTopic(brokerName, reserved)) {
                topics.add(view(brokerName, configs, records.get(brokerName)));
            }
        });
        return topics;
    }

    public Optional<TopicView> find(InstanceRecord instance, String name) {
        String brokerName = instance.brokerName(name);
        Map<String, TopicConfig> configs = cluster.topicConfigs().get(brokerName);
        if (configs == null || SystemResources.isSystemTopic(brokerName, Set.of())) {
            return Optional.empty();
        }
        return Optional.of(view(brokerName, configs, store.get(KIND, brokerName, TopicRecord.class).orElse(null)));
    }

    public TopicView require(InstanceRecord instance, String name) {
        return find(instance, name).orElseThrow(() -> OnsErrors.topicNotFound(name));
    }

    public void saveRecord(String brokerName, TopicRecord record) {
        store.put(KIND, brokerName, record);
    }

    void deleteRecord(String brokerName) {
        store.delete(KIND, brokerName);
    }

    private static TopicView view(String brokerName, Map<String, TopicConfig> configs, TopicRecord record) {
        return new TopicView(brokerName, InstanceRecord.userName(brokerName), Map.copyOf(configs),
                record == null ? TopicRecord.unknown() : record);
    }
}
