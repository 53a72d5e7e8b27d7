package io.onsbridge.mqttgateway;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.BiConsumer;
import org.junit.jupiter.api.Test;

class OutboxTest {
    private final List<Integer> written = new ArrayList<>();
    private final BiConsumer<Outbox.Entry, Integer> writer = (entry, id) -> written.add(id);

    @Test
    void atMostTheWindowAwaitsPubackAndTheRestWaitsItsTurn() {
        Outbox outbox = new Outbox(2, 1);
        CompletableFuture<Void> first = offer(outbox, 1);
        offer(outbox, 1);
        assertThat(outbox.hasRoom()).isFalse();
        CompletableFuture<Void> third = offer(outbox, 1);
        CompletableFuture<Void> overflow = offer(outbox, 1);
        assertThat(written).containsExactly(1, 2);
        assertThat(overflow).isCompletedExceptionally();

        outbox.acked(1, writer);
        assertThat(first).isCompleted();
        assertThat(written).containsExactly(1, 2, 3);
        outbox.acked(3, writer);
        assertThat(third).isCompleted();
        assertThat(outbox.hasRoom()).isTrue();
    }

    @Test
    void qos0IsWrittenWithoutAPacketIdAndAnUnknownAckChangesNothing() {
        Outbox outbox = new Outbox(1, 1);
        offer(outbox, 0);
        outbox.acked(42, writer);
        assertThat(written).containsExactly(0);
        assertThat(outbox.hasRoom()).isTrue();
    }

    @Test
    void aClosedConnectionFailsEverythingOnItsWay() {
        Outbox outbox = new Outbox(1, 5);
        CompletableFuture<Void> inFlight = offer(outbox, 1);
        CompletableFuture<Void> waiting = offer(outbox, 1);
        outbox.fail(new IllegalStateException("closed"));
        assertThat(inFlight).isCompletedExceptionally();
        assertThat(waiting).isCompletedExceptionally();
        assertThat(outbox.hasRoom()).isTrue();
    }

    private CompletableFuture<Void> offer(Outbox outbox, int qos) {
        CompletableFuture<Void> done = new CompletableFuture<>();
        outbox.offer(new Outbox.Entry(new MqttBackend.Message("A/b", qos, new byte[0]), done), writer);
        return done;
    }
}
