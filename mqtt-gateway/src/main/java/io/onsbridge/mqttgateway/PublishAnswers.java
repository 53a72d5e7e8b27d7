package io.onsbridge.mqttgateway;

import java.util.ArrayDeque;
import java.util.Queue;

/**
 * A connection's PUBLISHes whose store is under way, in the order they arrived: stores complete in any order
 * (several are in flight at once), but MQTT wants PUBACKs in the order of the PUBLISHes, so an answer is given
 * only once every earlier one was. Used on the connection's event loop only.
 */
final class PublishAnswers {
    /** One PUBLISH: its QoS and packet id, and once stored, whether it failed. */
    static final class Pending {
        final int qos;
        final int packetId;
        private boolean stored;
        private Throwable failure;

        private Pending(int qos, int packetId) {
            this.qos = qos;
            this.packetId = packetId;
        }

        /** The backend answered: {@code failure} is null when the message was stored. */
        void stored(Throwable failure) {
            this.stored = true;
            this.failure = failure;
        }
    }

    /** How a PUBLISH is answered (PUBACK, a v5 negative PUBACK, or a close). */
    @FunctionalInterface
    interface Answer {
        void answer(int qos, int packetId, Throwable failure);
    }

    private final Queue<Pending> pending = new ArrayDeque<>();

    Pending add(int qos, int packetId) {
        Pending p = new Pending(qos, packetId);
        pending.add(p);
        return p;
    }

    /** Answers the stored PUBLISHes at the head, in arrival order, up to the first one still being stored. */
    void answerReady(Answer answer) {
        while (!pending.isEmpty() && pending.peek().stored) {
            Pending p = pending.poll();
            answer.answer(p.qos, p.packetId, p.failure);
        }
    }

    /** PUBLISHes whose store is under way or whose answer waits for an earlier one. */
    int size() {
        return pending.size();
    }

    /** The connection closed: nothing more is answered. */
    void clear() {
        pending.clear();
    }
}
