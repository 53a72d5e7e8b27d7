package io.onsbridge.domain.mqtt;

/** Whether an MQTT group ({@code OnsMqttGroupIdCreate}) exists in an instance: the gateway's check of a client id's group. */
@FunctionalInterface
public interface MqttGroupLookup {
    boolean exists(String instanceId, String groupId);

    /** Whether {@link #exists} answers now without waiting for the cluster. */
    default boolean heldNow() {
        return true; // a lookup that keeps nothing reads nothing either
    }

    /** Reads the groups again if what {@link #exists} answers from is getting old (called every few hundred ms while devices connect). */
    default void refresh() {
        // a lookup that keeps nothing has nothing to read again
    }
}
