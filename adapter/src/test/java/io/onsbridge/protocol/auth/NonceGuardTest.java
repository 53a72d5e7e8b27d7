package io.onsbridge.protocol.auth;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class NonceGuardTest {
    private final NonceGuard guard = new NonceGuard(Duration.ofMinutes(15), 1_000);

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
}
