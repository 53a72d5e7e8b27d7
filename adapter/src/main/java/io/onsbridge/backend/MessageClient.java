package io.onsbridge.backend;

import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import org.apache.rocketmq.client.QueryResult;
import org.apache.rocketmq.client.consumer.DefaultMQPullConsumer;
import org.apache.rocketmq.client.consumer.PullResult;
import org.apache.rocketmq.client.consumer.PullStatus;
import org.apache.rocketmq.client.exception.MQClientException;
import org.apache.rocketmq.client.producer.DefaultMQProducer;
import org.apache.rocketmq.client.producer.SendResult;
import org.apache.rocketmq.common.message.Message;
import org.apache.rocketmq.common.message.MessageConst;
import org.apache.rocketmq.common.message.MessageDecoder;
import org.apache.rocketmq.common.message.MessageExt;
import org.apache.rocketmq.common.message.MessageId;
import org.apache.rocketmq.common.message.MessageQueue;
import org.apache.rocketmq.remoting.RPCHook;
import org.apache.rocketmq.remoting.protocol.ResponseCode;
import org.apache.rocketmq.tools.admin.api.MessageTrack;
import org.apache.rocketmq.tools.admin.api.TrackType;

/**
 * Reading and writing messages on the cluster: lookups by id and key on the brokers' index, reading a
 * queue from an offset (a pull consumer that never commits), finding offsets by store time, and
 * sending (a producer with message trace on, so sends made through the API are traced like any other).
 */
public final class MessageClient implements AutoCloseable {
    /** Hidden from group lists by {@link SystemResources}: it starts with the admin prefix. */
    static final String READER_GROUP = ClusterAdmin.ADMIN_GROUP_PREFIX + "reader";
    private static final String PRODUCER_GROUP = "ons_bridge_sender";
    private static final int INDEX_MAX_RESULTS = 64;

    private final ClusterAdmin cluster;
    private final DefaultMQPullConsumer reader;
    private final DefaultMQProducer sender;

    public MessageClient(ClusterAdmin cluster, RPCHook rpcHook) {
        this.cluster = cluster;
        String instanceName = "ons-bridge-messages-" + UUID.randomUUID();
        this.reader = new DefaultMQPullConsumer(READER_GROUP, rpcHook);
        reader.setNamesrvAddr(cluster.namesrvAddr());
        reader.setInstanceName(instanceName);
        this.sender = new DefaultMQProducer(null, PRODUCER_GROUP, rpcHook, true, null);
        sender.setNamesrvAddr(cluster.namesrvAddr());
        sender.setInstanceName(instanceName);
    }

    public MessageClient start() {
        try {
            reader.start();
            sender.start();
        } catch (MQClientException e) {
            throw new IllegalStateException("cannot start the message clients for " + cluster.namesrvAddr(), e);
        }
        return this;
    }

    // --- lookups on the broker's index --------------------------------------------------------------

    /** By either kind of message id: the client's unique id first, then the broker's offset id. */
    public Optional<MessageExt> byId(String brokerTopic, String id) {
        return byUniqueId(brokerTopic, id).or(() -> byOffsetId(brokerTopic, id));
    }

    /** By the client-generated unique id (UNIQ_KEY), the id SendResult and ONS show. */
    public Optional<MessageExt> byUniqueId(String brokerTopic, String id) {
        QueryResult result = query(brokerTopic, id, true);
        // One id can be stored more than once (a dead letter resent and failed again): the newest wins.
        return result.getMessageList().stream().filter(m -> id.equals(uniqueId(m)))
                .max(java.util.Comparator.comparingLong(MessageExt::getStoreTimestamp));
    }

    /**
     * By the broker's offset id (store host + commit log offset). Only ids that name one of the cluster's
     * own brokers are followed, so an arbitrary id never makes the bridge connect to an arbitrary host.
     */
    public Optional<MessageExt> byOffsetId(String brokerTopic, String id) {
        MessageId decoded;
        try {
            decoded = MessageDecoder.decodeMessageId(id);
        } catch (Exception e) {
            return Optional.empty();
        }
        if (!(decoded.getAddress() instanceof InetSocketAddress address)
                || !cluster.brokerAddresses().contains(address.getAddress().getHostAddress() + ":" + address.getPort())) {
            return Optional.empty();
        }
        try {
            MessageExt message = cluster.call("read message " + id, a -> a.viewMessage(brokerTopic, id));
            if (message != null && !brokerTopic.equals(message.getTopic())
                    && brokerTopic.equals(message.getProperty(MessageConst.PROPERTY_REAL_TOPIC)) && uniqueId(message) != null) {
                // A delayed message: the offset id its send returned names the copy that waited in the timer's
                // topic; the copy delivered to the topic has the same unique id.
                return byUniqueId(brokerTopic, uniqueId(message));
            }
            return message != null && brokerTopic.equals(message.getTopic()) ? Optional.of(message) : Optional.empty();
        } catch (ClusterException e) {
            if (e.kind() == ClusterException.Kind.REJECTED) {
                return Optional.empty(); // the broker has no message at that offset
            }
            throw e;
        }
    }

    /** Every message whose KEYS contain the key (RocketMQ's key index), newest first, at most 64. */
    public List<MessageExt> byKey(String brokerTopic, String key) {
        Map<String, MessageExt> unique = new LinkedHashMap<>();
        for (MessageExt message : query(brokerTopic, key, false).getMessageList()) {
            unique.putIfAbsent(uniqueId(message), message);
        }
        List<MessageExt> found = new ArrayList<>(unique.values());
        found.sort((a, b) -> Long.compare(b.getStoreTimestamp(), a.getStoreTimestamp()));
        return found;
    }

    private QueryResult query(String brokerTopic, String key, boolean uniqueKey) {
        try {
            if (uniqueKey) {
                return cluster.call("find message " + key, a -> a.getDefaultMQAdminExtImpl()
                        .queryMessageByUniqKey(null, brokerTopic, key, INDEX_MAX_RESULTS, 0, Long.MAX_VALUE));
            }
            return cluster.call("find messages with key " + key, a -> a.queryMessage(brokerTopic, key, INDEX_MAX_RESULTS, 0, Long.MAX_VALUE));
        } catch (ClusterException e) {
            if (e.kind() == ClusterException.Kind.REJECTED && (e.responseCode() == ResponseCode.NO_MESSAGE || e.responseCode() <= 1)) {
                return new QueryResult(0, List.of()); // "query message by key finished, but no message"
            }
            throw e;
        }
    }

    /** The id ONS shows: UNIQ_KEY where the producer set one, else the broker's offset id. */
    public static String uniqueId(MessageExt message) {
        String unique = message.getProperty(MessageConst.PROPERTY_UNIQ_CLIENT_MESSAGE_ID_KEYIDX);
        return unique != null ? unique : offsetId(message);
    }

    public static String offsetId(MessageExt message) {
        return MessageDecoder.createMessageId(message.getStoreHost(), message.getCommitLogOffset());
    }

    // --- reading queues -----------------------------------------------------------------------------

    /** The topic's queues on every broker, in a stable order; none for a topic that does not exist. */
    public List<MessageQueue> queues(String brokerTopic) {
        try {
            Set<MessageQueue> queues = new TreeSet<>(cluster.topicStats(brokerTopic).getOffsetTable().keySet());
            return new ArrayList<>(queues);
        } catch (ClusterException e) {
            if (e.kind() == ClusterException.Kind.REJECTED && e.responseCode() == ResponseCode.TOPIC_NOT_EXIST) {
                return List.of(); // e.g. a group's DLQ topic, which the broker creates with the first dead letter
            }
            throw e;
        }
    }

    /** The first offset of the queue whose message was stored at or after {@code timestamp}. */
    public long offsetAt(MessageQueue queue, long timestamp) {
        long offset = cluster.call("search " + queue + " by time", a -> a.searchOffset(queue, timestamp));
        if (!cluster.olderThan5(queue.getBrokerName())) {
            return offset;
        }
        // RocketMQ 4 answers with the message nearest to the time, which may be the last one before it.
        List<MessageExt> at = read(queue, offset, 1);
        return !at.isEmpty() && at.get(0).getQueueOffset() == offset && at.get(0).getStoreTimestamp() < timestamp ? offset + 1 : offset;
    }

    /** Up to {@code max} messages of the queue from {@code offset} on; empty past the end. */
    public List<MessageExt> read(MessageQueue queue, long offset, int max) {
        return read(queue, "*", offset, max).messages();
    }

    /** Messages read from a queue, and the offset the next read starts at (past skipped ones too). */
    public record Batch(List<MessageExt> messages, long next) {
    }

    /**
     * Up to {@code max} messages with the tag from {@code offset} on. The broker filters by tag, so other
     * messages cost no transfer; {@code next} moves past them even when none matched.
     */
    public Batch read(MessageQueue queue, String tag, long offset, int max) {
        PullResult result = cluster.call("read " + queue + " at " + offset, a -> reader.pull(queue, tag, offset, max));
        return new Batch(result.getPullStatus() == PullStatus.FOUND ? result.getMsgFoundList() : List.of(), result.getNextBeginOffset());
    }

    // --- consumption state and sending --------------------------------------------------------------

    /** Per consumer group of the topic: consumed, filtered, not yet, offline (RocketMQ's message track). */
    public List<MessageTrack> track(MessageExt message) {
        List<MessageTrack> tracks = cluster.call("track message " + uniqueId(message), a -> a.messageTrackDetail(message));
        for (MessageTrack track : tracks) {
            // UNKNOWN without a description: the client's consumed-check was refused, as RocketMQ 4 refuses the
            // GET_TOPIC_CONFIG it makes for online groups; decide it again from figures any broker gives.
            if (track.getTrackType() == TrackType.UNKNOWN && track.getExceptionDesc() == null) {
                try {
                    boolean consumed = OlderBrokers.consumed(cluster, message, track.getConsumerGroup());
                    track.setTrackType(consumed ? filteredOrConsumed(track.getConsumerGroup(), message) : TrackType.NOT_CONSUME_YET);
                } catch (ClusterException e) {
                    track.setExceptionDesc(e.getMessage());
                }
            }
        }
        return tracks;
    }

    /** CONSUMED_BUT_FILTERED when the group's subscription to the topic does not take the message's tag. */
    private TrackType filteredOrConsumed(String group, MessageExt message) {
        var subscription = cluster.consumers().connection(group).map(c -> c.getSubscriptionTable().get(message.getTopic()));
        if (subscription.isEmpty() || subscription.get().getTagsSet().isEmpty() || subscription.get().getTagsSet().contains("*")
                || subscription.get().getTagsSet().contains(message.getTags())) {
            return TrackType.CONSUMED;
        }
        return TrackType.CONSUMED_BUT_FILTERED;
    }

    public SendResult send(String brokerTopic, String tags, String keys, byte[] body) {
        return send(new Message(brokerTopic, tags, keys, body));
    }

    public SendResult send(Message message) {
        return cluster.call("send to " + message.getTopic(), a -> sender.send(message));
    }

    @Override
    public void close() {
        sender.shutdown();
        reader.shutdown();
    }
}
