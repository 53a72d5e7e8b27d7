package io.onsbridge.protocol.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class DigestRingTest {
    private static final Duration LIFETIME = Duration.ofMinutes(30);
    private final AtomicLong now = new AtomicLong(1_700_000_000_000L);
    private final Clock clock = new Clock() {
        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return Instant.ofEpochMilli(now.get());
        }
    };

    @Test
    void aDigestIsNewOnlyTheFirstTimeAndBothHalvesCount() {
        DigestRing ring = new DigestRing(clock, 100, LIFETIME);
        assertThat(ring.add(1, 2)).isTrue();
        assertThat(ring.add(1, 2)).isFalse();
        assertThat(ring.add(2, 2)).as("same low half, other high half").isTrue();
        assertThat(ring.add(1, 3)).as("same high half, other low half").isTrue();
        assertThat(ring.size()).isEqualTo(3);
    }

    @Test
    void aFullRingForgetsTheOldestFirstNeverTheNewest() {
        DigestRing ring = new DigestRing(clock, 5_000, LIFETIME);
        for (long i = 0; i < 20_000; i++) {
            assertThat(ring.add(i, i * 31)).isTrue();
        }
        assertThat(ring.size()).isEqualTo(5_000);
        assertThat(ring.capacity()).as("grown by doubling, never past the bound").isEqualTo(5_000);
        for (long i = 15_000; i < 20_000; i++) {
            assertThat(ring.add(i, i * 31)).as("digest %d, one of the 5,000 newest", i).isFalse();
        }
        assertThat(ring.add(14_999, 14_999 * 31)).as("the newest forgotten one").isTrue();
        assertThat(ring.add(15_001, 15_001 * 31)).as("now the oldest held").isFalse();
        assertThat(ring.add(15_000, 15_000 * 31)).as("forgotten to make room for 14,999").isTrue();
    }

    @Test
    void aDigestIsForgottenAtTheEndOfItsLifetime() {
        DigestRing ring = new DigestRing(clock, 100, LIFETIME);
        ring.add(7, 7);
        now.addAndGet(LIFETIME.toMillis() - 1);
        assertThat(ring.add(8, 8)).isTrue();
        assertThat(ring.add(7, 7)).as("one millisecond before its lifetime ends").isFalse();
        now.addAndGet(1);
        assertThat(ring.size()).isEqualTo(1);
        assertThat(ring.add(7, 7)).as("at the end of its lifetime").isTrue();
        assertThat(ring.add(8, 8)).isFalse();
    }

    @Test
    void aClockSetBackKeepsDigestsLongerNeverShorter() {
        DigestRing ring = new DigestRing(clock, 100, LIFETIME);
        long start = now.get();
        ring.add(1, 1);
        now.set(start - Duration.ofMinutes(10).toMillis());
        ring.add(2, 2);
        now.set(start + Duration.ofMinutes(20).toMillis());
        assertThat(ring.add(2, 2)).as("past its lifetime, but behind one that is not").isFalse();
        now.set(start + LIFETIME.toMillis());
        assertThat(ring.add(1, 1)).isTrue();
        assertThat(ring.add(2, 2)).isTrue();
    }

    @Test
    void agreesWithASimpleModelUnderCollidingDigestsEvictionGrowthAndExpiry() {
        for (int maxEntries : new int[] {1, 2, 3, 7, 64, 1_000, 1_500, 3_000}) {
            SplittableRandom random = new SplittableRandom(maxEntries);
            DigestRing ring = new DigestRing(clock, maxEntries, LIFETIME);
            Model model = new Model(maxEntries);
            // few distinct values, many sharing low bits: long probe runs, deletions in their middle, wrap-around
            int universe = Math.max(4, maxEntries * 3);
            for (int op = 0; op < 60_000; op++) {
                if (random.nextInt(200) == 0) {
                    now.addAndGet(random.nextLong(LIFETIME.toMillis() / 3));
                }
                int n = random.nextInt(universe);
                long high = n % 3;
                // five homes for most, the index's last slot for a tenth (their runs wrap round to slot 0)
                long low = ((long) n << 40) | (n % 10 == 0 ? 0xFFFFFL : n % 5);
                assertThat(ring.add(high, low)).as("max %d, op %d, digest %d", maxEntries, op, n)
                        .isEqualTo(model.add(high, low, now.get()));
                if (op % 997 == 0) {
                    assertThat(ring.size()).isEqualTo(model.size(now.get()));
                }
            }
            assertThat(ring.capacity()).isLessThanOrEqualTo(maxEntries);
        }
    }

    @Test
    void aBoundBelowOneIsRefused() {
        assertThatThrownBy(() -> new DigestRing(clock, 0, LIFETIME)).isInstanceOf(IllegalArgumentException.class);
    }

    /** What the ring must answer: a map in insertion order. */
    private final class Model {
        private final int maxEntries;
        private final LinkedHashMap<String, Long> entries = new LinkedHashMap<>();

        Model(int maxEntries) {
            this.maxEntries = maxEntries;
        }

        boolean add(long high, long low, long at) {
            forgetExpired(at);
            String key = high + "/" + low;
            if (entries.containsKey(key)) {
                return false;
            }
            if (entries.size() == maxEntries) {
                Iterator<String> oldest = entries.keySet().iterator();
                oldest.next();
                oldest.remove();
            }
            entries.put(key, at);
            return true;
        }

        int size(long at) {
            forgetExpired(at);
            return entries.size();
        }

        private void forgetExpired(long at) {
            Iterator<Map.Entry<String, Long>> it = entries.entrySet().iterator();
            while (it.hasNext() && at - it.next().getValue() >= LIFETIME.toMillis()) {
                it.remove();
            }
        }
    }
}
