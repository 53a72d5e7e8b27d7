package io.onsbridge.cluster;

import java.util.Set;
import org.apache.rocketmq.common.message.MessageConst;

/** The names of the message properties the domain reads or sets: RocketMQ's own, from {@code MessageConst}. */
public final class MessageProperties {
    public static final String TAGS = MessageConst.PROPERTY_TAGS;
    public static final String KEYS = MessageConst.PROPERTY_KEYS;
    public static final String INSTANCE_ID = MessageConst.PROPERTY_INSTANCE_ID;
    /** The id ONS shows: set by the producer, kept by a message copied elsewhere (a committed half message). */
    public static final String UNIQUE_ID = MessageConst.PROPERTY_UNIQ_CLIENT_MESSAGE_ID_KEYIDX;
    public static final String PRODUCER_GROUP = MessageConst.PROPERTY_PRODUCER_GROUP;
    /** Where a retried or dead message was first sent (with the namespace). */
    public static final String RETRY_TOPIC = MessageConst.PROPERTY_RETRY_TOPIC;
    /** Where a message waiting in a delay, timer or transaction topic is going. */
    public static final String REAL_TOPIC = MessageConst.PROPERTY_REAL_TOPIC;

    /** When a timed message is delivered (ms since the epoch): RocketMQ 5's timer holds it until then. */
    public static final String TIMER_DELIVER_MS = MessageConst.PROPERTY_TIMER_DELIVER_MS;
    /** The sharding key of a partition-ordered message (ONS's name, which RocketMQ 5 shares). */
    public static final String SHARDING_KEY = MessageConst.PROPERTY_SHARDING_KEY;

    /** What the broker adds to a stored, retried or dead message; a resend starts without them. */
    public static final Set<String> BROKER_ADDED = Set.of(MessageConst.PROPERTY_REAL_TOPIC, MessageConst.PROPERTY_REAL_QUEUE_ID,
            MessageConst.PROPERTY_DELAY_TIME_LEVEL, MessageConst.PROPERTY_RECONSUME_TIME, MessageConst.PROPERTY_MAX_RECONSUME_TIMES,
            MessageConst.PROPERTY_CLUSTER, MessageConst.PROPERTY_MSG_REGION, MessageConst.PROPERTY_MIN_OFFSET,
            MessageConst.PROPERTY_MAX_OFFSET, MessageConst.PROPERTY_CONSUME_START_TIMESTAMP, MessageConst.PROPERTY_WAIT_STORE_MSG_OK);

    private MessageProperties() {
    }

    /** A property RocketMQ reserves (tags, keys, ids, timers, ...), as opposed to one an application set. */
    public static boolean isReserved(String name) {
        return MessageConst.STRING_HASH_SET.contains(name);
    }
}
