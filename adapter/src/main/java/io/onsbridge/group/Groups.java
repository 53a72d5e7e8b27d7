package io.onsbridge.group;

import io.onsbridge.backend.ClusterAdmin;
import io.onsbridge.backend.MetadataStore;
import io.onsbridge.backend.SystemResources;
import io.onsbridge.instance.InstanceRecord;
import io.onsbridge.protocol.OnsErrors;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.rocketmq.remoting.protocol.subscription.SubscriptionGroupConfig;

/**
 * The groups of an instance, read from the brokers' subscription group tables and joined with their
 * metadata records. Groups made outside the bridge appear as tcp groups; built-in groups never appear.
 */
public final class Groups {
    static final String KIND = "GROUP";

    private final ClusterAdmin cluster;
    private final MetadataStore store;

    public Groups(ClusterAdmin cluster, MetadataStore store) {
        this.cluster = cluster;
        this.store = store;
    }

    public List<GroupView> of(InstanceRecord instance) {
        Map<String, GroupRecord> records = store.list(KIND, GroupRecord.class);
        List<GroupView> groups = new ArrayList<>();
        cluster.groupConfigs().forEach((brokerName, config) -> {
            if (instance.owns(brokerName) && !SystemResources.isSystemGroup(brokerName)) {
                groups.add(view(brokerName, config, records.get(brokerName)));
            }
        });
        return groups;
    }

    public Optional<GroupView> find(InstanceRecord instance, String groupId) {
        String brokerName = instance.brokerName(groupId);
        SubscriptionGroupConfig config = cluster.groupConfigs().get(brokerName);
        if (config == null || SystemResources.isSystemGroup(brokerName)) {
            return Optional.empty();
        }
        return Optional.of(view(brokerName, config, store.get(KIND, brokerName, GroupRecord.class).orElse(null)));
    }

    public GroupView require(InstanceRecord instance, String groupId) {
        return find(instance, groupId).orElseThrow(() -> OnsErrors.groupNotFound(groupId));
    }

    public void saveRecord(String brokerName, GroupRecord record) {
        store.put(KIND, brokerName, record);
    }

    void deleteRecord(String brokerName) {
        store.delete(KIND, brokerName);
    }

    private static GroupView view(String brokerName, SubscriptionGroupConfig config, GroupRecord record) {
        return new GroupView(brokerName, InstanceRecord.userName(brokerName), config, record == null ? GroupRecord.unknown() : record);
    }
}
