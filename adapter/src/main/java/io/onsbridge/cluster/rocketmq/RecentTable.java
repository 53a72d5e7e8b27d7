package io.onsbridge.cluster.rocketmq;

import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Expiry;
import com.github.benmanes.caffeine.cache.LoadingCache;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import java.util.function.LongSupplier;

/**
 * A whole table of the cluster (every master's topics or groups, a kind of metadata records) as read at
 * most {@link #KEPT_FOR} ago, counted from the start of the read: what list actions serve, so that a list
 * of one instance costs its own size and not, on every call, a read of every instance's resources (a
 * 10,000-topic table takes tens to hundreds of milliseconds to read and decode).
 *
 * <p>A change made through another bridge or with mqadmin stays unseen for at most {@link #KEPT_FOR}; one
 * made through this bridge is seen at once (its write calls {@link #forget}, and a read that was under way
 * meanwhile is not kept). Once {@link #REFRESH_AFTER} has passed, the next caller starts a new read in the
 * background and is answered from the table it has, so steady callers do not wait for reads; after a quiet
 * spell the first caller reads the table itself. One entry per key (a table or a kind): bounded.
 */
final class RecentTable<T> {
    static final Duration KEPT_FOR = Duration.ofMillis(900);
    /**
     * From the end of a read, when a caller starts the next one in the background. A table is served for
     * {@link #KEPT_FOR} from its read's start, so the next read must end within {@code KEPT_FOR} less the
     * two reads and this: at 300 ms, reads of up to 300 ms each (a 15,000-topic table on a loaded 2-core
     * machine) never make a caller wait; at half of {@code KEPT_FOR}, steady callers waited for one read in
     * fifty ({@code bin/bench scale}: OnsTopicList p99 254 ms against p50 10 ms).
     */
    static final Duration REFRESH_AFTER = Duration.ofMillis(300);
    /** Keys: one per table or kind of record, a handful. */
    private static final long MAX_KEYS = 64;

    /** A table, when the read that gave it started, and the key's generation then (see {@link #forget}). */
    private record Read<T>(T table, long startedNanos, long generation) {
    }

    private final LoadingCache<String, Read<T>> tables;
    /** Per key, how many times this bridge wrote to the table: a read started before the last write is not served. */
    private final Map<String, AtomicLong> generations = new ConcurrentHashMap<>();

    RecentTable(Function<String, T> read, Executor background) {
        this(read, background, System::nanoTime);
    }

    RecentTable(Function<String, T> read, Executor background, LongSupplier nanoClock) {
        long kept = KEPT_FOR.toNanos();
        this.tables = Caffeine.newBuilder()
                .maximumSize(MAX_KEYS)
                .executor(background)
                .ticker(nanoClock::getAsLong)
                .refreshAfterWrite(REFRESH_AFTER)
                .expireAfter(new Expiry<String, Read<T>>() {
                    @Override
                    public long expireAfterCreate(String key, Read<T> value, long now) {
                        return Math.max(0, kept - (now - value.startedNanos()));
                    }

                    @Override
                    public long expireAfterUpdate(String key, Read<T> value, long now, long remaining) {
                        return expireAfterCreate(key, value, now);
                    }

                    @Override
                    public long expireAfterRead(String key, Read<T> value, long now, long remaining) {
                        return remaining;
                    }
                })
                .build(key -> {
                    long generation = generation(key).get();
                    long started = nanoClock.getAsLong();
                    return new Read<>(read.apply(key), started, generation);
                });
    }

    /** The table under {@code key}, read at most {@link #KEPT_FOR} ago; a failed read is thrown as it came. */
    T get(String key) {
        try {
            Read<T> found = tables.get(key);
            if (found.generation() != generation(key).get()) {
                tables.invalidate(key); // a background read started before a write of ours and ended after it
                found = tables.get(key);
            }
            return found.table();
        } catch (CompletionException e) {
            if (e.getCause() instanceof RuntimeException cause) {
                throw cause;
            }
            throw e;
        }
    }

    /** Whether {@link #get} answers now without reading the cluster: the table is held and no write of ours came since. */
    boolean isHeld(String key) {
        Read<T> found = tables.getIfPresent(key);
        return found != null && found.generation() == generation(key).get();
    }

    /**
     * Runs a write of this bridge to the table, then forgets it (failed or not: a write may have landed on
     * some masters): the next caller reads the table again, and a read under way meanwhile is not served.
     * Not before the write: a read started between would keep the table as it was.
     */
    void writing(String key, Runnable write) {
        try {
            write.run();
        } finally {
            forget(key);
        }
    }

    private void forget(String key) {
        generation(key).incrementAndGet();
        tables.invalidate(key);
    }

    private AtomicLong generation(String key) {
        return generations.computeIfAbsent(key, k -> new AtomicLong());
    }
}
