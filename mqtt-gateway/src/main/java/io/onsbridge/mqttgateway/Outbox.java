package io.onsbridge.mqttgateway;

import java.util.ArrayDeque;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.CompletableFuture;
import java.util.function.BiConsumer;

/**
 * What is on its way to one device: at most {@code window} QoS 1 messages awaiting PUBACK (by packet id) and
 * at most {@code queued} more waiting for room. Used on the connection's event loop only.
 */
final class Outbox {
    /** A message to write, and what completes when the device has it. */
    record Entry(MqttBackend.Message message, CompletableFuture<Void> done) {
    }

    private final int window;
    private final int queued;
    private final Map<Integer, Entry> inFlight = new LinkedHashMap<>();
    private final Queue<Entry> waiting = new ArrayDeque<>();
    private int nextPacketId = 1;
    private volatile int size;

    Outbox(int window, int queued) {
        this.window = window;
        this.queued = queued;
    }

    /** Whether a message offered now would be written at once. */
    boolean hasRoom() {
        return size < window;
    }

    /** Writes the entry (through {@code writer}, with its packet id; 0 for QoS 0) or queues it; fails it when the queue is full. */
    void offer(Entry entry, BiConsumer<Entry, Integer> writer) {
        if (inFlight.size() < window && waiting.isEmpty()) {
            write(entry, writer);
        } else if (waiting.size() < queued) {
            waiting.add(entry);
        } else {
            entry.done().completeExceptionally(new IllegalStateException("the device's queue is full (" + queued + " messages)"));
        }
        size = inFlight.size() + waiting.size();
    }

    /** The device PUBACKed {@code packetId}: completes its message and writes the next ones that fit. */
    void acked(int packetId, BiConsumer<Entry, Integer> writer) {
        Entry entry = inFlight.remove(packetId);
        if (entry != null) {
            entry.done().complete(null);
        }
        while (inFlight.size() < window && !waiting.isEmpty()) {
            write(waiting.poll(), writer);
        }
        size = inFlight.size() + waiting.size();
    }

    /** The connection closed: nothing more will be acknowledged. */
    void fail(Throwable cause) {
        inFlight.values().forEach(e -> e.done().completeExceptionally(cause));
        waiting.forEach(e -> e.done().completeExceptionally(cause));
        inFlight.clear();
        waiting.clear();
        size = 0;
    }

    private void write(Entry entry, BiConsumer<Entry, Integer> writer) {
        if (entry.message().qos() == 0) {
            writer.accept(entry, 0);
            return;
        }
        int id = nextPacketId();
        inFlight.put(id, entry);
        writer.accept(entry, id);
    }

    private int nextPacketId() {
        while (true) {
            int id = nextPacketId;
            nextPacketId = nextPacketId == 0xFFFF ? 1 : nextPacketId + 1;
            if (!inFlight.containsKey(id)) {
                return id;
            }
        }
    }
}
