package io.onsbridge.cluster;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/** What the brokers know of consumer groups: who is connected, offsets and backlog, the clients' own reports. */
public interface ClusterConsumers {
    /** "Skip the backlog" for {@link #resetOffsets}: RocketMQ's own "to the end". */
    long TO_END = -1;

    enum MessageModel { CLUSTERING, BROADCASTING }

    /** How a client consumes: pull (active) or pushed to (passive and pop consumers). */
    enum ConsumeType { PUSH, PULL }

    record Client(String clientId, String clientAddr, String language, String version) {
    }

    /** @param expression the subscription expression as the client sent it ({@code *}, {@code A||B}, SQL) */
    record Subscription(String topic, String expression, long version, Set<String> tags) {
    }

    /** The group's online clients and what they subscribe, by topic. */
    record Connections(MessageModel messageModel, ConsumeType consumeType, List<Client> clients, Map<String, Subscription> subscriptions) {
    }

    record QueueOffsets(Queue queue, long brokerOffset, long consumerOffset, long lastTimestamp) {
    }

    /** The group's offsets on every queue of every topic it consumes (its retry topic included). */
    record GroupOffsets(List<QueueOffsets> queues, double consumeTps) {
    }

    record Rates(double okTps, double failedTps, double rt, long failedPerHour) {
    }

    /**
     * What one online client reports about itself.
     *
     * @param heldQueues queues it holds now, with the time it last consumed from each
     * @param rates      per topic it consumes
     */
    record ClientReport(List<Subscription> subscriptions, Map<Queue, Long> heldQueues, Map<String, Rates> rates,
                        Integer threadCount, Long startTimestamp, String jstack) {
    }

    record PushResult(String consumeResult, long spentMillis, String remark) {
    }

    /** A group's state for one message: RocketMQ's TrackType name, and what went wrong if it could not tell. */
    record Track(String group, String type, String exceptionDesc) {
    }

    /** The group's online clients; empty when none is online. */
    Optional<Connections> connections(String group);

    /** The group's offsets; empty when it has none (never consumed, or broadcasting, whose clients keep them). */
    Optional<GroupOffsets> offsets(String group);

    /** One online client's own report; {@code jstack} asks for its threads too. */
    ClientReport report(String group, String clientId, boolean jstack);

    /** Groups that consume the topic now or have consumer offsets on it. */
    Set<String> groupsConsuming(String topic);

    /** Hands a stored message (by its offset id) to one client's listener, as RocketMQ's consume-message-directly. */
    PushResult push(String group, String clientId, String topic, String offsetId);

    /** Moves the group's offsets on the topic to the first message stored at or after the time, or {@link #TO_END}. */
    void resetOffsets(String topic, String group, long timestamp);

    /** Per group consuming the message's topic: consumed, filtered, not yet, offline (RocketMQ's message track). */
    List<Track> track(StoredMessage message);
}
