package io.onsbridge.domain.group;

import com.google.common.base.Suppliers;
import io.onsbridge.cluster.Cluster;
import io.onsbridge.cluster.ClusterMetadata;
import io.onsbridge.cluster.ResourceNames;
import io.onsbridge.domain.OnsErrors;
import io.onsbridge.domain.instance.InstanceRecord;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * The groups of an instance, read from the brokers' subscription group tables and joined with their
 * metadata records. Groups made outside the bridge appear as tcp groups; built-in groups never appear.
 */
public final class Groups {
    static final String KIND = "GROUP";

    private final Cluster cluster;
    private final ClusterMetadata store;

    public Groups(Cluster cluster) {
        this.cluster = cluster;
        this.store = cluster.metadata();
    }

    /** The instance's groups in name order, as {@link io.onsbridge.domain.topic.Topics#of} reads topics (at most 900 ms old). */
    public List<GroupView> of(InstanceRecord instance) {
        String prefix = instance.namePrefix();
        Supplier<Map<String, GroupRecord>> records = Suppliers.memoize(() -> store.recentList(KIND, GroupRecord.class, prefix));
        List<GroupView> groups = new ArrayList<>();
        cluster.groups().recentConfigs(prefix).keySet().forEach(brokerName -> {
            if (instance.owns(brokerName)) {
                groups.add(view(brokerName, () -> records.get().get(brokerName)));
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
        if (!ResourceNames.couldExist(brokerName)) {
            return Optional.empty();
        }
        return cluster.groups().config(brokerName)
                .map(config -> view(brokerName, () -> store.get(KIND, brokerName, GroupRecord.class).orElse(null)));
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
    private static GroupView view(String brokerName, Supplier<GroupRecord> record) {
        Supplier<GroupRecord> once = Suppliers.memoize(() -> {
            GroupRecord found = record.get();
            return found == null ? GroupRecord.unknown() : found;
        });
        return new GroupView(brokerName, InstanceRecord.userName(brokerName), once);
    }
}
