package io.onsbridge.protocol.throttle;

/** One quota's tokens. Times are {@link System#nanoTime()} readings, so a clock change cannot refill it. */
final class TokenBucket {
    private final double capacity;
    private final double tokensPerNano;
    private double tokens;
    private long refilledAt;

    TokenBucket(Quota quota, long now) {
        this.capacity = quota.calls();
        this.tokensPerNano = quota.calls() / (double) quota.window().toNanos();
        this.tokens = capacity;
        this.refilledAt = now;
    }

    synchronized boolean tryTake(long now) {
        if (now > refilledAt) {
            tokens = Math.min(capacity, tokens + (now - refilledAt) * tokensPerNano);
            refilledAt = now;
        }
        if (tokens >= 1) {
            tokens -= 1;
            return true;
        }
        return false;
    }
}
