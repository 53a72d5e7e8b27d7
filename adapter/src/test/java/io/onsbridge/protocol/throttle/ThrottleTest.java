package io.onsbridge.protocol.throttle;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.onsbridge.domain.OnsException;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class ThrottleTest {
    private final AtomicLong now = new AtomicLong(1_000_000_000L);

    private int admitted(Throttle throttle, String key, String action, int calls) {
        int admitted = 0;
        for (int i = 0; i < calls; i++) {
            try {
                throttle.admit(key, action);
                admitted++;
            } catch (OnsException e) {
                assertThat(e.code()).isEqualTo("Throttling.User");
                assertThat(e.httpStatus()).isEqualTo(400);
            }
        }
        return admitted;
    }

    @Test
    void aBurstGetsExactlyTheQuotaThenRefillsEvenly() {
        Throttle throttle = new Throttle(Map.of("OnsMessageTrace", Quota.perSecond(10)), Throttle.Scope.ACCOUNT, now::get);
        assertThat(admitted(throttle, "k", "OnsMessageTrace", 25)).isEqualTo(10);
        now.addAndGet(Duration.ofMillis(300).toNanos()); // 3 tokens back
        assertThat(admitted(throttle, "k", "OnsMessageTrace", 10)).isEqualTo(3);
        now.addAndGet(Duration.ofSeconds(60).toNanos()); // never more than the quota
        assertThat(admitted(throttle, "k", "OnsMessageTrace", 30)).isEqualTo(10);
    }

    @Test
    void aPerMinuteQuotaRefillsOverTheMinute() {
        Throttle throttle = new Throttle(Map.of("OnsTrendTopicInputTps", Quota.perMinute(15)), Throttle.Scope.ACCOUNT, now::get);
        assertThat(admitted(throttle, "k", "OnsTrendTopicInputTps", 20)).isEqualTo(15);
        now.addAndGet(Duration.ofSeconds(4).toNanos()); // 15 per 60 s: one every 4 s
        assertThat(admitted(throttle, "k", "OnsTrendTopicInputTps", 5)).isEqualTo(1);
    }

    @Test
    void keysOfTheAccountShareOneQuotaUnlessScopedPerKey() {
        Map<String, Quota> quotas = Map.of("OnsTopicStatus", Quota.perSecond(1));
        Throttle account = new Throttle(quotas, Throttle.Scope.ACCOUNT, now::get);
        assertThat(admitted(account, "alice", "OnsTopicStatus", 1)).isEqualTo(1);
        assertThat(admitted(account, "bob", "OnsTopicStatus", 1)).isZero();

        Throttle perKey = new Throttle(quotas, Throttle.Scope.ACCESS_KEY, now::get);
        assertThat(admitted(perKey, "alice", "OnsTopicStatus", 2)).isEqualTo(1);
        assertThat(admitted(perKey, "bob", "OnsTopicStatus", 2)).isEqualTo(1);
    }

    @Test
    void otherActionsAreNotSlowedByAnExhaustedOne() {
        Throttle throttle = new Throttle(Map.of("OnsTopicStatus", Quota.perSecond(1), "OnsTopicList", Quota.perSecond(10)),
                Throttle.Scope.ACCOUNT, now::get);
        assertThat(admitted(throttle, "k", "OnsTopicStatus", 5)).isEqualTo(1);
        assertThat(admitted(throttle, "k", "OnsTopicList", 10)).isEqualTo(10);
        assertThat(admitted(throttle, "k", "OnsRegionList", 1000)).isEqualTo(1000); // no quota, no limit
    }

    @Test
    void offNeverThrottles() {
        assertThat(Throttle.off().isOff()).isTrue();
        assertThat(admitted(Throttle.off(), "k", "OnsMessageTrace", 10_000)).isEqualTo(10_000);
    }

    @Test
    void theRefusalSaysWhatWasLimitedAndForWhom() {
        Throttle throttle = new Throttle(Map.of("OnsTopicStatus", Quota.perSecond(1)), Throttle.Scope.ACCESS_KEY, now::get);
        throttle.admit("alice", "OnsTopicStatus");
        assertThatThrownBy(() -> throttle.admit("alice", "OnsTopicStatus"))
                .isInstanceOf(OnsException.class)
                .hasMessageContaining("OnsTopicStatus")
                .hasMessageContaining("1 call per 1 s")
                .hasMessageContaining("AccessKey alice");
    }
}
