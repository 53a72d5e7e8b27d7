package io.onsbridge.domain.mqtt;

import io.onsbridge.cluster.ClusterMetadata;
import io.onsbridge.cluster.ResourceNames;
import io.onsbridge.domain.RecentlyFound;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The MQTT groups of every instance, kept as metadata records of kind {@code MQTT_GROUP} keyed
 * {@code instance%group} (the cluster's metadata: every bridge sees a change the moment it is written).
 * The gateway asks {@link #exists} at each CONNECT: a group found is remembered for
 * {@link RecentlyFound#KEPT_FOR}, so a deleted group may still let a device in for that long; a group
 * not found is never remembered, so a new one is usable at once.
 */
public final class MqttGroups implements MqttGroupLookup {
    static final String KIND = "MQTT_GROUP";
    /** ApsaraMQ for MQTT's rule: GID_ or GID- and letters, digits, '-', '_', 7 to 64 characters in all. */
    static final Pattern GROUP_ID = Pattern.compile("GID[_-][A-Za-z0-9_-]{3,60}");
    static final String GROUP_RULE = "7 to 64 letters, digits, '_' or '-', starting with GID_ or GID-.";

    private final ClusterMetadata store;
    private final RecentlyFound<Boolean> found = new RecentlyFound<>();

    public MqttGroups(ClusterMetadata store) {
        this.store = store;
    }

    /** @param instanceId either form of the instance's ID ({@link MqttInstanceIds}) */
    @Override
    public boolean exists(String instanceId, String groupId) {
        String instance = MqttInstanceIds.onsInstanceId(instanceId);
        if (instance == null || groupId == null || !GROUP_ID.matcher(groupId).matches()) {
            return false;
        }
        if (found.get(instance, groupId) != null) {
            return true;
        }
        boolean exists = find(instance, groupId).isPresent();
        if (exists) {
            found.put(instance, groupId, Boolean.TRUE);
        }
        return exists;
    }

    Optional<MqttGroupRecord> find(String instanceId, String groupId) {
        return store.get(KIND, key(instanceId, groupId), MqttGroupRecord.class);
    }

    /** The instance's groups, by group ID. */
    List<MqttGroupRecord> of(String instanceId) {
        String prefix = key(instanceId, "");
        return store.list(KIND, MqttGroupRecord.class).entrySet().stream()
                .filter(e -> e.getKey().startsWith(prefix))
                .map(java.util.Map.Entry::getValue)
                .toList();
    }

    void save(MqttGroupRecord record) {
        store.put(KIND, key(record.instanceId(), record.groupId()), record);
    }

    void delete(String instanceId, String groupId) {
        store.delete(KIND, key(instanceId, groupId));
    }

    /** Also the name of its lock ({@code NameLocks}): an MQTT group's key never equals a topic's or group's broker name. */
    static String key(String instanceId, String groupId) {
        return "mqtt " + instanceId + ResourceNames.NAMESPACE_SEPARATOR + groupId;
    }
}
