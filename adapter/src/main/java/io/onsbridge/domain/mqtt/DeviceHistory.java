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
 * index for that one key within the store-time window, never scanning the topic. The index answers at most
 * 64 messages per broker, its newest: when a broker answered that many, the window is asked again below the
 * oldest time every broker answered down to, so N events cost about N / 64 round trips per broker.
 */
final class DeviceHistory {
    /** An event is stored after it happened (write-behind) and bridges' clocks differ: the store-time window is this much wider. */
    static final long STORE_SLACK_MILLIS = 60_000;
    /** Bounds one query's work and memory; a busier range is refused with a request to narrow it. */
    static final int MAX_EVENTS = 10_000;
    private static final Pattern PLAIN_KEY = Pattern.compile("[!-~]{1,200}");

    private final ClusterMessages messages;

    DeviceHistory(ClusterMessages messages) {
        this.messages = messages;
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
        while (true) {
            ClusterMessages.Keyed keyed = messages.byKey(MqttRecords.TOPIC, key, low, high);
            long next = completeDownTo(keyed.messages());
            // Whole: everything answered. Cannot narrow (more than a broker answers in one millisecond): kept as answered.
            boolean last = keyed.complete() || next <= low || next >= high;
            for (StoredMessage message : keyed.messages()) {
                if (last || message.storeTimestamp() > next) {
                    MqttRecords.parse(message, DeviceEvent.class)
                            .filter(e -> instanceId.equals(e.i()) && clientId.equals(e.c()) && e.t() >= from && e.t() <= to)
                            .ifPresent(e -> found.putIfAbsent(message.uniqueId(), e));
                }
            }
            if (found.size() > MAX_EVENTS) {
                throw OnsErrors.fieldCheckInvalid("BeginTime", "the device has more than " + MAX_EVENTS
                        + " events in the range; narrow BeginTime and EndTime.");
            }
            if (last) {
                break;
            }
            high = next;
        }
        List<DeviceEvent> events = new ArrayList<>(found.values());
        events.sort(DeviceEvent.IN_TIME_ORDER);
        return events;
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
