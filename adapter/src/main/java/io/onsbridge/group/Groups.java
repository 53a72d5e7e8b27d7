package io.onsbridge.group;

import com.google.common.base.Suppliers;
import io.onsbridge.backend.ClusterAdmin;
import io.onsbridge.backend.MetadataStore;
import io.onsbridge.backend.Pending;
import io.onsbridge.backend.SystemResources;
import io.onsbridge.instance.InstanceRecord;
import io.onsbridge.protocol.OnsErrors;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;
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
        Pending<Map<String, GroupRecord>> records = cluster.meanwhile(() -> store.list(KIND, GroupRecord.class));
        List<GroupView> groups = new ArrayList<>();
        cluster.groupConfigs().forEach((brokerName, config) -> {
            if (instance.owns(brokerName) && !SystemResources.isSystemGroup(brokerName)) {
                groups.add(view(brokerName, config, () -> records.get().get(brokerName)));
            }
        });
        return groups;
    }

    /** One group; its record is read only if asked for. */
    public Optional<GroupView> find(InstanceRecord instance, String groupId) {
        return find(instance.brokerName(groupId));
    }

    /** One group by its broker name ({@code X%GID_name}); see {@link #find(InstanceRecord, String)}. */
    public Optional<GroupView> find(String brokerName) {
        SubscriptionGroupConfig config = cluster.groupConfigs().get(brokerName);
        if (config == null || SystemResources.isSystemGroup(brokerName)) {
            return Optional.empty();
        }
        return Optional.of(view(brokerName, config, () -> store.get(KIND, brokerName, GroupRecord.class).orElse(null)));
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

    /** A view whose record is read once, when first asked for (most actions never need it). */
    private static GroupView view(String brokerName, SubscriptionGroupConfig config, Supplier<GroupRecord> record) {
        Supplier<GroupRecord> once = Suppliers.memoize(() -> {
            GroupRecord found = record.get();
            return found == null ? GroupRecord.unknown() : found;
        });
        return new GroupView(brokerName, InstanceRecord.userName(brokerName), config, once);
    }
}
