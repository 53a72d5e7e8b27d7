package io.onsbridge.domain.device;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.onsbridge.cluster.Cluster;
import io.onsbridge.cluster.ClusterException;
import io.onsbridge.cluster.ClusterMessages;
import io.onsbridge.cluster.OutgoingMessage;
import io.onsbridge.cluster.Queue;
import io.onsbridge.cluster.ResourceNames;
import io.onsbridge.cluster.StoredMessage;
import io.onsbridge.domain.instance.InstanceRecord;
import io.onsbridge.domain.instance.Instances;
import io.onsbridge.domain.mqtt.DeviceEvents;
import io.onsbridge.tracecollector.FailureLog;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The MQTT devices connected to this bridge and what they exchange with the cluster, as ApsaraMQ for MQTT
 * maps it (docs/mqtt.md): a device's publish is a RocketMQ message on its parent topic; every message that
 * reaches a topic of an instance with devices here is read by a {@link QueueTail} and handed to the devices
 * whose subscriptions match (or to the one client a P2P topic names). Nothing that matters stays in this
 * bridge: a persistent session's subscriptions and positions are records of the cluster's metadata, and a
 * connection's claim on its client id is a notice on a hidden topic every bridge follows, so that a second
 * connection closes the first wherever it is.
 */
public final class DeviceSessions implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(DeviceSessions.class);
    private static final Duration NOTICES_RETRY = Duration.ofSeconds(5);
    static final String KIND = "MQTT_SESSION";
    private static final String NOTICES = ResourceNames.MQTT_SESSIONS_TOPIC;
    private static final Duration TOPIC_REFRESH = Duration.ofSeconds(10);
    private static final Duration SAVE_EVERY = Duration.ofSeconds(5);
    /** How long a new connection waits for the previous holder of its persistent session to save it. */
    private static final long RELEASE_WAIT_MILLIS = 3_000;
    private static final int BACKLOG_BATCH = 32;
    private static final Duration BACKLOG_RETRY = Duration.ofSeconds(1);
    private static final Duration LINGER = Duration.ofSeconds(60);
    /** Within the tables' refresh period (300 ms): each read starts in the background, no connect waits for one. */
    private static final long LOOKUPS_EVERY_MILLIS = 250;

    /** A refused publish or subscription: the front door answers it as its protocol says. */
    public static final class Refused extends RuntimeException {
        public Refused(String message) {
            super(message, null, false, false);
        }
    }

    /** One filter a device asked for. */
    public record Requested(String filter, int qos) {
    }

    private final Cluster cluster;
    private final Instances instances;
    private final DeviceEvents events;
    private final Duration idlePoll;
    private final ScheduledExecutorService scheduler;
    private final ExecutorService backlogs;
    /** Where a publish's parent topic not yet known is looked up (a publish itself never waits for the cluster). */
    private final ExecutorService lookups;
    private final FailureLog failures = new FailureLog(log, Duration.ofMinutes(5));
    private final Map<String, DeviceSession> byKey = new ConcurrentHashMap<>();
    private final Map<String, Set<DeviceSession>> byInstance = new ConcurrentHashMap<>();
    private final Map<String, QueueTail> tails = new ConcurrentHashMap<>();
    /**
     * Instances whose topics this bridge follows, and when each last had devices here: listed at the first device,
     * then every refresh (not at every connect); followed {@link #LINGER} longer than their last device, so that
     * devices that come back (a reconnecting fleet) find the topics followed and wait for no listing.
     */
    private final Map<String, Long> followed = new ConcurrentHashMap<>();
    /** When each followed instance's topics were last listed (epoch ms, taken before the listing). */
    private final Map<String, Long> listed = new ConcurrentHashMap<>();
    /** Per resumed persistent session, the positions it resumed from (its backlog reader starts there). */
    private final Map<String, Map<String, Long>> resumedAt = new ConcurrentHashMap<>();
    /** Per persistent session, the positions last written, so that an unchanged session is not written again. */
    private final Map<String, Map<String, Long>> lastSaved = new ConcurrentHashMap<>();
    /** Parent topics known to exist (a publish must not cost a round trip each); a deleted one is noticed within a minute. */
    private final Cache<String, Boolean> existing = Caffeine.newBuilder().maximumSize(10_000).expireAfterWrite(Duration.ofMinutes(1)).build();
    private final SessionWrites writes = new SessionWrites();
    /** Claims of connects whose notice is not written yet, in connect order. */
    private final java.util.Queue<SessionClaim> claims = new ConcurrentLinkedQueue<>();
    /** Claims taken from {@link #claims} whose send failed: sent first next time (the session writes' thread only). */
    private final List<SessionClaim> unsentClaims = new ArrayList<>();
    private QueueTail notices;

    /** @param idlePoll how long a followed topic's queue waits after a long poll that brought less than a batch (see {@link QueueTail}) */
    public DeviceSessions(Cluster cluster, Instances instances, DeviceEvents events, Duration idlePoll) {
        this.cluster = cluster;
        this.instances = instances;
        this.events = events;
        this.idlePoll = idlePoll;
        ScheduledThreadPoolExecutor tailing = new ScheduledThreadPoolExecutor(2, daemon("mqtt-tail"));
        // at close, a tail's next read or look (up to 10 s ahead) is dropped, not waited for
        tailing.setExecuteExistingDelayedTasksAfterShutdownPolicy(false);
        this.scheduler = tailing;
        this.backlogs = Executors.newFixedThreadPool(2, daemon("mqtt-backlog"));
        this.lookups = Executors.newFixedThreadPool(2, daemon("mqtt-lookup"));
    }

    /** Follows the session notices of every bridge and starts the periodic work; the notice topic is made if missing. */
    public DeviceSessions start() {
        scheduler.execute(this::followNotices);
        scheduler.scheduleWithFixedDelay(this::refreshTails, TOPIC_REFRESH.toMillis(), TOPIC_REFRESH.toMillis(), TimeUnit.MILLISECONDS);
        scheduler.scheduleWithFixedDelay(this::saveAll, SAVE_EVERY.toMillis(), SAVE_EVERY.toMillis(), TimeUnit.MILLISECONDS);
        return this;
    }

    /**
     * Runs {@code lookups} every {@value #LOOKUPS_EVERY_MILLIS} ms while an instance has (or had, within {@link #LINGER})
     * devices here: the front door's tables read at most 900 ms ago (groups, instances) stay read, so that a device
     * connecting after a quiet spell waits for no read either.
     */
    public void keepFresh(Runnable lookups) {
        scheduler.scheduleWithFixedDelay(() -> {
            if (followed.isEmpty()) {
                return;
            }
            try {
                lookups.run();
                failures.succeeded("read the MQTT front door's lookups");
            } catch (RuntimeException e) {
                failures.failed("read the MQTT front door's lookups", e);
            }
        }, LOOKUPS_EVERY_MILLIS, LOOKUPS_EVERY_MILLIS, TimeUnit.MILLISECONDS);
    }

    /**
     * Follows every bridge's session notices once the cluster answers: a bridge may start while the cluster is
     * unreachable (it says so on /health), and the notices are followed from when it comes back.
     */
    private void followNotices() {
        try {
            cluster.topics().ensure(NOTICES, 1);
            QueueTail tail = QueueTail.start(cluster, NOTICES, "", (queue, message) -> notice(message), scheduler, idlePoll,
                    QueueTail.AT_THE_END, gone -> followNotices()); // deleted by hand: made again
            synchronized (this) {
                notices = tail;
            }
            failures.succeeded("follow the MQTT session notices on " + NOTICES + " (tried again every " + NOTICES_RETRY.toSeconds() + " s)");
        } catch (RuntimeException e) {
            failures.failed("follow the MQTT session notices on " + NOTICES + " (tried again every " + NOTICES_RETRY.toSeconds() + " s)", e);
            if (!scheduler.isShutdown()) {
                scheduler.schedule(this::followNotices, NOTICES_RETRY.toMillis(), TimeUnit.MILLISECONDS);
            }
        }
    }

    static String key(String instanceId, String clientId) {
        return instanceId + "/" + clientId;
    }

    /** A CONNECT the front door refused (bad identity): recorded as the device's connect event. */
    public void refused(DeviceEvents.Connection connection, String actionInfo) {
        events.connected(connection, actionInfo);
    }

    /**
     * Opens an authenticated device's session: closes an older connection of the client id here at once, and
     * elsewhere through the notice, resumes a persistent session from the cluster, and starts following the
     * instance's topics. A clean session's cluster writes (the notice, discarding a stored session) are made
     * behind the CONNACK, in order per client id ({@link SessionWrites}): its CONNECT waits for no cluster round trip
     * once its instance's topics are followed. A persistent session first waits for this bridge's writes of its
     * client id, then reads its record.
     */
    public DeviceSession open(DeviceEvents.Connection connection, boolean cleanSession, DeviceLink link) {
        DeviceSession session = new DeviceSession(connection, !cleanSession, link, System.currentTimeMillis());
        String key = session.key();
        claims.add(new SessionClaim(key, connection.channelId(), session.openedAt()));
        writes.submit(key, () -> {
            sendClaims();
            // MQTT: a clean start discards the stored session. Looked up in the sessions' table read at most 900 ms ago
            // (a thousand clean connects are not a thousand name-server reads): this bridge's own saves are in it at once;
            // a session another bridge saved within those 900 ms is not discarded, as when its release lands after this.
            if (cleanSession && cluster.metadata().recentlyHas(KIND, key)) {
                cluster.metadata().delete(KIND, key);
            }
        }, () -> link.takenOver());
        DeviceSession previous = byKey.get(key);
        if (previous != null) {
            previous.link().takenOver();
        }
        Optional<SessionRecord> stored = Optional.empty();
        if (!cleanSession) {
            writes.awaitWritten(key, RELEASE_WAIT_MILLIS);
            stored = awaitRelease(key);
            stored.ifPresent(record -> resume(session, record));
        }
        byKey.put(key, session);
        byInstance.computeIfAbsent(connection.instanceId(), i -> ConcurrentHashMap.newKeySet()).add(session);
        try {
            // Other devices of the instance wait here while the first one's topics are listed, so none misses a P2P message.
            followed.computeIfAbsent(connection.instanceId(), instanceId -> {
                followInstance(instanceId, QueueTail.AT_THE_END);
                return System.currentTimeMillis();
            });
            if (session.persistent()) {
                cluster.metadata().put(KIND, key, record(session, connection.channelId()));
                if (stored.isPresent()) {
                    backlogs.execute(() -> readBacklogs(session));
                }
            }
        } catch (RuntimeException e) {
            forget(session);
            throw e;
        }
        events.connected(connection, DeviceEvents.ActionInfo.ACCEPTED);
        return session;
    }

    /**
     * Stores a device's message on its parent topic, as ApsaraMQ does; completes once the broker stored it. Never
     * blocks (the gateway calls it on a connection's event loop): a parent topic not known to exist is looked up on
     * another thread. Fails with {@link Refused} when the parent topic does not exist.
     */
    public CompletableFuture<Void> publish(DeviceSession session, String topic, int qos, byte[] payload) {
        DeviceEvents.Connection c = session.connection();
        MqttTopic mqttTopic = MqttTopic.parse(topic);
        if (mqttTopic == null) {
            return CompletableFuture.failedFuture(new Refused("topic " + topic + " has no parent topic (its first level)"));
        }
        String brokerTopic = instances.brokerName(c.instanceId(), mqttTopic.parent());
        CompletableFuture<String> parent = existing.getIfPresent(brokerTopic) != null ? CompletableFuture.completedFuture(brokerTopic)
                : CompletableFuture.supplyAsync(() -> requireParent(c.instanceId(), mqttTopic.parent()), lookups);
        Map<String, String> properties = new HashMap<>();
        if (!mqttTopic.subTopic().isEmpty()) {
            properties.put(MqttTopic.SECOND_TOPIC, mqttTopic.subTopic());
        }
        properties.put(MqttTopic.QOS_LEVEL, String.valueOf(qos));
        properties.put(MqttTopic.CLEAN_SESSION, String.valueOf(!session.persistent()));
        properties.put(MqttTopic.CLIENT_ID, c.clientId());
        properties.put(MqttTopic.REAL_TOPIC, topic);
        return parent.thenCompose(t -> cluster.messages().sendAsync(new OutgoingMessage(t, null, null, payload, 0, properties))).thenAccept(id ->
                events.published(c.instanceId(), mqttTopic.parent(), mqttTopic.subTopic(), qos, mqttTopic.p2pTarget() != null));
    }

    /** Adds subscriptions; the QoS granted per filter (0x80: a malformed filter or a parent topic that does not exist). */
    public List<Integer> subscribe(DeviceSession session, List<Requested> requested) {
        String instanceId = session.connection().instanceId();
        List<Integer> granted = new ArrayList<>();
        for (Requested r : requested) {
            TopicFilter filter = TopicFilter.parse(r.filter());
            String brokerTopic = filter == null ? null : instances.brokerName(instanceId, filter.parent());
            if (filter == null || !parentExists(brokerTopic)) {
                granted.add(0x80);
                continue;
            }
            follow(brokerTopic, instanceId, sinceLastListing(instanceId));
            int qos = Math.min(r.qos(), 1);
            session.subscribe(filter, qos);
            granted.add(qos);
        }
        subscriptionsChanged(session);
        return granted;
    }

    public void unsubscribe(DeviceSession session, List<String> filters) {
        filters.forEach(session::unsubscribe);
        subscriptionsChanged(session);
    }

    public void touched(DeviceSession session) {
        events.touched(session.connection(), System.currentTimeMillis());
    }

    /**
     * The device's connection ended: a persistent session is saved and released for its next connection
     * (on any bridge); {@code disconnected} when the device sent DISCONNECT first.
     */
    public void closed(DeviceSession session, String actionInfo, boolean disconnected) {
        if (disconnected) {
            events.disconnected(session.connection());
        }
        // Where a persistent session stands is taken while it still receives: taken after, the tails could read past a
        // message it no longer got (a test run lost one so) and the next connection would skip it. A message read meanwhile is
        // sent to the closed link and comes again at the next connection.
        SessionRecord last = session.persistent() ? record(session, null) : null;
        forget(session);
        session.markClosed();
        if (last != null) {
            try {
                release(session, last);
            } catch (RuntimeException e) {
                log.warn("MQTT session {}: could not be saved at its close; its next connection resumes from its last save",
                        session.key(), e);
            }
        }
        events.closed(session.connection(), actionInfo);
    }

    /** Whether this bridge follows the instance's topics now (a device of it is here, or was within a minute). */
    public boolean follows(String instanceId) {
        return instanceId != null && followed.containsKey(instanceId);
    }

    /** Devices connected to this bridge now. */
    public int connected() {
        return byKey.size();
    }

    /** Topics this bridge follows for its devices now (each a long poll per queue). */
    public int followedTopics() {
        return tails.size();
    }

    /** Whether this bridge follows the topic (its broker name, {@code MQ_INST_xxx%Topic}) for its devices now. */
    public boolean followsTopic(String brokerTopic) {
        return tails.containsKey(brokerTopic);
    }

    // --- delivery -----------------------------------------------------------------------------

    private void dispatch(String instanceId, Queue queue, StoredMessage message) {
        Set<DeviceSession> sessions = byInstance.get(instanceId);
        if (sessions == null || sessions.isEmpty()) {
            return;
        }
        MqttTopic topic = MqttTopic.of(InstanceRecord.userName(message.topic()), message.properties());
        for (DeviceSession session : sessions) {
            if (session.fromTail(queue, message.queueOffset())) {
                deliver(session, queue, message, topic);
            }
        }
    }

    private void deliver(DeviceSession session, Queue queue, StoredMessage message, MqttTopic topic) {
        String target = topic.p2pTarget();
        int qos;
        if (target != null) {
            if (!target.equals(session.connection().clientId())) {
                return;
            }
            qos = 1;
        } else {
            qos = session.qosFor(topic);
            if (qos < 0) {
                return;
            }
        }
        int delivered = Math.min(qos, messageQos(message));
        boolean tracked = delivered == 1 && session.persistent();
        long offset = message.queueOffset();
        if (tracked) {
            session.awaitingAck(queue, offset);
        }
        String instanceId = session.connection().instanceId();
        session.link().deliver(topic.name(), delivered, message.body()).whenComplete((ok, failure) -> {
            if (failure == null) {
                if (tracked) {
                    session.acked(queue, offset);
                }
                events.delivered(instanceId, topic.parent(), topic.subTopic(), delivered, target != null);
            } else if (!tracked) {
                log.debug("MQTT session {}: message {} not delivered: {}", session.key(), message.uniqueId(), failure.getMessage());
            }
        });
    }

    /** The QoS the message was published with (a RocketMQ producer's message has none: 1). */
    private static int messageQos(StoredMessage message) {
        return "0".equals(message.property(MqttTopic.QOS_LEVEL)) ? 0 : 1;
    }

    /** A resumed persistent session reads what arrived while it was offline, queue by queue, then the tail takes over. */
    private void readBacklogs(DeviceSession session) {
        for (Map.Entry<String, Long> entry : resumedAt.getOrDefault(session.key(), Map.of()).entrySet()) {
            Queue queue = queue(entry.getKey());
            if (queue != null && session.catchingUp(queue)) {
                readBacklogOrRetry(session, queue, entry.getValue());
            }
        }
    }

    /**
     * One queue's backlog. A read that fails (the queue's broker is down, say) is tried again every second, from where
     * it got, while the session lives; meanwhile the tail holds that queue's new messages back from the session, and
     * its other queues are read. (Before, the session was closed for the device to resume again: a device whose
     * backlog lay on a broker that was down was closed at every resume until the broker returned.)
     */
    private void readBacklogOrRetry(DeviceSession session, Queue queue, long from) {
        try {
            readBacklog(session, queue, from);
        } catch (RuntimeException e) {
            failures.failed("read what persistent MQTT sessions missed while offline (tried again every second)", e);
            long at = session.backlogAt(queue, from);
            try {
                scheduler.schedule(() -> backlogs.execute(() -> {
                    if (!session.isClosed() && session.catchingUp(queue)) {
                        readBacklogOrRetry(session, queue, at);
                    }
                }), BACKLOG_RETRY.toMillis(), TimeUnit.MILLISECONDS);
            } catch (RejectedExecutionException closing) {
                log.debug("MQTT sessions closing: {}'s backlog of {} is not read", session.key(), queue);
            }
        }
    }

    private void readBacklog(DeviceSession session, Queue queue, long from) {
        MqttTopic topicOf = null;
        long next = from;
        while (!session.isClosed()) {
            if (!session.link().hasRoom()) {
                LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(10)); // the device's window is full: wait for its PUBACKs
                continue;
            }
            ClusterMessages.Batch read;
            try {
                read = cluster.messages().read(queue, "*", next, BACKLOG_BATCH);
            } catch (ClusterException e) {
                if (!e.is(ClusterException.Reason.TOPIC_NOT_FOUND)) {
                    throw e;
                }
                session.queueGone(queue); // its topic was deleted while the session was offline: nothing to read there
                return;
            }
            List<StoredMessage> batch = read.messages();
            if (batch.isEmpty() && read.next() > next) {
                next = read.next(); // the position had expired: on from the oldest message kept
                session.backlogRead(queue, next);
                continue;
            }
            if (batch.isEmpty() && read.next() < next) {
                // The queue ends below where the session stood: its topic was created again (offsets from 0), or the
                // broker lost its store's end. What was stored since the session's last save is what it missed.
                long restart = cluster.offsets().offsetAt(queue, session.savedAt() - QueueTail.CLOCKS_MARGIN_MILLIS);
                if (restart < next) {
                    next = restart;
                    session.backlogRead(queue, next);
                    continue;
                }
            }
            if (batch.isEmpty()) {
                QueueTail tail = tails.get(queue.topic());
                long at = next;
                if (tail == null) {
                    session.caughtUp(queue, at); // the topic is no longer followed (deleted): nothing more comes
                    return;
                }
                if (tail.locked(() -> handOver(session, tail, queue, at))) {
                    return;
                }
                continue;
            }
            for (StoredMessage message : batch) {
                if (topicOf == null) {
                    topicOf = new MqttTopic(InstanceRecord.userName(message.topic()), "");
                }
                deliver(session, queue, message, MqttTopic.of(topicOf.parent(), message.properties()));
                next = message.queueOffset() + 1;
                session.backlogRead(queue, next);
            }
        }
    }

    /** Under the tail's lock: the backlog reader has reached the tail, which hands the session everything from {@code at}. */
    private static boolean handOver(DeviceSession session, QueueTail tail, Queue queue, long at) {
        if (tail.position(queue) > at) {
            return false; // the tail read past what the backlog reader has seen: read on
        }
        session.caughtUp(queue, at);
        return true;
    }

    // --- the tails: which topics this bridge follows ------------------------------------------

    /**
     * Every topic of the instance (P2P messages need no subscription, so any topic may carry one), as the cluster
     * listed them at most 900 ms ago, each not yet followed read from the messages stored since {@code storedSince}:
     * the first listing reads from the end; a topic created (or created again) since is found at the next refresh
     * ({@link #TOPIC_REFRESH}) and read from the listing before, so that none of its messages is missed.
     */
    private void followInstance(String instanceId, long storedSince) {
        InstanceRecord instance = instances.recentlyFind(instanceId).orElse(null);
        if (instance == null) {
            return;
        }
        long now = System.currentTimeMillis();
        for (String topic : cluster.topics().recentNames()) {
            if (instance.owns(topic) && userTopic(topic)) {
                follow(topic, instanceId, storedSince);
            }
        }
        listed.put(instanceId, now);
    }

    /** Where a topic found now starts: the messages stored since the instance's last listing (the end before the first). */
    private long sinceLastListing(String instanceId) {
        Long at = listed.get(instanceId);
        return at == null ? QueueTail.AT_THE_END : at - QueueTail.CLOCKS_MARGIN_MILLIS;
    }

    private void follow(String brokerTopic, String instanceId, long storedSince) {
        QueueTail.Sink sink = new QueueTail.Sink() {
            @Override
            public void accept(Queue queue, StoredMessage message) {
                dispatch(instanceId, queue, message);
            }

            @Override
            public void restarted(Queue queue) {
                byInstance.getOrDefault(instanceId, Set.of()).forEach(session -> session.queueRestarted(queue));
            }
        };
        tails.computeIfAbsent(brokerTopic, t -> QueueTail.start(cluster, t, instanceId, sink, scheduler, idlePoll, storedSince, this::tailGone));
    }

    /**
     * The tail's topic was deleted: it is no longer followed (the next refresh follows it again if it was created again,
     * from its first message), publishes to it look it up again, and sessions forget where they stood in its queues.
     */
    private void tailGone(QueueTail tail) {
        if (tails.remove(tail.topic(), tail)) {
            existing.invalidate(tail.topic());
            byInstance.getOrDefault(tail.instanceId(), Set.of()).forEach(session -> session.topicGone(tail.topic()));
        }
    }

    /** Stops following the instances without devices here for {@link #LINGER}; lists the others' topics again (new topics are followed). */
    private void refreshTails() {
        try {
            long now = System.currentTimeMillis();
            followed.keySet().forEach(instanceId -> {
                Set<DeviceSession> sessions = byInstance.get(instanceId);
                if (sessions != null && !sessions.isEmpty()) {
                    followed.put(instanceId, now);
                } else if (now - followed.getOrDefault(instanceId, now) > LINGER.toMillis()) {
                    followed.remove(instanceId);
                    listed.remove(instanceId);
                }
            });
            tails.values().removeIf(tail -> {
                Set<DeviceSession> sessions = byInstance.get(tail.instanceId());
                boolean unused = !followed.containsKey(tail.instanceId()) && (sessions == null || sessions.isEmpty());
                if (unused) {
                    tail.stop();
                }
                return unused;
            });
            followed.keySet().forEach(instanceId -> followInstance(instanceId, sinceLastListing(instanceId)));
            failures.succeeded("follow the topics of the devices' instances");
        } catch (RuntimeException e) {
            failures.failed("follow the topics of the devices' instances", e);
        }
    }

    private static boolean userTopic(String brokerTopic) {
        String name = ResourceNames.withoutNamespace(brokerTopic);
        return !ResourceNames.isSystemTopicName(name) && !name.startsWith(ResourceNames.RETRY_PREFIX)
                && !name.startsWith(ResourceNames.DLQ_PREFIX) && !name.startsWith(ResourceNames.BRIDGE_TOPIC_PREFIX);
    }

    private String requireParent(String instanceId, String parent) {
        String brokerTopic = instances.brokerName(instanceId, parent);
        if (!parentExists(brokerTopic)) {
            throw new Refused("parent topic " + parent + " does not exist in instance " + instanceId + " (create it with OnsTopicCreate)");
        }
        return brokerTopic;
    }

    private boolean parentExists(String brokerTopic) {
        if (!ResourceNames.couldExist(brokerTopic) || !userTopic(brokerTopic)) {
            return false;
        }
        if (existing.getIfPresent(brokerTopic) != null) {
            return true;
        }
        boolean exists = cluster.topics().exists(brokerTopic);
        if (exists) {
            existing.put(brokerTopic, true);
        }
        return exists;
    }

    // --- sessions across bridges --------------------------------------------------------------

    /**
     * On the session writes' thread: sends the claims queued so far, this connect's and those of connects made
     * meanwhile, in as few notices as fit (a thousand devices connecting at once cost a few sends, not a thousand).
     * A send that fails keeps its claims for the next attempt.
     */
    private void sendClaims() {
        for (SessionClaim claim = claims.poll(); claim != null; claim = claims.poll()) {
            unsentClaims.add(claim);
        }
        if (unsentClaims.isEmpty()) {
            return; // an earlier connect's write sent this one's claim
        }
        for (String body : SessionClaim.notices(unsentClaims)) {
            cluster.messages().sendUntraced(OutgoingMessage.of(NOTICES, null, null, body.getBytes(StandardCharsets.UTF_8)));
        }
        unsentClaims.clear();
    }

    /** Other connections claimed client ids: a session of one of them here that opened earlier closes. */
    private void notice(StoredMessage message) {
        for (SessionClaim claim : SessionClaim.parse(new String(message.body(), StandardCharsets.UTF_8), message.bornTimestamp())) {
            DeviceSession local = byKey.get(claim.key());
            if (local != null && !local.connection().channelId().equals(claim.channelId()) && claim.openedAt() >= local.openedAt()) {
                local.link().takenOver();
            }
        }
    }

    /** The stored session once its previous holder (on any bridge) saved it, or after {@value #RELEASE_WAIT_MILLIS} ms. */
    private Optional<SessionRecord> awaitRelease(String key) {
        long deadline = System.currentTimeMillis() + RELEASE_WAIT_MILLIS;
        while (true) {
            Optional<SessionRecord> record = cluster.metadata().get(KIND, key, SessionRecord.class);
            if (record.isEmpty() || record.get().holder() == null || System.currentTimeMillis() > deadline) {
                return record;
            }
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(50)); // the holder is closing (or died): it saves within moments
        }
    }

    private void resume(DeviceSession session, SessionRecord record) {
        session.resumed(record.updated());
        for (SessionRecord.Subscribed s : record.subscriptions()) {
            TopicFilter filter = TopicFilter.parse(s.filter());
            if (filter != null) {
                session.subscribe(filter, s.qos());
            }
        }
        resumedAt.put(session.key(), Map.copyOf(record.positions()));
        record.positions().forEach((name, offset) -> {
            Queue queue = queue(name);
            if (queue != null) {
                session.catchUp(queue, offset);
            }
        });
    }

    private void release(DeviceSession session, SessionRecord last) {
        String channelId = session.connection().channelId();
        Optional<SessionRecord> current = cluster.metadata().get(KIND, session.key(), SessionRecord.class);
        if (current.isPresent() && channelId.equals(current.get().holder())) {
            cluster.metadata().put(KIND, session.key(), last);
        }
        resumedAt.remove(session.key());
        lastSaved.remove(session.key());
    }

    private void saveAll() {
        for (DeviceSession session : byKey.values()) {
            if (!session.persistent() || session.isClosed()) {
                continue;
            }
            try {
                SessionRecord record = record(session, session.connection().channelId());
                if (!record.positions().equals(lastSaved.get(session.key()))) {
                    cluster.metadata().put(KIND, session.key(), record);
                    lastSaved.put(session.key(), record.positions());
                }
                failures.succeeded("save the persistent MQTT sessions");
            } catch (RuntimeException e) {
                failures.failed("save the persistent MQTT sessions", e);
            }
        }
    }

    private SessionRecord record(DeviceSession session, String holder) {
        Map<String, Long> positions = new HashMap<>();
        resumedAt.getOrDefault(session.key(), Map.of()).forEach((name, offset) -> {
            Queue queue = queue(name);
            if (queue != null && session.catchingUp(queue)) {
                positions.put(name, session.position(queue, offset));
            }
        });
        for (QueueTail tail : tails.values()) {
            if (tail.instanceId().equals(session.connection().instanceId())) {
                tail.positions().forEach((queue, at) -> positions.putIfAbsent(name(queue), session.position(queue, at)));
            }
        }
        return new SessionRecord(holder, session.subscriptions(), positions, System.currentTimeMillis());
    }

    private void subscriptionsChanged(DeviceSession session) {
        events.subscriptionsChanged(session.connection(), session.eventSubscriptions());
        if (session.persistent()) {
            cluster.metadata().put(KIND, session.key(), record(session, session.connection().channelId()));
        }
    }

    private void forget(DeviceSession session) {
        byKey.remove(session.key(), session);
        Set<DeviceSession> sessions = byInstance.get(session.connection().instanceId());
        if (sessions != null) {
            sessions.remove(session);
        }
    }

    static String name(Queue queue) {
        return queue.topic() + "|" + queue.broker() + "|" + queue.queueId();
    }

    static Queue queue(String name) {
        String[] parts = name.split("\\|");
        if (parts.length != 3) {
            return null;
        }
        try {
            return new Queue(parts[0], parts[1], Integer.parseInt(parts[2]));
        } catch (NumberFormatException e) {
            return null;
        }
    }

    private static java.util.concurrent.ThreadFactory daemon(String name) {
        return runnable -> {
            Thread thread = new Thread(runnable, name);
            thread.setDaemon(true);
            return thread;
        };
    }

    @Override
    public void close() {
        synchronized (this) {
            if (notices != null) {
                notices.stop();
            }
        }
        tails.values().forEach(QueueTail::stop);
        writes.close();
        scheduler.shutdown(); // a poll under way ends by itself; interrupting it would only log a failure
        backlogs.shutdownNow();
        lookups.shutdownNow();
        try {
            if (!scheduler.awaitTermination(2, TimeUnit.SECONDS)) {
                scheduler.shutdownNow();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
