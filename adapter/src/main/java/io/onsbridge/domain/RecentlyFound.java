package io.onsbridge.domain;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Ticker;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.ToIntFunction;

/**
 * Resources a read found to exist (an instance and its topic), kept for {@link #KEPT_FOR} so that the
 * reads that follow need not ask the cluster again: someone watching a topic asks about it again and
 * again. A resource deleted through any bridge is thus still taken as existing for at most that long;
 * the read then answers what the cluster still holds. Bounded; what was not found is never kept.
 *
 * <p>Renewed ahead: once half that time has passed, one read is told nothing is held, checks again and puts what
 * it found, while the reads alongside it still get what is held. Without that, every read arriving while the
 * entry had just expired checked the cluster itself and waited for it (with 8 to 32 clients, a few ms for 1% of
 * the reads: their p99).
 */
public final class RecentlyFound<T> {
    public static final Duration KEPT_FOR = Duration.ofMillis(900);
    private static final long RENEW_AFTER_NANOS = KEPT_FOR.toNanos() / 2;
    private static final long MAX_ENTRIES = 10_000;

    private record Held<T>(T what, long foundAt, AtomicBoolean renewing) {
    }

    private final Ticker ticker;
    private final Cache<String, Held<T>> found;

    /** At most {@value #MAX_ENTRIES} entries. */
    public RecentlyFound() {
        this(Ticker.systemTicker());
    }

    /** At most {@code maxWeight} in all, each entry weighing what {@code weigher} says: for entries of very different sizes. */
    public RecentlyFound(long maxWeight, ToIntFunction<T> weigher) {
        this(Ticker.systemTicker(), maxWeight, weigher);
    }

    RecentlyFound(Ticker ticker) {
        this(ticker, MAX_ENTRIES, what -> 1);
    }

    private RecentlyFound(Ticker ticker, long maxWeight, ToIntFunction<T> weigher) {
        this.ticker = ticker;
        // upkeep in the caller's thread: the default (the common pool) woke a pool thread for each write, a thread
        // switch per request in bin/bench traceq's CPU profile
        this.found = Caffeine.newBuilder().maximumWeight(maxWeight).weigher((String key, Held<T> held) -> weigher.applyAsInt(held.what()))
                .expireAfterWrite(KEPT_FOR).ticker(ticker).executor(Runnable::run).build();
    }

    /**
     * What was found of the instance and the resource (its broker name; or any two names) within {@link #KEPT_FOR}; null if nothing,
     * and null for the one read that renews it (see above): that read checks and {@link #put}s.
     */
    public T get(String instanceId, String brokerName) {
        Held<T> held = found.getIfPresent(key(instanceId, brokerName));
        if (held == null) {
            return null;
        }
        boolean renew = ticker.read() - held.foundAt() > RENEW_AFTER_NANOS && held.renewing().compareAndSet(false, true);
        return renew ? null : held.what();
    }

    public void put(String instanceId, String brokerName, T what) {
        found.put(key(instanceId, brokerName), new Held<>(what, ticker.read(), new AtomicBoolean()));
    }

    private static String key(String instanceId, String brokerName) {
        return instanceId + '\u0000' + brokerName;
    }
}
