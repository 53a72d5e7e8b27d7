package io.onsbridge.domain.topic;

import com.google.common.base.Suppliers;
import io.onsbridge.cluster.Cluster;
import io.onsbridge.cluster.ClusterMetadata;
import io.onsbridge.cluster.ClusterTopics.TopicConfig;
import io.onsbridge.cluster.ResourceNames;
import io.onsbridge.domain.OnsErrors;
import io.onsbridge.domain.instance.InstanceRecord;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * The topics of an instance, read from the brokers (every master's topic table: the truth that mqadmin
 * and the dashboard see too) and joined with their metadata records. Topics made outside the bridge
 * appear with an empty record; system topics never appear.
 */
public final class Topics {
    static final String KIND = "TOPIC";

    private final Cluster cluster;
    private final ClusterMetadata store;

    public Topics(Cluster cluster) {
        this.cluster = cluster;
        this.store = cluster.metadata();
    }

    /**
     * The instance's topics by user-visible name, in name order, with their records: from the cluster's
     * tables as read at most 900 ms ago ({@link io.onsbridge.cluster.ClusterTopics#recentConfigs}), only the
     * instance's range of them, so that a list costs the instance's size and not the cluster's.
     */
    public List<TopicView> of(InstanceRecord instance) {
        String prefix = instance.namePrefix();
        Supplier<Map<String, TopicRecord>> records = Suppliers.memoize(() -> store.recentList(KIND, TopicRecord.class, prefix));
        List<TopicView> topics = new ArrayList<>();
        cluster.topics().recentConfigs(prefix).forEach((brokerName, configs) -> {
            if (instance.owns(brokerName)) {
                topics.add(view(brokerName, configs, () -> records.get().get(brokerName)));
            }
        });
        return topics;
    }

    /** One topic, read from the masters for itself alone; its record is read only if asked for. */
    public Optional<TopicView> find(InstanceRecord instance, String name) {
        return find(instance.brokerName(name));
    }

    /** One topic by its broker name ({@code X%name}); see {@link #find(InstanceRecord, String)}. */
    public Optional<TopicView> find(String brokerName) {
        if (!ResourceNames.couldExist(brokerName)) {
            return Optional.empty();
        }
        Map<String, TopicConfig> configs = cluster.topics().config(brokerName);
        if (configs.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(view(brokerName, configs, () -> store.get(KIND, brokerName, TopicRecord.class).orElse(null)));
    }

    /** Whether any master has a topic of that name, a system topic (the default instance's names) included. */
    public boolean exists(InstanceRecord instance, String name) {
        return cluster.topics().exists(instance.brokerName(name));
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

    /** A view whose record is read once, when first asked for (most actions never need it). */
    private static TopicView view(String brokerName, Map<String, TopicConfig> configs, Supplier<TopicRecord> record) {
        Supplier<TopicRecord> once = Suppliers.memoize(() -> {
            TopicRecord found = record.get();
            return found == null ? TopicRecord.unknown() : found;
        });
        return new TopicView(brokerName, InstanceRecord.userName(brokerName), Map.copyOf(configs), once);
    }
}
