package io.onsbridge.cluster;

import java.util.Map;
import java.util.Optional;
import java.util.Set;

/** Subscription groups as the brokers hold them. */
public interface ClusterGroups {
    record GroupConfig(String name, boolean consumeEnable) {
    }

    /** Every subscription group of every master, built-in and the bridge's own included. */
    Set<String> names();

    /** Every user group of every master (built-in and the bridge's own aside), by name. */
    Map<String, GroupConfig> configs();

    /** {@link #configs()} of the groups whose names start with {@code prefix}, as read at most 900 ms ago (see ClusterTopics#recentConfigs). */
    Map<String, GroupConfig> recentConfigs(String prefix);

    /** One user group, read from the masters' whole tables (a broker asked for a group it lacks creates it). */
    Optional<GroupConfig> config(String group);

    /** The group and its retry topic on every master (without the retry topic a first retry waits for a route poll). */
    void create(String group);

    /** The group with its consumer offsets from every master, and its retry and dead-letter topics. */
    void delete(String group);

    void setConsumeEnable(String group, boolean consumeEnable);
}
