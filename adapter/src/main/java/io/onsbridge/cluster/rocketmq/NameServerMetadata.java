package io.onsbridge.cluster.rocketmq;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.onsbridge.cluster.ClusterException;
import io.onsbridge.cluster.ClusterMetadata;
import java.util.Collections;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.Supplier;
import org.apache.rocketmq.remoting.protocol.body.KVTable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What the bridge must remember beyond the broker's own state (instances, later remarks and tags) as
 * JSON records in the name servers' KV config, one KV namespace per kind ({@code ONS_BRIDGE_INSTANCE}).
 *
 * <p>Why the name server's KV config rather than a system topic: a write goes synchronously to every
 * configured name server and is readable by every bridge the moment the call returns, with no consumer
 * to catch up and no compaction to manage; the name server persists it to its {@code kvConfig.json}, so
 * a bridge killed with -9 loses nothing, and {@code mqadmin getKVListByNamespace} shows it to operators.
 * The price: a name server must keep its kvConfig on a volume, and a name server that was down during a
 * write misses it (writes fail loudly then, so the caller retries). Records are small; reads list a
 * whole kind, which suits the dozens-to-thousands of resources an instance has.
 */
final class NameServerMetadata implements ClusterMetadata {
    private static final Logger log = LoggerFactory.getLogger(NameServerMetadata.class);
    private static final String NAMESPACE_PREFIX = "ONS_BRIDGE_";
    private static final ObjectMapper JSON = new ObjectMapper()
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

    private final ClusterAdmin cluster;
    /** Per KV namespace, its records as JSON by key: what {@link #recentList} serves. */
    private final RecentTable<NavigableMap<String, String>> recent;

    NameServerMetadata(ClusterAdmin cluster) {
        this.cluster = cluster;
        this.recent = new RecentTable<>(namespace -> Collections.unmodifiableNavigableMap(new TreeMap<>(table(namespace))),
                cluster.background());
    }

    @Override
    public <T> Map<String, T> list(String kind, Class<T> type) {
        return parse(kind, table(NAMESPACE_PREFIX + kind), type);
    }

    @Override
    public <T> Map<String, T> recentList(String kind, Class<T> type, String keyPrefix) {
        // Parsed per call, and only the keys asked for: the records are small, the kind may hold every instance's.
        return parse(kind, ClusterAdmin.withPrefix(recent.get(NAMESPACE_PREFIX + kind), keyPrefix), type);
    }

    @Override
    public boolean recentlyHas(String kind, String key) {
        return recent.get(NAMESPACE_PREFIX + kind).containsKey(key);
    }

    @Override
    public boolean recentlyHeld(String kind) {
        return recent.isHeld(NAMESPACE_PREFIX + kind);
    }

    private Map<String, String> table(String namespace) {
        return absentIfNotFound(() -> cluster.call("read " + namespace, a -> a.getKVListByNamespace(namespace)))
                .<Map<String, String>>map(KVTable::getTable).orElse(Map.of());
    }

    private static <T> Map<String, T> parse(String kind, Map<String, String> table, Class<T> type) {
        Map<String, T> records = new TreeMap<>();
        table.forEach((key, json) -> parse(kind, key, json, type).ifPresent(r -> records.put(key, r)));
        return records;
    }

    /** A read's answer; empty when the name server has no such namespace or key. */
    private static <T> Optional<T> absentIfNotFound(Supplier<T> read) {
        try {
            return Optional.ofNullable(read.get());
        } catch (ClusterException e) {
            if (e.is(ClusterException.Reason.NO_MESSAGE)) {
                return Optional.empty();
            }
            throw e;
        }
    }

    private static <T> Optional<T> parse(String kind, String key, String json, Class<T> type) {
        try {
            return Optional.of(JSON.readValue(json, type));
        } catch (JsonProcessingException e) {
            log.warn("skipping unreadable {} record {}: {}", kind, key, e.getOriginalMessage());
            return Optional.empty();
        }
    }

    /** One record: one name-server read, whatever the number of records of its kind. */
    @Override
    public <T> Optional<T> get(String kind, String key, Class<T> type) {
        String namespace = NAMESPACE_PREFIX + kind;
        return absentIfNotFound(() -> cluster.call("read " + namespace + " " + key, a -> a.getKVConfig(namespace, key)))
                .flatMap(json -> parse(kind, key, json, type));
    }

    @Override
    public void put(String kind, String key, Object record) {
        try {
            String json = JSON.writeValueAsString(record);
            recent.writing(NAMESPACE_PREFIX + kind, () -> cluster.call("write " + NAMESPACE_PREFIX + kind, a -> {
                a.createAndUpdateKvConfig(NAMESPACE_PREFIX + kind, key, json);
                return null;
            }));
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("cannot store " + kind + " " + key, e);
        }
    }

    @Override
    public void delete(String kind, String key) {
        recent.writing(NAMESPACE_PREFIX + kind, () -> cluster.call("delete from " + NAMESPACE_PREFIX + kind, a -> {
            a.deleteKvConfig(NAMESPACE_PREFIX + kind, key);
            return null;
        }));
    }
}
