package io.onsbridge.domain.device;

import java.util.List;
import java.util.Map;

/**
 * A persistent session (clean session false) as the cluster keeps it between connections, on any bridge: its
 * subscriptions, where it stands in each queue it reads (every message before the position was delivered and
 * acknowledged, or was not for it), and the channel holding it now (null while the device is offline).
 */
record SessionRecord(String holder, List<Subscribed> subscriptions, Map<String, Long> positions, long updated) {
    /** One subscription: the MQTT filter and the QoS granted. */
    record Subscribed(String filter, int qos) {
    }
}
