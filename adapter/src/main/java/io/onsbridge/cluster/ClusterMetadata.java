package io.onsbridge.cluster;

import java.util.Map;
import java.util.Optional;

/**
 * What the bridge must remember beyond the brokers' own state (instances, remarks, tags, alarm rules),
 * kept in the cluster so that every bridge sees it and none loses it: records of a kind, by key.
 */
public interface ClusterMetadata {
    /** Every record of a kind, by key, in key order; a record that no longer parses is skipped (and logged). */
    <T> Map<String, T> list(String kind, Class<T> type);

    /**
     * The records of a kind whose keys start with {@code keyPrefix}, in key order, as read at most 900 ms ago:
     * a record written through another bridge may stay unseen that long, one written through this bridge is
     * seen at once. For lists; a write that depends on what exists reads {@link #list} or {@link #get}.
     */
    <T> Map<String, T> recentList(String kind, Class<T> type, String keyPrefix);

    /** Whether {@link #recentList} holds a record under {@code key}; decodes nothing (a check made at every device's CONNECT). */
    boolean recentlyHas(String kind, String key);

    /** Whether {@link #recentList} and {@link #recentlyHas} of the kind answer now without waiting for the cluster. */
    boolean recentlyHeld(String kind);

    <T> Optional<T> get(String kind, String key, Class<T> type);

    void put(String kind, String key, Object record);

    void delete(String kind, String key);
}
