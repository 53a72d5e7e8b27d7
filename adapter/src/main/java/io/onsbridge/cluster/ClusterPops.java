package io.onsbridge.cluster;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * RocketMQ 5's pop consumption: a group pops messages of a topic from the brokers; a popped message stays
 * invisible to the group for a while; acked it is done, not acked in time it comes back (with one more
 * reconsume time), and after the group's retry limit it goes to the group's dead-letter topic. The broker
 * keeps the group's progress, so no client needs to stay connected. Calls answer later: a pop may wait on
 * the broker (long polling) and no thread of the caller waits with it.
 */
public interface ClusterPops {
    /**
     * @param topic      the broker's topic name
     * @param tags       a tag expression ({@code *}, {@code A||B})
     * @param max        at most this many messages
     * @param invisible  how long a popped message stays invisible to the group
     * @param poll       how long the broker holds the request when it has nothing (0: answer at once)
     * @param ordered    queue by queue in order: a queue gives nothing more to the group until what it gave is
     *                   acked or invisible no more
     * @param fromStart  a group new to the topic starts at each queue's first message, not at its end: for a topic
     *                   where messages wait for a group that may come later
     * @param traced     each message popped, and its ack, is written to the message trace as a consumption by the
     *                   group (as a traced consumer's hook does), so that the trace actions see it consumed
     */
    record PopRequest(String topic, String group, String tags, int max, Duration invisible, Duration poll, boolean ordered,
                      boolean fromStart, boolean traced) {
    }

    /**
     * @param handle       what acks it: opaque, good until {@code nextVisible}
     * @param popTime      when this pop took it (ms)
     * @param nextVisible  when it becomes visible again unless acked (ms)
     * @param firstPopTime when it was first popped by the group (ms)
     */
    record Popped(StoredMessage message, String handle, long popTime, long nextVisible, long firstPopTime) {
    }

    enum AckOutcome {
        ACKED,
        /** The handle is not one the pop gave out: malformed, or of another topic or group. */
        INVALID,
        /** The message became visible again (or was acked already): the handle is spent. */
        EXPIRED
    }

    /** The messages popped; an empty list when none came within the wait. Fails with a {@link ClusterException}. */
    CompletableFuture<List<Popped>> pop(PopRequest request);

    /** Acks one popped message. Fails with a {@link ClusterException} only when the broker could not be asked. */
    CompletableFuture<AckOutcome> ack(String topic, String group, String handle);

    /**
     * Hides a popped message from the group for {@code invisible} from now on (instead of what its pop asked): it comes
     * back then, with one more reconsume time, unless acked; its handle is spent. Fails like {@link #ack}.
     */
    CompletableFuture<AckOutcome> changeInvisible(String topic, String group, String handle, Duration invisible);
}
