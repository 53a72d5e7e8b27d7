package io.onsbridge.cluster;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/** Reading and writing messages: the brokers' index, reading a queue from an offset, sending. */
public interface ClusterMessages {
    /** Messages read from a queue, and the offset the next read starts at (past skipped ones too). */
    record Batch(List<StoredMessage> messages, long next) {
    }

    /** By either kind of message id: the client's unique id first, then the broker's offset id. */
    Optional<StoredMessage> byId(String topic, String id);

    /** By the client-generated unique id only; the newest copy when one id was stored more than once. */
    Optional<StoredMessage> byUniqueId(String topic, String id);

    /**
     * {@link #byUniqueId} without a thread waiting for the brokers, and held to the topic: completes on the RocketMQ
     * client's callback thread (a continuation must not block), or with a {@link ClusterException}.
     */
    CompletableFuture<Optional<StoredMessage>> byUniqueIdAsync(String topic, String id);

    /** Every message whose KEYS contain the key (the broker's key index), newest first, at most 64. */
    List<StoredMessage> byKey(String topic, String key);

    /** Messages of a key stored within a time range, and whether that is all of them. */
    record Keyed(List<StoredMessage> messages, boolean complete) {
    }

    /**
     * The brokers' key index keeps a message's store time to the second (counted from its index file's
     * start): a range finds a message stored at {@code t} when it holds that time rounded down, which is in
     * {@code (t - 1000, t]}.
     */
    long KEY_INDEX_GRAIN_MILLIS = 1_000;

    /**
     * Messages whose KEYS contain the key, stored in {@code [storedFrom, storedTo]} as the index tells time
     * ({@link #KEY_INDEX_GRAIN_MILLIS}), newest first. A broker answers at most 64 of them, its newest:
     * {@code complete} is false when one may have held more, and an earlier range then finds the rest.
     */
    Keyed byKey(String topic, String key, long storedFrom, long storedTo);

    /** {@link #byKey(String, String)} in each of the topics, asked at once: by topic, in the order given. */
    Map<String, List<StoredMessage>> byKey(List<String> topics, String key);

    /** {@link #byKey(List, String)} without a thread waiting for the brokers, as {@link #byUniqueIdAsync}. */
    CompletableFuture<Map<String, List<StoredMessage>>> byKeyAsync(List<String> topics, String key);

    /** Up to {@code max} messages of the queue from {@code offset} on; empty past the end. */
    List<StoredMessage> read(Queue queue, long offset, int max);

    /** Up to {@code max} messages with the tag ({@code *}: any) from {@code offset} on, filtered by the broker. */
    Batch read(Queue queue, String tag, long offset, int max);

    /**
     * {@link #read(Queue, String, long, int)} of any tag, held by the broker until a message arrives past
     * {@code offset} (a long poll, as consumers pull: empty after about 20 s of nothing). Completes on a client
     * thread, which a continuation must not block, or with a {@link ClusterException}.
     */
    CompletableFuture<Batch> readWhenArrives(Queue queue, long offset, int max);

    /** Sends with message trace on, like any traced application; answers the message id. */
    String send(OutgoingMessage message);

    /** Sends with trace off: the bridge's own records, which are no one's traffic. */
    String sendUntraced(OutgoingMessage message);

    /**
     * {@link #send} without a thread waiting for the broker: completes with the message id once the broker stored
     * the message, or with a {@link ClusterException} (on the RocketMQ client's callback thread: a caller's
     * continuation must not block). Messages sent one after another may be stored in another order (other queues);
     * plain ones (no timer, delay, sharding key) sent while earlier ones of their topic are in flight go together.
     */
    CompletableFuture<String> sendAsync(OutgoingMessage message);

    /**
     * Messages {@link #sendAsync} stored as part of a batch so far: while earlier sends of a topic are in flight, the
     * plain messages sent to it meanwhile go together in one request, each stored and traced as if sent alone.
     */
    long sentInBatches();

    /** {@link #sendUntraced} without a thread waiting for the broker, as {@link #sendAsync}. */
    CompletableFuture<String> sendUntracedAsync(OutgoingMessage message);

    /**
     * Several untraced messages of one topic (none delayed, none ordered) in one request, stored together in one queue
     * (each with its own tag, keys and properties, as if sent one by one), as {@link #sendUntracedAsync}: the bridge's own
     * records written a burst at a time, one round trip instead of one per record.
     */
    CompletableFuture<Void> sendUntracedAsync(List<OutgoingMessage> messages);
}
