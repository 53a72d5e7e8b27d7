package io.onsbridge.domain.device;

import io.onsbridge.cluster.Queue;
import io.onsbridge.domain.mqtt.DeviceEvents;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;

/**
 * One device connected to this bridge: who it is, what it subscribed to, and for a persistent session where
 * it stands in each queue (the offsets of QoS 1 messages awaiting its PUBACK, and the queues it still reads
 * a backlog of itself before the topic's tail hands it new messages).
 */
public final class DeviceSession {
    private final DeviceEvents.Connection connection;
    private final boolean persistent;
    private final DeviceLink link;
    private final long openedAt;
    private volatile List<TopicFilter> filters = List.of();
    private final Map<String, Integer> granted = new ConcurrentHashMap<>();
    private final Map<Queue, TreeSet<Long>> unacked = new HashMap<>();
    /** Queues whose backlog the session reads itself; the tail skips them until it takes over. */
    private final Set<Queue> catchingUp = ConcurrentHashMap.newKeySet();
    /** Per queue, the first offset the tail hands this session (what came before was the backlog's). */
    private final Map<Queue, Long> liveFrom = new ConcurrentHashMap<>();
    /** Per queue being caught up, the offset the backlog reader reads next. */
    private final Map<Queue, Long> backlogAt = new ConcurrentHashMap<>();
    private final CountDownLatch closed = new CountDownLatch(1);
    private volatile boolean present;
    private volatile long savedAt;

    DeviceSession(DeviceEvents.Connection connection, boolean persistent, DeviceLink link, long openedAt) {
        this.connection = connection;
        this.persistent = persistent;
        this.link = link;
        this.openedAt = openedAt;
    }

    public DeviceEvents.Connection connection() {
        return connection;
    }

    /** Whether a stored persistent session was resumed (CONNACK's session-present flag). */
    public boolean present() {
        return present;
    }

    /** A stored session was resumed; it was saved at {@code savedAt} (the bridge's clock, epoch ms). */
    void resumed(long savedAt) {
        present = true;
        this.savedAt = savedAt;
    }

    /** When the resumed session was last saved (0 for a new one): what its queues got since is what it missed. */
    long savedAt() {
        return savedAt;
    }

    String key() {
        return DeviceSessions.key(connection.instanceId(), connection.clientId());
    }

    boolean persistent() {
        return persistent;
    }

    DeviceLink link() {
        return link;
    }

    long openedAt() {
        return openedAt;
    }

    // --- subscriptions ------------------------------------------------------------------------

    synchronized void subscribe(TopicFilter filter, int qos) {
        if (granted.put(filter.filter(), qos) == null) {
            List<TopicFilter> more = new ArrayList<>(filters);
            more.add(filter);
            filters = List.copyOf(more);
        }
    }

    synchronized void unsubscribe(String filter) {
        if (granted.remove(filter) != null) {
            filters = filters.stream().filter(f -> !f.filter().equals(filter)).toList();
        }
    }

    /** The highest QoS of the subscriptions matching the topic, or -1 when none does. */
    int qosFor(MqttTopic topic) {
        int best = -1;
        for (TopicFilter f : filters) {
            if (f.parent().equals(topic.parent()) && f.matches(topic.name())) {
                best = Math.max(best, granted.getOrDefault(f.filter(), 0));
            }
        }
        return best;
    }

    List<SessionRecord.Subscribed> subscriptions() {
        return filters.stream().map(f -> new SessionRecord.Subscribed(f.filter(), granted.getOrDefault(f.filter(), 0))).toList();
    }

    List<DeviceEvents.Subscription> eventSubscriptions() {
        return filters.stream().map(f -> new DeviceEvents.Subscription(f.parent(), f.subTopic(), granted.getOrDefault(f.filter(), 0))).toList();
    }

    // --- where a persistent session stands ------------------------------------------------------

    /** Whether the tail hands this message to the session (rather than the session's own backlog reader). */
    boolean fromTail(Queue queue, long offset) {
        return !catchingUp.contains(queue) && offset >= liveFrom.getOrDefault(queue, 0L);
    }

    void catchUp(Queue queue, long from) {
        backlogAt.put(queue, from);
        catchingUp.add(queue);
    }

    boolean catchingUp(Queue queue) {
        return catchingUp.contains(queue);
    }

    void backlogRead(Queue queue, long next) {
        backlogAt.put(queue, next);
    }

    /** Where the backlog reader of the queue reads next ({@code otherwise} before its first read). */
    long backlogAt(Queue queue, long otherwise) {
        return backlogAt.getOrDefault(queue, otherwise);
    }

    /** The backlog of the queue is read up to {@code offset}; the tail hands over from there. Called under the tail's lock. */
    void caughtUp(Queue queue, long offset) {
        liveFrom.put(queue, offset);
        catchingUp.remove(queue);
        backlogAt.remove(queue);
    }

    /** The topic was deleted: a topic created again with its name numbers its queues from 0, where this session stood nowhere. */
    synchronized void topicGone(String topic) {
        liveFrom.keySet().removeIf(queue -> queue.topic().equals(topic));
        unacked.keySet().removeIf(queue -> queue.topic().equals(topic));
    }

    /** The queue's offsets start again below where the tail read it (its topic was created again at once): the session's are void. */
    synchronized void queueRestarted(Queue queue) {
        liveFrom.remove(queue);
        unacked.remove(queue);
    }

    /** The queue's topic was deleted while the session was offline: its backlog reader stops, the session stands nowhere in it. */
    synchronized void queueGone(Queue queue) {
        catchingUp.remove(queue);
        backlogAt.remove(queue);
        liveFrom.remove(queue);
        unacked.remove(queue);
    }

    synchronized void awaitingAck(Queue queue, long offset) {
        unacked.computeIfAbsent(queue, q -> new TreeSet<>()).add(offset);
    }

    synchronized void acked(Queue queue, long offset) {
        TreeSet<Long> offsets = unacked.get(queue);
        if (offsets != null) {
            offsets.remove(offset);
        }
    }

    /** Where the session stands in the queue: its oldest unacknowledged message, else where its reader (backlog or tail) is. */
    synchronized long position(Queue queue, long tailPosition) {
        long reader = catchingUp.contains(queue) ? backlogAt.getOrDefault(queue, tailPosition) : tailPosition;
        TreeSet<Long> offsets = unacked.get(queue);
        return offsets == null || offsets.isEmpty() ? reader : Math.min(offsets.first(), reader);
    }

    // --- the end ------------------------------------------------------------------------------

    void markClosed() {
        closed.countDown();
    }

    boolean isClosed() {
        return closed.getCount() == 0;
    }

    CountDownLatch closedLatch() {
        return closed;
    }
}
