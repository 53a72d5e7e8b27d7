package io.onsbridge.domain.mqtt;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class OnlineSnapshotsTest {
    private static OnlineDevice device(String clientId) {
        return new OnlineDevice("I", clientId, "ch-" + clientId, "10.0.0.1:1", 1, 2, List.of());
    }

    @Test
    void eachOtherBridgeCountsWithItsNewestWholeSnapshotWhileValid() {
        List<OnlineSnapshot> parts = List.of(
                new OnlineSnapshot("b1", 1, 0, 1_000, 0, 1, List.of(device("old"))),
                new OnlineSnapshot("b1", 2, 100, 1_100, 0, 2, List.of(device("a"))),
                new OnlineSnapshot("b1", 2, 100, 1_100, 1, 2, List.of(device("b"))),
                new OnlineSnapshot("b1", 3, 200, 1_200, 0, 2, List.of(device("half"))), // part 1 missing: not whole
                new OnlineSnapshot("b2", 7, 100, 500, 0, 1, List.of(device("expired"))),
                new OnlineSnapshot("self", 1, 100, 9_000, 0, 1, List.of(device("mine"))));
        assertThat(OnlineDevices.newestValid(parts, "self", 600).stream().map(OnlineDevice::c)).containsExactly("a", "b");
        assertThat(OnlineDevices.newestValid(parts, "self", 1_100)).isEmpty();
    }

    @Test
    void anEmptyLastSnapshotStopsABridgesDevicesAtOnce() {
        List<OnlineSnapshot> parts = List.of(
                new OnlineSnapshot("b1", 1, 0, 60_000, 0, 1, List.of(device("a"))),
                new OnlineSnapshot("b1", 2, 10, 10, 0, 1, List.of()));
        assertThat(OnlineDevices.newestValid(parts, "self", 20)).isEmpty();
    }

    @Test
    void aDevicesGroupIsItsClientIdBeforeTheSeparator() {
        assertThat(device("GID_a@@@dev").groupId()).isEqualTo("GID_a");
        assertThat(device("plain").groupId()).isEqualTo("plain");
    }
}
