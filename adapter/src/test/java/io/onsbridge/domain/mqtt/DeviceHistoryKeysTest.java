package io.onsbridge.domain.mqtt;

import static org.assertj.core.api.Assertions.assertThat;

import io.onsbridge.cluster.StoredMessage;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class DeviceHistoryKeysTest {
    @Test
    void aPlainClientIdIsItsOwnKeyWithItsInstance() {
        assertThat(DeviceHistory.key("MQ_INST_1_a", "GID_x@@@dev-1")).isEqualTo("MQ_INST_1_a/GID_x@@@dev-1");
    }

    @Test
    void aClientIdTheIndexCannotTakeAsOneWordIsHashed() {
        String spaced = DeviceHistory.key("I", "GID_x@@@my device");
        assertThat(spaced).startsWith("sha256:").doesNotContain(" ").hasSize(7 + 64);
        assertThat(DeviceHistory.key("I", "GID_x@@@gerät")).startsWith("sha256:");
        assertThat(DeviceHistory.key("I", "x".repeat(300))).startsWith("sha256:");
        assertThat(DeviceHistory.key("I", "GID_x@@@my device")).isEqualTo(spaced).isNotEqualTo(DeviceHistory.key("J", "GID_x@@@my device"));
    }

    @Test
    void belowAFullAnswerEveryBrokerIsWholeDownToTheLatestOfTheirOldestTimes() {
        List<StoredMessage> answered = List.of(at("a", 100), at("a", 90), at("b", 95), at("b", 120));
        assertThat(DeviceHistory.completeDownTo(answered)).isEqualTo(95);
        assertThat(DeviceHistory.completeDownTo(List.of())).isZero();
    }

    @Test
    void eventsOfOneMillisecondKeepTheOrderTheyHappenedIn() {
        DeviceEvent connect = new DeviceEvent(5, "I", "c", "ch", "connect", "accepted", "r", "b", 1);
        DeviceEvent close = new DeviceEvent(5, "I", "c", "ch", "close", "no heart", "r", "b", 2);
        DeviceEvent earlier = new DeviceEvent(4, "I", "c", "ch", "close", "no heart", "r", "z", 9);
        assertThat(List.of(close, connect, earlier).stream().sorted(DeviceEvent.IN_TIME_ORDER).toList())
                .containsExactly(earlier, connect, close);
        assertThat(connect.actionCode()).isEqualTo("mqtt.trace.action.connect");
    }

    private static StoredMessage at(String broker, long storeTime) {
        return new StoredMessage("T", broker, 0, 0, 0, broker + storeTime, "o", "h:1", 0, "s:1", storeTime, 0, 0, 0, 0, new byte[0], Map.of());
    }
}
