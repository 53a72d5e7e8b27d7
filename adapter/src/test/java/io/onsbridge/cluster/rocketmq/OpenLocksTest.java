package io.onsbridge.cluster.rocketmq;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class OpenLocksTest {
    private static final long LEASE = 30_000;
    private final OpenLocks open = new OpenLocks(LEASE);

    @Test
    void theFirstQueuedOwnerHoldsUntilItUnlocks() {
        open.read("MQ_INST_x%Orders", "bridge-1/1", true, 1_000);
        open.read("MQ_INST_x%Orders", "bridge-2/1", true, 1_001);
        assertThat(open.holds("MQ_INST_x%Orders", "bridge-1/1", 1_002)).isTrue();
        assertThat(open.holds("MQ_INST_x%Orders", "bridge-2/1", 1_002)).isFalse();
        assertThat(open.holder("MQ_INST_x%Orders")).isEqualTo("bridge-1/1");
        open.read("MQ_INST_x%Orders", "bridge-1/1", false, 1_050);
        assertThat(open.holds("MQ_INST_x%Orders", "bridge-2/1", 1_051)).isTrue();
    }

    @Test
    void namesQueueApart() {
        open.read("Payments", "bridge-1/1", true, 1_000);
        open.read("Orders", "bridge-2/1", true, 1_001);
        assertThat(open.holds("Orders", "bridge-2/1", 1_002)).isTrue();
        assertThat(open.holds("Payments", "bridge-1/1", 1_002)).isTrue();
    }

    @Test
    void aVanishedHolderLosesTheLockAfterTheLeaseButTheCallerNeverLosesItsOwnPlace() {
        open.read("Orders", "crashed/1", true, 1_000);
        open.read("Orders", "me/1", true, 2_000);
        assertThat(open.holds("Orders", "me/1", 1_000 + LEASE)).isFalse();
        assertThat(open.holds("Orders", "me/1", 1_001 + LEASE)).isTrue();
        assertThat(open.holds("Orders", "me/1", 10 * LEASE)).isTrue();
    }

    @Test
    void anOwnerNotQueuedHoldsNothingAndARepeatedEntryKeepsItsPlace() {
        assertThat(open.holds("Orders", "me/1", 0)).isFalse();
        assertThat(open.holder("Orders")).isNull();
        open.read("Orders", "me/1", true, 10);
        open.read("Orders", "other/1", true, 15);
        open.read("Orders", "me/1", true, 20);
        assertThat(open.holds("Orders", "me/1", 30)).isTrue();
        open.read("Orders", null, true, 40); // an entry not written by a bridge
        assertThat(open.openLocks()).isEqualTo(2);
    }

    @Test
    void onlyOpenLocksAreKept() {
        for (int i = 0; i < 10_000; i++) {
            open.read("Topic_" + i, "b/" + i, true, i);
            open.read("Topic_" + i, "b/" + i, false, i);
        }
        assertThat(open.openLocks()).isZero();
        // Entries of vanished bridges are swept as later entries are read.
        for (int i = 0; i < 5_000; i++) {
            open.read("Crashed_" + i, "gone/" + i, true, i);
        }
        for (int i = 0; i < 2_048; i++) {
            open.read("Later", "b/" + i, true, 10 * LEASE);
            open.read("Later", "b/" + i, false, 10 * LEASE);
        }
        assertThat(open.openLocks()).isZero();
    }
}
