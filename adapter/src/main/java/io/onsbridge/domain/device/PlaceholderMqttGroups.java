package io.onsbridge.domain.device;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.onsbridge.cluster.Cluster;
import io.onsbridge.domain.instance.Instances;
import io.onsbridge.domain.mqtt.MqttGroupLookup;
import java.time.Duration;

/**
 * PLACEHOLDER until the MQTT groups of {@code domain.mqtt} ({@code OnsMqttGroupIdCreate}) are wired: a device's
 * group exists when the instance has a RocketMQ group of that id ({@code OnsGroupCreate}). A group found is
 * remembered for a minute, so that a thousand devices of one group connecting at once ask the cluster once.
 */
public final class PlaceholderMqttGroups implements MqttGroupLookup {
    private final Cluster cluster;
    private final Instances instances;
    private final Cache<String, Boolean> found = Caffeine.newBuilder().maximumSize(10_000).expireAfterWrite(Duration.ofMinutes(1)).build();

    public PlaceholderMqttGroups(Cluster cluster, Instances instances) {
        this.cluster = cluster;
        this.instances = instances;
    }

    @Override
    public boolean exists(String instanceId, String groupId) {
        String brokerName = instances.brokerName(instanceId, groupId);
        if (found.getIfPresent(brokerName) != null) {
            return true;
        }
        boolean exists = cluster.groups().config(brokerName).isPresent();
        if (exists) {
            found.put(brokerName, true);
        }
        return exists;
    }
}
