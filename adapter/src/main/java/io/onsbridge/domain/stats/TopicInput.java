package io.onsbridge.domain.stats;

import io.onsbridge.cluster.ClusterOffsets;
import java.util.Arrays;
import java.util.function.LongUnaryOperator;

/**
 * Messages a topic received per bucket, exactly, from the store itself: no sampler. The broker finds,
 * per queue, the first offset whose message was stored at or after a time (searchOffset, the same
 * lookup the page queries use); a bucket's count is the difference of that offset at its two
 * boundaries, summed over the queues of every master. Past the newest message the lookup answers the
 * queue's end, before the oldest retained one its start, so the counts telescope: their sum is exactly
 * the number of messages stored between the first and the last boundary.
 *
 * <p>Cost: a queue with no message, or none since the range began, costs nothing; otherwise the
 * boundaries are searched by halving, and a stretch whose ends have the same offset is known to be
 * empty without looking inside. A sparse topic costs a few lookups per busy bucket, not one per point.
 */
final class TopicInput {
    private final ClusterOffsets offsets;

    TopicInput(ClusterOffsets offsets) {
        this.offsets = offsets;
    }

    long[] counts(String brokerTopic, Buckets buckets) {
        long[] boundaries = buckets.boundaries();
        long[] counts = new long[buckets.count()];
        for (ClusterOffsets.QueueStats queue : offsets.queueStats(brokerTopic)) {
            if (queue.maxOffset() <= queue.minOffset() || queue.lastUpdateTimestamp() < boundaries[0]) {
                continue; // empty, or its newest message is older than the range
            }
            long[] at = offsetsAt(boundaries, t -> offsets.offsetAt(queue.queue(), t));
            for (int i = 0; i < counts.length; i++) {
                counts[i] += Math.max(0, at[i + 1] - at[i]);
            }
        }
        return counts;
    }

    /** The offset at every boundary; stretches with equal offsets at both ends are filled without lookups. */
    static long[] offsetsAt(long[] boundaries, LongUnaryOperator offsetAt) {
        long[] at = new long[boundaries.length];
        int last = boundaries.length - 1;
        at[0] = offsetAt.applyAsLong(boundaries[0]);
        at[last] = last == 0 ? at[0] : offsetAt.applyAsLong(boundaries[last]);
        fill(boundaries, at, 0, last, offsetAt);
        return at;
    }

    private static void fill(long[] boundaries, long[] at, int low, int high, LongUnaryOperator offsetAt) {
        if (high - low <= 1) {
            return;
        }
        if (at[low] == at[high]) {
            Arrays.fill(at, low + 1, high, at[low]);
            return;
        }
        int mid = (low + high) >>> 1;
        at[mid] = offsetAt.applyAsLong(boundaries[mid]);
        fill(boundaries, at, low, mid, offsetAt);
        fill(boundaries, at, mid, high, offsetAt);
    }
}
