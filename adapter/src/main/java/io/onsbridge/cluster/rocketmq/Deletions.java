package io.onsbridge.cluster.rocketmq;

import io.onsbridge.cluster.ClusterMetadata;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.apache.rocketmq.common.MixAll;

/**
 * The topics and groups the bridges deleted, and on which masters: what lets {@link MasterReconciler} delete them
 * from a master that was down at the time and came back with them. Kept in the name servers (kind
 * {@value #KIND} of {@link NameServerMetadata}), so that every bridge sees them and none loses them.
 *
 * <p>Bounded: a record is kept {@link #KEPT} and at most {@value #MAX_KEPT} of them, oldest dropped first. A master down
 * longer than that brings back what was deleted meanwhile (docs/operations.md).
 */
final class Deletions {
    static final String KIND = "DELETED";
    static final Duration KEPT = Duration.ofDays(7);
    static final int MAX_KEPT = 10_000;

    /**
     * When a topic or group was deleted and the masters the deletion was sent to; once it was created again
     * ({@code recreatedAt}, 0 while it was not), the masters in line: those it was deleted from, created on, and those
     * {@link MasterReconciler} brought in line since ({@link #inLineOn}). A master with a copy and not named holds the
     * old one.
     */
    record Deleted(long at, List<String> on, long recreatedAt) {
        boolean recreated() {
            return recreatedAt > 0;
        }
    }

    /** A record of a topic or group created again since it was deleted, under its key. */
    record Recreated(String key, Deleted deleted) {
    }

    private final ClusterMetadata metadata;
    private final Clock clock;

    Deletions(ClusterMetadata metadata, Clock clock) {
        this.metadata = metadata;
        this.clock = clock;
    }

    /** Before a topic is deleted from {@code masters}. */
    void deletingTopic(String topic, Set<String> masters) {
        metadata.put(KIND, topicKey(topic), new Deleted(clock.millis(), List.copyOf(masters), 0));
    }

    /** Before a group is deleted from {@code masters}; its retry and dead-letter topics go with it. */
    void deletingGroup(String group, Set<String> masters) {
        metadata.put(KIND, groupKey(group), new Deleted(clock.millis(), List.copyOf(masters), 0));
    }

    /**
     * Before a topic is created on {@code masters}: it is no longer a deleted one, but its record is kept, marked created
     * again, so that a master that was away through both comes back with its old copy replaced ({@link MasterReconciler}).
     */
    void creatingTopic(String topic, Set<String> masters) {
        recreating(topicKey(topic), masters);
    }

    /** Before a group is created on {@code masters}. */
    void creatingGroup(String group, Set<String> masters) {
        recreating(groupKey(group), masters);
    }

    private void recreating(String key, Set<String> masters) {
        // Read as of up to 900 ms ago: a create costs no name-server write when nothing was deleted under its name.
        if (metadata.recentlyHas(KIND, key)) {
            metadata.get(KIND, key, Deleted.class).ifPresent(d -> {
                Set<String> inLine = new java.util.TreeSet<>(d.on());
                inLine.addAll(masters);
                metadata.put(KIND, key, new Deleted(d.at(), List.copyOf(inLine), d.recreated() ? d.recreatedAt() : clock.millis()));
            });
        }
    }

    /**
     * {@code master}'s old copy of what was deleted and created again was replaced: it is in line like the others now.
     * The record is read again first, so that the masters added since {@code recreated} was read (by another bridge, or
     * by this one for another master of the same look) stay named; a record deleted again since is left alone.
     */
    void inLineOn(String master, Recreated recreated) {
        metadata.get(KIND, recreated.key(), Deleted.class).filter(d -> d.at() == recreated.deleted().at() && !d.on().contains(master))
                .ifPresent(d -> {
                    List<String> on = new ArrayList<>(d.on());
                    on.add(master);
                    metadata.put(KIND, recreated.key(), new Deleted(d.at(), List.copyOf(on), d.recreatedAt()));
                });
    }

    /**
     * Whether {@code master}'s copy is still the old one as the record reads now: not named in line (another bridge may
     * have replaced it since {@code recreated} was read, and a copy replaced twice loses what came to the new one), and
     * not deleted again since.
     */
    boolean stillOld(String master, Recreated recreated) {
        return metadata.get(KIND, recreated.key(), Deleted.class)
                .filter(d -> d.at() == recreated.deleted().at() && d.recreated() && !d.on().contains(master)).isPresent();
    }

    /** Every deletion kept, read now. */
    Known known() {
        return new Known(metadata.list(KIND, Deleted.class));
    }

    /** Drops the records older than {@link #KEPT}, then the oldest beyond {@value #MAX_KEPT}. */
    void prune(Known known) {
        expired(known.records, clock.millis()).forEach(key -> metadata.delete(KIND, key));
    }

    /** The keys of the records {@link #prune} drops. */
    static List<String> expired(Map<String, Deleted> records, long now) {
        long oldest = now - KEPT.toMillis();
        List<Map.Entry<String, Deleted>> newestFirst = records.entrySet().stream()
                .sorted(Comparator.comparingLong((Map.Entry<String, Deleted> e) -> e.getValue().at()).reversed()).toList();
        List<String> expired = new ArrayList<>();
        for (int i = 0; i < newestFirst.size(); i++) {
            if (i >= MAX_KEPT || newestFirst.get(i).getValue().at() < oldest) {
                expired.add(newestFirst.get(i).getKey());
            }
        }
        return expired;
    }

    /** The deletions as read at one time. */
    static final class Known {
        private final Map<String, Deleted> records;

        Known(Map<String, Deleted> records) {
            this.records = records;
        }

        /** The deletion of a topic, not created again since: its own, or for a retry or dead-letter topic, its group's. */
        Optional<Deleted> ofTopic(String topic) {
            return recordOfTopic(topic).map(Recreated::deleted).filter(d -> !d.recreated());
        }

        Optional<Deleted> ofGroup(String group) {
            return Optional.ofNullable(records.get(groupKey(group))).filter(d -> !d.recreated());
        }

        /** The record of a topic deleted and created again since (for a retry or dead-letter topic, its group's). */
        Optional<Recreated> recreatedTopic(String topic) {
            return recordOfTopic(topic).filter(r -> r.deleted().recreated());
        }

        Optional<Recreated> recreatedGroup(String group) {
            return recordOf(groupKey(group)).filter(r -> r.deleted().recreated());
        }

        private Optional<Recreated> recordOfTopic(String topic) {
            for (String prefix : List.of(MixAll.RETRY_GROUP_TOPIC_PREFIX, MixAll.DLQ_GROUP_TOPIC_PREFIX)) {
                if (topic.startsWith(prefix)) {
                    return recordOf(groupKey(topic.substring(prefix.length())));
                }
            }
            return recordOf(topicKey(topic));
        }

        private Optional<Recreated> recordOf(String key) {
            return Optional.ofNullable(records.get(key)).map(d -> new Recreated(key, d));
        }

        int size() {
            return records.size();
        }
    }

    private static String topicKey(String topic) {
        return "topic:" + topic;
    }

    private static String groupKey(String group) {
        return "group:" + group;
    }
}
