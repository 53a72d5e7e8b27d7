package io.onsbridge.domain.mqtt;

import io.onsbridge.cluster.Cluster;
import io.onsbridge.tracecollector.FailureLog;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The bridge's {@link DeviceEvents}: what the MQTT gateway reports, kept in the cluster (docs/mqtt-api.md).
 * A connect, disconnect or close is queued (bounded: when full it is dropped and counted, the caller never
 * waits) and written behind by one thread as a keyed record of the device's history; the connected devices
 * are held here and written as a snapshot every {@link Timing#snapshotEvery}; online counts per group and
 * messages published and delivered are written every {@link Timing#countEvery}. Every bridge reads all of
 * it back, so they answer the same.
 */
public final class MqttDevices implements DeviceEvents, AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(MqttDevices.class);
    private static final Duration LOG_QUIET = Duration.ofMinutes(5);
    private static final long DRAIN_EVERY_MILLIS = 100;
    private static final int WRITE_WINDOW = 16;
    /** Events in one send: about 250 bytes each, far below the broker's 4 MiB a request. */
    private static final int WRITE_BATCH = 64;

    /**
     * @param snapshotEvery  how often the connected devices are written; another bridge sees a change within it,
     *                       and a bridge that died stops counting three of them later (at most 60 s)
     * @param countEvery     the interval of the counts (a minute: the curves' finest period)
     * @param queuedEvents   history events waiting to be written, at most
     */
    public record Timing(Duration snapshotEvery, Duration countEvery, int queuedEvents) {
        public static final Timing DEFAULT = new Timing(Duration.ofSeconds(20), Duration.ofMinutes(1), 10_000);
    }

    private final String bridgeId = UUID.randomUUID().toString().replace("-", "");
    private final Clock clock;
    private final Timing timing;
    private final MqttRecords records;
    private final DeviceHistory history;
    private final OnlineDevices online;
    private final TransCounts trans = new TransCounts();
    private final BlockingQueue<DeviceEvent> queue;
    private final AtomicLong sequence = new AtomicLong();
    private final AtomicLong dropped = new AtomicLong();
    private final AtomicLong unwritten = new AtomicLong();
    private final FailureLog writeFailures = new FailureLog(log, LOG_QUIET);
    private final Object writing = new Object();
    private final ScheduledExecutorService writer = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread thread = new Thread(r, "ons-mqtt-records");
        thread.setDaemon(true);
        return thread;
    });
    private volatile long countedSince;
    private volatile boolean stopped;

    public MqttDevices(Cluster cluster, Clock clock) {
        this(cluster, clock, Timing.DEFAULT);
    }

    public MqttDevices(Cluster cluster, Clock clock, Timing timing) {
        this.clock = clock;
        this.timing = timing;
        this.records = new MqttRecords(cluster);
        this.history = new DeviceHistory(cluster.messages(), records);
        this.online = new OnlineDevices(bridgeId, records, 3 * timing.snapshotEvery().toMillis());
        this.queue = new ArrayBlockingQueue<>(timing.queuedEvents());
        this.countedSince = clock.millis();
    }

    /** Starts writing behind; counts are written at multiples of {@link Timing#countEvery} on the epoch. */
    public MqttDevices start() {
        long every = timing.countEvery().toMillis();
        writer.scheduleWithFixedDelay(this::drain, DRAIN_EVERY_MILLIS, DRAIN_EVERY_MILLIS, TimeUnit.MILLISECONDS);
        writer.scheduleAtFixedRate(() -> guarded("writing the online snapshot", () -> online.writeSnapshot(clock.millis(), false)),
                0, timing.snapshotEvery().toMillis(), TimeUnit.MILLISECONDS);
        writer.scheduleAtFixedRate(() -> guarded("writing the MQTT counts", this::writeCounts),
                every - Math.floorMod(clock.millis(), every), every, TimeUnit.MILLISECONDS);
        return this;
    }

    // --- what the gateway reports (channel threads: nothing here waits for the cluster) -----------------------

    @Override
    public void connected(Connection connection, String actionInfo) {
        Connection known = normalized(connection);
        long now = clock.millis();
        if (ActionInfo.ACCEPTED.equals(actionInfo) && known.channelId() != null) {
            online.connected(known, now);
        }
        record(known, DeviceEvent.CONNECT, actionInfo, now);
    }

    @Override
    public void disconnected(Connection connection) {
        record(normalized(connection), DeviceEvent.DISCONNECT, ActionInfo.DISCONNECTED_BY_CLIENT, clock.millis());
    }

    @Override
    public void closed(Connection connection, String actionInfo) {
        Connection known = normalized(connection);
        if (known.channelId() != null) {
            online.closed(known);
        }
        record(known, DeviceEvent.CLOSE, actionInfo, clock.millis());
    }

    @Override
    public void subscriptionsChanged(Connection connection, List<Subscription> subscriptions) {
        if (connection != null && connection.channelId() != null && subscriptions != null) {
            online.subscribed(connection, subscriptions);
        }
    }

    @Override
    public void touched(Connection connection, long atMillis) {
        if (connection != null && connection.channelId() != null) {
            online.touched(connection, atMillis);
        }
    }

    @Override
    public void published(String instanceId, String parentTopic, String subTopic, int qos, boolean p2p) {
        trans.count(MqttInstanceIds.onsInstanceId(instanceId), parentTopic, subTopic, qos, p2p, "PUB");
    }

    @Override
    public void delivered(String instanceId, String parentTopic, String subTopic, int qos, boolean p2p) {
        trans.count(MqttInstanceIds.onsInstanceId(instanceId), parentTopic, subTopic, qos, p2p, "SUB");
    }

    /**
     * The connection under its ONS instance ID (a gateway may pass a username's {@code mqtt-} form); a refused
     * device may come without instance or client id (a malformed CONNECT): kept as empty strings, never an error.
     */
    private static Connection normalized(Connection connection) {
        if (connection == null) {
            return new Connection("", "", null, null);
        }
        String instance = connection.instanceId() == null ? "" : MqttInstanceIds.onsInstanceId(connection.instanceId());
        String clientId = connection.clientId() == null ? "" : connection.clientId();
        return instance.equals(connection.instanceId()) && clientId.equals(connection.clientId()) ? connection
                : new Connection(instance, clientId, connection.channelId(), connection.remoteAddress());
    }

    private void record(Connection connection, String action, String info, long now) {
        DeviceEvent event = new DeviceEvent(now, connection.instanceId(), connection.clientId(), connection.channelId(), action, info,
                connection.remoteAddress(), bridgeId, sequence.incrementAndGet());
        if (stopped || !queue.offer(event)) {
            dropped.incrementAndGet();
        }
    }

    // --- figures and test hooks ---------------------------------------------------------------------------

    /** History events not written because the queue was full (or the bridge stopping). */
    public long droppedEvents() {
        return dropped.get();
    }

    /** History events the cluster did not take (logged). */
    public long unwrittenEvents() {
        return unwritten.get();
    }

    /** Devices connected to this bridge now, as the gateway reported them. */
    public int connectedDevices() {
        return online.connectedHere();
    }

    /** Connections not tracked as online: more than OnlineDevices' bound were connected at once. */
    public long untrackedDevices() {
        return online.untracked();
    }

    /** Events waiting to be written now. */
    public int queuedEvents() {
        return queue.size();
    }

    /** Writes now what would be written later: queued events, a snapshot, the counts so far. */
    public void flush() {
        drain();
        online.writeSnapshot(clock.millis(), false);
        writeCounts();
    }

    /**
     * Stops writing as a bridge that died would (no last snapshot): its devices keep counting on other
     * bridges until its last snapshot runs out. For tests of exactly that.
     */
    public void halt() {
        stopped = true;
        shutdownWriter();
    }

    /** Writes what is queued, the counts, and an empty snapshot: another bridge stops counting this one's devices at once. */
    @Override
    public void close() {
        if (stopped) {
            return;
        }
        stopped = true;
        shutdownWriter();
        guarded("writing the last MQTT records", () -> {
            drain();
            writeCounts();
            online.writeSnapshot(clock.millis(), true);
        });
    }

    private void shutdownWriter() {
        writer.shutdownNow();
        try {
            writer.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    // --- what the actions read ----------------------------------------------------------------------------

    DeviceHistory history() {
        return history;
    }

    List<OnlineDevice> onlineDevices() {
        return online.all(clock.millis());
    }

    List<MinuteRecord> counts(long from, long to) {
        return records.window(MqttRecords.MINUTE, from, to, MinuteCounts.MAX_RECORDS_READ, MinuteRecord.class);
    }

    long countEveryMillis() {
        return timing.countEvery().toMillis();
    }

    // --- writing behind -----------------------------------------------------------------------------------

    /**
     * Writes the queued events, {@value #WRITE_BATCH} to a send and up to {@value #WRITE_WINDOW} sends at once (a thousand
     * devices connecting at once are neither a round trip after another nor a thousand requests to the broker); returns
     * once every send was stored or failed. The events of a failed send (a busy broker) go back on the queue for the
     * next drain.
     */
    private void drain() {
        synchronized (writing) {
            List<DeviceEvent> queued = new ArrayList<>();
            queue.drainTo(queued);
            Semaphore window = new Semaphore(WRITE_WINDOW);
            for (int from = 0; from < queued.size(); from += WRITE_BATCH) {
                List<DeviceEvent> batch = queued.subList(from, Math.min(queued.size(), from + WRITE_BATCH));
                window.acquireUninterruptibly();
                CompletableFuture<Void> written;
                try {
                    written = records.writeAllAsync(MqttRecords.EVENT, batch, event -> DeviceHistory.key(event.i(), event.c()));
                } catch (RuntimeException e) {
                    written = CompletableFuture.failedFuture(e);
                }
                written.whenComplete((ok, failure) -> {
                    if (failure == null) {
                        writeFailures.succeeded("writing MQTT device events");
                    } else {
                        writeFailures.failed("writing " + batch.size() + " MQTT device events (of " + batch.get(0).c() + ", ...)", failure);
                        for (DeviceEvent event : batch) {
                            if (stopped || !queue.offer(event)) {
                                unwritten.incrementAndGet(); // the bridge stops, or the queue is full: not tried again
                            }
                        }
                    }
                    window.release();
                });
            }
            try {
                // Every write answered: the producer answers each within its send timeout (3 s), failed or not.
                if (!window.tryAcquire(WRITE_WINDOW, 30, TimeUnit.SECONDS)) {
                    log.warn("MQTT device events: writes still unanswered after 30 s; going on");
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt(); // the bridge is stopping: the writes still under way finish by themselves
            }
        }
    }

    private void writeCounts() {
        synchronized (writing) {
            long now = clock.millis();
            MinuteRecord record = new MinuteRecord(bridgeId, countedSince, now, online.localCountsByGroup(), trans.takeAll());
            countedSince = now;
            if (!record.on().isEmpty() || !record.tr().isEmpty()) {
                records.write(MqttRecords.MINUTE, null, record); // a minute without devices or messages: nothing to add to a curve
            }
        }
    }

    private void guarded(String what, Runnable work) {
        try {
            work.run();
            writeFailures.succeeded(what);
        } catch (RuntimeException e) {
            writeFailures.failed(what, e);
        }
    }
}
