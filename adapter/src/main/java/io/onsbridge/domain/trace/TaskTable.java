package io.onsbridge.domain.trace;

import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Tasks by id, at most {@code maxTasks}, forgetting the oldest first, each for at most {@code lifetime}.
 *
 * <p>Not a Caffeine cache: its size bound keeps what is used often (W-TinyLFU) and so forgets a task just
 * created, used once by the poll that follows it, in favour of older ones used as often. Under load (8 clients
 * querying traces, the table full within a second) about 1 in 100 tasks was gone by its first poll and ran
 * again, 3 to 8 ms: the trace rows' p99. A task is needed right after it starts and seldom later, so the oldest
 * goes first.
 */
final class TaskTable<V> {
    private record Entry<V>(V value, long addedAt) {
    }

    private final Clock clock;
    private final long lifetimeMillis;
    private final LinkedHashMap<String, Entry<V>> entries;

    TaskTable(Clock clock, long maxTasks, Duration lifetime) {
        this.clock = clock;
        this.lifetimeMillis = lifetime.toMillis();
        // insertion order: the eldest is the oldest task
        this.entries = new LinkedHashMap<>() {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, Entry<V>> eldest) {
                return size() > maxTasks || expired(eldest.getValue());
            }
        };
    }

    /** Adds the task unless one is held under the id; answers the one held, or null when added. */
    synchronized V putIfAbsent(String id, V task) {
        V held = get(id);
        if (held == null) {
            entries.put(id, new Entry<>(task, clock.millis()));
        }
        return held;
    }

    /** The task held under the id, or null. */
    synchronized V get(String id) {
        Entry<V> entry = entries.get(id);
        if (entry != null && expired(entry)) {
            entries.remove(id);
            return null;
        }
        return entry == null ? null : entry.value();
    }

    synchronized void remove(String id) {
        entries.remove(id);
    }

    /** Removes the id's task only if it is still {@code task}. */
    synchronized void remove(String id, V task) {
        Entry<V> entry = entries.get(id);
        if (entry != null && entry.value() == task) {
            entries.remove(id);
        }
    }

    synchronized int size() {
        entries.values().removeIf(this::expired);
        return entries.size();
    }

    private boolean expired(Entry<V> entry) {
        return clock.millis() - entry.addedAt() >= lifetimeMillis;
    }
}
