package io.onsbridge.cluster;

import java.util.Comparator;

/** One queue of a topic on one broker. Ordered by topic, broker, queue id: a stable order for merges. */
public record Queue(String topic, String broker, int queueId) implements Comparable<Queue> {
    private static final Comparator<Queue> ORDER = Comparator.comparing(Queue::topic).thenComparing(Queue::broker)
            .thenComparingInt(Queue::queueId);

    @Override
    public int compareTo(Queue other) {
        return ORDER.compare(this, other);
    }

    @Override
    public String toString() {
        return topic + "@" + broker + "#" + queueId;
    }
}
