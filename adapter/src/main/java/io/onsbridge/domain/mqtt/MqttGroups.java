package io.onsbridge.domain.mqtt;

import io.onsbridge.cluster.ClusterMetadata;
import io.onsbridge.cluster.ResourceNames;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The MQTT groups of every instance, kept as metadata records of kind {@code MQTT_GROUP} keyed
 * {@code instance%group} (the cluster's metadata: every bridge sees a change the moment it is written).
 * The gateway asks {@link #exists} at each CONNECT, answered from the kind's table as read at most 900 ms ago
 * ({@link ClusterMetadata#recentList}): a thousand devices connecting at once cost no cluster round trip each.
 * A group created or deleted through another bridge is seen within 900 ms (a deleted one may let a device in
 * that long); one created or deleted through this bridge is seen at once.
 */
public final class MqttGroups implements MqttGroupLookup {
    static final String KIND = "MQTT_GROUP";
    /** ApsaraMQ for MQTT's rule: GID_ or GID- and letters, digits, '-', '_', 7 to 64 characters in all. */
    static final Pattern GROUP_ID = Pattern.compile("GID[_-][A-Za-z0-9_-]{3,60}");
    static final String GROUP_RULE = "7 to 64 letters, digits, '_' or '-', starting with GID_ or GID-.";

    /** A key prefix no record has. */
    private static final String NO_KEY = "\uffff";

    private final ClusterMetadata store;

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
        String key = key(instance, groupId);
        return store.recentlyHas(KIND, key);
    }

    @Override
    public boolean heldNow() {
        return store.recentlyHeld(KIND);
    }

    @Override
    public void refresh() {
        store.recentList(KIND, MqttGroupRecord.class, NO_KEY); // starts a new read of the table when it is due; parses nothing
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
