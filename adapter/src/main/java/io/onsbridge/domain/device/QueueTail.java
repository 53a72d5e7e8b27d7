package io.onsbridge.domain.device;

import io.onsbridge.cluster.Cluster;
import io.onsbridge.cluster.ClusterMessages;
import io.onsbridge.cluster.ClusterOffsets;
import io.onsbridge.cluster.Queue;
import io.onsbridge.cluster.StoredMessage;
import io.onsbridge.tracecollector.FailureLog;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Follows one topic's queues from their end as of the start, handing every new message to a sink in queue
 * order: how this bridge sees what reaches a topic its devices may receive from. Positions are the bridge's
 * own and need not survive it (a device's lasting position is its session's, kept in the cluster). While
 * nothing arrives it looks every {@code idle}.
 */
final class QueueTail {
    private static final Logger log = LoggerFactory.getLogger(QueueTail.class);
    private static final int BATCH = 32;

    /** Receives a queue's messages in order; called under the tail's lock (see {@link #locked}): must not block. */
    interface Sink {
        void accept(Queue queue, StoredMessage message);
    }

    private final Cluster cluster;
    private final String topic;
    private final String instanceId;
    private final Sink sink;
    private final ScheduledExecutorService scheduler;
    private final Supplier<Duration> idle;
    private final FailureLog failures = new FailureLog(log, Duration.ofMinutes(5));
    private final Map<Queue, Long> positions = new HashMap<>();
    private volatile boolean stopped;

    private QueueTail(Cluster cluster, String topic, String instanceId, Sink sink, ScheduledExecutorService scheduler,
                      Supplier<Duration> idle) {
        this.cluster = cluster;
        this.topic = topic;
        this.instanceId = instanceId;
        this.sink = sink;
        this.scheduler = scheduler;
        this.idle = idle;
    }

    /**
     * Starts following the topic from the current end of each of its queues (read now, before this returns).
     * {@code idle}: how long to wait before looking again when nothing arrived, asked after each look.
     */
    static QueueTail start(Cluster cluster, String topic, String instanceId, Sink sink, ScheduledExecutorService scheduler,
                           Supplier<Duration> idle) {
        QueueTail tail = new QueueTail(cluster, topic, instanceId, sink, scheduler, idle);
        tail.startAtTheEnd();
        scheduler.schedule(tail::poll, idle.get().toMillis(), TimeUnit.MILLISECONDS);
        return tail;
    }

    String topic() {
        return topic;
    }

    String instanceId() {
        return instanceId;
    }

    /** The offset this tail reads next in the queue (its end at the start for a queue not yet read). */
    synchronized long position(Queue queue) {
        return positions.getOrDefault(queue, 0L);
    }

    synchronized Map<Queue, Long> positions() {
        return Map.copyOf(positions);
    }

    /** Runs {@code action} while no message is handed to the sink: a reader of its own can take over from the tail. */
    synchronized <T> T locked(Supplier<T> action) {
        return action.get();
    }

    void stop() {
        stopped = true;
    }

    /**
     * One look at the topic's queue offsets (a request per broker), then a read of each queue that has
     * something new: a quiet topic costs one small request per {@code idle}, whatever its number of queues.
     */
    private void poll() {
        boolean more = false;
        try {
            for (ClusterOffsets.QueueStats stats : cluster.offsets().queueStats(topic)) {
                Queue queue = stats.queue();
                synchronized (this) {
                    positions.putIfAbsent(queue, stats.minOffset()); // a queue added since the start: from its first message
                }
                if (stats.maxOffset() > position(queue)) {
                    more |= readOnce(queue);
                }
            }
            failures.succeeded("follow " + topic);
        } catch (RuntimeException e) {
            if (!stopped) {
                failures.failed("follow " + topic, e);
            }
        } finally {
            if (!stopped) {
                scheduler.schedule(this::poll, more ? 0 : idle.get().toMillis(), TimeUnit.MILLISECONDS);
            }
        }
    }

    private boolean readOnce(Queue queue) {
        long from = position(queue);
        ClusterMessages.Batch read = cluster.messages().read(queue, "*", from, BATCH);
        List<StoredMessage> batch = read.messages();
        if (batch.isEmpty()) {
            if (read.next() > from) {
                synchronized (this) {
                    positions.put(queue, read.next()); // the position had expired: on from the oldest message kept
                }
            }
            return false;
        }
        synchronized (this) {
            for (StoredMessage message : batch) {
                sink.accept(queue, message);
            }
            positions.put(queue, batch.get(batch.size() - 1).queueOffset() + 1);
        }
        return batch.size() == BATCH;
    }

    /** The topic's queues at the start, each from its end. */
    private void startAtTheEnd() {
        List<ClusterOffsets.QueueStats> stats = cluster.offsets().queueStats(topic);
        synchronized (this) {
            for (ClusterOffsets.QueueStats s : stats) {
                positions.putIfAbsent(s.queue(), s.maxOffset());
            }
        }
    }
}
