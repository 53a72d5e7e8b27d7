package io.onsbridge.cluster;

import java.util.Map;
import java.util.Set;

/** Topics as the brokers hold them: the truth that mqadmin and the dashboard see too. */
public interface ClusterTopics {
    /** RocketMQ's PermName bits. */
    int PERM_WRITE = 2;
    int PERM_READ = 4;

    /** RocketMQ 5's {@code message.type} topic attribute. */
    enum MessageType { NORMAL, FIFO, DELAY, TRANSACTION }

    /**
     * One master's config of a topic.
     *
     * @param messageType the broker's {@code message.type}; null where the broker keeps none (RocketMQ 4)
     */
    record TopicConfig(String name, int readQueues, int writeQueues, int perm, MessageType messageType) {
    }

    /** Every topic the name servers know, system, retry and dead-letter topics included. */
    Set<String> names();

    /** Every user topic of every master (no system, retry or dead-letter topic): topic to (master address to config). */
    Map<String, Map<String, TopicConfig>> configs();

    /**
     * {@link #configs()} of the topics whose names start with {@code prefix} ({@code ""}: all), sorted by name, as
     * read at most 900 ms ago: a topic created or deleted through another bridge or with mqadmin may stay unseen
     * that long, one written through this bridge is seen at once. For lists: one instance's list costs its own
     * size, not a read of the whole cluster's tables.
     */
    Map<String, Map<String, TopicConfig>> recentConfigs(String prefix);

    /** {@link #names()} as read at most 900 ms ago, as {@link #recentConfigs} reads them. */
    Set<String> recentNames();

    /** One user topic's config on each master that has it, by master address; empty when none has it. */
    Map<String, TopicConfig> config(String topic);

    /**
     * Whether any master has the topic, system topics included, from the masters' whole tables: a broker
     * asked for one topic it lacks logs an error, which suits a mistaken read but would be noise on every create.
     */
    boolean exists(String topic);

    /** The masters' addresses as the name server gives them now: where creates go. */
    Set<String> masters();

    /** Creates (or updates) the topic on each of the masters, read and write; {@code type} may be null. */
    void create(Set<String> masters, String topic, int queuesPerMaster, MessageType type);

    /** Sets the topic's PermName on every master that holds it, keeping its queues and type. */
    void setPerm(String topic, int perm);

    /** Removes the topic from every master (with its consumer offsets) and every name server. */
    void delete(String topic);

    /** Creates one of the bridge's own topics on every master, once, if it is missing. */
    void ensure(String topic, int queuesPerMaster);

    /** The topic's readable queues as its route gives them (what clients rebalance); empty when it has no route. */
    Set<Queue> readableQueues(String topic);
}
