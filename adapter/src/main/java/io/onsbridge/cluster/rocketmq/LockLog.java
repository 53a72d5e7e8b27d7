package io.onsbridge.cluster.rocketmq;

import io.onsbridge.cluster.ClusterException;
import io.onsbridge.cluster.ClusterLocks;
import io.onsbridge.cluster.ResourceNames;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
import org.apache.rocketmq.client.consumer.DefaultMQPullConsumer;
import org.apache.rocketmq.client.consumer.PullResult;
import org.apache.rocketmq.client.consumer.PullStatus;
import org.apache.rocketmq.client.exception.MQClientException;
import org.apache.rocketmq.client.producer.DefaultMQProducer;
import org.apache.rocketmq.common.MixAll;
import org.apache.rocketmq.common.constant.PermName;
import org.apache.rocketmq.common.message.Message;
import org.apache.rocketmq.common.message.MessageExt;
import org.apache.rocketmq.common.message.MessageQueue;
import org.apache.rocketmq.remoting.protocol.route.QueueData;
import org.apache.rocketmq.remoting.protocol.route.TopicRouteData;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@link ClusterLocks} on an ordered log the cluster already has: a topic with one queue on one broker
 * ({@link ResourceNames#LOCK_TOPIC}). To lock a name, a bridge appends a {@code lock} entry and reads the log
 * up to its entry (each bridge reads on from where it last read, starting one lease back); it holds the lock
 * when its entry is the first of that name not yet followed by its {@code unlock} (see {@link OpenLocks}),
 * otherwise it reads on until the entries ahead are unlocked or expire. A queue's order is the same for every reader, so every bridge agrees on who is first:
 * no compare-and-set is needed (the name server's key-value store has none).
 *
 * <p>Cost: two sends and one or two reads (often shared with other writers), about 1 to 2 ms on a LAN, per
 * locked write. A read that finds nothing new is repeated after 1, 2, 4 ... 50 ms: not a broker long poll,
 * whose hold is checked only every 5 s.
 */
final class LockLog implements ClusterLocks, AutoCloseable {
    private static final Logger logger = LoggerFactory.getLogger(LockLog.class);
    static final String TOPIC = ResourceNames.LOCK_TOPIC;
    /** Hidden from group lists by {@link SystemResources}: it starts with the admin prefix. */
    private static final String READER_GROUP = ClusterAdmin.ADMIN_GROUP_PREFIX + "locks";
    private static final String WRITER_GROUP = "ons_bridge_locker";
    private static final String NAME_PROPERTY = "ONS_BRIDGE_LOCK";
    private static final String LOCK = "lock";
    private static final String UNLOCK = "unlock";
    /** A holder's entry older than this is taken for a vanished bridge's; every locked write is far shorter. */
    static final Duration LEASE = Duration.ofSeconds(15);
    /**
     * How long a write waits for the lock: inside the lease, so that the work still fits in it, and inside
     * the SDKs' 10 s read timeout, so that the caller hears why.
     */
    static final Duration WAIT = Duration.ofSeconds(8);
    /** Between reads that found nothing new: short at first (the caller's own entry is readable within a millisecond or two). */
    private static final long MAX_BACKOFF_MILLIS = 50;
    private static final int BATCH = 64;
    /** Brokers' and bridges' clocks may differ by this much: the first read starts this much earlier. */
    private static final long CLOCK_SLACK_MILLIS = 5_000;
    /** How long the log's queue, once looked up, is used before it is looked up again. */
    static final Duration LOOKED_UP_FOR = Duration.ofSeconds(1);

    private final ClusterAdmin cluster;
    private final DefaultMQProducer writer;
    private final DefaultMQPullConsumer reader;
    private final String bridgeId = UUID.randomUUID().toString();
    private final AtomicLong sequence = new AtomicLong();
    /** The log's queue as last looked up, and when (System.nanoTime()). */
    private volatile Chosen chosen;
    /** What this bridge has read of the log; guarded by itself. */
    private final OpenLocks open = new OpenLocks(LEASE.toMillis());
    /** The queue read (null: none yet), the next offset to read in it (-1: not read yet) and when it was last read. */
    private MessageQueue readFrom;
    private long readTo = -1;
    private long readAt;

    private record Chosen(MessageQueue queue, String master, long at) {
    }

    /** The queue last looked up (guarded by this), for the log line that says the log moved. */
    private MessageQueue used;

    LockLog(ClusterAdmin cluster, ClientFactory clients) {
        this.cluster = cluster;
        this.writer = clients.producer(WRITER_GROUP, false);
        this.reader = clients.reader(READER_GROUP);
    }

    LockLog start() {
        try {
            writer.start();
            reader.start();
        } catch (MQClientException e) {
            close();
            throw new IllegalStateException("cannot start the lock log's clients for " + cluster.namesrvAddr(), e);
        }
        return this;
    }

    @Override
    public <T> T locked(String name, Supplier<T> work) {
        String owner = bridgeId + "/" + sequence.incrementAndGet();
        Chosen current = current();
        MessageQueue log = current.queue();
        long mine;
        try {
            mine = append(log, LOCK, name, owner);
        } catch (ClusterException e) {
            if (e.is(ClusterException.Reason.UNAVAILABLE)) {
                if (current.master() != null && ClusterErrors.noAnswer(e)) {
                    cluster.unreachable(current.master()); // hung: passed over by the next lookup while it does not answer
                }
                chosen = null; // its broker may be gone: the next write looks the log up again
            }
            throw e;
        }
        try {
            awaitTurn(log, name, owner, mine);
            return work.get();
        } finally {
            unlock(log, name, owner);
        }
    }

    /**
     * Reads the log until the caller's entry is read and no earlier entry of the name is open. One thread of
     * the bridge reads at a time, on behalf of all: what it reads serves every waiting writer.
     */
    private void awaitTurn(MessageQueue log, String name, String owner, long mine) {
        long deadline = System.currentTimeMillis() + WAIT.toMillis();
        long backoff = 1;
        synchronized (open) {
            while (!(log.equals(readFrom) && readTo > mine && open.holds(name, owner, System.currentTimeMillis()))) {
                if (System.currentTimeMillis() > deadline) {
                    throw new ClusterException(ClusterException.Reason.BUSY, -1, "another bridge has held the lock on " + name
                            + " for more than " + WAIT.toSeconds() + " s (" + open.holder(name) + ")", null);
                }
                if (readMore(log)) {
                    backoff = 1;
                } else {
                    // Nothing new: wait a little, letting this bridge's other writers look at what was read.
                    waitQuietly(backoff);
                    backoff = Math.min(MAX_BACKOFF_MILLIS, backoff * 2);
                }
            }
        }
    }

    private void waitQuietly(long millis) {
        try {
            open.wait(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ClusterException(ClusterException.Reason.UNAVAILABLE, -1, "interrupted while waiting for a lock", e);
        }
    }

    /** One batch of the log from where this bridge last read; whether it found any entry. Caller holds {@code open}. */
    private boolean readMore(MessageQueue log) {
        long now = System.currentTimeMillis();
        if (!log.equals(readFrom)) { // the log moved (its broker went, or came back): offsets are the new queue's
            readFrom = log;
            readTo = -1;
        }
        if (readTo < 0 || now - readAt > LEASE.toMillis()) {
            // Not read for a lease: whatever was open then has expired, so start a lease back, not where we were.
            open.clear();
            long from = now - LEASE.toMillis() - CLOCK_SLACK_MILLIS;
            readTo = cluster.call("search the lock log", a -> a.searchOffset(log, from));
        }
        long from = readTo;
        PullResult read = cluster.call("read the lock log", a -> reader.pull(log, "*", from, BATCH));
        boolean found = read.getPullStatus() == PullStatus.FOUND;
        if (found) {
            for (MessageExt entry : read.getMsgFoundList()) {
                open.read(entry.getUserProperty(NAME_PROPERTY), new String(entry.getBody(), StandardCharsets.UTF_8),
                        LOCK.equals(entry.getTags()), entry.getStoreTimestamp());
            }
            open.notifyAll();
        }
        readTo = Math.max(readTo, read.getNextBeginOffset());
        readAt = now;
        return found;
    }

    private long append(MessageQueue log, String op, String name, String owner) {
        Message entry = new Message(TOPIC, op, owner.getBytes(StandardCharsets.UTF_8));
        entry.putUserProperty(NAME_PROPERTY, name);
        return cluster.call(op + " " + name, a -> writer.send(entry, log)).getQueueOffset();
    }

    private void unlock(MessageQueue log, String name, String owner) {
        for (int attempt = 1; ; attempt++) {
            try {
                append(log, UNLOCK, name, owner);
                return;
            } catch (ClusterException e) {
                if (attempt == 2) {
                    // Others wait for the lease to pass instead; nothing is lost.
                    logger.warn("cannot unlock {} ({}); writes of it wait up to {} s", name, e.getMessage(), LEASE.toSeconds());
                    return;
                }
            }
        }
    }

    /**
     * The log's one queue, looked up at most every {@link #LOOKED_UP_FOR}: created on the first master (a choice every
     * bridge makes alike) when the route has none. So when the broker holding it goes down, its queue leaves the route
     * and the log moves to the first master left; when it comes back, the log moves back to it. A master that hangs is
     * passed over once a write found it out ({@link #firstQueue}). Every bridge follows within a second or two; a write
     * of a name made by two bridges in that moment, one on each log, is not kept apart.
     */
    private Chosen current() {
        Chosen known = chosen;
        if (known != null && System.nanoTime() - known.at() < LOOKED_UP_FOR.toNanos()) {
            return known;
        }
        synchronized (this) {
            known = chosen;
            if (known == null || System.nanoTime() - known.at() >= LOOKED_UP_FOR.toNanos()) {
                Chosen found = findOrCreate();
                if (used != null && !used.equals(found.queue())) {
                    logger.info("the lock log moves from broker {} to broker {}", used.getBrokerName(), found.queue().getBrokerName());
                }
                used = found.queue();
                known = found;
                chosen = known;
            }
            return known;
        }
    }

    private Chosen findOrCreate() {
        try {
            return firstQueue();
        } catch (ClusterException e) {
            if (!e.is(ClusterException.Reason.TOPIC_NOT_FOUND)) {
                throw e;
            }
        }
        String master = cluster.firstAnsweringMaster().orElseThrow(() ->
                new ClusterException(ClusterException.Reason.UNAVAILABLE, -1, "no master broker is known to hold the lock log", null));
        cluster.createTopic(Set.of(master), new org.apache.rocketmq.common.TopicConfig(TOPIC, 1, 1, PermName.PERM_READ | PermName.PERM_WRITE));
        // The broker registers the new topic with the name servers at once; give the route a moment to show.
        long deadline = System.currentTimeMillis() + 10_000;
        while (true) {
            try {
                return firstQueue();
            } catch (ClusterException e) {
                if (!e.is(ClusterException.Reason.TOPIC_NOT_FOUND) || System.currentTimeMillis() > deadline) {
                    throw e;
                }
                Thread.onSpinWait();
            }
        }
    }

    /**
     * If two bridges ever made the log on two brokers at once, all still pick the same queue: the first by name, of a
     * master that answers. One that did not a moment ago (hung, {@link SuspectMasters}) is passed over; when it holds
     * the only copies, the log is made on the first master that answers.
     */
    private Chosen firstQueue() {
        TopicRouteData route = cluster.call("read the route of " + TOPIC, a -> a.examineTopicRouteInfo(TOPIC));
        Map<String, String> masters = new HashMap<>();
        route.getBrokerDatas().forEach(b -> masters.put(b.getBrokerName(), b.getBrokerAddrs().get(MixAll.MASTER_ID)));
        Set<String> serving = cluster.masterAddresses(); // without the suspect ones, unless every master is
        QueueData first = route.getQueueDatas().stream()
                .filter(q -> q.getWriteQueueNums() > 0 && PermName.isWriteable(q.getPerm()) && serving.contains(masters.get(q.getBrokerName())))
                .min(Comparator.comparing(QueueData::getBrokerName))
                .orElseThrow(() -> new ClusterException(ClusterException.Reason.TOPIC_NOT_FOUND, -1, TOPIC + " has no writable queue", null));
        return new Chosen(new MessageQueue(TOPIC, first.getBrokerName(), 0), masters.get(first.getBrokerName()), System.nanoTime());
    }

    @Override
    public void close() {
        reader.shutdown();
        writer.shutdown();
    }
}
