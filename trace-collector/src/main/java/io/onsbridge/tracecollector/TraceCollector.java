package io.onsbridge.tracecollector;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.apache.rocketmq.client.consumer.DefaultLitePullConsumer;
import org.apache.rocketmq.client.exception.MQClientException;
import org.apache.rocketmq.common.message.MessageExt;
import org.apache.rocketmq.common.message.MessageQueue;
import org.apache.rocketmq.remoting.RPCHook;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads the trace topics into a {@link TraceStore}: a lite pull consumer in a group of its own, assigned
 * every queue of every trace topic (each bridge reads everything; nothing is committed, since a
 * restart replays by time), one thread decoding with RocketMQ's {@code TraceDataEncoder}.
 *
 * <p>Two threads: one polls and decodes, one files the records into the store, so that decoding (the
 * cost raw consumption has too) and filing overlap; a bounded hand-over queue between them.
 *
 * <p>It knows since when it has read everything ({@link #coveredSince()}) and whether it has caught up
 * with the brokers ({@link #awaitCaughtUp}): what a lookup needs to decide whether the store's answer
 * is complete or the broker's index must be asked.
 */
public final class TraceCollector implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(TraceCollector.class);
    private static final java.time.Duration LOG_QUIET = java.time.Duration.ofMinutes(5);
    private final FailureLog pollFailures = new FailureLog(LOG, LOG_QUIET);
    private final FailureLog fileFailures = new FailureLog(LOG, LOG_QUIET);
    private static final long POLL_MILLIS = 100;
    private static final int PULL_BATCH = 32;
    private static final int HANDOVER_BATCHES = 64;
    /**
     * Threads pulling the trace queues. Each pull of an idle queue waits at the broker up to 20 s, so a queue
     * beyond this many waits its turn (later, never lost). The client's default, 20, is far more than the
     * trace topic's queues (one per master), and its pool starts a thread per scheduled pull until full:
     * the bridge's thread count rose for ten minutes after start.
     */
    private static final int PULL_THREADS = 8;
    /** How often {@link #lag()} is measured again. */
    public static final long LAG_REFRESH_MILLIS = 5_000;
    private static final int ENDS_ASKERS = 8;
    /**
     * How long after a lookup wanted fresh ends they are kept fresh, and how often that is looked at. A pause in the
     * lookups longer than their max age (a console user reading a trace, a benchmark's baseline round) let them go
     * stale, and every lookup in the first few ms after it asked the brokers itself and waited (1% of the lookups
     * of 8 clients: their p99).
     */
    private static final long KEEP_ENDS_FRESH_NANOS = java.time.Duration.ofSeconds(5).toNanos();
    private static final long ENDS_KEEPER_MILLIS = 20;

    /** The broker's newest offset of a queue (the admin client's, so the collector needs no admin of its own). */
    @FunctionalInterface
    public interface QueueEnds {
        long maxOffset(MessageQueue queue) throws Exception;
    }

    /**
     * @param replay how far back to read at start, filling the store with what happened just before
     * @param queueRefresh how often to look for new queues (a broker joining the cluster)
     */
    public record Settings(String namesrvAddr, RPCHook rpcHook, String group, List<String> topics, Duration replay,
                           Duration queueRefresh) {
    }

    private final Settings settings;
    private final TraceStore store;
    private final QueueEnds ends;
    private final Clock clock;
    private final DefaultLitePullConsumer consumer;
    private final Map<MessageQueue, Long> positions = new ConcurrentHashMap<>();
    private final Object progress = new Object();
    private final Thread worker;
    private final Thread filer;
    /** Asks the brokers for the trace queues' ends, all queues at once (a few, one per broker and topic). */
    private final ExecutorService endsAskers = Executors.newFixedThreadPool(ENDS_ASKERS,
            r -> {
                Thread t = new Thread(r, "ons-trace-ends");
                t.setDaemon(true);
                return t;
            });
    private final java.util.concurrent.ScheduledExecutorService endsKeeper = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "ons-trace-ends-keeper");
        t.setDaemon(true);
        return t;
    });
    private final java.util.concurrent.BlockingQueue<Decoded> handover = new java.util.concurrent.ArrayBlockingQueue<>(HANDOVER_BATCHES);
    private volatile boolean running = true;
    private volatile long coveredSince = Long.MAX_VALUE;
    /**
     * Where reading starts (epoch ms): fixed when the collector is made, not at its first assignment, which
     * waits for the trace topics' routes; a message traced in between would be missed (TraceIT saw it in CI).
     */
    private final long readFrom;
    private volatile long messages;
    /** When the reading thread next asks for the trace topics' queues (epoch ms); 0: at its next turn. */
    private volatile long nextRefresh;
    private volatile long lag = -1;

    public TraceCollector(Settings settings, TraceStore store, QueueEnds ends, Clock clock) {
        this.settings = settings;
        this.store = store;
        this.ends = ends;
        this.clock = clock;
        this.consumer = new DefaultLitePullConsumer(settings.group(), settings.rpcHook());
        consumer.setNamesrvAddr(settings.namesrvAddr());
        consumer.setInstanceName("ons-bridge-trace-" + Integer.toHexString(System.identityHashCode(this)));
        consumer.setAutoCommit(false);
        consumer.setPullBatchSize(PULL_BATCH);
        consumer.setPullThreadNums(PULL_THREADS);
        // A queue's first pull can start before our seek lands; from the end of the queue it would be a
        // long poll (up to 20 s) that delays the seek. Starting where the seek goes makes the race harmless.
        consumer.setConsumeFromWhere(org.apache.rocketmq.common.consumer.ConsumeFromWhere.CONSUME_FROM_TIMESTAMP);
        this.readFrom = clock.millis() - settings.replay().toMillis();
        consumer.setConsumeTimestamp(org.apache.rocketmq.common.UtilAll.timeMillisToHumanString3(readFrom));
        this.worker = new Thread(this::run, "ons-trace-collector");
        worker.setDaemon(true);
        this.filer = new Thread(this::file, "ons-trace-filer");
        filer.setDaemon(true);
    }

    public TraceCollector start() {
        try {
            consumer.start();
        } catch (MQClientException e) {
            throw new IllegalStateException("cannot start the trace collector on " + settings.namesrvAddr(), e);
        }
        filer.start();
        worker.start();
        endsKeeper.scheduleWithFixedDelay(this::keepEndsFresh, ENDS_KEEPER_MILLIS, ENDS_KEEPER_MILLIS, TimeUnit.MILLISECONDS);
        endsKeeper.scheduleWithFixedDelay(this::measureLag, 0, LAG_REFRESH_MILLIS, TimeUnit.MILLISECONDS);
        return this;
    }

    public TraceStore store() {
        return store;
    }

    /** Every trace message stored at or after this time (epoch ms) has been read; MAX_VALUE before the first assignment. */
    public long coveredSince() {
        return coveredSince;
    }

    public long messagesRead() {
        return messages;
    }

    /** The trace queues read: every queue of the trace topics on each master seen (a master away keeps its queues here). */
    public int queuesRead() {
        return positions.size();
    }

    /**
     * Asks for the trace topics' queues at the reading thread's next turn (within {@link #POLL_MILLIS}), not at
     * the next periodic look: a master that joined the cluster, or was first seen, has trace queues that the
     * lookups' ends do not cover until then, so a trace would leave out what it holds.
     */
    public void lookForNewQueues() {
        nextRefresh = 0;
        synchronized (progress) {
            progress.notifyAll(); // the reading thread, if it waits for a first trace topic; awaiters check again
        }
    }

    /**
     * Trace messages the brokers held that the collector had not read, as of its last look (every 5 s,
     * so that health checks and metric scrapes never call the brokers); -1 when the brokers cannot tell.
     */
    public long lag() {
        return lag;
    }

    /**
     * Measured on the ends' keeper, not on the reading thread: a master that hangs holds the asking thread for the
     * client's timeout, and the reading thread held that long read no other master's trace queue meanwhile (trace
     * lookups then went to the brokers' index, which leaves the hung master out, and failed).
     */
    private void measureLag() {
        try {
            Optional<Ends> now = ends(); // every queue asked at once; -1 unless each answered
            lag = now.filter(e -> e.offsets.keySet().containsAll(positions.keySet()))
                    .map(e -> e.offsets.entrySet().stream()
                            .mapToLong(q -> Math.max(0, q.getValue() - positions.getOrDefault(q.getKey(), q.getValue()))).sum())
                    .orElse(-1L);
        } catch (RuntimeException e) {
            lag = -1;
            LOG.debug("trace collector: measuring the lag failed; unknown (-1) until the next look", e);
        }
    }

    /**
     * Waits until the collector has read everything the brokers held when this was called.
     *
     * @return false when that did not happen within {@code maxWait} or the brokers could not tell
     */
    public boolean awaitCaughtUp(Duration maxWait) throws InterruptedException {
        return awaitReached(ends(), maxWait);
    }

    /** Where the brokers' trace queues end now: what a reader that holds everything has read to. */
    public static final class Ends {
        private final Map<MessageQueue, Long> offsets;

        private Ends(Map<MessageQueue, Long> offsets) {
            this.offsets = offsets;
        }
    }

    /**
     * The brokers' ends of every trace queue the collector reads, asked now (one round trip to each broker
     * of the trace topics); empty when the collector reads nothing yet or the brokers cannot tell. Asked
     * apart from {@link #awaitReached}, so that a caller can ask it alongside its other reads.
     */
    public Optional<Ends> ends() {
        if (coveredSince == Long.MAX_VALUE) {
            return Optional.empty();
        }
        // every queue asked at once: one round trip to the brokers, not one per queue
        Map<MessageQueue, CompletableFuture<Long>> asked = new HashMap<>();
        for (MessageQueue queue : positions.keySet()) {
            asked.put(queue, CompletableFuture.supplyAsync(() -> {
                try {
                    return ends.maxOffset(queue);
                } catch (Exception e) {
                    throw new CompletionException(e);
                }
            }, endsAskers));
        }
        Map<MessageQueue, Long> targets = new HashMap<>();
        RuntimeException failure = null;
        for (Map.Entry<MessageQueue, CompletableFuture<Long>> queue : asked.entrySet()) {
            try {
                targets.put(queue.getKey(), queue.getValue().join());
            } catch (RuntimeException e) {
                failure = e;
            }
        }
        if (failure != null && targets.isEmpty()) {
            // Not caught up as far as anyone can tell: the caller reads the broker's index instead.
            LOG.debug("trace collector: the brokers cannot tell the trace topics' ends", failure);
            return Optional.empty();
        }
        // A queue whose broker cannot tell its end (it does not answer) is not waited for: what it holds past the
        // collector's position can be read by no one meanwhile, the broker's index included.
        return Optional.of(new Ends(targets));
    }

    /** The ends last asked by {@link #recentEnds}, and when (System.nanoTime() before asking). */
    private record AskedEnds(long askedAt, Ends ends) {
    }

    private volatile AskedEnds lastEnds;

    /**
     * {@link #ends()} as asked at most {@code maxAge} ago: many lookups share one round trip to the brokers.
     * A record stored since then is not waited for. Asks the brokers (and waits) only when no such answer
     * is held; see {@link #freshEnds}.
     */
    public Optional<Ends> recentEnds(Duration maxAge) {
        Optional<Ends> fresh = freshEnds(maxAge);
        return fresh.isPresent() ? fresh : askEnds();
    }

    /**
     * The ends asked at most {@code maxAge} ago, without waiting: empty when none that recent is held. From then
     * on, for a few seconds, they are asked again in the background once half that age has passed
     * ({@link #keepEndsFresh}), so that while lookups keep coming none of them waits for the brokers.
     */
    public Optional<Ends> freshEnds(Duration maxAge) {
        long now = System.nanoTime();
        endsWanted = new EndsWanted(now, maxAge.toNanos());
        AskedEnds last = lastEnds;
        if (last == null || now - last.askedAt() > maxAge.toNanos()) {
            return Optional.empty();
        }
        return Optional.of(last.ends());
    }

    /** A lookup's wish for ends at most {@code maxAgeNanos} old, at {@code at} (System.nanoTime()). */
    private record EndsWanted(long at, long maxAgeNanos) {
    }

    private volatile EndsWanted endsWanted;

    /**
     * For {@link #KEEP_ENDS_FRESH_NANOS} after a lookup wanted them, asks the ends again once half their max age
     * has passed: while lookups keep coming, and after a pause of theirs, none of them waits for the brokers.
     */
    private void keepEndsFresh() {
        EndsWanted wanted = endsWanted;
        long now = System.nanoTime();
        if (wanted == null || now - wanted.at() > KEEP_ENDS_FRESH_NANOS) {
            return;
        }
        AskedEnds last = lastEnds;
        if (last == null || now - last.askedAt() > wanted.maxAgeNanos() / 2) {
            try {
                askEnds();
            } catch (RuntimeException e) {
                LOG.debug("trace collector: asking the trace topics' ends failed", e); // the next round asks again
            }
        }
    }

    private Optional<Ends> askEnds() {
        long now = System.nanoTime();
        Optional<Ends> fresh = ends();
        fresh.ifPresent(e -> {
            AskedEnds last = lastEnds;
            if (last == null || last.askedAt() < now) {
                lastEnds = new AskedEnds(now, e);
            }
        });
        return fresh;
    }

    /** Whether the collector has read up to {@code target} now, without waiting; false when the target is unknown. */
    public boolean reached(Optional<Ends> target) {
        if (target.isEmpty()) {
            return false;
        }
        synchronized (progress) {
            return reached(target.get().offsets);
        }
    }

    /**
     * Waits until the collector has read up to {@code target} (see {@link #ends()}); a wait in memory.
     *
     * @return false when that did not happen within {@code maxWait}, or the target is unknown
     */
    public boolean awaitReached(Optional<Ends> target, Duration maxWait) throws InterruptedException {
        if (target.isEmpty()) {
            return false;
        }
        Map<MessageQueue, Long> targets = target.get().offsets;
        long deadline = System.nanoTime() + maxWait.toNanos();
        synchronized (progress) {
            while (!reached(targets)) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    return false;
                }
                progress.wait(Math.max(1, left / 1_000_000));
            }
        }
        return true;
    }

    private boolean reached(Map<MessageQueue, Long> targets) {
        return targets.entrySet().stream().allMatch(t -> positions.getOrDefault(t.getKey(), -1L) >= t.getValue());
    }

    private void run() {
        while (running) {
            try {
                if (clock.millis() >= nextRefresh) {
                    refreshQueues();
                }
                if (positions.isEmpty()) {
                    synchronized (progress) {
                        progress.wait(POLL_MILLIS); // no trace topic yet: nothing to poll
                    }
                    continue;
                }
                ingest(consumer.poll(POLL_MILLIS));
                pollFailures.succeeded("trace collector: reading the trace topics");
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (RuntimeException | MQClientException e) {
                pollFailures.failed("trace collector: reading the trace topics (retrying)", e);
                nextRefresh = clock.millis() + settings.queueRefresh().toMillis();
            }
        }
    }

    /** A polled batch, decoded: its records and how far it advances each queue. */
    private record Decoded(List<TraceEvent> events, Map<MessageQueue, Long> ends, int messages) {
    }

    private void ingest(List<MessageExt> batch) throws InterruptedException {
        if (batch.isEmpty()) {
            return;
        }
        List<TraceEvent> events = new ArrayList<>(batch.size() * 10);
        Map<MessageQueue, Long> ends = new HashMap<>();
        for (MessageExt message : batch) {
            try {
                events.addAll(TraceEvents.of(message));
            } catch (RuntimeException e) {
                LOG.debug("trace collector: skipped an undecodable trace message {}", message.getMsgId(), e);
            }
            ends.merge(new MessageQueue(message.getTopic(), message.getBrokerName(), message.getQueueId()), message.getQueueOffset() + 1,
                    Math::max);
        }
        handover.put(new Decoded(events, ends, batch.size()));
    }

    /** The filing thread: a batch's positions advance only once its records are in the store. */
    private void file() {
        while (running) {
            try {
                Decoded decoded = handover.take();
                store.addAll(decoded.events());
                synchronized (progress) {
                    decoded.ends().forEach((queue, end) -> positions.merge(queue, end, Math::max));
                    messages += decoded.messages();
                    progress.notifyAll();
                }
                fileFailures.succeeded("trace collector: filing a batch");
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (RuntimeException e) {
                fileFailures.failed("trace collector: filing a batch", e);
            }
        }
    }

    /** Assigns every queue of the trace topics; a queue seen for the first time is read from {@link #coveredSince}. */
    private void refreshQueues() throws MQClientException {
        nextRefresh = clock.millis() + settings.queueRefresh().toMillis();
        Set<MessageQueue> all = new HashSet<>();
        for (String topic : settings.topics()) {
            try {
                all.addAll(consumer.fetchMessageQueues(topic));
            } catch (MQClientException e) {
                LOG.debug("trace collector: no queues for {} yet", topic, e);
            }
        }
        Collection<MessageQueue> added = all.stream().filter(q -> !positions.containsKey(q)).toList();
        if (added.isEmpty()) {
            return;
        }
        long from = coveredSince == Long.MAX_VALUE ? readFrom : coveredSince;
        consumer.assign(all);
        for (MessageQueue queue : added) {
            long offset = consumer.offsetForTimestamp(queue, from);
            consumer.seek(queue, offset);
            positions.put(queue, offset);
        }
        coveredSince = Math.min(coveredSince, from);
        LOG.info("trace collector reads {} queue(s) of {} from {}", all.size(), settings.topics(), java.time.Instant.ofEpochMilli(from));
    }

    @Override
    public void close() {
        running = false;
        endsKeeper.shutdownNow();
        endsAskers.shutdownNow();
        worker.interrupt();
        filer.interrupt();
        try {
            worker.join(2_000);
            filer.join(2_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        consumer.shutdown();
    }
}
