package io.onsbridge.domain.alarm;

import static org.assertj.core.api.Assertions.assertThat;

import io.onsbridge.domain.alarm.AlarmState.Notice;
import java.util.List;
import org.junit.jupiter.api.Test;

class AlarmStateTest {
    private static final long MINUTE = 60_000;

    private static AlarmRule rule(long threshold, long delayMinutes, long blockMinutes, long alertMinutes) {
        return new AlarmRule("I", "GID_a", "T", "I%GID_a", "I%T", threshold, delayMinutes, blockMinutes, alertMinutes, "WARN", null, 0);
    }

    @Test
    void firesOnceWhenTheBacklogPassesTheThresholdRepeatsPerAlertWindowAndResolves() {
        AlarmRule rule = rule(10, 0, 0, 5);
        AlarmState state = AlarmState.initial(0, 0);
        AlarmState.Step step = state.next(rule, 10, 0, 0, 1_000);
        assertThat(step.notice()).isEqualTo(Notice.NONE); // at the threshold is not past it
        step = step.next().next(rule, 11, 0, 0, 2_000);
        assertThat(step.notice()).isEqualTo(Notice.FIRING);
        assertThat(step.next().reason()).contains("backlog 11");
        step = step.next().next(rule, 50, 0, 0, 2_000 + 4 * MINUTE);
        assertThat(step.notice()).isEqualTo(Notice.NONE);
        step = step.next().next(rule, 50, 0, 0, 2_000 + 5 * MINUTE);
        assertThat(step.notice()).isEqualTo(Notice.FIRING);
        step = step.next().next(rule, 3, 0, 47, 2_000 + 6 * MINUTE);
        assertThat(step.notice()).isEqualTo(Notice.RESOLVED);
        assertThat(step.next().firing()).isFalse();
        assertThat(step.next().next(rule, 0, 0, 50, 2_000 + 7 * MINUTE).notice()).isEqualTo(Notice.NONE);
    }

    @Test
    void delayFiresFromItsMinutes() {
        AlarmRule rule = rule(0, 2, 0, 30);
        AlarmState state = AlarmState.initial(0, 0);
        assertThat(state.next(rule, 1, 2 * MINUTE - 1, 0, 1).notice()).isEqualTo(Notice.NONE);
        assertThat(state.next(rule, 1, 2 * MINUTE, 0, 1).notice()).isEqualTo(Notice.FIRING);
    }

    @Test
    void blockFiresWhenABacklogSeesNoProgressForItsMinutes() {
        AlarmRule rule = rule(0, 0, 3, 30);
        AlarmState state = AlarmState.initial(100, 0);
        for (long t : List.of(MINUTE, 2 * MINUTE)) {
            AlarmState.Step step = state.next(rule, 5, 0, 100, t);
            assertThat(step.notice()).isEqualTo(Notice.NONE);
            state = step.next();
        }
        AlarmState.Step progressed = state.next(rule, 5, 0, 101, 3 * MINUTE);
        assertThat(progressed.notice()).isEqualTo(Notice.NONE);
        assertThat(progressed.next().next(rule, 5, 0, 101, 6 * MINUTE).notice()).isEqualTo(Notice.FIRING);
    }

    @Test
    void onlyAllowedHttpUrlsAreTargets() {
        List<String> prefixes = AlarmNotifier.prefixes(" http://127.0.0.1:, ,https://hooks.example.com/ ");
        assertThat(prefixes).containsExactly("http://127.0.0.1:", "https://hooks.example.com/");
        assertThat(AlarmNotifier.allowed("http://127.0.0.1:8080/x", prefixes)).isTrue();
        assertThat(AlarmNotifier.allowed("https://hooks.example.com/a", prefixes)).isTrue();
        assertThat(AlarmNotifier.allowed("http://127.0.0.1.evil.com/", prefixes)).isFalse();
        assertThat(AlarmNotifier.allowed("ftp://127.0.0.1:21/", List.of("ftp://"))).isFalse();
        assertThat(AlarmNotifier.allowed("http://127.0.0.1:8080/x", AlarmNotifier.prefixes(null))).isFalse();
    }
}
