package io.onsbridge.domain.mqtt;

import io.onsbridge.cluster.ClusterMessages;
import io.onsbridge.cluster.StoredMessage;
import io.onsbridge.domain.OnsErrors;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * A device's connection history read back from the MQTT topic through the brokers' key index: each event
 * is stored with the key {@link #key(String, String)} of its instance and client id, so a query asks the
 * index for that one key within a store-time window instead of scanning the topic.
 *
 * <p>The index answers at most 64 messages per broker, its newest, and knows store times only to the
 * second ({@link ClusterMessages#KEY_INDEX_GRAIN_MILLIS}). When an answer is full, what was stored after the
 * oldest time every broker answered down to ({@code c}) is whole; the second up to {@code c} is read from
 * the topic itself (every device's events of that one second, filtered by key), and the index is asked
 * again for what lies before it. N events cost about N / 64 index round trips per broker, and a device
 * with more than 64 events in the range adds one second of the topic read per 64 of them.
 */
final class DeviceHistory {
    /** An event is stored after it happened (write-behind) and bridges' clocks differ: the store-time window is this much wider. */
    static final long STORE_SLACK_MILLIS = 60_000;
    /** Bounds one query's work and memory; a busier range is refused with a request to narrow it. */
    static final int MAX_EVENTS = 10_000;
    private static final Pattern PLAIN_KEY = Pattern.compile("[!-~]{1,200}");

    /** Bounds the read of one busy second of the topic. */
    private static final int MAX_SCANNED = 100_000;

    private final ClusterMessages messages;
    private final MqttRecords records;

    DeviceHistory(ClusterMessages messages, MqttRecords records) {
        this.messages = messages;
        this.records = records;
    }

    /**
     * The index key of a device: instance and client id, or (a client id with spaces, non-ASCII or very
     * long: the index takes a key per word) {@code sha256:} and the hash of both.
     */
    static String key(String instanceId, String clientId) {
        String plain = instanceId + "/" + clientId;
        if (PLAIN_KEY.matcher(plain).matches()) {
            return plain;
        }
        try {
            byte[] hash = MessageDigest.getInstance("SHA-256").digest(plain.getBytes(StandardCharsets.UTF_8));
            return "sha256:" + HexFormat.of().formatHex(hash);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JVM has SHA-256", e);
        }
    }

    /** Exactly the events of the device that happened in {@code [from, to]}, oldest first. */
    List<DeviceEvent> events(String instanceId, String clientId, long from, long to) {
        String key = key(instanceId, clientId);
        Map<String, DeviceEvent> found = new LinkedHashMap<>();
        long low = Math.max(0, from - STORE_SLACK_MILLIS);
        long high = to > Long.MAX_VALUE - STORE_SLACK_MILLIS ? Long.MAX_VALUE : to + STORE_SLACK_MILLIS;
        while (high >= low) {
            ClusterMessages.Keyed keyed = messages.byKey(MqttRecords.TOPIC, key, low, high);
            if (keyed.complete()) {
                keyed.messages().forEach(m -> take(m, instanceId, clientId, from, to, found));
                break;
            }
            long whole = completeDownTo(keyed.messages());
            keyed.messages().stream().filter(m -> m.storeTimestamp() > whole).forEach(m -> take(m, instanceId, clientId, from, to, found));
            long grain = ClusterMessages.KEY_INDEX_GRAIN_MILLIS;
            for (StoredMessage message : records.messages(MqttRecords.EVENT, Math.max(low, whole - grain), whole, MAX_SCANNED)) {
                String keys = message.keys();
                if (keys != null && List.of(keys.split(" ")).contains(key)) {
                    take(message, instanceId, clientId, from, to, found);
                }
            }
            if (found.size() > MAX_EVENTS) {
                throw OnsErrors.fieldCheckInvalid("BeginTime", "the device has more than " + MAX_EVENTS
                        + " events in the range; narrow BeginTime and EndTime.");
            }
            high = whole - grain - 1; // below what the index may still place in the second just read
        }
        List<DeviceEvent> events = new ArrayList<>(found.values());
        events.sort(DeviceEvent.IN_TIME_ORDER);
        return events;
    }

    private static void take(StoredMessage message, String instanceId, String clientId, long from, long to, Map<String, DeviceEvent> into) {
        MqttRecords.parse(message, DeviceEvent.class)
                .filter(e -> instanceId.equals(e.i()) && clientId.equals(e.c()) && e.t() >= from && e.t() <= to)
                .ifPresent(e -> into.putIfAbsent(message.uniqueId(), e));
    }

    /**
     * Below a full answer, the store time down to which every broker's answer is whole: each broker's
     * oldest answered time, the latest of them (a broker's messages at exactly that time may be cut short).
     */
    static long completeDownTo(List<StoredMessage> answered) {
        Map<String, Long> oldestByBroker = new HashMap<>();
        for (StoredMessage message : answered) {
            oldestByBroker.merge(message.broker(), message.storeTimestamp(), Math::min);
        }
        return oldestByBroker.values().stream().mapToLong(Long::longValue).max().orElse(0);
    }
}
