package io.onsbridge.protocol.auth;

import io.onsbridge.domain.OldestFirstTable;
import io.onsbridge.domain.OnsErrors;
import java.time.Clock;
import java.time.Duration;

/**
 * Remembers the SignatureNonce of every accepted request for as long as its Timestamp could still be
 * accepted (twice the window), so a captured request cannot be replayed. Bounded: past {@code maxEntries}
 * the oldest nonces are forgotten first, so a nonce is remembered until that many newer requests came
 * (200,000 in the bridge: 40 s at 5,000 requests a second). A Caffeine cache, used before, forgot the newest
 * instead once full (its size bound keeps what is used often, and no nonce is used twice): a replay a
 * moment after its request could pass.
 */
final class NonceGuard {
    private final OldestFirstTable<Boolean> seen;

    NonceGuard(Clock clock, Duration window, long maxEntries) {
        this.seen = new OldestFirstTable<>(clock, maxEntries, window.multipliedBy(2));
    }

    /** True the first time a nonce is offered for this key, false on every later offer. */
    boolean firstUse(String accessKeyId, String nonce) {
        return seen.putIfAbsent(accessKeyId + '\n' + nonce, Boolean.TRUE) == null;
    }

    /** Uses up the nonce, or refuses the request as a replay. Call it only once the signature matched. */
    void claim(String accessKeyId, String nonce) {
        if (!firstUse(accessKeyId, nonce)) {
            throw OnsErrors.nonceUsed(nonce);
        }
    }
}
