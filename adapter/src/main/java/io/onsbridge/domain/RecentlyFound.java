package io.onsbridge.domain;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import java.time.Duration;

/**
 * Resources a read found to exist (an instance and its topic), kept for {@link #KEPT_FOR} so that the
 * reads that follow need not ask the cluster again: someone watching a topic asks about it again and
 * again. A resource deleted through any bridge is thus still taken as existing for at most that long;
 * the read then answers what the cluster still holds. Bounded; what was not found is never kept.
 */
public final class RecentlyFound<T> {
    public static final Duration KEPT_FOR = Duration.ofMillis(900);
    private static final long MAX_ENTRIES = 10_000;

    // upkeep in the caller's thread, as NonceGuard's: no pool thread woken per read
    private final Cache<String, T> found = Caffeine.newBuilder().maximumSize(MAX_ENTRIES).expireAfterWrite(KEPT_FOR)
            .executor(Runnable::run).build();

    /** What was found of the instance and the resource (its broker name) within {@link #KEPT_FOR}; null if nothing. */
    public T get(String instanceId, String brokerName) {
        return found.getIfPresent(key(instanceId, brokerName));
    }

    public void put(String instanceId, String brokerName, T what) {
        found.put(key(instanceId, brokerName), what);
    }

    private static String key(String instanceId, String brokerName) {
        return instanceId + '\u0000' + brokerName;
    }
}
