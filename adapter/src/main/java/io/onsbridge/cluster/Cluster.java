package io.onsbridge.cluster;

import java.util.List;
import java.util.Set;
import java.util.function.Supplier;

/**
 * The RocketMQ cluster as the domain sees it, one interface per concern, in RocketMQ's own terms (broker
 * topic and group names with their namespace, queues, offsets) and ONS-neutral: nothing here knows of
 * instances, actions or wire formats. {@code cluster.rocketmq.RocketMqCluster} is the implementation, the
 * only place with RocketMQ's clients.
 */
public interface Cluster {
    ClusterTopics topics();

    ClusterGroups groups();

    ClusterConsumers consumers();

    ClusterOffsets offsets();

    ClusterMessages messages();

    /** Pop consumption: the MQ HTTP protocol's consume and ack. */
    ClusterPops pops();

    ClusterMetadata metadata();

    ClusterLocks locks();

    /**
     * Starts a read that does not depend on the caller's next reads, so that a request costs its slowest
     * read rather than the sum of them (each is a network round trip to a name server or a broker).
     */
    <T> Pending<T> meanwhile(Supplier<T> read);

    /** Every master's {@link BrokerSettings}, asked of the brokers (their configuration, one call each). */
    List<BrokerSettings> brokerSettings();

    /** Cheap liveness probe: the name server answers. */
    boolean reachable();

    /** Addresses of the masters left out now because they did not answer a moment ago (a hung broker); no cluster call. */
    Set<String> suspectMasters();

    /** The name server address(es) the bridge uses, {@code host:port;host:port}. */
    String namesrvAddr();
}
