package io.onsbridge.cluster.rocketmq;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class SuspectMastersTest {
    private final AtomicLong now = new AtomicLong(1_000_000_000L);
    private final List<String> probed = new ArrayList<>();
    private final List<Runnable> queued = new ArrayList<>();
    private boolean answering;
    private final SuspectMasters suspects = new SuspectMasters(master -> {
        probed.add(master);
        return answering;
    }, queued::add, now::get);

    private void runProbes() {
        List<Runnable> due = new ArrayList<>(queued);
        queued.clear();
        due.forEach(Runnable::run);
    }

    @Test
    void aMasterThatFailedIsLeftOutUntilAProbeItAnswersAndProbesAreSpaced() {
        Set<String> masters = Set.of("a", "b");
        assertThat(suspects.leaveOut(masters)).isEqualTo(masters);

        suspects.failed("b");
        assertThat(suspects.isSuspect("b")).isTrue();
        assertThat(suspects.leaveOut(masters)).containsExactly("a");
        assertThat(queued).as("not probed at once: it just failed").isEmpty();

        now.addAndGet(SuspectMasters.PROBE_EVERY_NANOS);
        assertThat(suspects.leaveOut(masters)).containsExactly("a");
        assertThat(suspects.leaveOut(masters)).containsExactly("a");
        assertThat(queued).as("one probe at a time").hasSize(1);
        runProbes();
        assertThat(probed).containsExactly("b");
        assertThat(suspects.leaveOut(masters)).containsExactly("a");
        assertThat(queued).as("the next probe waits its turn").isEmpty();

        answering = true;
        now.addAndGet(SuspectMasters.PROBE_EVERY_NANOS);
        suspects.leaveOut(masters);
        runProbes();
        assertThat(suspects.isSuspect("b")).isFalse();
        assertThat(suspects.leaveOut(masters)).isEqualTo(masters);
    }

    @Test
    void whenEveryMasterIsSuspectNoneIsLeftOutAndAMasterGoneIsForgotten() {
        suspects.failed("a");
        suspects.failed("b");
        assertThat(suspects.leaveOut(Set.of("a", "b"))).containsExactlyInAnyOrder("a", "b");

        assertThat(suspects.leaveOut(Set.of("a"))).containsExactly("a");
        assertThat(suspects.isSuspect("b")).as("gone from the name server").isFalse();
        assertThat(suspects.isSuspect("a")).isTrue();
    }
}
