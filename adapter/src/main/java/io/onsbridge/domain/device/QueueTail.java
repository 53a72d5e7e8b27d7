package io.onsbridge.domain.device;

import io.onsbridge.cluster.Cluster;
import io.onsbridge.cluster.ClusterException;
import io.onsbridge.cluster.ClusterMessages;
import io.onsbridge.cluster.ClusterOffsets;
import io.onsbridge.cluster.Queue;
import io.onsbridge.cluster.StoredMessage;
import io.onsbridge.tracecollector.FailureLog;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Follows one topic's queues from their end as of the start, handing every new message to a sink in queue
 * order: how this bridge sees what reaches a topic its devices may receive from. Positions are the bridge's
 * own and need not survive it (a device's lasting position is its session's, kept in the cluster).
 *
 * <p>Each queue is read by a long poll, as a consumer pulls: the broker holds the read until a message
 * arrives (then it is handed over at once) or about 20 s pass. A quiet topic thus costs nothing between
 * arrivals, whatever its number of queues; before, each tail asked for the topic's offsets every
 * {@code --mqtt-poll-ms} (50 ms), and one device on an instance of 40 topics kept its bridge and broker at
 * 46% of a core against 28% with one topic. The topic's queues are looked at again every
 * {@link #QUEUES_REFRESH}, for queues added (or gone) since. After an answer of less than a full batch
 * (empty included) a queue waits {@code idle} before its next read: the first message after a quiet spell
 * is handed over at once, and a steady trickle (a connect storm's session notices) is read in batches at
 * most every {@code idle}, not a round trip per message; after a failure it waits a second.
 *
 * <p>A topic gone (every master answers that it has no such topic) ends the tail and is reported to its owner:
 * a topic created again with the same name starts its queues at offset 0, so the old positions would skip its
 * first messages (as many as the old topic had). The owner follows it again, when it reappears, with a new
 * tail that reads from a time ({@link #start} with {@code storedSince}). A long poll answered "no such topic"
 * has the queues looked at again at once.
 */
final class QueueTail {
    private static final Logger log = LoggerFactory.getLogger(QueueTail.class);
    private static final int BATCH = 32;
    static final Duration QUEUES_REFRESH = Duration.ofSeconds(10);
    private static final Duration AFTER_FAILURE = Duration.ofSeconds(1);
    /** {@link #start}'s {@code storedSince} for a tail that starts at the end of each queue. */
    static final long AT_THE_END = Long.MAX_VALUE;
    /**
     * Taken off times the bridge took itself before they are compared with store times (the brokers' clocks): the
     * clocks apart, and the age of what the time was taken for (a topic listing is up to 900 ms old).
     */
    static final long CLOCKS_MARGIN_MILLIS = 5_000;

    /** Receives a queue's messages in order; called under the tail's lock (see {@link #locked}): must not block. */
    interface Sink {
        void accept(Queue queue, StoredMessage message);

        /** The queue's offsets start again below the tail's position (see {@link #restartBelow}): offsets kept of it are void. */
        default void restarted(Queue queue) {
        }
    }

    private final Cluster cluster;
    private final String topic;
    private final String instanceId;
    private final Sink sink;
    private final ScheduledExecutorService scheduler;
    private final Duration idle;
    private final Consumer<QueueTail> whenGone;
    private final FailureLog failures = new FailureLog(log, Duration.ofMinutes(5));
    private final Map<Queue, Long> positions = new HashMap<>();
    /** Per queue, the store time of the last message handed over (absent: none yet, see {@link #startedAt}). */
    private final Map<Queue, Long> handedUpTo = new HashMap<>();
    /** Where the tail started, as a store time: every message stored before it was not the tail's to hand over. */
    private final long startedAt;
    /**
     * The queues being read, each with its read loop's token: a loop goes on only while its token is the queue's, so
     * that a queue gone and back again is read by one loop. A queue gone keeps its position (a broker that left and
     * returns is read on from where it was, not again from its first message).
     */
    private final Map<Queue, Object> reading = new HashMap<>();
    private volatile boolean stopped;

    private QueueTail(Cluster cluster, String topic, String instanceId, Sink sink, ScheduledExecutorService scheduler, Duration idle,
                      long startedAt, Consumer<QueueTail> whenGone) {
        this.cluster = cluster;
        this.topic = topic;
        this.instanceId = instanceId;
        this.sink = sink;
        this.scheduler = scheduler;
        this.idle = idle;
        this.startedAt = startedAt;
        this.whenGone = whenGone;
    }

    /**
     * Starts following the topic from the messages of each of its queues stored since {@code storedSince} (epoch ms;
     * {@link #AT_THE_END}: from each queue's current end), positions read now, before this returns. {@code idle}: how
     * long a queue waits after an answer of less than a full batch; the reads' answers and the sink run on
     * {@code scheduler}. {@code whenGone} runs once, on the scheduler, when the topic is gone and the tail has stopped.
     */
    static QueueTail start(Cluster cluster, String topic, String instanceId, Sink sink, ScheduledExecutorService scheduler, Duration idle,
                           long storedSince, Consumer<QueueTail> whenGone) {
        long startedAt = storedSince == AT_THE_END ? System.currentTimeMillis() - CLOCKS_MARGIN_MILLIS : storedSince;
        QueueTail tail = new QueueTail(cluster, topic, instanceId, sink, scheduler, idle, startedAt, whenGone);
        tail.startFrom(storedSince);
        tail.later(tail::refreshQueues, QUEUES_REFRESH);
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
     * Queues added to the topic since the start (or the last look) are read from their first message; a queue
     * gone (the topic shrunk, or its broker left) is no longer read once its read under way ends; the topic gone
     * stops the tail.
     */
    private void refreshQueues() {
        try {
            lookAtQueues();
        } finally {
            later(this::refreshQueues, QUEUES_REFRESH);
        }
    }

    private void lookAtQueues() {
        if (stopped) {
            return;
        }
        try {
            List<ClusterOffsets.QueueStats> stats = cluster.offsets().queueStats(topic);
            if (stats.isEmpty()) { // every master answered that it has no such topic (one that does not answer fails the call)
                gone();
                return;
            }
            synchronized (this) {
                for (ClusterOffsets.QueueStats s : stats) {
                    if (positions.putIfAbsent(s.queue(), s.minOffset()) == null) {
                        handedUpTo.put(s.queue(), 0L); // a queue added: all its messages are new
                    }
                }
                reading.keySet().retainAll(stats.stream().map(ClusterOffsets.QueueStats::queue).toList());
            }
            stats.forEach(s -> startReading(s.queue()));
            failures.succeeded("follow " + topic);
        } catch (RuntimeException e) {
            failures.failed("follow " + topic, e);
        }
    }

    /** The topic is gone: the tail stops, and its owner is told (once). */
    private void gone() {
        synchronized (this) {
            if (stopped) {
                return;
            }
            stopped = true;
            reading.clear();
        }
        log.info("MQTT: topic {} is gone; its tail stops (followed again, from its first message, if it is created again)", topic);
        whenGone.accept(this);
    }

    /** Starts the queue's read loop unless it has one. */
    private void startReading(Queue queue) {
        Object token = new Object();
        synchronized (this) {
            if (reading.putIfAbsent(queue, token) != null) {
                return;
            }
        }
        readNext(queue, token);
    }

    /** Whether the loop of {@code token} still reads the queue (not stopped, not gone, not replaced). */
    private boolean reads(Queue queue, Object token) {
        return !stopped && reading.get(queue) == token;
    }

    /** The queue's next long poll, from its position; its answer is handed over on the scheduler. */
    private void readNext(Queue queue, Object token) {
        long from;
        synchronized (this) {
            if (!reads(queue, token)) {
                return;
            }
            from = positions.get(queue);
        }
        cluster.messages().readWhenArrives(queue, from, BATCH).whenComplete((read, failure) -> later(() -> handOver(queue, token, read, failure),
                Duration.ZERO));
    }

    private void handOver(Queue queue, Object token, ClusterMessages.Batch read, Throwable failure) {
        if (failure != null) {
            if (failure instanceof ClusterException e && e.is(ClusterException.Reason.TOPIC_NOT_FOUND)) {
                lookAtQueues(); // the topic may be gone (the tail stops), or this queue's broker no longer has it (its loop ends)
            }
            if (!stopped) {
                failures.failed("follow " + topic, failure instanceof Exception e ? e : new IllegalStateException(failure));
                later(() -> readNext(queue, token), AFTER_FAILURE);
            }
            return;
        }
        List<StoredMessage> batch = read.messages();
        long from;
        boolean endsBelow;
        synchronized (this) {
            if (!reads(queue, token)) {
                return;
            }
            from = positions.get(queue);
            endsBelow = batch.isEmpty() && read.next() < from;
            if (!endsBelow) {
                for (StoredMessage message : batch) {
                    sink.accept(queue, message);
                }
                if (!batch.isEmpty()) {
                    StoredMessage last = batch.get(batch.size() - 1);
                    handedUpTo.put(queue, last.storeTimestamp());
                    positions.put(queue, last.queueOffset() + 1);
                } else {
                    positions.put(queue, read.next()); // the same; or, when the position had expired, the oldest message kept
                }
            }
        }
        if (endsBelow) {
            restartBelow(queue, token, from);
            return;
        }
        failures.succeeded("follow " + topic);
        if (batch.size() == BATCH) {
            readNext(queue, token); // more may wait
        } else {
            later(() -> readNext(queue, token), idle);
        }
    }

    /**
     * The broker answered that the queue ends below the tail's position: the topic was created again at once (its
     * queues start at 0 again), or the broker lost the end of its store. The tail reads on from the first message
     * stored after the last one it handed over (a search by time, on the queue's own broker's clock): a new topic's
     * messages are all read, an old one's are not handed over again.
     */
    private void restartBelow(Queue queue, Object token, long from) {
        long since;
        synchronized (this) {
            since = handedUpTo.getOrDefault(queue, startedAt);
        }
        try {
            long restart = cluster.offsets().offsetAt(queue, since);
            synchronized (this) {
                if (reads(queue, token) && positions.get(queue) == from && restart < from) {
                    positions.put(queue, restart);
                    sink.restarted(queue); // before the queue's next message is handed over
                }
            }
            if (restart >= from) { // the search disagrees with the read (a lagging slave answered one of them): ask again later
                later(() -> readNext(queue, token), AFTER_FAILURE);
                return;
            }
            log.info("MQTT: {} ends below offset {} where this bridge read it (its topic created again, or its store lost its end); "
                    + "read on from offset {}, the first message stored since {}", queue, from, restart, java.time.Instant.ofEpochMilli(since));
            readNext(queue, token);
        } catch (RuntimeException e) {
            failures.failed("follow " + topic, e);
            later(() -> readNext(queue, token), AFTER_FAILURE);
        }
    }

    /** Runs {@code action} on the scheduler after {@code delay}; nothing once the tail is stopped or the sessions close. */
    private void later(Runnable action, Duration delay) {
        if (!stopped) {
            try {
                scheduler.schedule(action, delay.toMillis(), TimeUnit.MILLISECONDS);
            } catch (RejectedExecutionException e) {
                log.debug("{}: the MQTT sessions are closing, the tail reads no further", topic);
            }
        }
    }

    /** The topic's queues at the start, each read from its end or from its first message stored since {@code storedSince}. */
    private void startFrom(long storedSince) {
        List<ClusterOffsets.QueueStats> stats = cluster.offsets().queueStats(topic);
        for (ClusterOffsets.QueueStats s : stats) {
            // a search by time only for a queue with messages stored since then (none, or its last one before: its end)
            long from = storedSince == AT_THE_END || s.maxOffset() == s.minOffset() || s.lastUpdateTimestamp() < storedSince ? s.maxOffset()
                    : cluster.offsets().offsetAt(s.queue(), storedSince);
            synchronized (this) {
                positions.putIfAbsent(s.queue(), from);
            }
        }
        stats.forEach(s -> startReading(s.queue()));
    }
}
