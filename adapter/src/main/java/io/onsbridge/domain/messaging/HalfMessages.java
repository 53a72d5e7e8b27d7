package io.onsbridge.domain.messaging;

import io.onsbridge.cluster.Cluster;
import io.onsbridge.cluster.ClusterPops;
import io.onsbridge.cluster.MessageProperties;
import io.onsbridge.cluster.OutgoingMessage;
import io.onsbridge.cluster.ResourceNames;
import io.onsbridge.cluster.StoredMessage;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.locks.LockSupport;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * ONS's transactional messages of the MQ HTTP protocol, kept in the cluster and nowhere else (docs/mqhttp.md,
 * "Transactions"): a half message is stored in the bridges' half topic, tagged with its topic; a commit sends it to
 * its topic under the same message id, a rollback stores a rollback record keyed by that id. A producer's group pops
 * the half topic (RocketMQ 5's pop: invisible for 10 s, then offered again with one more reconsume time) and is
 * offered only the halves that are due and undecided; the others are acked, or hidden until their check time.
 * Every bridge reads the same state, so any bridge can serve any step and a crashed one loses nothing.
 */
final class HalfMessages {
    private static final Logger log = LoggerFactory.getLogger(HalfMessages.class);
    static final String HALF_TOPIC = ResourceNames.HALF_TOPIC;
    /** A half handed to {@code consumeHalfMessage} is offered again after this unless decided (the SDK documents 10 s). */
    static final Duration RECHECK = Duration.ofSeconds(10);
    /** On a half message: the application's tag (the half's own tag is its topic, which the pop filters on). */
    private static final String TAG = "ONS_BRIDGE_TAG";
    /** On a half message: when it is first offered to a producer's check (ms). */
    private static final String CHECK_AT = "ONS_BRIDGE_CHECK_AT";
    /** The tag of a rollback record; no topic has this name, so no pop of halves sees one. */
    private static final String ROLLBACK = "%ROLLBACK%";
    private static final int QUEUES_PER_MASTER = 4;
    private static final long INDEX_LAG_NANOS = 1_000_000_000L;
    private static final Pattern MESSAGE_ID = Pattern.compile("[0-9A-Fa-f]{32}");

    private final Cluster cluster;
    /** The index lookups a pop or a decision makes: off RocketMQ's callback threads and the door's workers. */
    private final ExecutorService lookups = Executors.newFixedThreadPool(4, r -> {
        Thread thread = new Thread(r, "ons-bridge-half-messages");
        thread.setDaemon(true);
        return thread;
    });

    HalfMessages(Cluster cluster) {
        this.cluster = cluster;
    }

    private enum Decision { COMMITTED, ROLLED_BACK }

    /** Stores a half message of the (broker's) topic; answers its message id, which is also its receipt handle. */
    String publish(String topic, String tag, String keys, byte[] body, Map<String, String> properties, long checkAt) {
        cluster.topics().ensure(HALF_TOPIC, QUEUES_PER_MASTER);
        Map<String, String> held = new HashMap<>(properties);
        held.remove(MessageProperties.TIMER_DELIVER_MS); // a timed transactional message waits from its commit on
        if (tag != null) {
            held.put(TAG, tag);
        }
        held.put(CHECK_AT, Long.toString(checkAt));
        // Untraced: the message is published (and traced) when it is committed.
        return cluster.messages().sendUntraced(new OutgoingMessage(HALF_TOPIC, topic, keys, body, 0, held));
    }

    /** The halves of the topic due for a check by the group, each offered again every {@link #RECHECK} until decided. */
    CompletableFuture<List<Delivery>> consume(String topic, String group, int max, Duration wait) {
        cluster.topics().ensure(HALF_TOPIC, QUEUES_PER_MASTER);
        return cluster.pops().pop(new ClusterPops.PopRequest(HALF_TOPIC, group, topic, max, RECHECK, wait, false, true, false))
                .thenApplyAsync(popped -> due(topic, group, popped), lookups);
    }

    private List<Delivery> due(String topic, String group, List<ClusterPops.Popped> popped) {
        List<Delivery> due = new ArrayList<>();
        for (ClusterPops.Popped p : popped) {
            StoredMessage half = p.message();
            long checkAt = checkAt(half);
            if (checkAt > p.popTime()) { // not due: hidden until then, and only then looked up
                long wait = Math.max(1_000, checkAt - System.currentTimeMillis());
                settle(cluster.pops().changeInvisible(HALF_TOPIC, group, p.handle(), Duration.ofMillis(wait)), half);
            } else if (decision(topic, half.uniqueId()) != null) {
                settle(cluster.pops().ack(HALF_TOPIC, group, p.handle()), half);
            } else {
                // A half hidden once until its check time comes back with a reconsume time it was never offered for.
                boolean hiddenFirst = p.firstPopTime() < checkAt;
                Map<String, String> properties = Messaging.applicationProperties(half);
                properties.remove(TAG);
                properties.remove(CHECK_AT);
                due.add(new Delivery(half.uniqueId(), half.body(), half.property(TAG), properties, half.bornTimestamp(),
                        half.uniqueId() + "." + p.handle(), p.nextVisible(), hiddenFirst ? checkAt : p.firstPopTime(),
                        half.reconsumeTimes() + (hiddenFirst ? 0 : 1)));
            }
        }
        return due;
    }

    private static void settle(CompletableFuture<ClusterPops.AckOutcome> call, StoredMessage half) {
        call.whenComplete((outcome, e) -> {
            if (e != null) {
                log.warn("cannot settle half message {}; it is offered again later and settled then", half.uniqueId(), e);
            }
        });
    }

    /** Commits or rolls back each handle (a publish's, or a check's); answers those not accepted, each with why. */
    CompletableFuture<Map<String, AckFailure>> decide(String topic, String group, List<String> handles, boolean commit) {
        return CompletableFuture.supplyAsync(() -> {
            Map<String, AckFailure> failures = new LinkedHashMap<>();
            for (String handle : handles) {
                AckFailure failure = decide(topic, group, handle, commit);
                if (failure != null) {
                    failures.put(handle, failure);
                }
            }
            return failures;
        }, lookups);
    }

    private AckFailure decide(String topic, String group, String handle, boolean commit) {
        int dot = handle.indexOf('.');
        String id = dot < 0 ? handle : handle.substring(0, dot);
        if (!MESSAGE_ID.matcher(id).matches()) {
            return AckFailure.INVALID;
        }
        Optional<StoredMessage> found = half(id).filter(m -> topic.equals(m.tags()));
        if (found.isEmpty()) {
            return AckFailure.INVALID;
        }
        Decision decided = decision(topic, id);
        if (decided == null) {
            if (commit) {
                publishCommitted(topic, found.get());
            } else {
                cluster.messages().sendUntraced(new OutgoingMessage(HALF_TOPIC, ROLLBACK, id,
                        "rollback".getBytes(java.nio.charset.StandardCharsets.US_ASCII), 0, Map.of()));
            }
        } else if ((decided == Decision.COMMITTED) != commit) {
            return AckFailure.EXPIRED; // decided the other way already
        }
        if (dot >= 0) {
            settle(cluster.pops().ack(HALF_TOPIC, group, handle.substring(dot + 1)), found.get());
        }
        return null;
    }

    /**
     * The half message by its id, from the brokers' index, which a broker writes just after it stores the message: a
     * decision made right after the publish may come first, so an id not found is looked up again for a second.
     */
    private Optional<StoredMessage> half(String id) {
        long deadline = System.nanoTime() + INDEX_LAG_NANOS;
        Optional<StoredMessage> found = cluster.messages().byUniqueId(HALF_TOPIC, id);
        while (found.isEmpty() && System.nanoTime() < deadline) {
            LockSupport.parkNanos(INDEX_LAG_NANOS / 20);
            found = cluster.messages().byUniqueId(HALF_TOPIC, id);
        }
        return found;
    }

    /** The half message in its topic, under its message id, as any other publish (traced; timed when it says so). */
    private void publishCommitted(String topic, StoredMessage half) {
        Map<String, String> properties = Messaging.applicationProperties(half);
        properties.remove(TAG);
        properties.remove(CHECK_AT);
        String keys = properties.remove(Messaging.KEYS);
        Messaging.timer(properties);
        properties.put(MessageProperties.UNIQUE_ID, half.uniqueId());
        cluster.messages().send(new OutgoingMessage(topic, half.property(TAG), keys, half.body(), 0, properties));
    }

    /** Committed: the topic holds a message with its id; rolled back: a rollback record holds its id. */
    private Decision decision(String topic, String id) {
        if (cluster.messages().byUniqueId(topic, id).isPresent()) {
            return Decision.COMMITTED;
        }
        boolean rolledBack = cluster.messages().byKey(HALF_TOPIC, id).stream().anyMatch(m -> ROLLBACK.equals(m.tags()));
        return rolledBack ? Decision.ROLLED_BACK : null;
    }

    private static long checkAt(StoredMessage half) {
        try {
            return Long.parseLong(half.property(CHECK_AT));
        } catch (NumberFormatException e) { // not a half this bridge stored: due at once
            return 0;
        }
    }
}
