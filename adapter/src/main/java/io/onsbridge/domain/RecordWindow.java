package io.onsbridge.domain;

import io.onsbridge.cluster.Cluster;
import io.onsbridge.cluster.ClusterMessages;
import io.onsbridge.cluster.ClusterOffsets;
import io.onsbridge.cluster.StoredMessage;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads the bridge's own records back from one of its hidden topics (MQTT history and snapshots, HTTP consumers'
 * shares): the messages of a tag stored in a time window, the broker filtering by tag. Store times, not the time
 * index's seconds, decide what is in the window.
 */
public final class RecordWindow {
    private static final int READ_BATCH = 32;

    private RecordWindow() {
    }

    /** The messages of {@code tag} on {@code topic} stored in {@code [from, to]}, at most {@code max}, in store order per queue. */
    public static List<StoredMessage> read(Cluster cluster, String topic, String tag, long from, long to, int max) {
        List<StoredMessage> records = new ArrayList<>();
        for (ClusterOffsets.QueueStats stats : cluster.offsets().queueStats(topic)) {
            if (stats.maxOffset() <= stats.minOffset() || stats.lastUpdateTimestamp() < from) {
                continue;
            }
            long cursor = cluster.offsets().offsetAt(stats.queue(), from);
            long stop = to == Long.MAX_VALUE ? stats.maxOffset() : cluster.offsets().offsetAt(stats.queue(), to + 1);
            while (cursor < stop && records.size() < max) {
                ClusterMessages.Batch batch = cluster.messages().read(stats.queue(), tag, cursor, READ_BATCH);
                for (StoredMessage message : batch.messages()) {
                    if (message.queueOffset() < stop && message.storeTimestamp() >= from && message.storeTimestamp() <= to) {
                        records.add(message);
                    }
                }
                if (batch.next() <= cursor) {
                    break;
                }
                cursor = batch.next();
            }
        }
        return records;
    }
}
