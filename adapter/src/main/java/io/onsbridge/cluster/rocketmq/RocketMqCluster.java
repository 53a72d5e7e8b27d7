package io.onsbridge.cluster.rocketmq;

import io.onsbridge.cluster.BrokerSettings;
import io.onsbridge.cluster.Cluster;
import io.onsbridge.cluster.ClusterConsumers;
import io.onsbridge.cluster.ClusterException;
import io.onsbridge.cluster.ClusterGroups;
import io.onsbridge.cluster.ClusterLocks;
import io.onsbridge.cluster.ClusterMessages;
import io.onsbridge.cluster.ClusterMetadata;
import io.onsbridge.cluster.ClusterOffsets;
import io.onsbridge.cluster.ClusterPops;
import io.onsbridge.cluster.ClusterTopics;
import io.onsbridge.cluster.Pending;
import io.onsbridge.tracecollector.TraceCollector;
import io.onsbridge.tracecollector.TraceStore;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.Properties;
import java.util.function.Supplier;
import org.apache.rocketmq.remoting.protocol.subscription.SubscriptionGroupConfig;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@link Cluster} on a RocketMQ cluster reached through its name servers: the one admin client, the
 * message clients, and every concern built on them. Every RocketMQ client is made by one
 * {@link ClientFactory}, which applies the cluster credentials. Start it, use it, close it.
 */
public final class RocketMqCluster implements Cluster, AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(RocketMqCluster.class);

    private final ClientFactory clients;
    private final ClusterAdmin admin;
    private final BrokerMessages messages;
    private final BrokerTopics topics;
    private final BrokerGroups groups;
    private final BrokerConsumers consumers;
    private final BrokerOffsets offsets;
    private final NameServerMetadata metadata;
    private final LockLog locks;
    private final BrokerPops pops;
    private final MasterReconciler reconciler;
    /** Run once a master joined or came back, after the bridge's routes were asked again (the trace collectors'). */
    private final List<Runnable> onMastersChanged = new java.util.concurrent.CopyOnWriteArrayList<>();

    private RocketMqCluster(ClientFactory clients, ClusterAdmin admin, BrokerMessages messages, LockLog locks, long timeoutMillis) {
        this.clients = clients;
        this.admin = admin;
        this.messages = messages;
        this.metadata = new NameServerMetadata(admin);
        Deletions deletions = new Deletions(metadata, Clock.systemUTC());
        this.topics = new BrokerTopics(admin, deletions);
        this.groups = new BrokerGroups(admin, deletions);
        this.consumers = new BrokerConsumers(admin);
        this.offsets = new BrokerOffsets(admin, messages);
        this.locks = locks;
        this.pops = new BrokerPops(clients, admin, timeoutMillis);
        this.reconciler = new MasterReconciler(admin, deletions, this::mastersChanged).start();
    }

    /**
     * Starts the clients; a cluster that is down now is no reason not to start (the clients reconnect).
     *
     * @param namesrvAddr the cluster's name server(s), {@code host:port;host:port}
     */
    public static RocketMqCluster start(String namesrvAddr, ClusterCredentials credentials, long adminTimeoutMillis) {
        ClientFactory clients = new ClientFactory(namesrvAddr, credentials, adminTimeoutMillis);
        ClusterAdmin admin = new ClusterAdmin(clients).start();
        try {
            BrokerMessages messages = new BrokerMessages(admin, clients, adminTimeoutMillis).start();
            try {
                return new RocketMqCluster(clients, admin, messages, new LockLog(admin, clients).start(), adminTimeoutMillis);
            } catch (RuntimeException e) {
                messages.close();
                throw e;
            }
        } catch (RuntimeException e) {
            admin.close();
            throw e;
        }
    }

    /**
     * The trace collector, reading every trace topic in a group of its own. The group is created up front
     * because production brokers do not create subscription groups on first use.
     */
    public TraceCollector startTraceCollector(List<String> traceTopics, Duration replay, Duration queueRefresh, TraceStore store) {
        SubscriptionGroupConfig group = new SubscriptionGroupConfig();
        group.setGroupName(ClusterAdmin.TRACE_COLLECTOR_GROUP);
        try {
            admin.createGroup(admin.masterAddresses(), group);
        } catch (RuntimeException e) {
            log.warn("cannot create the trace collector's group yet; brokers that create groups on first use still serve it", e);
        }
        TraceCollector.Settings settings = new TraceCollector.Settings(clients.namesrvAddr(), clients.rpcHook(),
                ClusterAdmin.TRACE_COLLECTOR_GROUP, traceTopics, replay, queueRefresh);
        TraceCollector collector = new TraceCollector(settings, store, queue -> {
            var broker = admin.brokers().get(queue.getBrokerName());
            String master = broker == null ? null : broker.getBrokerAddrs().get(org.apache.rocketmq.common.MixAll.MASTER_ID);
            if (master != null && admin.suspect(master)) { // rather than wait for its timeout at each lookup
                throw new ClusterException(ClusterException.Reason.UNAVAILABLE, -1, "read the end of " + queue + ": " + master
                        + " did not answer a moment ago", null);
            }
            return admin.call("read the end of " + queue, a -> a.maxOffset(queue));
        }, Clock.systemUTC()).start();
        onMastersChanged.add(collector::lookForNewQueues);
        return collector;
    }

    /**
     * A master joined or came back: the routes the bridge's clients hold are asked again, and each trace collector
     * looks for new trace queues; both would otherwise learn of it at their next periodic look, up to 30 s later.
     */
    private void mastersChanged() {
        try {
            clients.refreshRoutes();
        } finally {
            onMastersChanged.forEach(Runnable::run);
        }
    }

    @Override
    public ClusterTopics topics() {
        return topics;
    }

    @Override
    public ClusterGroups groups() {
        return groups;
    }

    @Override
    public ClusterConsumers consumers() {
        return consumers;
    }

    @Override
    public ClusterOffsets offsets() {
        return offsets;
    }

    @Override
    public ClusterMessages messages() {
        return messages;
    }

    @Override
    public ClusterPops pops() {
        return pops;
    }

    @Override
    public ClusterMetadata metadata() {
        return metadata;
    }

    @Override
    public ClusterLocks locks() {
        return locks;
    }

    @Override
    public <T> Pending<T> meanwhile(Supplier<T> read) {
        return admin.meanwhile(read);
    }

    @Override
    public List<BrokerSettings> brokerSettings() {
        List<BrokerSettings> settings = new ArrayList<>();
        for (String master : admin.masterAddresses()) {
            Properties config = admin.call("read the configuration of broker " + master, a -> a.getBrokerConfig(master));
            // messageStorePlugIn is a comma-separated list of plugins, each wrapping the next
            boolean onsPlugin = Arrays.stream(config.getProperty("messageStorePlugIn", "").split(","))
                    .map(String::trim).anyMatch(BrokerSettings.ONS_PLUGIN_CLASS::equals);
            settings.add(new BrokerSettings(master, onsPlugin, config.getProperty("regionId", ""),
                    Boolean.parseBoolean(config.getProperty("traceOn", "false")), timerPrecision(config.getProperty("timerPrecisionMs"))));
        }
        return settings;
    }

    private static long timerPrecision(String value) {
        try {
            return value == null ? -1 : Long.parseLong(value.trim());
        } catch (NumberFormatException e) {
            return -1; // a broker older than the timer wheel, or a value it would refuse itself
        }
    }

    @Override
    public boolean reachable() {
        return admin.reachable();
    }

    @Override
    public Set<String> suspectMasters() {
        return admin.suspectMasters();
    }

    @Override
    public String namesrvAddr() {
        return clients.namesrvAddr();
    }

    /** The bridge begins to stop: what its clients' shutdown cuts short is not logged as an error (BenignErrors). */
    public void stopping() {
        BenignErrors.clientsStopping();
        admin.stopping();
    }

    @Override
    public void close() {
        reconciler.close();
        pops.close();
        locks.close();
        messages.close();
        admin.close();
    }
}
