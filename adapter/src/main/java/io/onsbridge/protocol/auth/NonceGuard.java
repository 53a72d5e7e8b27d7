package io.onsbridge.protocol.auth;

import com.google.common.hash.HashFunction;
import com.google.common.hash.Hashing;
import io.onsbridge.domain.OnsErrors;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;

/**
 * Remembers the SignatureNonce of every accepted request for as long as its Timestamp could still be
 * accepted (twice the window), so a captured request cannot be replayed. Bounded: past {@code maxEntries}
 * the oldest nonces are forgotten first, so a nonce is remembered until that many newer requests came
 * (200,000 in the bridge: 40 s at 5,000 requests a second). A Caffeine cache, used before, forgot the newest
 * instead once full (its size bound keeps what is used often, and no nonce is used twice): a replay a
 * moment after its request could pass.
 *
 * <p>Each access key and nonce is kept as a 128-bit digest ({@link DigestRing}): two SipHash-2-4 under keys
 * drawn at start. A replay has the same digest, so it is always refused; two different nonces share one with a
 * chance of 2^-128 per pair (a request refused, never one let through), and without the keys nobody can make
 * nonces whose digests crowd the table's index.
 */
final class NonceGuard {
    private final DigestRing seen;
    private final HashFunction highHalf;
    private final HashFunction lowHalf;

    NonceGuard(Clock clock, Duration window, long maxEntries) {
        this.seen = new DigestRing(clock, Math.toIntExact(maxEntries), window.multipliedBy(2));
        SecureRandom random = new SecureRandom();
        this.highHalf = Hashing.sipHash24(random.nextLong(), random.nextLong());
        this.lowHalf = Hashing.sipHash24(random.nextLong(), random.nextLong());
    }

    /** True the first time a nonce is offered for this key, false on every later offer. */
    boolean firstUse(String accessKeyId, String nonce) {
        return seen.add(digest(highHalf, accessKeyId, nonce), digest(lowHalf, accessKeyId, nonce));
    }

    /** Uses up the nonce, or refuses the request as a replay. Call it only once the signature matched. */
    void claim(String accessKeyId, String nonce) {
        if (!firstUse(accessKeyId, nonce)) {
            throw OnsErrors.nonceUsed(nonce);
        }
    }

    // the key's length first: "ab" + "c" and "a" + "bc" are different inputs
    private static long digest(HashFunction function, String accessKeyId, String nonce) {
        return function.newHasher()
                .putInt(accessKeyId.length())
                .putUnencodedChars(accessKeyId)
                .putUnencodedChars(nonce)
                .hash()
                .asLong();
    }
}
