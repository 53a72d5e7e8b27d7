package io.onsbridge.domain.mqtt;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.onsbridge.cluster.Cluster;
import io.onsbridge.cluster.OutgoingMessage;
import io.onsbridge.cluster.ResourceNames;
import io.onsbridge.cluster.StoredMessage;
import io.onsbridge.domain.RecordWindow;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The bridge's MQTT records on its hidden topic {@link ResourceNames#MQTT_TOPIC} (one queue a master, like
 * the stats topic): JSON bodies, told apart by tag ({@link #EVENT}, {@link #ONLINE}, {@link #MINUTE}).
 * Written untraced (they are no one's traffic); read back by key (events) or by a store-time window
 * (snapshots and minute counts), the broker filtering by tag.
 */
final class MqttRecords {
    private static final Logger log = LoggerFactory.getLogger(MqttRecords.class);
    static final String TOPIC = ResourceNames.MQTT_TOPIC;
    static final String EVENT = "event";
    static final String ONLINE = "online";
    static final String MINUTE = "minute";
    private static final ObjectMapper JSON = new ObjectMapper().disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

    private final Cluster cluster;
    private volatile boolean ensured;

    MqttRecords(Cluster cluster) {
        this.cluster = cluster;
    }

    void write(String tag, String keys, Object record) {
        cluster.messages().sendUntraced(message(tag, keys, record));
    }

    /** {@link #write} without waiting for the broker: completes once it stored the record. */
    CompletableFuture<String> writeAsync(String tag, String keys, Object record) {
        return cluster.messages().sendUntracedAsync(message(tag, keys, record));
    }

    /** Several records of a tag in one send (one queue, one round trip), each under its keys; completes once all were stored. */
    <T> CompletableFuture<Void> writeAllAsync(String tag, List<T> records, Function<T, String> keys) {
        return cluster.messages().sendUntracedAsync(records.stream().map(r -> message(tag, keys.apply(r), r)).toList());
    }

    private OutgoingMessage message(String tag, String keys, Object record) {
        if (!ensured) {
            cluster.topics().ensure(TOPIC, 1);
            ensured = true;
        }
        byte[] body;
        try {
            body = JSON.writeValueAsBytes(record);
        } catch (IOException e) {
            throw new IllegalStateException("cannot encode an MQTT record", e);
        }
        return OutgoingMessage.of(TOPIC, tag, keys, body);
    }

    /** The records of a tag stored in {@code [from, to]}, at most {@code max} of them, in store order per queue. */
    <T> List<T> window(String tag, long from, long to, int max, Class<T> type) {
        List<T> records = new ArrayList<>();
        for (StoredMessage message : messages(tag, from, to, max)) {
            parse(message, type).ifPresent(records::add);
        }
        return records;
    }

    /** The messages of a tag stored in {@code [from, to]} (exactly: store times, not the index's seconds), at most {@code max}. */
    List<StoredMessage> messages(String tag, long from, long to, int max) {
        List<StoredMessage> records = RecordWindow.read(cluster, TOPIC, tag, from, to, max);
        if (records.size() >= max) {
            log.warn("reading MQTT {} records: stopped after {}", tag, max);
        }
        return records;
    }

    static <T> Optional<T> parse(StoredMessage message, Class<T> type) {
        try {
            return Optional.of(JSON.readValue(new String(message.body(), StandardCharsets.UTF_8), type));
        } catch (IOException e) {
            // Anybody may send to the topic: what is not ours is skipped, as any reader would.
            log.debug("skipping an unreadable MQTT record at {}", message.queueOffset(), e);
            return Optional.empty();
        }
    }
}
