package io.onsbridge.protocol.auth;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class NonceGuardTest {
    private final NonceGuard guard = new NonceGuard(Clock.systemUTC(), Duration.ofMinutes(15), 1_000);

    @Test
    void nonceIsFreshOnlyTheFirstTime() {
        assertThat(guard.firstUse("key", "n-1")).isTrue();
        assertThat(guard.firstUse("key", "n-1")).isFalse();
        assertThat(guard.firstUse("key", "n-1")).isFalse();
    }

    @Test
    void noncesAreTrackedPerAccessKey() {
        assertThat(guard.firstUse("key-a", "n-1")).isTrue();
        assertThat(guard.firstUse("key-b", "n-1")).isTrue();
        assertThat(guard.firstUse("key-a", "n-2")).isTrue();
    }

    @Test
    void keyAndNonceCannotBeShiftedIntoEachOther() {
        assertThat(guard.firstUse("ab", "c")).isTrue();
        assertThat(guard.firstUse("a", "bc")).isTrue();
    }

    @Test
    void aFullTableForgetsTheOldestNoncesNeverTheNewest() {
        for (int i = 0; i < 5_000; i++) {
            assertThat(guard.firstUse("key", "n-" + i)).isTrue();
        }
        for (int i = 4_000; i < 5_000; i++) {
            assertThat(guard.firstUse("key", "n-" + i)).as("n-%d, one of the 1,000 newest, replayed", i).isFalse();
        }
        assertThat(guard.firstUse("key", "n-0")).as("the oldest, forgotten").isTrue();
    }

    @Test
    void aNonceIsForgottenOnceItsRequestCouldNoLongerBeAccepted() {
        java.util.concurrent.atomic.AtomicLong now = new java.util.concurrent.atomic.AtomicLong(1_700_000_000_000L);
        Clock clock = new Clock() {
            @Override
            public java.time.ZoneId getZone() {
                return java.time.ZoneOffset.UTC;
            }

            @Override
            public Clock withZone(java.time.ZoneId zone) {
                return this;
            }

            @Override
            public java.time.Instant instant() {
                return java.time.Instant.ofEpochMilli(now.get());
            }
        };
        NonceGuard timed = new NonceGuard(clock, Duration.ofMinutes(15), 1_000);
        assertThat(timed.firstUse("key", "n-1")).isTrue();
        now.addAndGet(Duration.ofMinutes(29).toMillis());
        assertThat(timed.firstUse("key", "n-1")).isFalse();
        now.addAndGet(Duration.ofMinutes(1).toMillis());
        assertThat(timed.firstUse("key", "n-1")).isTrue();
    }
}
