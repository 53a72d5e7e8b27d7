package io.onsbridge.tracecollector;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class TraceStoreTest {
    private static String id(int n) {
        return String.format("7F0000010B5C18B4AAC2A4F1%08X", n);
    }

    private static List<TraceEvent> consumedOnce(String msgId, long t) {
        return List.of(
                TraceEvent.pub(msgId, t, "GID_p", "orders", "TagA", "KEY-" + msgId.substring(24), "10.0.0.7", 3, true, 0),
                TraceEvent.subBefore(msgId, t + 40, "GID_c", "10.0.0.8", 0, 12345),
                TraceEvent.subAfter(msgId, t + 45, "GID_c", "10.0.0.8", 5, true, 12345, 0));
    }

    @Test
    void recordsComeBackAsTheyWentIn() {
        TraceStore store = new TraceStore(1 << 20, 1_000);
        List<TraceEvent> events = consumedOnce(id(1), 1_764_000_000_000L);
        store.addAll(events.subList(0, 1));
        store.addAll(events.subList(1, 3)); // records of one message arrive in several batches
        store.addAll(List.of(TraceEvent.endTransaction(id(1), 1_763_999_999_000L, "GID_p", "h", TraceEvent.TxState.COMMIT)));

        assertThat(store.events(id(1))).hasValueSatisfying(list -> {
            assertThat(list.subList(0, 3)).isEqualTo(events);
            assertThat(list.get(3).code()).isEqualTo(TraceEvent.TxState.COMMIT.ordinal());
            assertThat(list.get(3).timestamp()).isEqualTo(1_763_999_999_000L); // negative delta
        });
        assertThat(store.events(id(1).toLowerCase())).isPresent();
        assertThat(store.events(id(2))).isEmpty();
        assertThat(store.size()).isEqualTo(1);
    }

    @Test
    void foreignIdsAndUnicodeSurvive() {
        TraceStore store = new TraceStore(1 << 20, 1_000);
        String ipv6Id = "240E03A1" + "0".repeat(40) + "ABCDEF01";
        TraceEvent pub = TraceEvent.pub(ipv6Id, 5, null, "订单", null, "键 1", "::1", 0, false, 3);
        store.addAll(List.of(pub));
        assertThat(store.events(ipv6Id)).contains(List.of(pub));
    }

    @Test
    void evictsTheOldestMessagesFirstWhenOverEntries() {
        TraceStore store = new TraceStore(1 << 30, 100);
        for (int i = 0; i < 250; i++) {
            store.addAll(consumedOnce(id(i), 1_000L * i));
        }
        assertThat(store.size()).isEqualTo(100);
        assertThat(store.evicted()).isEqualTo(150);
        assertThat(store.events(id(149))).isEmpty();
        assertThat(store.events(id(150))).isPresent();
        assertThat(store.events(id(249))).isPresent();
    }

    @Test
    void staysWithinItsByteBudget() {
        long budget = 64 * 1024;
        TraceStore store = new TraceStore(budget, Integer.MAX_VALUE);
        for (int i = 0; i < 10_000; i++) {
            store.addAll(consumedOnce(id(i), 1_000L * i));
        }
        assertThat(store.bytes()).isLessThanOrEqualTo(budget);
        assertThat(store.size()).isBetween(200, 1_000);
        assertThat(store.events(id(9_999))).isPresent();
        // a message consumed once costs its map entry plus ~50 bytes of records
        assertThat((double) store.bytes() / store.size()).isLessThan(TraceStore.ENTRY_OVERHEAD + 80);
    }

    @Test
    void aFullStringTableStoresNamesInline() {
        StringTable table = new StringTable(2, 1_000);
        TraceCodec codec = new TraceCodec(table);
        TraceEvent pub = TraceEvent.pub(id(1), 1, "g1", "t1", "tag", "k", "h1", 1, true, 0);
        byte[] data = codec.append(null, pub);
        assertThat(table.size()).isEqualTo(2);
        assertThat(codec.decode(id(1), data)).containsExactly(pub);
    }
}
