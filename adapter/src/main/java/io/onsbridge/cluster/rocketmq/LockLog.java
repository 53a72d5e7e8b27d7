package io.onsbridge.cluster.rocketmq;

import io.onsbridge.cluster.ClusterException;
import io.onsbridge.cluster.ClusterLocks;
import io.onsbridge.cluster.ResourceNames;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Comparator;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
import org.apache.rocketmq.client.consumer.DefaultMQPullConsumer;
import org.apache.rocketmq.client.consumer.PullResult;
import org.apache.rocketmq.client.consumer.PullStatus;
import org.apache.rocketmq.client.exception.MQClientException;
import org.apache.rocketmq.client.producer.DefaultMQProducer;
import org.apache.rocketmq.common.constant.PermName;
import org.apache.rocketmq.common.message.Message;
import org.apache.rocketmq.common.message.MessageExt;
import org.apache.rocketmq.common.message.MessageQueue;
import org.apache.rocketmq.remoting.protocol.route.QueueData;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@link ClusterLocks} on an ordered log the cluster already has: a topic with one queue on one broker
 * ({@link ResourceNames#LOCK_TOPIC}). To lock a name, a bridge appends a {@code lock} entry and reads the log
 * from one lease back up to its entry; it holds the lock when its entry is the first of that name not yet
 * followed by its {@code unlock} (see {@link LockQueue}), otherwise it reads on until the entries ahead are
 * unlocked or expire. A queue's order is the same for every reader, so every bridge agrees on who is first:
 * no compare-and-set is needed (the name server's key-value store has none).
 *
 * <p>Cost: two sends, one search by time and one or two reads, about 1 to 2 ms on a LAN, per locked write.
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
    static final Duration LEASE = Duration.ofSeconds(30);
    /** How long a write waits for the lock: well inside the lease, so that the work still fits in it. */
    static final Duration WAIT = Duration.ofSeconds(15);
    private static final int BATCH = 64;

    private final ClusterAdmin cluster;
    private final DefaultMQProducer writer;
    private final DefaultMQPullConsumer reader;
    private final String bridgeId = UUID.randomUUID().toString();
    private final AtomicLong sequence = new AtomicLong();
    private volatile MessageQueue queue;

    LockLog(ClusterAdmin cluster, ClientFactory clients) {
        this.cluster = cluster;
        this.writer = clients.producer(WRITER_GROUP, false);
        this.reader = clients.reader(READER_GROUP);
        // A read at the log's end waits at most this long for the next entry.
        this.reader.setBrokerSuspendMaxTimeMillis(1_000);
        this.reader.setConsumerTimeoutMillisWhenSuspend(5_000);
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
        MessageQueue log = queue();
        long mine = append(log, LOCK, name, owner);
        try {
            awaitTurn(log, name, owner, mine);
            return work.get();
        } finally {
            unlock(log, name, owner);
        }
    }

    private void awaitTurn(MessageQueue log, String name, String owner, long mine) {
        long deadline = System.currentTimeMillis() + WAIT.toMillis();
        LockQueue waiting = new LockQueue(name, LEASE.toMillis());
        long next = cluster.call("search the lock log", a -> a.searchOffset(log, System.currentTimeMillis() - LEASE.toMillis() - 5_000));
        while (true) {
            long from = next;
            // Up to the caller's own entry, what is stored is read at once; past it, wait for what comes.
            PullResult read = read(log, from, from > mine);
            if (read.getPullStatus() == PullStatus.NO_NEW_MSG && from <= mine) {
                read = read(log, from, true); // the caller's entry is stored but not yet readable: wait for it
            }
            if (read.getPullStatus() == PullStatus.FOUND) {
                for (MessageExt entry : read.getMsgFoundList()) {
                    waiting.read(entry.getUserProperty(NAME_PROPERTY), new String(entry.getBody(), StandardCharsets.UTF_8),
                            LOCK.equals(entry.getTags()), entry.getStoreTimestamp());
                }
            }
            next = Math.max(next, read.getNextBeginOffset());
            if (next > mine && waiting.holds(owner, System.currentTimeMillis())) {
                return;
            }
            if (System.currentTimeMillis() > deadline) {
                throw new ClusterException(ClusterException.Reason.BUSY, -1, "another bridge has held the lock on " + name
                        + " for more than " + WAIT.toSeconds() + " s (" + waiting.first() + ")", null);
            }
        }
    }

    private PullResult read(MessageQueue log, long from, boolean wait) {
        return cluster.call("read the lock log", a -> wait
                ? reader.pullBlockIfNotFound(log, "*", from, BATCH) : reader.pull(log, "*", from, BATCH));
    }

    private long append(MessageQueue log, String op, String name, String owner) {
        Message entry = new Message(TOPIC, op, owner.getBytes(StandardCharsets.UTF_8));
        entry.putUserProperty(NAME_PROPERTY, name);
        return cluster.call(op + " " + name, a -> writer.send(entry, log)).getQueueOffset();
    }

    private void unlock(MessageQueue log, String name, String owner) {
        try {
            append(log, UNLOCK, name, owner);
        } catch (ClusterException e) {
            // Others wait for the lease to pass instead; nothing is lost.
            logger.warn("cannot unlock {} ({}); other bridges wait up to {} s for it", name, e.getMessage(), LEASE.toSeconds());
        }
    }

    /** The log's one queue: created on the first master (a choice every bridge makes alike) when missing. */
    private MessageQueue queue() {
        MessageQueue known = queue;
        if (known != null) {
            return known;
        }
        synchronized (this) {
            if (queue == null) {
                queue = findOrCreate();
            }
            return queue;
        }
    }

    private MessageQueue findOrCreate() {
        try {
            return firstQueue();
        } catch (ClusterException e) {
            if (!e.is(ClusterException.Reason.TOPIC_NOT_FOUND)) {
                throw e;
            }
        }
        String master = cluster.firstMaster().orElseThrow(() ->
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

    /** If two bridges ever made the log on two brokers at once, all still pick the same queue: the first by name. */
    private MessageQueue firstQueue() {
        QueueData first = cluster.call("read the route of " + TOPIC, a -> a.examineTopicRouteInfo(TOPIC)).getQueueDatas().stream()
                .filter(q -> q.getWriteQueueNums() > 0 && PermName.isWriteable(q.getPerm()))
                .min(Comparator.comparing(QueueData::getBrokerName))
                .orElseThrow(() -> new ClusterException(ClusterException.Reason.TOPIC_NOT_FOUND, -1, TOPIC + " has no writable queue", null));
        return new MessageQueue(TOPIC, first.getBrokerName(), 0);
    }

    @Override
    public void close() {
        reader.shutdown();
        writer.shutdown();
    }
}
