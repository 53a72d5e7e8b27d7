package io.onsbridge.domain;

import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Entries by key, at most {@code maxEntries}, forgetting the oldest first, each for at most {@code lifetime}: for
 * what is needed soon after it is added and seldom later (trace query tasks).
 *
 * <p>Not a Caffeine cache: its size bound keeps what is used often (W-TinyLFU), so once full it forgets an entry
 * just added, used once or never since, in favour of older ones used as often. The trace task table lost about 1
 * in 100 tasks under load before their first poll (which then ran the query again: the trace rows' p99). The nonce
 * table, which needs the same order but one entry per request, has a form without an object per entry
 * ({@code protocol/auth/DigestRing}).
 */
public final class OldestFirstTable<V> {
    private record Entry<V>(V value, long addedAt) {
    }

    private final Clock clock;
    private final long lifetimeMillis;
    private final LinkedHashMap<String, Entry<V>> entries;

    public OldestFirstTable(Clock clock, long maxEntries, Duration lifetime) {
        this.clock = clock;
        this.lifetimeMillis = lifetime.toMillis();
        // insertion order: the eldest is the oldest entry
        this.entries = new LinkedHashMap<>() {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, Entry<V>> eldest) {
                return size() > maxEntries || expired(eldest.getValue());
            }
        };
    }

    /** Adds the value unless one is held under the key; answers the one held, or null when added. */
    public synchronized V putIfAbsent(String id, V value) {
        V held = get(id);
        if (held == null) {
            entries.put(id, new Entry<>(value, clock.millis()));
        }
        return held;
    }

    /** The value held under the key, or null. */
    public synchronized V get(String id) {
        Entry<V> entry = entries.get(id);
        if (entry != null && expired(entry)) {
            entries.remove(id);
            return null;
        }
        return entry == null ? null : entry.value();
    }

    public synchronized void remove(String id) {
        entries.remove(id);
    }

    /** Removes the key's value only if it is still {@code value}. */
    public synchronized void remove(String id, V value) {
        Entry<V> entry = entries.get(id);
        if (entry != null && entry.value() == value) {
            entries.remove(id);
        }
    }

    public synchronized int size() {
        entries.values().removeIf(this::expired);
        return entries.size();
    }

    private boolean expired(Entry<V> entry) {
        return clock.millis() - entry.addedAt() >= lifetimeMillis;
    }
}
