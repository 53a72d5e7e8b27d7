package io.onsbridge.backend;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
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
public final class MetadataStore {
    private static final Logger log = LoggerFactory.getLogger(MetadataStore.class);
    private static final String NAMESPACE_PREFIX = "ONS_BRIDGE_";
    private static final ObjectMapper JSON = new ObjectMapper()
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

    private final ClusterAdmin cluster;

    public MetadataStore(ClusterAdmin cluster) {
        this.cluster = cluster;
    }

    /** Every record of a kind, by key, in key order. A record that no longer parses is skipped and logged. */
    public <T> Map<String, T> list(String kind, Class<T> type) {
        Map<String, T> records = new TreeMap<>();
        cluster.kvList(NAMESPACE_PREFIX + kind).forEach((key, json) -> {
            try {
                records.put(key, JSON.readValue(json, type));
            } catch (JsonProcessingException e) {
                log.warn("skipping unreadable {} record {}: {}", kind, key, e.getOriginalMessage());
            }
        });
        return records;
    }

    public <T> Optional<T> get(String kind, String key, Class<T> type) {
        return Optional.ofNullable(list(kind, type).get(key));
    }

    public void put(String kind, String key, Object record) {
        try {
            cluster.kvPut(NAMESPACE_PREFIX + kind, key, JSON.writeValueAsString(record));
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("cannot store " + kind + " " + key, e);
        }
    }

    public void delete(String kind, String key) {
        cluster.kvDelete(NAMESPACE_PREFIX + kind, key);
    }
}
