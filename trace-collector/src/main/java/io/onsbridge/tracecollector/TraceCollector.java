package io.onsbridge.tracecollector;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
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
 * <p>It knows since when it has read everything ({@link #coveredSince()}) and whether it has caught up
 * with the brokers ({@link #awaitCaughtUp}): what a lookup needs to decide whether the store's answer
 * is complete or the broker's index must be asked.
 */
public final class TraceCollector implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(TraceCollector.class);
    private static final long POLL_MILLIS = 100;
    private static final int PULL_BATCH = 32;

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
    private volatile boolean running = true;
    private volatile long coveredSince = Long.MAX_VALUE;
    private volatile long messages;
    private long nextRefresh;

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
        this.worker = new Thread(this::run, "ons-trace-collector");
        worker.setDaemon(true);
    }

    public TraceCollector start() {
        try {
            consumer.start();
        } catch (MQClientException e) {
            throw new IllegalStateException("cannot start the trace collector on " + settings.namesrvAddr(), e);
        }
        worker.start();
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

    /** Trace messages the brokers hold that the collector has not read yet; -1 when the brokers cannot tell. */
    public long lag() {
        long lag = 0;
        try {
            for (Map.Entry<MessageQueue, Long> queue : positions.entrySet()) {
                lag += Math.max(0, ends.maxOffset(queue.getKey()) - queue.getValue());
            }
        } catch (Exception e) {
            return -1;
        }
        return positions.isEmpty() && coveredSince == Long.MAX_VALUE ? -1 : lag;
    }

    /**
     * Waits until the collector has read everything the brokers held when this was called.
     *
     * @return false when that did not happen within {@code maxWait} or the brokers could not tell
     */
    public boolean awaitCaughtUp(Duration maxWait) throws InterruptedException {
        if (coveredSince == Long.MAX_VALUE) {
            return false;
        }
        Map<MessageQueue, Long> targets = new java.util.HashMap<>();
        try {
            for (MessageQueue queue : positions.keySet()) {
                targets.put(queue, ends.maxOffset(queue));
            }
        } catch (Exception e) {
            return false;
        }
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
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (RuntimeException | MQClientException e) {
                LOG.warn("trace collector: {} (retrying)", e.toString());
                nextRefresh = clock.millis() + settings.queueRefresh().toMillis();
            }
        }
    }

    private void ingest(List<MessageExt> batch) {
        if (batch.isEmpty()) {
            return;
        }
        List<TraceEvent> events = new ArrayList<>(batch.size() * 10);
        for (MessageExt message : batch) {
            try {
                events.addAll(TraceEvents.of(message));
            } catch (RuntimeException e) {
                LOG.debug("trace collector: skipped an undecodable trace message {}", message.getMsgId(), e);
            }
        }
        store.addAll(events);
        synchronized (progress) {
            for (MessageExt message : batch) {
                positions.merge(new MessageQueue(message.getTopic(), message.getBrokerName(), message.getQueueId()),
                        message.getQueueOffset() + 1, Math::max);
            }
            messages += batch.size();
            progress.notifyAll();
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
                LOG.debug("trace collector: no queues for {} yet: {}", topic, e.getErrorMessage());
            }
        }
        Collection<MessageQueue> added = all.stream().filter(q -> !positions.containsKey(q)).toList();
        if (added.isEmpty()) {
            return;
        }
        long from = coveredSince == Long.MAX_VALUE ? clock.millis() - settings.replay().toMillis() : coveredSince;
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
        worker.interrupt();
        try {
            worker.join(2_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        consumer.shutdown();
    }
}
