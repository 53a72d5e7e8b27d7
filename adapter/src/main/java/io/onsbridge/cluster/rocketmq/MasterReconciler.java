package io.onsbridge.cluster.rocketmq;

import com.google.common.util.concurrent.ThreadFactoryBuilder;
import io.onsbridge.cluster.ClusterException;
import io.onsbridge.cluster.ResourceNames;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.apache.rocketmq.common.TopicAttributes;
import org.apache.rocketmq.common.TopicConfig;
import org.apache.rocketmq.common.attribute.TopicMessageType;
import org.apache.rocketmq.remoting.protocol.subscription.SubscriptionGroupConfig;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Brings a master that joins the cluster, or comes back to it, in line with the others. Topics and groups are
 * created and deleted on the masters registered at the time; a master that was down (a crashed broker leaves the
 * name server at once) would come back with what was deleted meanwhile, old messages included, and without what
 * was created. So, for each master seen for the first time since the last look (every {@link #LOOK_EVERY}), and
 * for every master every {@link #ALL_EVERY} (a return between two looks goes unseen):
 * <ul>
 *   <li>a topic or group it has that no other master has, and that was deleted from the other masters but not from
 *   it ({@link Deletions}), is deleted from it;</li>
 *   <li>an instance's topic or group (a name in a namespace, {@code MQ_INST_x%name}) that another master has and it
 *   lacks is created on it, with the other master's config. A master that joins gets every instance's topics and
 *   groups, as a new broker of an ONS instance does. Order topics excepted: see {@link #ordered}.</li>
 * </ul>
 * What is not in an instance's namespace (RocketMQ's own, the bridge's own, a topic an operator put on some
 * brokers) is never added. Every bridge does the same; each change is idempotent.
 *
 * <p>Then, when a master joined or came back, the bridge's routes are asked again ({@code refreshRoutes}): its
 * clients would otherwise learn of that master at their next route update, up to 30 s later, and a key lookup meanwhile
 * would not ask it.
 */
final class MasterReconciler implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(MasterReconciler.class);
    static final Duration LOOK_EVERY = Duration.ofSeconds(2);
    static final Duration ALL_EVERY = Duration.ofMinutes(5);

    private final ClusterAdmin cluster;
    private final Deletions deletions;
    private final Runnable refreshRoutes;
    private final ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor(
            new ThreadFactoryBuilder().setNameFormat("ons-bridge-master-reconciler").setDaemon(true).build());
    /** The masters of the last look, and those whose reconciliation failed (tried again at the next look). */
    private Set<String> seen = Set.of();
    private final Set<String> pending = new TreeSet<>();
    private long everyOneAt;
    private boolean everyOneDone;

    MasterReconciler(ClusterAdmin cluster, Deletions deletions, Runnable refreshRoutes) {
        this.cluster = cluster;
        this.deletions = deletions;
        this.refreshRoutes = refreshRoutes;
    }

    MasterReconciler start() {
        scheduler.scheduleWithFixedDelay(this::lookQuietly, 0, LOOK_EVERY.toMillis(), TimeUnit.MILLISECONDS);
        return this;
    }

    private void lookQuietly() {
        try {
            look();
        } catch (RuntimeException e) {
            log.warn("cannot bring the masters in line; trying again in {} s", LOOK_EVERY.toSeconds(), e);
        }
    }

    /** One look at the masters; those new since the last look (all of them at times) are brought in line. */
    void look() {
        Set<String> masters;
        try {
            masters = cluster.knownMastersOrNone();
        } catch (ClusterException e) {
            return; // the name server is down: nothing to bring in line with
        }
        long now = System.nanoTime();
        boolean everyOne = !everyOneDone || now - everyOneAt >= ALL_EVERY.toNanos();
        Set<String> due = new TreeSet<>(pending);
        masters.stream().filter(m -> everyOne || !seen.contains(m)).forEach(due::add);
        due.retainAll(masters);
        boolean joined = !seen.isEmpty() && !seen.containsAll(masters); // not at the first look
        boolean late = !pending.isEmpty();
        seen = masters;
        if (due.isEmpty()) {
            return;
        }
        // routes asked again once a master joined, and again when one is brought in line late (what it got meanwhile)
        boolean inLine = reconcileDue(masters, due, everyOne, now);
        if (joined || inLine && late) {
            refreshRoutesQuietly();
        }
    }

    private void refreshRoutesQuietly() {
        try {
            refreshRoutes.run();
        } catch (RuntimeException e) {
            log.debug("cannot ask the routes again now; the clients' own route update will: {}", e.getMessage());
        }
    }

    /** Whether the masters due were brought in line. */
    private boolean reconcileDue(Set<String> masters, Set<String> due, boolean everyOne, long now) {
        try {
            Deletions.Known deleted = reconcile(masters, due);
            if (!pending.isEmpty()) {
                log.info("brought {} in line after all", pending);
                pending.clear();
            }
            if (everyOne) {
                everyOneAt = now;
                everyOneDone = true;
                deletions.prune(deleted);
            }
            return true;
        } catch (ClusterException e) {
            // The first failure at WARN, then quiet until it works: a cluster that is down would fill the log.
            if (pending.isEmpty()) {
                log.warn("cannot bring {} in line with the other masters yet; trying again every {} s: {}", due,
                        LOOK_EVERY.toSeconds(), e.getMessage());
            } else {
                log.debug("cannot bring {} in line yet: {}", due, e.getMessage());
            }
            pending.addAll(due);
            return false;
        }
    }

    private Deletions.Known reconcile(Set<String> masters, Set<String> due) {
        Map<String, Map<String, TopicConfig>> topics = cluster.topicTables(masters);
        Map<String, Map<String, SubscriptionGroupConfig>> groups = cluster.groupTables(masters);
        Deletions.Known deleted = deletions.known();
        for (String master : due) {
            Set<String> others = new TreeSet<>(masters);
            others.remove(master);
            removeDeleted(master, others, topics, groups, deleted);
            // Its copies of what was deleted and created again while it was away go; addMissing makes them anew.
            Map<String, Map<String, TopicConfig>> topicsNow = new HashMap<>(topics);
            Map<String, Map<String, SubscriptionGroupConfig>> groupsNow = new HashMap<>(groups);
            topicsNow.put(master, new HashMap<>(topics.get(master)));
            groupsNow.put(master, new HashMap<>(groups.get(master)));
            replaceRecreated(master, topicsNow.get(master), groupsNow.get(master), deleted);
            addMissing(master, others, topicsNow, groupsNow, deleted);
        }
        return deleted;
    }

    /** What {@code master} kept of what was deleted from the others while it was away. */
    private void removeDeleted(String master, Set<String> others, Map<String, Map<String, TopicConfig>> topics,
                               Map<String, Map<String, SubscriptionGroupConfig>> groups, Deletions.Known deleted) {
        Set<String> staleTopics = new TreeSet<>(topics.get(master).keySet());
        staleTopics.removeIf(t -> onAny(topics, others, t) || deleted.ofTopic(t).filter(d -> !d.on().contains(master)).isEmpty());
        Set<String> staleGroups = new TreeSet<>(groups.get(master).keySet());
        staleGroups.removeIf(g -> onAny(groups, others, g) || deleted.ofGroup(g).filter(d -> !d.on().contains(master)).isEmpty());
        if (staleTopics.isEmpty() && staleGroups.isEmpty()) {
            return;
        }
        // Read again: one created again through another bridge since the tables were read is kept.
        Map<String, Map<String, TopicConfig>> topicsNow = cluster.topicTables(others);
        Map<String, Map<String, SubscriptionGroupConfig>> groupsNow = cluster.groupTables(others);
        staleTopics.removeIf(t -> onAny(topicsNow, others, t));
        staleGroups.removeIf(g -> onAny(groupsNow, others, g));
        staleTopics.forEach(t -> cluster.deleteTopicOn(master, t));
        staleGroups.forEach(g -> cluster.deleteGroupOn(master, g));
        if (!staleTopics.isEmpty() || !staleGroups.isEmpty()) {
            log.info("master {} came back with what was deleted while it was away; deleted from it: topics {}, groups {}",
                    master, staleTopics, staleGroups);
        }
    }

    /**
     * {@code master}'s copies of what was deleted while it was away and created again since (its old messages, its old
     * consumer offsets, its old config), removed from it and from {@code topics} and {@code groups}, its tables, so that
     * they are made anew from the others'. A topic copy holding a message stored after the deletion (sent to it since it
     * came back) is kept, not to lose that message. The record then names the master, so that it is done once; it is read
     * again before each copy goes, so that a copy another bridge replaced since {@code deleted} was read is left alone.
     */
    private void replaceRecreated(String master, Map<String, TopicConfig> topics, Map<String, SubscriptionGroupConfig> groups,
                                  Deletions.Known deleted) {
        Map<String, Deletions.Recreated> done = new TreeMap<>();
        Set<String> replacedGroups = new TreeSet<>();
        Set<String> replacedTopics = new TreeSet<>();
        for (String group : new TreeSet<>(groups.keySet())) {
            deleted.recreatedGroup(group).filter(r -> !r.deleted().on().contains(master) && deletions.stillOld(master, r)).ifPresent(r -> {
                cluster.deleteGroupOn(master, group); // its consumer offsets go with it
                groups.remove(group);
                replacedGroups.add(group);
                done.put(r.key(), r);
            });
        }
        for (String topic : new TreeSet<>(topics.keySet())) {
            deleted.recreatedTopic(topic).filter(r -> !r.deleted().on().contains(master) && deletions.stillOld(master, r)).ifPresent(r -> {
                done.put(r.key(), r);
                if (storedSince(master, topic, r.deleted().at())) {
                    log.warn("master {} came back with topic {} deleted and created again while it was away; its copy is kept: it holds"
                            + " messages stored since, and the old ones with them", master, topic);
                    return;
                }
                cluster.deleteTopicCopyOn(master, topic);
                topics.remove(topic);
                replacedTopics.add(topic);
            });
        }
        done.values().forEach(r -> deletions.inLineOn(master, r));
        if (!replacedTopics.isEmpty() || !replacedGroups.isEmpty()) {
            log.info("master {} came back with the old copies of what was deleted and created again while it was away; replaced: topics {},"
                    + " groups {}", master, replacedTopics, replacedGroups);
        }
    }

    /** Whether a queue of {@code master}'s copy of the topic holds a message stored after {@code since}. */
    private boolean storedSince(String master, String topic, long since) {
        return cluster.call("read the stats of " + topic + " on " + master, a -> a.examineTopicStats(master, topic)).getOffsetTable().values()
                .stream().anyMatch(queue -> queue.getMaxOffset() > queue.getMinOffset() && queue.getLastUpdateTimestamp() > since);
    }

    /** The instances' topics and groups created on the others while {@code master} was away (or before it joined). */
    private void addMissing(String master, Set<String> others, Map<String, Map<String, TopicConfig>> topics,
                            Map<String, Map<String, SubscriptionGroupConfig>> groups, Deletions.Known deleted) {
        Map<String, TopicConfig> missingTopics = new TreeMap<>();
        Map<String, SubscriptionGroupConfig> missingGroups = new TreeMap<>();
        for (String other : others) {
            topics.get(other).forEach((topic, config) -> {
                if (inAnInstance(topic) && !ordered(config) && !topics.get(master).containsKey(topic) && deleted.ofTopic(topic).isEmpty()) {
                    missingTopics.putIfAbsent(topic, config);
                }
            });
            groups.get(other).forEach((group, config) -> {
                if (inAnInstance(group) && !groups.get(master).containsKey(group) && deleted.ofGroup(group).isEmpty()) {
                    missingGroups.putIfAbsent(group, config);
                }
            });
        }
        if (missingTopics.isEmpty() && missingGroups.isEmpty()) {
            return;
        }
        missingTopics.values().forEach(config -> cluster.createTopic(Set.of(master), toCreate(config)));
        missingGroups.values().forEach(config -> cluster.createGroup(Set.of(master), config));
        // What was deleted and created again: this master has the new copy now.
        Map<String, Deletions.Recreated> recreated = new TreeMap<>();
        missingTopics.keySet().forEach(t -> deleted.recreatedTopic(t).ifPresent(r -> recreated.put(r.key(), r)));
        missingGroups.keySet().forEach(g -> deleted.recreatedGroup(g).ifPresent(r -> recreated.put(r.key(), r)));
        recreated.values().stream().filter(r -> !r.deleted().on().contains(master)).forEach(r -> deletions.inLineOn(master, r));
        log.info("master {} lacked what was created while it was away (or before it joined); created on it: topics {}, groups {}",
                master, missingTopics.keySet(), missingGroups.keySet());
        // A deletion through another bridge may have passed this master before the copy reached it: undone here.
        Deletions.Known now = deletions.known();
        missingTopics.keySet().stream().filter(t -> now.ofTopic(t).isPresent()).forEach(t -> cluster.deleteTopicOn(master, t));
        missingGroups.keySet().stream().filter(g -> now.ofGroup(g).isPresent()).forEach(g -> cluster.deleteGroupOn(master, g));
    }

    private static boolean onAny(Map<String, ? extends Map<String, ?>> tables, Set<String> masters, String name) {
        return masters.stream().anyMatch(m -> tables.get(m).containsKey(name));
    }

    /** A name in a namespace: an ONS instance's topic, group, or a group's retry or dead-letter topic. */
    private static boolean inAnInstance(String name) {
        return !ResourceNames.namespaceOf(name).isEmpty();
    }

    /**
     * An order topic keeps its queues: more of them would send a sharding key to another queue, out of order with
     * what went before, and a global-order topic is one queue in the whole cluster.
     */
    private static boolean ordered(TopicConfig config) {
        return config.isOrder() || (config.getAttributes() != null
                && TopicMessageType.FIFO.getValue().equals(config.getAttributes().get(TopicAttributes.TOPIC_MESSAGE_TYPE_ATTRIBUTE.getName())));
    }

    /** The config as a create takes it: attributes are added ({@code +message.type}), not set. */
    static TopicConfig toCreate(TopicConfig config) {
        TopicConfig create = new TopicConfig(config.getTopicName(), config.getReadQueueNums(), config.getWriteQueueNums(),
                config.getPerm(), config.getTopicSysFlag());
        create.setOrder(config.isOrder());
        create.setTopicFilterType(config.getTopicFilterType());
        if (config.getAttributes() != null && !config.getAttributes().isEmpty()) {
            Map<String, String> added = new HashMap<>();
            config.getAttributes().forEach((key, value) -> added.put("+" + key, value));
            create.setAttributes(added);
        }
        return create;
    }

    @Override
    public void close() {
        scheduler.shutdownNow();
    }
}
