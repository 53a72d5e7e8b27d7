package io.onsbridge.cluster.rocketmq;

import io.onsbridge.cluster.ClusterException;
import io.onsbridge.cluster.ClusterMessages;
import io.onsbridge.cluster.MessageProperties;
import io.onsbridge.cluster.OutgoingMessage;
import io.onsbridge.cluster.Queue;
import io.onsbridge.cluster.StoredMessage;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import org.apache.rocketmq.client.consumer.DefaultMQPullConsumer;
import org.apache.rocketmq.client.consumer.PullCallback;
import org.apache.rocketmq.client.consumer.PullResult;
import org.apache.rocketmq.client.consumer.PullStatus;
import org.apache.rocketmq.client.exception.MQClientException;
import org.apache.rocketmq.client.producer.DefaultMQProducer;
import org.apache.rocketmq.client.producer.MessageQueueSelector;
import org.apache.rocketmq.client.producer.SendCallback;
import org.apache.rocketmq.client.producer.SendResult;
import org.apache.rocketmq.common.message.Message;
import org.apache.rocketmq.common.message.MessageAccessor;
import org.apache.rocketmq.common.message.MessageConst;
import org.apache.rocketmq.common.message.MessageDecoder;
import org.apache.rocketmq.common.message.MessageExt;
import org.apache.rocketmq.common.message.MessageId;

/**
 * Reading and writing messages on the cluster: lookups by id and key on the brokers' index, reading a
 * queue from an offset (a pull consumer that never commits), and sending (one producer with message
 * trace on, so sends made through the API are traced like any other, and one with it off for the
 * bridge's own records).
 */
final class BrokerMessages implements ClusterMessages, AutoCloseable {
    /** Hidden from group lists by {@link SystemResources}: it starts with the admin prefix. */
    static final String READER_GROUP = ClusterAdmin.ADMIN_GROUP_PREFIX + "reader";
    private static final String PRODUCER_GROUP = "ons_bridge_sender";
    private static final String WRITER_GROUP = "ons_bridge_writer";
    private static final int INDEX_MAX_RESULTS = 64;

    private final ClusterAdmin cluster;
    private final DefaultMQPullConsumer reader;
    private final DefaultMQProducer sender;
    private final DefaultMQProducer writer;
    private final IndexQueries index;
    private final SendBatches batches;

    BrokerMessages(ClusterAdmin cluster, ClientFactory clients, long timeoutMillis) {
        this.cluster = cluster;
        this.index = new IndexQueries(clients, cluster, timeoutMillis);
        this.reader = clients.reader(READER_GROUP);
        this.sender = clients.producer(PRODUCER_GROUP, true);
        this.writer = clients.producer(WRITER_GROUP, false);
        this.batches = new SendBatches(sender, writer, message -> sendAsync(sender, message, null), ClusterErrors::of);
    }

    BrokerMessages start() {
        try {
            reader.start();
            sender.start();
            writer.start();
        } catch (MQClientException e) {
            close();
            throw new IllegalStateException("cannot start the message clients for " + cluster.namesrvAddr(), e);
        }
        return this;
    }

    // --- lookups on the broker's index --------------------------------------------------------------

    @Override
    public Optional<StoredMessage> byId(String topic, String id) {
        Optional<MessageExt> unique;
        try {
            unique = uniqueIdLookup(topic, id);
        } catch (ClusterException e) {
            if (!e.is(ClusterException.Reason.UNAVAILABLE)) {
                throw e;
            }
            // A master that did not answer may hold it under that unique id; an offset id names its broker.
            Optional<MessageExt> byOffset = byOffsetId(topic, id);
            if (byOffset.isEmpty()) {
                throw e;
            }
            unique = byOffset;
        }
        return unique.or(() -> byOffsetId(topic, id)).map(Values::stored);
    }

    @Override
    public Optional<StoredMessage> byUniqueId(String topic, String id) {
        return uniqueIdLookup(topic, id).map(Values::stored);
    }

    @Override
    public CompletableFuture<Optional<StoredMessage>> byUniqueIdAsync(String topic, String id) {
        return index.queryAsync(List.of(topic), id, true, INDEX_MAX_RESULTS)
                .thenApply(found -> found.get(topic).stream().max(Comparator.comparingLong(MessageExt::getStoreTimestamp)).map(Values::stored));
    }

    /**
     * Through {@link IndexQueries}, not {@code MQAdminExt.queryMessageByUniqKey}: that one waits for a master that
     * hangs, then answers "no message" for one held there, where the id may well be found once it answers again.
     */
    private Optional<MessageExt> uniqueIdLookup(String topic, String id) {
        // One id can be stored more than once (a dead letter resent and failed again): the newest wins.
        return index.query(List.of(topic), id, true, INDEX_MAX_RESULTS).get(topic).stream()
                .max(Comparator.comparingLong(MessageExt::getStoreTimestamp));
    }

    /**
     * By the broker's offset id (store host + commit log offset). Only ids that name one of the cluster's
     * own brokers are followed, so an arbitrary id never makes the bridge connect to an arbitrary host.
     */
    private Optional<MessageExt> byOffsetId(String topic, String id) {
        MessageId decoded;
        try {
            decoded = MessageDecoder.decodeMessageId(id);
        } catch (RuntimeException | java.net.UnknownHostException e) {
            return Optional.empty(); // not an offset id at all: a unique id nobody stored
        }
        if (!(decoded.getAddress() instanceof InetSocketAddress address)
                || !cluster.brokerAddresses().contains(address.getAddress().getHostAddress() + ":" + address.getPort())) {
            return Optional.empty();
        }
        String broker = address.getAddress().getHostAddress() + ":" + address.getPort();
        if (cluster.suspect(broker)) { // rather than wait for its timeout again
            throw new ClusterException(ClusterException.Reason.UNAVAILABLE, -1, "read message " + id + ": its broker " + broker
                    + " did not answer a moment ago", null);
        }
        MessageExt message;
        try {
            message = cluster.call("read message " + id, a -> a.viewMessage(topic, id));
        } catch (ClusterException e) {
            if (e.is(ClusterException.Reason.UNAVAILABLE) || e.is(ClusterException.Reason.BUSY) || e.is(ClusterException.Reason.FORBIDDEN)) {
                throw e;
            }
            return Optional.empty(); // the broker has no message at that offset
        }
        if (message != null && !topic.equals(message.getTopic())
                && topic.equals(message.getProperty(MessageConst.PROPERTY_REAL_TOPIC)) && Values.uniqueId(message) != null) {
            // A delayed message: the offset id its send returned names the copy that waited in the timer's
            // topic; the copy delivered to the topic has the same unique id.
            return uniqueIdLookup(topic, Values.uniqueId(message));
        }
        return message != null && topic.equals(message.getTopic()) ? Optional.of(message) : Optional.empty();
    }

    @Override
    public List<StoredMessage> byKey(String topic, String key) {
        return byKey(List.of(topic), key).get(topic);
    }

    @Override
    public Map<String, List<StoredMessage>> byKey(List<String> topics, String key) {
        // every topic's request sent before any answer is awaited (IndexQueries): one round trip, no pool thread
        return newestFirst(index.query(topics, key, false, INDEX_MAX_RESULTS));
    }

    @Override
    public CompletableFuture<Map<String, List<StoredMessage>>> byKeyAsync(List<String> topics, String key) {
        return index.queryAsync(topics, key, false, INDEX_MAX_RESULTS).thenApply(BrokerMessages::newestFirst);
    }

    private static Map<String, List<StoredMessage>> newestFirst(Map<String, List<MessageExt>> byTopic) {
        Map<String, List<StoredMessage>> found = new LinkedHashMap<>();
        byTopic.forEach((topic, messages) -> found.put(topic, newestFirst(messages)));
        return found;
    }

    @Override
    public Keyed byKey(String topic, String key, long storedFrom, long storedTo) {
        boolean[] full = new boolean[1];
        List<MessageExt> found = index.query(topic, key, INDEX_MAX_RESULTS, storedFrom, storedTo, full);
        return new Keyed(newestFirst(found), !full[0]);
    }

    /** One message per unique id (a key's index can hold a message twice), newest first. */
    private static List<StoredMessage> newestFirst(List<MessageExt> messages) {
        Map<String, MessageExt> unique = new LinkedHashMap<>();
        for (MessageExt message : messages) {
            unique.putIfAbsent(Values.uniqueId(message), message);
        }
        List<MessageExt> found = new ArrayList<>(unique.values());
        found.sort((a, b) -> Long.compare(b.getStoreTimestamp(), a.getStoreTimestamp()));
        return found.stream().map(Values::stored).toList();
    }

    // --- reading queues -----------------------------------------------------------------------------

    @Override
    public List<StoredMessage> read(Queue queue, long offset, int max) {
        return read(queue, "*", offset, max).messages();
    }

    @Override
    public Batch read(Queue queue, String tag, long offset, int max) {
        return batch(cluster.call("read " + queue + " at " + offset, a -> reader.pull(Values.messageQueue(queue), tag, offset, max)));
    }

    @Override
    public CompletableFuture<Batch> readWhenArrives(Queue queue, long offset, int max) {
        String what = "read " + queue + " at " + offset;
        CompletableFuture<Batch> answer = new CompletableFuture<>();
        try {
            reader.pullBlockIfNotFound(Values.messageQueue(queue), "*", offset, max, new PullCallback() {
                @Override
                public void onSuccess(PullResult result) {
                    answer.complete(batch(result));
                }

                @Override
                public void onException(Throwable e) {
                    answer.completeExceptionally(ClusterErrors.of(what, e instanceof Exception x ? x : new IllegalStateException(e)));
                }
            });
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            answer.completeExceptionally(ClusterErrors.of(what, e));
        } catch (Exception e) {
            answer.completeExceptionally(ClusterErrors.of(what, e));
        }
        return answer;
    }

    private static Batch batch(PullResult result) {
        List<StoredMessage> found = result.getPullStatus() == PullStatus.FOUND
                ? result.getMsgFoundList().stream().map(Values::stored).toList() : List.of();
        return new Batch(found, result.getNextBeginOffset());
    }

    // --- sending ------------------------------------------------------------------------------------

    @Override
    public String send(OutgoingMessage message) {
        return send(sender, message);
    }

    @Override
    public String sendUntraced(OutgoingMessage message) {
        return send(writer, message);
    }

    @Override
    public CompletableFuture<String> sendAsync(OutgoingMessage outgoing) {
        Message message = message(outgoing);
        return SendBatches.batchable(message) ? batches.send(message)
                : sendAsync(sender, message, outgoing.properties().get(MessageProperties.SHARDING_KEY));
    }

    @Override
    public long sentInBatches() {
        return batches.batched();
    }

    @Override
    public CompletableFuture<String> sendUntracedAsync(OutgoingMessage outgoing) {
        return sendAsync(writer, message(outgoing), outgoing.properties().get(MessageProperties.SHARDING_KEY));
    }

    @Override
    public CompletableFuture<Void> sendUntracedAsync(List<OutgoingMessage> outgoing) {
        if (outgoing.isEmpty()) {
            return CompletableFuture.completedFuture(null);
        }
        List<Message> messages = outgoing.stream().map(BrokerMessages::message).toList();
        String what = "send " + messages.size() + " messages to " + outgoing.get(0).topic();
        CompletableFuture<Void> stored = new CompletableFuture<>();
        try {
            writer.send(messages, new SendCallback() {
                @Override
                public void onSuccess(SendResult result) {
                    stored.complete(null);
                }

                @Override
                public void onException(Throwable e) {
                    stored.completeExceptionally(ClusterErrors.of(what, e instanceof Exception exception ? exception : new RuntimeException(e)));
                }
            });
        } catch (Exception e) {
            stored.completeExceptionally(ClusterErrors.of(what, e));
        }
        return stored;
    }

    /**
     * An asynchronous send, made once more when its master did not answer: the producer then avoids that master for a
     * while (RocketMQ's {@code sendLatencyFaultEnable}, on for the bridge's producers), and the message keeps its id. A
     * message with a sharding key keeps its queue: it is not sent elsewhere.
     */
    private static CompletableFuture<String> sendAsync(DefaultMQProducer producer, Message message, String shardingKey) {
        CompletableFuture<String> first = sendOnce(producer, message, shardingKey);
        if (shardingKey != null) {
            return first;
        }
        return first.exceptionallyCompose(e -> {
            Throwable cause = e instanceof CompletionException && e.getCause() != null ? e.getCause() : e;
            return cause instanceof ClusterException c && c.is(ClusterException.Reason.UNAVAILABLE)
                    ? sendOnce(producer, message, null) : CompletableFuture.failedFuture(cause);
        });
    }

    private static CompletableFuture<String> sendOnce(DefaultMQProducer producer, Message message, String shardingKey) {
        String what = "send to " + message.getTopic();
        CompletableFuture<String> stored = new CompletableFuture<>();
        SendCallback callback = new SendCallback() {
            @Override
            public void onSuccess(SendResult result) {
                stored.complete(result.getMsgId());
            }

            @Override
            public void onException(Throwable e) {
                stored.completeExceptionally(ClusterErrors.of(what, e instanceof Exception exception ? exception : new RuntimeException(e)));
            }
        };
        try {
            if (shardingKey != null) {
                producer.send(message, BY_SHARDING_KEY, shardingKey, callback);
            } else {
                producer.send(message, callback);
            }
        } catch (Exception e) {
            stored.completeExceptionally(ClusterErrors.of(what, e));
        }
        return stored;
    }

    /** A partition-ordered message: one key, one queue (while the topic's queues stay as they are). */
    private static final MessageQueueSelector BY_SHARDING_KEY = (queues, sent, key) -> queues.get(Math.floorMod(key.hashCode(), queues.size()));

    private String send(DefaultMQProducer producer, OutgoingMessage outgoing) {
        Message message = message(outgoing);
        String shardingKey = outgoing.properties().get(MessageProperties.SHARDING_KEY);
        if (shardingKey != null) {
            return cluster.call("send to " + outgoing.topic(), a -> producer.send(message, BY_SHARDING_KEY, shardingKey)).getMsgId();
        }
        return cluster.call("send to " + outgoing.topic(), a -> producer.send(message)).getMsgId();
    }

    private static Message message(OutgoingMessage outgoing) {
        Message message = new Message(outgoing.topic(), outgoing.tags(), outgoing.keys(), outgoing.body());
        message.setFlag(outgoing.flag());
        outgoing.properties().forEach((name, value) -> MessageAccessor.putProperty(message, name, value));
        return message;
    }

    @Override
    public void close() {
        index.close();
        writer.shutdown();
        sender.shutdown();
        reader.shutdown();
    }
}
