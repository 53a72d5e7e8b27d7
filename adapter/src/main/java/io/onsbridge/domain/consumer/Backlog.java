package io.onsbridge.domain.consumer;

import io.onsbridge.cluster.Cluster;
import io.onsbridge.cluster.ClusterConsumers.GroupOffsets;
import io.onsbridge.cluster.ClusterConsumers.QueueOffsets;
import io.onsbridge.cluster.Pending;
import io.onsbridge.cluster.Queue;
import io.onsbridge.cluster.StoredMessage;
import io.onsbridge.domain.WireList;
import io.onsbridge.domain.WireObject;
import io.onsbridge.domain.instance.InstanceRecord;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.ToLongFunction;

/**
 * A group's backlog as the broker's consume stats give it, per topic (the group's retry topic is a topic
 * of its own, as ONS counts it) and in total: messages stored but not consumed, the store time of the
 * newest consumed message, and the delay of the oldest unconsumed one.
 */
public record Backlog(long totalDiff, long lastTimestamp, long delayTime, double consumeTps, Map<String, Backlog> byTopic) {

    public static final Backlog NONE = new Backlog(0, 0, 0, 0, Map.of());

    /**
     * From the group's offsets; a delay is measured from the store time of the first unconsumed message
     * of each queue with a backlog, and these are read at once (one pull each). A read that fails fails
     * the whole figure: a delay of 0 would claim the group is keeping up.
     */
    public static Backlog read(GroupOffsets offsets, Cluster cluster, long now) {
        return read(offsets, cluster, now, null);
    }

    /** As {@link #read(GroupOffsets, Cluster, long)}, the store times read through {@code known} (null: none kept). */
    static Backlog read(GroupOffsets offsets, Cluster cluster, long now, StoreTimes known) {
        Map<Queue, Pending<Long>> oldest = new HashMap<>();
        for (QueueOffsets queue : offsets.queues()) {
            Long kept = known == null ? null : known.known(queue.queue(), Math.max(0, queue.consumerOffset()));
            if (kept != null) {
                oldest.put(queue.queue(), new Pending<>(java.util.concurrent.CompletableFuture.completedFuture(kept)));
            } else if (queue.brokerOffset() > Math.max(0, queue.consumerOffset())) {
                oldest.put(queue.queue(), cluster.meanwhile(() -> {
                    long stored = known == null ? firstUnconsumedStoreTime(cluster, queue)
                            : known.at(queue.queue(), Math.max(0, queue.consumerOffset()), () -> firstUnconsumedStoreTime(cluster, queue));
                    return stored == NO_MESSAGE ? now : stored;
                }));
            }
        }
        return of(offsets, queue -> oldest.get(queue.queue()).get(), now);
    }

    /** {@link #firstUnconsumedStoreTime} when no message is there (expired): no delay. */
    static final long NO_MESSAGE = -1;

    /** Store time of the message at the group's offset, where its delay starts; {@link #NO_MESSAGE} if none is there. */
    private static long firstUnconsumedStoreTime(Cluster cluster, QueueOffsets queue) {
        List<StoredMessage> next = cluster.messages().read(queue.queue(), Math.max(0, queue.consumerOffset()), 1);
        return next.isEmpty() ? NO_MESSAGE : next.get(0).storeTimestamp();
    }

    /**
     * @param oldestUnconsumed store time of the first unconsumed message of a queue with a backlog
     * @param now              the time delays are measured against
     */
    static Backlog of(GroupOffsets offsets, ToLongFunction<QueueOffsets> oldestUnconsumed, long now) {
        Map<String, long[]> topics = new TreeMap<>(); // diff, lastTimestamp, delay
        for (QueueOffsets queue : offsets.queues()) {
            long diff = Math.max(0, queue.brokerOffset() - Math.max(0, queue.consumerOffset()));
            long delay = diff > 0 ? Math.max(0, now - oldestUnconsumed.applyAsLong(queue)) : 0;
            long[] topic = topics.computeIfAbsent(queue.queue().topic(), t -> new long[3]);
            topic[0] += diff;
            topic[1] = Math.max(topic[1], queue.lastTimestamp());
            topic[2] = Math.max(topic[2], delay);
        }
        Map<String, Backlog> byTopic = new TreeMap<>();
        long total = 0;
        long last = 0;
        long delay = 0;
        for (Map.Entry<String, long[]> topic : topics.entrySet()) {
            long[] t = topic.getValue();
            byTopic.put(topic.getKey(), new Backlog(t[0], t[1], t[2], 0, Map.of()));
            total += t[0];
            last = Math.max(last, t[1]);
            delay = Math.max(delay, t[2]);
        }
        return new Backlog(total, last, delay, offsets.consumeTps(), byTopic);
    }

    /**
     * This backlog with messages handed to HTTP (pop) consumers and not yet acked, which the broker's offsets
     * no longer count (docs/mqhttp.md#seen-by-the-ons-api).
     *
     * @param inFlight per topic (the broker's name)
     */
    public Backlog withInFlight(Map<String, Long> inFlight) {
        if (inFlight.isEmpty()) {
            return this;
        }
        Map<String, Backlog> topics = new TreeMap<>(byTopic);
        long added = 0;
        for (Map.Entry<String, Long> topic : inFlight.entrySet()) {
            Backlog known = topics.getOrDefault(topic.getKey(), NONE);
            topics.put(topic.getKey(), new Backlog(known.totalDiff() + topic.getValue(), known.lastTimestamp(), known.delayTime(), 0, Map.of()));
            added += topic.getValue();
        }
        return new Backlog(totalDiff + added, lastTimestamp, delayTime, consumeTps, topics);
    }

    /** {@code DetailInTopicList}: per topic, named as the user knows it (retry topics as %RETRY%GID_...). */
    WireList detail() {
        List<WireObject> items = byTopic.entrySet().stream()
                .map(t -> WireObject.of()
                        .with("Topic", InstanceRecord.userName(t.getKey()))
                        .with("TotalDiff", t.getValue().totalDiff())
                        .with("LastTimestamp", t.getValue().lastTimestamp())
                        .with("DelayTime", t.getValue().delayTime()))
                .toList();
        return WireList.wrapped("DetailInTopicDo", items);
    }
}
