package io.onsbridge.domain.trace;

import static org.assertj.core.api.Assertions.assertThat;

import io.onsbridge.cluster.ResourceNames;
import io.onsbridge.cluster.StoredMessage;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RecentlyLocatedTest {
    private static final String TOPIC = "MQ_INST_1_abc%Orders";

    private final RecentlyLocated located = new RecentlyLocated();

    @Test
    void aStoredMessageIsKeptWithoutItsBodyForItsTopicOnly() {
        TraceQuery query = query(false, "ID1");
        located.put(query, TOPIC, List.of(new TraceLookup.Located(message("ID1"), null)));

        List<TraceLookup.Located> kept = located.get(query, TOPIC);
        assertThat(kept).singleElement().satisfies(l -> {
            assertThat(l.message().uniqueId()).isEqualTo("ID1");
            assertThat(l.message().body()).isEmpty();
            assertThat(l.message().tags()).isEqualTo("TagA");
        });
        assertThat(located.get(query, "MQ_INST_2_abc%Orders")).isNull();
        assertThat(located.get(query(false, "ID2"), TOPIC)).isNull();
    }

    @Test
    void aMessageStillWaitingInAHoldingTopicOrNothingFoundIsNotKept() {
        TraceQuery waiting = query(false, "ID1");
        located.put(waiting, TOPIC, List.of(new TraceLookup.Located(message("ID1"), ResourceNames.HOLDING_TOPICS.get(0))));
        TraceQuery missing = query(false, "ID2");
        located.put(missing, TOPIC, List.of());

        assertThat(located.get(waiting, TOPIC)).isNull();
        assertThat(located.get(missing, TOPIC)).isNull();
    }

    @Test
    void theMessagesOfAKeyAreKept() {
        TraceQuery query = query(true, "K");
        located.put(query, TOPIC, List.of(new TraceLookup.Located(message("ID1"), null), new TraceLookup.Located(message("ID2"), null)));

        assertThat(located.get(query, TOPIC)).extracting(l -> l.message().uniqueId()).containsExactly("ID1", "ID2");
        assertThat(located.get(query(false, "K"), TOPIC)).isNull();
    }

    private static TraceQuery query(boolean byKey, String value) {
        return new TraceQuery(byKey, "MQ_INST_1_abc", "Orders", value, 0, Long.MAX_VALUE, 0);
    }

    private static StoredMessage message(String id) {
        return new StoredMessage(TOPIC, "broker-a", 0, 1, 100, id, "0A0000010000" + id, "127.0.0.1:5000", 1, "127.0.0.1:10911", 2,
                120, 7, 0, 0, "body".getBytes(StandardCharsets.UTF_8), Map.of("TAGS", "TagA"));
    }
}
