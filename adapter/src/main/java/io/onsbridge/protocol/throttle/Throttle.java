package io.onsbridge.protocol.throttle;

import com.google.common.cache.Cache;
import com.google.common.cache.CacheBuilder;
import io.onsbridge.domain.OnsErrors;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.function.LongSupplier;

/**
 * Calls per action as Alibaba's gateway counts them: one token bucket per action shared by the account and
 * all its keys (the bridge is one account), or, with {@link Scope#ACCESS_KEY}, one per action and key. A call
 * beyond its quota is refused with {@code Throttling.User} before it reaches the cluster; actions without a
 * quota are never slowed.
 */
public final class Throttle {
    /** Whose calls share a bucket. */
    public enum Scope { ACCOUNT, ACCESS_KEY }

    /** Buckets held at most: with per-key buckets, memory stays bounded whatever the number of keys. */
    static final long MAX_BUCKETS = 100_000;

    private static final Throttle OFF = new Throttle(Map.of(), Scope.ACCOUNT, System::nanoTime);

    private final Map<String, Quota> quotas;
    private final Scope scope;
    private final LongSupplier nanoTime;
    private final Cache<String, TokenBucket> buckets;

    public Throttle(Map<String, Quota> quotas, Scope scope, LongSupplier nanoTime) {
        this.quotas = Map.copyOf(quotas);
        this.scope = scope;
        this.nanoTime = nanoTime;
        // A bucket idle for longer than its window is full again, so dropping it then forgets nothing.
        Duration longest = this.quotas.values().stream().map(Quota::window).max(Duration::compareTo).orElse(Duration.ZERO);
        this.buckets = CacheBuilder.newBuilder().maximumSize(MAX_BUCKETS)
                .expireAfterAccess(longest.plusSeconds(1)).build();
    }

    /** The {@code off} setting: nothing is ever throttled. */
    public static Throttle off() {
        return OFF;
    }

    public boolean isOff() {
        return quotas.isEmpty();
    }

    public Map<String, Quota> quotas() {
        return quotas;
    }

    /** Takes one call's token for the action, or refuses the call with {@code Throttling.User}. */
    public void admit(String accessKeyId, String action) {
        Quota quota = quotas.get(action);
        if (quota == null) {
            return;
        }
        String key = scope == Scope.ACCOUNT ? action : accessKeyId + '\n' + action;
        TokenBucket bucket;
        try {
            bucket = buckets.get(key, () -> new TokenBucket(quota, nanoTime.getAsLong()));
        } catch (ExecutionException e) {
            throw new IllegalStateException("a token bucket cannot fail to be made", e);
        }
        if (!bucket.tryTake(nanoTime.getAsLong())) {
            throw OnsErrors.throttled(action, quota.describe(), scope == Scope.ACCOUNT ? "this account" : "AccessKey " + accessKeyId);
        }
    }
}
