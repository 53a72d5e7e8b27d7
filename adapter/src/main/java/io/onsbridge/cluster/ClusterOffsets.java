package io.onsbridge.cluster;

import java.util.List;

/** Where messages are in a topic's queues: offsets by position and by store time. */
public interface ClusterOffsets {
    /** A queue's offsets now and the store time of its newest message. */
    record QueueStats(Queue queue, long minOffset, long maxOffset, long lastUpdateTimestamp) {
    }

    /** Every queue of the topic on every broker, in queue order; none for a topic that does not exist. */
    List<QueueStats> queueStats(String topic);

    /** The first offset of the queue whose message was stored at or after {@code timestamp}. */
    long offsetAt(Queue queue, long timestamp);

    /** Store time of the queue's oldest retained message. */
    long earliestStoreTime(Queue queue);
}
