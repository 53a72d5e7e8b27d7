package io.onsbridge.domain.mqtt;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Who is connected, across every bridge of the cluster. Each bridge holds its own devices here
 * ({@link #connected}, {@link #closed}, ...) and writes a snapshot of them to the MQTT topic every few
 * seconds, valid until a time it promises a newer one by; a reader takes, of every other bridge, its newest
 * whole snapshot, counted while still valid, plus its own live devices. A bridge that dies stops counting
 * when its last snapshot runs out (at most {@link #MAX_VALIDITY_MILLIS}); one that stops cleanly writes an
 * empty snapshot and stops counting at once.
 */
final class OnlineDevices {
    static final long MAX_VALIDITY_MILLIS = 60_000;
    static final int DEVICES_PER_PART = 500;
    /** Bounds memory whatever the gateway reports; beyond, a device is not tracked (counted in {@link #untracked}). */
    static final int MAX_SESSIONS = 1_000_000;
    /** Snapshot parts read at most per view: 10 bridges' 3 snapshots of 100,000 devices each. */
    private static final int MAX_PARTS_READ = 6_000;
    /** Bridges' clocks differ, and a snapshot is stored after it was taken. */
    private static final long CLOCK_SLACK_MILLIS = 10_000;
    private static final long VIEW_KEPT_MILLIS = 900;

    private static final class Session {
        final DeviceEvents.Connection connection;
        final long connectedAt;
        volatile List<DeviceEvents.Subscription> subscriptions = List.of();
        volatile long lastTouch;

        Session(DeviceEvents.Connection connection, long connectedAt) {
            this.connection = connection;
            this.connectedAt = connectedAt;
            this.lastTouch = connectedAt;
        }
    }

    private record View(long at, List<OnlineDevice> others) {
    }

    private final String bridgeId;
    private final MqttRecords records;
    private final long validityMillis;
    private final Map<String, Session> local = new ConcurrentHashMap<>();
    private final AtomicLong snapshots = new AtomicLong();
    private final AtomicLong untracked = new AtomicLong();
    private volatile View view;
    /** Nothing written yet counts as empty: there is nothing to take back. */
    private volatile boolean lastWrittenEmpty = true;

    /** @param validityMillis how long a snapshot counts: about three snapshot intervals, at most {@link #MAX_VALIDITY_MILLIS} */
    OnlineDevices(String bridgeId, MqttRecords records, long validityMillis) {
        this.bridgeId = bridgeId;
        this.records = records;
        this.validityMillis = Math.min(validityMillis, MAX_VALIDITY_MILLIS);
    }

    void connected(DeviceEvents.Connection connection, long now) {
        if (local.size() >= MAX_SESSIONS && !local.containsKey(connection.channelId())) {
            untracked.incrementAndGet();
            return;
        }
        local.put(connection.channelId(), new Session(connection, now));
    }

    void closed(DeviceEvents.Connection connection) {
        local.remove(connection.channelId());
    }

    void subscribed(DeviceEvents.Connection connection, List<DeviceEvents.Subscription> subscriptions) {
        Session session = local.get(connection.channelId());
        if (session != null) {
            session.subscriptions = List.copyOf(subscriptions);
        }
    }

    void touched(DeviceEvents.Connection connection, long at) {
        Session session = local.get(connection.channelId());
        if (session != null && at > session.lastTouch) {
            session.lastTouch = at;
        }
    }

    long untracked() {
        return untracked.get();
    }

    int connectedHere() {
        return local.size();
    }

    /** This bridge's devices now. */
    List<OnlineDevice> local() {
        List<OnlineDevice> devices = new ArrayList<>(local.size());
        for (Session s : local.values()) {
            List<OnlineDevice.Sub> subs = s.subscriptions.stream().map(x -> new OnlineDevice.Sub(x.parentTopic(), x.subTopic(), x.qos())).toList();
            devices.add(new OnlineDevice(s.connection.instanceId(), s.connection.clientId(), s.connection.channelId(),
                    s.connection.remoteAddress(), s.connectedAt, s.lastTouch, subs));
        }
        return devices;
    }

    /** Online devices by {@code instance/group}, of this bridge, for the minute records. */
    Map<String, Long> localCountsByGroup() {
        Map<String, Long> counts = new HashMap<>();
        for (OnlineDevice device : local()) {
            counts.merge(MinuteRecord.onlineKey(device.i(), device.groupId()), 1L, Long::sum);
        }
        return counts;
    }

    /**
     * Writes this bridge's snapshot, in parts; {@code last}: an empty one that stops counting at once (a clean
     * stop). An empty snapshot after an empty one is not written: a bridge without devices writes nothing.
     */
    void writeSnapshot(long now, boolean last) {
        List<OnlineDevice> devices = last ? List.of() : local();
        if (devices.isEmpty() && lastWrittenEmpty) {
            return;
        }
        lastWrittenEmpty = devices.isEmpty();
        long number = snapshots.incrementAndGet();
        int parts = Math.max(1, (devices.size() + DEVICES_PER_PART - 1) / DEVICES_PER_PART);
        long until = last ? now : now + validityMillis;
        for (int part = 0; part < parts; part++) {
            List<OnlineDevice> slice = devices.subList(part * DEVICES_PER_PART, Math.min(devices.size(), (part + 1) * DEVICES_PER_PART));
            records.write(MqttRecords.ONLINE, null, new OnlineSnapshot(bridgeId, number, now, until, part, parts, slice));
        }
    }

    /** Every online device of the cluster: this bridge's live ones and the other bridges' valid snapshots. */
    List<OnlineDevice> all(long now) {
        View known = view;
        if (known == null || now - known.at() > VIEW_KEPT_MILLIS || known.at() > now) {
            known = new View(now, others(now));
            view = known;
        }
        List<OnlineDevice> all = new ArrayList<>(known.others());
        all.addAll(local());
        return all;
    }

    private List<OnlineDevice> others(long now) {
        List<OnlineSnapshot> parts = records.window(MqttRecords.ONLINE, now - MAX_VALIDITY_MILLIS - CLOCK_SLACK_MILLIS, Long.MAX_VALUE,
                MAX_PARTS_READ, OnlineSnapshot.class);
        return newestValid(parts, bridgeId, now);
    }

    /** Of each bridge but {@code self}, its newest whole snapshot if still valid at {@code now}: its devices. */
    static List<OnlineDevice> newestValid(List<OnlineSnapshot> parts, String self, long now) {
        Map<String, Map<Long, List<OnlineSnapshot>>> byBridge = new HashMap<>();
        for (OnlineSnapshot part : parts) {
            if (part.b() != null && !part.b().equals(self)) {
                byBridge.computeIfAbsent(part.b(), b -> new HashMap<>()).computeIfAbsent(part.n(), n -> new ArrayList<>()).add(part);
            }
        }
        List<OnlineDevice> devices = new ArrayList<>();
        for (Map<Long, List<OnlineSnapshot>> snapshots : byBridge.values()) {
            snapshots.entrySet().stream()
                    .filter(e -> whole(e.getValue()))
                    .max(Map.Entry.comparingByKey())
                    .map(Map.Entry::getValue)
                    .filter(p -> p.get(0).until() > now)
                    .ifPresent(p -> p.stream().sorted(Comparator.comparingInt(OnlineSnapshot::part)).forEach(s -> devices.addAll(s.d())));
        }
        return devices;
    }

    private static boolean whole(List<OnlineSnapshot> parts) {
        int expected = parts.get(0).parts();
        return parts.stream().map(OnlineSnapshot::part).distinct().count() == expected;
    }
}
