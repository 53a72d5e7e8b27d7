package io.onsbridge.cluster.rocketmq;

import io.onsbridge.cluster.ClusterMessages;
import io.onsbridge.cluster.ClusterOffsets;
import io.onsbridge.cluster.Queue;
import io.onsbridge.cluster.StoredMessage;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/** Queue offsets from the brokers' topic stats, and offsets by store time. */
final class BrokerOffsets implements ClusterOffsets {
    private final ClusterAdmin cluster;
    private final ClusterMessages messages;

    BrokerOffsets(ClusterAdmin cluster, ClusterMessages messages) {
        this.cluster = cluster;
        this.messages = messages;
    }

    /** Empty when no master has the topic: e.g. a group's DLQ topic, which the broker creates with the first dead letter. */
    @Override
    public List<QueueStats> queueStats(String topic) {
        List<QueueStats> queues = new ArrayList<>();
        cluster.topicStats(topic).getOffsetTable().forEach((queue, o) -> queues.add(
                new QueueStats(Values.queue(queue), o.getMinOffset(), o.getMaxOffset(), o.getLastUpdateTimestamp())));
        queues.sort(Comparator.comparing(QueueStats::queue));
        return queues;
    }

    @Override
    public long offsetAt(Queue queue, long timestamp) {
        long offset = cluster.call("search " + queue + " by time", a -> a.searchOffset(Values.messageQueue(queue), timestamp));
        if (!cluster.olderThan5(queue.broker())) {
            return offset;
        }
        // RocketMQ 4 answers with the message nearest to the time, which may be the last one before it.
        List<StoredMessage> at = messages.read(queue, offset, 1);
        return !at.isEmpty() && at.get(0).queueOffset() == offset && at.get(0).storeTimestamp() < timestamp ? offset + 1 : offset;
    }

    @Override
    public long earliestStoreTime(Queue queue) {
        return cluster.call("read the earliest message of " + queue, a -> a.earliestMsgStoreTime(Values.messageQueue(queue)));
    }
}
