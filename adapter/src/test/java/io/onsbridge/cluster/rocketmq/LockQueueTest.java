package io.onsbridge.cluster.rocketmq;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class LockQueueTest {
    private static final long LEASE = 30_000;

    @Test
    void theFirstQueuedOwnerHoldsUntilItUnlocks() {
        LockQueue a = new LockQueue("MQ_INST_x%Orders", LEASE);
        a.read("MQ_INST_x%Orders", "bridge-1/1", true, 1_000);
        a.read("MQ_INST_x%Orders", "bridge-2/1", true, 1_001);
        assertThat(a.holds("bridge-1/1", 1_002)).isTrue();
        assertThat(a.holds("bridge-2/1", 1_002)).isFalse();
        assertThat(a.first()).isEqualTo("bridge-1/1");
        a.read("MQ_INST_x%Orders", "bridge-1/1", false, 1_050);
        assertThat(a.holds("bridge-2/1", 1_051)).isTrue();
    }

    @Test
    void otherNamesDoNotQueue() {
        LockQueue a = new LockQueue("Orders", LEASE);
        a.read("Payments", "bridge-1/1", true, 1_000);
        a.read("Orders", "bridge-2/1", true, 1_001);
        assertThat(a.holds("bridge-2/1", 1_002)).isTrue();
    }

    @Test
    void aVanishedHolderLosesTheLockAfterTheLeaseButTheCallerNeverLosesItsOwnPlace() {
        LockQueue a = new LockQueue("Orders", LEASE);
        a.read("Orders", "crashed/1", true, 1_000);
        a.read("Orders", "me/1", true, 2_000);
        assertThat(a.holds("me/1", 1_000 + LEASE)).isFalse();
        assertThat(a.holds("me/1", 1_001 + LEASE)).isTrue();
        // Even past its own lease the caller keeps its place (it knows it is alive).
        assertThat(a.holds("me/1", 10 * LEASE)).isTrue();
    }

    @Test
    void anUnlockBeforeItsLockIsNeverReadAndAnOwnerNotQueuedHoldsNothing() {
        LockQueue a = new LockQueue("Orders", LEASE);
        assertThat(a.holds("me/1", 0)).isFalse();
        assertThat(a.first()).isNull();
        a.read("Orders", "me/1", true, 10);
        a.read("Orders", "me/1", true, 20); // a resend of the same entry keeps the first place
        a.read("Orders", "other/1", true, 15);
        assertThat(a.holds("me/1", 30)).isTrue();
    }
}
