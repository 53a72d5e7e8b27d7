package io.onsbridge.cluster.rocketmq;

import io.onsbridge.cluster.ClusterException;
import io.onsbridge.cluster.ClusterGroups;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import org.apache.rocketmq.common.MixAll;
import org.apache.rocketmq.common.TopicConfig;
import org.apache.rocketmq.common.constant.PermName;
import org.apache.rocketmq.remoting.protocol.subscription.SubscriptionGroupConfig;

/** Subscription groups on every master; built-in groups and the bridge's own never appear as user groups. */
final class BrokerGroups implements ClusterGroups {
    private final ClusterAdmin cluster;
    private final Deletions deletions;

    BrokerGroups(ClusterAdmin cluster, Deletions deletions) {
        this.cluster = cluster;
        this.deletions = deletions;
    }

    @Override
    public Set<String> names() {
        return cluster.groupNames();
    }

    @Override
    public Map<String, GroupConfig> configs() {
        return userGroups(cluster.groupConfigs());
    }

    @Override
    public Map<String, GroupConfig> recentConfigs(String prefix) {
        return userGroups(cluster.recentGroupConfigs(prefix));
    }

    private static Map<String, GroupConfig> userGroups(Map<String, SubscriptionGroupConfig> table) {
        Map<String, GroupConfig> groups = new TreeMap<>();
        table.forEach((name, config) -> {
            if (!SystemResources.isSystemGroup(name)) {
                groups.put(name, new GroupConfig(name, config.isConsumeEnable()));
            }
        });
        return groups;
    }

    @Override
    public Optional<GroupConfig> config(String group) {
        SubscriptionGroupConfig config = cluster.groupConfigs().get(group);
        if (config == null || SystemResources.isSystemGroup(group)) {
            return Optional.empty();
        }
        return Optional.of(new GroupConfig(group, config.isConsumeEnable()));
    }

    @Override
    public void create(String group) {
        Set<String> masters = cluster.masterAddresses();
        deletions.creatingGroup(group, masters);
        cluster.createTopic(masters, new TopicConfig(MixAll.getRetryTopic(group), 1, 1, PermName.PERM_READ | PermName.PERM_WRITE));
        SubscriptionGroupConfig config = new SubscriptionGroupConfig();
        config.setGroupName(group);
        cluster.createGroup(masters, config);
    }

    @Override
    public void delete(String group) {
        Set<String> masters = cluster.masterAddresses();
        deletions.deletingGroup(group, masters);
        Set<String> done = cluster.deleteGroup(group);
        if (!done.containsAll(masters)) {
            deletions.deletingGroup(group, done); // a master that did not answer is brought in line once it does
        }
        // Each of the group's own topics asked for by name, not every master's whole topic table.
        for (String own : List.of(MixAll.getRetryTopic(group), MixAll.getDLQTopic(group))) {
            if (!cluster.topicConfig(own).isEmpty()) {
                cluster.deleteTopic(own);
            }
        }
    }

    @Override
    public void setConsumeEnable(String group, boolean consumeEnable) {
        SubscriptionGroupConfig config = cluster.groupConfigs().get(group);
        if (config == null) {
            throw new ClusterException(ClusterException.Reason.GROUP_NOT_FOUND, -1, "group " + group + " is on no master", null);
        }
        config.setConsumeEnable(consumeEnable);
        cluster.createGroup(cluster.masterAddresses(), config);
    }
}
