package io.onsbridge.protocol.auth;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.onsbridge.domain.OnsErrors;
import java.time.Duration;

/**
 * Remembers the SignatureNonce of every accepted request for as long as its Timestamp could still be
 * accepted (twice the window), so a captured request cannot be replayed. Bounded: past
 * {@code maxEntries} Caffeine forgets some nonces early (its size eviction picks by frequency and
 * recency, not strictly the oldest), trading a replay chance for memory.
 */
final class NonceGuard {
    private final Cache<String, Boolean> seen;

    NonceGuard(Duration window, long maxEntries) {
        // upkeep in the request's thread: every request writes a nonce, and the default (the common pool) woke a
        // pool thread for each, a thread switch per request measured in bin/bench traceq's profile
        this.seen = Caffeine.newBuilder().expireAfterWrite(window.multipliedBy(2)).maximumSize(maxEntries)
                .executor(Runnable::run).build();
    }

    /** True the first time a nonce is offered for this key, false on every later offer. */
    boolean firstUse(String accessKeyId, String nonce) {
        return seen.asMap().putIfAbsent(accessKeyId + '\n' + nonce, Boolean.TRUE) == null;
    }

    /** Uses up the nonce, or refuses the request as a replay. Call it only once the signature matched. */
    void claim(String accessKeyId, String nonce) {
        if (!firstUse(accessKeyId, nonce)) {
            throw OnsErrors.nonceUsed(nonce);
        }
    }
}
