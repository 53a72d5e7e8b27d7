package io.onsbridge.consumer;

import io.onsbridge.backend.ClusterAdmin;
import io.onsbridge.backend.ClusterException;
import io.onsbridge.backend.MessageClient;
import io.onsbridge.backend.Pending;
import io.onsbridge.instance.InstanceRecord;
import io.onsbridge.protocol.render.WireList;
import io.onsbridge.protocol.render.WireObject;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.ToLongFunction;
import org.apache.rocketmq.common.message.MessageExt;
import org.apache.rocketmq.common.message.MessageQueue;
import org.apache.rocketmq.remoting.protocol.admin.ConsumeStats;
import org.apache.rocketmq.remoting.protocol.admin.OffsetWrapper;

/**
 * A group's backlog as the broker's consume stats give it, per topic (the group's retry topic is a topic
 * of its own, as ONS counts it) and in total: messages stored but not consumed, the store time of the
 * newest consumed message, and the delay of the oldest unconsumed one.
 */
public record Backlog(long totalDiff, long lastTimestamp, long delayTime, double consumeTps, Map<String, Backlog> byTopic) {

    public static final Backlog NONE = new Backlog(0, 0, 0, 0, Map.of());

    /**
     * From the group's consume stats; a delay is measured from the store time of the first unconsumed
     * message of each queue with a backlog, and these are read at once (one pull each).
     */
    public static Backlog of(ConsumeStats stats, MessageClient messages, ClusterAdmin cluster, long now) {
        Map<MessageQueue, Pending<Long>> oldest = new HashMap<>();
        stats.getOffsetTable().forEach((queue, offsets) -> {
            if (offsets.getBrokerOffset() > Math.max(0, offsets.getConsumerOffset())) {
                oldest.put(queue, cluster.meanwhile(() -> firstUnconsumedStoreTime(messages, queue, offsets.getConsumerOffset(), now)));
            }
        });
        return of(stats, queue -> oldest.get(queue.getKey()).get(), now);
    }

    /** Store time of the message at the group's offset: where its delay starts. */
    private static long firstUnconsumedStoreTime(MessageClient messages, MessageQueue queue, long consumerOffset, long now) {
        try {
            List<MessageExt> next = messages.read(queue, Math.max(0, consumerOffset), 1);
            return next.isEmpty() ? now : next.get(0).getStoreTimestamp();
        } catch (ClusterException e) {
            return now;
        }
    }

    /**
     * @param oldestUnconsumed store time of the first unconsumed message of a queue with a backlog
     * @param now              the time delays are measured against
     */
    static Backlog of(ConsumeStats stats, ToLongFunction<Map.Entry<MessageQueue, OffsetWrapper>> oldestUnconsumed, long now) {
        Map<String, long[]> topics = new TreeMap<>(); // diff, lastTimestamp, delay
        for (Map.Entry<MessageQueue, OffsetWrapper> queue : stats.getOffsetTable().entrySet()) {
            OffsetWrapper offsets = queue.getValue();
            long diff = Math.max(0, offsets.getBrokerOffset() - Math.max(0, offsets.getConsumerOffset()));
            long delay = diff > 0 ? Math.max(0, now - oldestUnconsumed.applyAsLong(queue)) : 0;
            long[] topic = topics.computeIfAbsent(queue.getKey().getTopic(), t -> new long[3]);
            topic[0] += diff;
            topic[1] = Math.max(topic[1], offsets.getLastTimestamp());
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
        return new Backlog(total, last, delay, stats.getConsumeTps(), byTopic);
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
