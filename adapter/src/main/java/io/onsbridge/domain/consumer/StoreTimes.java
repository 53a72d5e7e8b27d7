package io.onsbridge.domain.consumer;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.onsbridge.cluster.Queue;
import java.time.Duration;
import java.util.function.LongSupplier;

/**
 * Store times of the messages at given queue offsets, as the backlog's delay reads them (one pull each),
 * kept for under a second: a group whose offsets do not move (the case a delay is asked about) is asked
 * about again and again. A message's store time never changes; only a topic deleted and created again
 * could put another message at the same offset, and that shows after at most {@link #KEPT_FOR}. Bounded.
 */
final class StoreTimes {
    static final Duration KEPT_FOR = Duration.ofMillis(900);
    private static final long MAX_ENTRIES = 10_000;

    private record At(Queue queue, long offset) {
    }

    // upkeep in the caller's thread, as RecentlyFound's: no pool thread woken per read
    private final Cache<At, Long> times = Caffeine.newBuilder().maximumSize(MAX_ENTRIES).expireAfterWrite(KEPT_FOR)
            .executor(Runnable::run).build();

    /** The store time at the offset if kept, else null: asked first, so that a known one needs no other thread. */
    Long known(Queue queue, long offset) {
        return times.getIfPresent(new At(queue, offset));
    }

    /** The store time at the offset, read with {@code read} unless known; {@link Backlog#NO_MESSAGE} is not kept. */
    long at(Queue queue, long offset, LongSupplier read) {
        At at = new At(queue, offset);
        Long known = times.getIfPresent(at);
        if (known != null) {
            return known;
        }
        long stored = read.getAsLong();
        if (stored != Backlog.NO_MESSAGE) {
            times.put(at, stored);
        }
        return stored;
    }
}
