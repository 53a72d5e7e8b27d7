package io.onsbridge.cluster.rocketmq;

import com.google.common.util.concurrent.ThreadFactoryBuilder;
import io.onsbridge.cluster.ClusterException;
import io.onsbridge.cluster.Pending;
import java.util.Collections;
import java.util.HashSet;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Function;
import java.util.function.Supplier;
import org.apache.rocketmq.client.exception.MQClientException;
import org.apache.rocketmq.common.MixAll;
import org.apache.rocketmq.common.TopicConfig;
import org.apache.rocketmq.remoting.protocol.admin.TopicStatsTable;
import org.apache.rocketmq.remoting.protocol.body.ClusterInfo;
import org.apache.rocketmq.remoting.protocol.route.BrokerData;
import org.apache.rocketmq.remoting.protocol.subscription.SubscriptionGroupConfig;
import org.apache.rocketmq.tools.admin.DefaultMQAdminExt;

/**
 * The bridge's one long-lived {@link DefaultMQAdminExt}, started and stopped with the cluster, and what
 * every concern of {@link RocketMqCluster} needs of it: every admin call goes through {@link #call}, so
 * every failure leaves as a {@link ClusterException} ({@link ClusterErrors}). The admin client
 * reconnects by itself, so a cluster that comes back is used again without a restart.
 */
final class ClusterAdmin implements AutoCloseable {
    /** The admin client's own consumer group; {@link SystemResources} hides it. */
    static final String ADMIN_GROUP_PREFIX = "ons_bridge_admin_";
    /** The trace collector's consumer group: hidden from group lists like every admin group. */
    static final String TRACE_COLLECTOR_GROUP = ADMIN_GROUP_PREFIX + "trace_collector";
    static final long BROKER_TIMEOUT_MILLIS = 5_000;
    /** Reads of a whole table before a race with the broker's own paging is reported (see {@link #wholeTable}). */
    private static final int WHOLE_TABLE_TRIES = 4;

    private final DefaultMQAdminExt admin;
    private final String namesrvAddr;
    private final OlderBrokers olderBrokers = new OlderBrokers();
    private final ClusterTopology topology = new ClusterTopology();
    /**
     * Where {@link #meanwhile} runs reads: at most 16 at a time (2 per request of 8 concurrent requests is
     * typical); beyond that a read runs on its caller's thread, as it would without this pool.
     */
    private final ThreadPoolExecutor reads = new ThreadPoolExecutor(0, 16, 30, TimeUnit.SECONDS, new SynchronousQueue<>(),
            new ThreadFactoryBuilder().setNameFormat("ons-bridge-cluster-read-%d").setDaemon(true).build(),
            new ThreadPoolExecutor.CallerRunsPolicy());
    /** Where suspect masters are probed: one at a time, never on a caller's thread. */
    private final ExecutorService probes = Executors.newSingleThreadExecutor(
            new ThreadFactoryBuilder().setNameFormat("ons-bridge-master-probe").setDaemon(true).build());
    private final SuspectMasters suspects = new SuspectMasters(this::answers, probes, System::nanoTime);
    private volatile boolean stopping;

    /** What list actions read: the whole tables as of at most {@link RecentTable#KEPT_FOR} ago; writes below forget them. */
    private final RecentTable<NavigableMap<String, Map<String, TopicConfig>>> recentTopics =
            new RecentTable<>(all -> Collections.unmodifiableNavigableMap(topicConfigs()), reads);
    private final RecentTable<NavigableMap<String, SubscriptionGroupConfig>> recentGroups =
            new RecentTable<>(all -> Collections.unmodifiableNavigableMap(groupConfigs()), reads);
    private final RecentTable<Set<String>> recentTopicNames = new RecentTable<>(all -> Set.copyOf(topicNames()), reads);
    private static final String ALL = "";

    ClusterAdmin(ClientFactory clients) {
        this.namesrvAddr = clients.namesrvAddr();
        this.admin = clients.admin(ADMIN_GROUP_PREFIX + UUID.randomUUID().toString().replace("-", ""));
    }

    ClusterAdmin start() {
        try {
            admin.start();
        } catch (MQClientException e) {
            throw new IllegalStateException("cannot start the RocketMQ admin client for " + namesrvAddr, e);
        }
        return this;
    }

    String namesrvAddr() {
        return namesrvAddr;
    }

    /** Every topic the name servers know, system topics included. */
    Set<String> topicNames() {
        return call("list topics", a -> a.fetchAllTopicList().getTopicList());
    }

    /**
     * Addresses of every master broker of every cluster behind the name servers, in a stable order, asked
     * of the name server now: what creates and deletes go to (a broker that joined a moment ago included).
     */
    Set<String> masterAddresses() {
        return suspects.leaveOut(masters(call("read the cluster", DefaultMQAdminExt::examineBrokerClusterInfo)));
    }

    /** {@link #knownMasters()}, empty while no master is registered. */
    Set<String> knownMastersOrNone() {
        return suspects.leaveOut(masters(clusterInfo()));
    }

    /**
     * {@link #masterAddresses()} as of the last second (see {@link ClusterTopology}): what reads go to. None is an
     * outage, not an empty cluster: a read must not answer that nothing exists while no broker is registered.
     */
    private Set<String> knownMasters() {
        Set<String> masters = knownMastersOrNone();
        if (masters.isEmpty()) {
            throw new ClusterException(ClusterException.Reason.UNAVAILABLE, -1,
                    "no master broker is registered with the name server (the cluster is down or starting)", null);
        }
        return masters;
    }

    static Set<String> masters(ClusterInfo info) {
        Set<String> masters = new TreeSet<>();
        for (BrokerData broker : info.getBrokerAddrTable().values()) {
            String master = broker.getBrokerAddrs().get(MixAll.MASTER_ID);
            if (master != null) {
                masters.add(master);
            }
        }
        return masters;
    }

    /** Every broker address, masters and slaves: what a message id may name. */
    Set<String> brokerAddresses() {
        Set<String> addresses = new TreeSet<>();
        clusterInfo().getBrokerAddrTable().values().forEach(b -> addresses.addAll(b.getBrokerAddrs().values()));
        return addresses;
    }

    /**
     * The master of the broker whose name sorts first: a choice every bridge makes alike, for what must live
     * on one broker only. Empty while no master is known.
     */
    Optional<String> firstMaster() {
        return new TreeMap<>(clusterInfo().getBrokerAddrTable()).values().stream()
                .map(broker -> broker.getBrokerAddrs().get(MixAll.MASTER_ID)).filter(Objects::nonNull).findFirst();
    }

    /** {@link #firstMaster()}, passing over the masters that did not answer a moment ago unless every one did not. */
    Optional<String> firstAnsweringMaster() {
        Set<String> serving = masterAddresses();
        return new TreeMap<>(clusterInfo().getBrokerAddrTable()).values().stream()
                .map(broker -> broker.getBrokerAddrs().get(MixAll.MASTER_ID)).filter(serving::contains).findFirst().or(this::firstMaster);
    }

    /** Each broker by name, its addresses by broker id, as of the last second (see {@link ClusterTopology}). */
    Map<String, BrokerData> brokers() {
        return clusterInfo().getBrokerAddrTable();
    }

    /** Broker and cluster names: RocketMQ creates a topic under each of them. */
    Set<String> brokerAndClusterNames() {
        ClusterInfo info = clusterInfo();
        Set<String> names = new HashSet<>(info.getBrokerAddrTable().keySet());
        names.addAll(info.getClusterAddrTable().keySet());
        return names;
    }

    private ClusterInfo clusterInfo() {
        return call("read the cluster", a -> topology.get(a::examineBrokerClusterInfo));
    }

    /** Every subscription group of every master, system groups included. */
    Set<String> groupNames() {
        return groupConfigs().keySet();
    }

    // --- topics and groups as the brokers hold them (the truth the bridge reads back) ---------------

    /** Every topic config of every master: topic to (master address to that master's config). */
    NavigableMap<String, Map<String, TopicConfig>> topicConfigs() {
        NavigableMap<String, Map<String, TopicConfig>> topics = new TreeMap<>();
        onEveryMaster(master -> wholeTable("list topics of " + master, a -> a.getAllTopicConfig(master, BROKER_TIMEOUT_MILLIS)))
                .forEach((master, table) -> table.getTopicConfigTable().values()
                        .forEach(config -> topics.computeIfAbsent(config.getTopicName(), t -> new TreeMap<>()).put(master, config)));
        return topics;
    }

    /**
     * The topic's config on every master that has it (by address; empty when none has it), asked of each
     * master for this one topic: at 10,000 topics a whole table costs tens of milliseconds. Brokers older
     * than 5 cannot answer for one topic; their whole table is read instead.
     */
    Map<String, TopicConfig> topicConfig(String topic) {
        Map<String, TopicConfig> configs = new TreeMap<>();
        onEveryMaster(master -> Optional.ofNullable(topicConfigOn(master, topic))).forEach((master, config) ->
                config.ifPresent(c -> configs.put(master, c)));
        return configs;
    }

    private TopicConfig topicConfigOn(String master, String topic) {
        try {
            return call("read topic " + topic + " on " + master, a -> a.examineTopicConfig(master, topic));
        } catch (ClusterException e) {
            if (e.is(ClusterException.Reason.NOT_SUPPORTED)) {
                return wholeTable("list topics of " + master, a -> a.getAllTopicConfig(master, BROKER_TIMEOUT_MILLIS))
                        .getTopicConfigTable().get(topic);
            }
            if (e.is(ClusterException.Reason.TOPIC_NOT_FOUND)) {
                return null;
            }
            throw e;
        }
    }

    /**
     * One read per master known, all at once (each is a round trip to another broker); by master address. A master
     * that cannot be reached while another answers is left out of the answer, as if it had crashed, and becomes
     * suspect ({@link SuspectMasters}).
     */
    <T> Map<String, T> onEveryMaster(Function<String, T> read) {
        Set<String> masters = knownMasters();
        Map<String, T> results = new TreeMap<>();
        if (masters.size() == 1) {
            masters.forEach(master -> results.put(master, read.apply(master)));
            return results;
        }
        Map<String, Pending<T>> pending = new TreeMap<>();
        masters.forEach(master -> pending.put(master, meanwhile(() -> read.apply(master))));
        ClusterException unreachable = null;
        for (Map.Entry<String, Pending<T>> result : pending.entrySet()) {
            try {
                results.put(result.getKey(), result.getValue().get());
            } catch (ClusterException e) {
                if (!ClusterErrors.noAnswer(e)) {
                    throw e;
                }
                unreachable(result.getKey());
                unreachable = e;
            }
        }
        if (results.isEmpty() && unreachable != null) {
            throw unreachable;
        }
        return results;
    }

    /**
     * {@link #topicConfigs()} of the topics whose names start with {@code prefix} ({@code ""}: all), as read at most
     * {@link RecentTable#KEPT_FOR} ago (this bridge's own writes seen at once): for lists. Not to be changed.
     */
    NavigableMap<String, Map<String, TopicConfig>> recentTopicConfigs(String prefix) {
        return withPrefix(recentTopics.get(ALL), prefix);
    }

    /** {@link #groupConfigs()} of the groups whose names start with {@code prefix}, as {@link #recentTopicConfigs} reads them. */
    NavigableMap<String, SubscriptionGroupConfig> recentGroupConfigs(String prefix) {
        return withPrefix(recentGroups.get(ALL), prefix);
    }

    /** {@link #topicNames()} as read at most {@link RecentTable#KEPT_FOR} ago (this bridge's own writes seen at once). */
    Set<String> recentTopicNames() {
        return recentTopicNames.get(ALL);
    }

    /** The entries whose keys start with {@code prefix}: a range of the sorted map, not a scan of it. */
    static <V> NavigableMap<String, V> withPrefix(NavigableMap<String, V> sorted, String prefix) {
        return prefix.isEmpty() ? sorted : sorted.subMap(prefix, true, prefix + Character.MAX_VALUE, true);
    }

    /** Where background reads run (the same pool as {@link #meanwhile}). */
    Executor background() {
        return reads;
    }

    /** A write of topics, after which lists read the tables again. */
    private void writingTopics(Runnable write) {
        recentTopicNames.writing(ALL, () -> recentTopics.writing(ALL, write));
    }

    void createTopic(Set<String> masters, TopicConfig config) {
        writingTopics(() -> {
            for (String master : masters) {
                onMaster(master, "create topic " + config.getTopicName() + " on " + master, a -> {
                    a.createAndUpdateTopicConfig(master, config);
                    return null;
                });
            }
        });
    }

    /**
     * Removes a topic from every master (with its consumer offsets) and from every name server; see {@link #onEveryMasterAll}.
     *
     * @return the masters it was removed from
     */
    Set<String> deleteTopic(String topic) {
        Set<String> done = new TreeSet<>();
        writingTopics(() -> done.addAll(onEveryMasterAll("delete topic " + topic, (a, master) -> a.deleteTopicInBroker(Set.of(master), topic),
                a -> a.deleteTopicInNameServer(new HashSet<>(a.getNameServerAddressList()), topic))));
        return done;
    }

    /**
     * A removal on every master: one that fails does not stop the others (an undo after a failed create
     * must clean up all it can), then {@code after} runs; the first failure is thrown at the end, but for a master
     * that cannot be reached while others were done: it is left out, as if it had crashed ({@link MasterReconciler}
     * removes the rest once it answers again).
     *
     * @return the masters done
     */
    private Set<String> onEveryMasterAll(String what, MasterWrite onMaster, AdminWrite after) {
        ClusterException first = null;
        ClusterException unreachable = null;
        Set<String> done = new TreeSet<>();
        for (String master : masterAddresses()) {
            try {
                onMaster(master, what + " on " + master, a -> {
                    onMaster.run(a, master);
                    return null;
                });
                done.add(master);
            } catch (ClusterException e) {
                if (ClusterErrors.noAnswer(e)) {
                    unreachable = e;
                } else {
                    first = first == null ? e : first;
                }
            }
        }
        call(what, a -> {
            after.run(a);
            return null;
        });
        if (first == null && done.isEmpty()) {
            first = unreachable;
        }
        if (first != null) {
            throw first;
        }
        return done;
    }

    /** {@link #call} of one master: a master that cannot be reached becomes suspect ({@link SuspectMasters}). */
    private <T> T onMaster(String master, String what, AdminCall<T> call) {
        try {
            return call(what, call);
        } catch (ClusterException e) {
            if (ClusterErrors.noAnswer(e)) {
                unreachable(master);
            }
            throw e;
        }
    }

    /** Whether a master that did not answer a moment ago is left out of what the bridge asks (see {@link SuspectMasters}). */
    boolean isSuspect(String master) {
        return suspects.isSuspect(master);
    }

    /** How many masters are suspect now. */
    Set<String> suspectMasters() {
        return suspects.addresses();
    }

    /** Whether {@code master} is left out now because it did not answer a moment ago. */
    boolean suspect(String master) {
        return suspects.isSuspect(master);
    }

    /** A master that could not be reached, seen by a caller of its own (a pop). */
    void unreachable(String master) {
        if (!stopping) {
            suspects.failed(master); // not while stopping: the clients' shutdown fails what is in flight
        }
    }

    /** The bridge begins to stop: calls its clients' shutdown cuts short no longer make a master suspect. */
    void stopping() {
        stopping = true;
    }

    @FunctionalInterface
    private interface MasterWrite {
        void run(DefaultMQAdminExt admin, String master) throws Exception;
    }

    @FunctionalInterface
    private interface AdminWrite {
        void run(DefaultMQAdminExt admin) throws Exception;
    }

    /**
     * The topic's queue figures from every master that has it (empty when none has), each master asked for
     * them directly (GET_TOPIC_STATS_INFO), all at once, to the masters of the last second (see
     * {@link ClusterTopology}). MQAdminExt's {@code examineTopicStats(topic)} asks the name server for the
     * route first and, after the figures, each broker for the topic's config (to map RocketMQ 5's static
     * topics onto logical queues): three round trips where one does. A static topic, which only mqadmin's
     * {@code updateStaticTopic} makes, is read as its physical queues, as RocketMQ 4 brokers read every topic.
     */
    TopicStatsTable topicStats(String topic) {
        TopicStatsTable all = new TopicStatsTable();
        onEveryMaster(master -> callOrAbsent("read the stats of " + topic + " on " + master, ClusterException.Reason.TOPIC_NOT_FOUND,
                a -> a.examineTopicStats(master, topic)))
                .forEach((master, stats) -> stats.ifPresent(s -> all.getOffsetTable().putAll(s.getOffsetTable())));
        return all;
    }

    /** Whether the named broker runs RocketMQ older than 5 (see {@link OlderBrokers}); remembered per broker. */
    boolean olderThan5(String brokerName) {
        return call("read the version of " + brokerName, a -> olderBrokers.isOlderThan5(a, brokerName));
    }

    /**
     * Every subscription group of every master: group to its config on the first master that has it. Whole
     * tables even for one group: a broker asked for one group it lacks creates it (autoCreateSubscriptionGroup).
     */
    NavigableMap<String, SubscriptionGroupConfig> groupConfigs() {
        NavigableMap<String, SubscriptionGroupConfig> groups = new TreeMap<>();
        onEveryMaster(master -> wholeTable("list groups of " + master, a -> a.getAllSubscriptionGroup(master, BROKER_TIMEOUT_MILLIS)))
                .values().forEach(table -> table.getSubscriptionGroupTable().forEach(groups::putIfAbsent));
        return groups;
    }

    void createGroup(Set<String> masters, SubscriptionGroupConfig config) {
        recentGroups.writing(ALL, () -> {
            for (String master : masters) {
                onMaster(master, "create group " + config.getGroupName() + " on " + master, a -> {
                    a.createAndUpdateSubscriptionGroupConfig(master, config);
                    return null;
                });
            }
        });
    }

    /**
     * Removes a subscription group and its consumer offsets from every master; see {@link #onEveryMasterAll}.
     *
     * @return the masters it was removed from
     */
    Set<String> deleteGroup(String group) {
        Set<String> done = new TreeSet<>();
        recentGroups.writing(ALL, () -> done.addAll(onEveryMasterAll("delete group " + group,
                (a, master) -> a.deleteSubscriptionGroup(master, group, true), a -> { })));
        return done;
    }

    // --- one master at a time (MasterReconciler) --------------------------------------------------------

    /** Each master's whole topic table, by master address then topic: every master of {@code masters} read, or a failure. */
    Map<String, Map<String, TopicConfig>> topicTables(Set<String> masters) {
        return onEach(masters, master -> wholeTable("list topics of " + master,
                a -> a.getAllTopicConfig(master, BROKER_TIMEOUT_MILLIS)).getTopicConfigTable());
    }

    /** Each master's whole group table, by master address then group, as {@link #topicTables} reads topics. */
    Map<String, Map<String, SubscriptionGroupConfig>> groupTables(Set<String> masters) {
        return onEach(masters, master -> wholeTable("list groups of " + master,
                a -> a.getAllSubscriptionGroup(master, BROKER_TIMEOUT_MILLIS)).getSubscriptionGroupTable());
    }

    /** One read per master, one after the other (a background task: no hurry, no pool taken). */
    private static <T> Map<String, T> onEach(Set<String> masters, Function<String, T> read) {
        Map<String, T> results = new TreeMap<>();
        masters.forEach(master -> results.put(master, read.apply(master)));
        return results;
    }

    /** Removes a topic that no other master has from one master, and its route from every name server. */
    void deleteTopicOn(String master, String topic) {
        writingTopics(() -> call("delete topic " + topic + " on " + master, a -> {
            a.deleteTopicInBroker(Set.of(master), topic);
            a.deleteTopicInNameServer(new HashSet<>(a.getNameServerAddressList()), topic);
            return null;
        }));
    }

    /**
     * Removes one master's copy of a topic the others keep: from that broker only, the name servers' route left as it
     * is (the broker's next registration updates it), where {@link #deleteTopicOn} drops the topic's route for all.
     */
    void deleteTopicCopyOn(String master, String topic) {
        writingTopics(() -> call("delete topic " + topic + " on " + master, a -> {
            a.deleteTopicInBroker(Set.of(master), topic);
            return null;
        }));
    }

    /** Removes a subscription group and its consumer offsets from one master. */
    void deleteGroupOn(String master, String group) {
        recentGroups.writing(ALL, () -> call("delete group " + group + " on " + master, a -> {
            a.deleteSubscriptionGroup(master, group, true);
            return null;
        }));
    }

    /** Whether a master answers a call (its configuration, as {@code RocketMqCluster.brokerSettings} reads it). */
    private boolean answers(String master) {
        try {
            admin.getBrokerConfig(master);
            return true;
        } catch (Exception e) {
            return false;
        }
    }

    /** Cheap liveness probe: the name server answers a cluster-info request. */
    boolean reachable() {
        try {
            admin.examineBrokerClusterInfo();
            return true;
        } catch (Exception e) {
            return false;
        }
    }

    /**
     * Starts a read that does not depend on the caller's next reads, so that a request costs its slowest
     * read rather than the sum of them (each is a network round trip to a name server or a broker).
     */
    <T> Pending<T> meanwhile(Supplier<T> read) {
        return new Pending<>(CompletableFuture.supplyAsync(read, reads));
    }

    /**
     * A read of a broker's whole topic or group table, asked again when the broker failed on it with an
     * index out of bounds: RocketMQ 5.5's paged table read sizes a page from the live table and then indexes
     * a copy made afterwards, so a topic or group deleted in between fails the read (seen under
     * {@code bin/bench load}). Under 32 clients writing, two reads 8 ms apart both failed once in 288,595
     * calls, so it is asked up to {@value #WHOLE_TABLE_TRIES} times, a few milliseconds apart.
     */
    private <T> T wholeTable(String what, AdminCall<T> read) {
        for (int attempt = 1; ; attempt++) {
            try {
                return call(what, read);
            } catch (ClusterException e) {
                boolean raced = e.is(ClusterException.Reason.REFUSED) && String.valueOf(e.getMessage()).contains("IndexOutOfBounds");
                if (!raced || attempt == WHOLE_TABLE_TRIES) {
                    throw e;
                }
                LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(ThreadLocalRandom.current().nextLong(1, 1L << attempt * 2)));
            }
        }
    }

    /** Runs one admin call; whatever it throws leaves as a {@link ClusterException}. */
    <T> T call(String what, AdminCall<T> call) {
        try {
            return call.run(admin);
        } catch (Exception e) {
            ClusterException error = ClusterErrors.of(what, e);
            if (error.is(ClusterException.Reason.UNAVAILABLE)) {
                topology.forget(); // a broker gone, or moved: ask the name server again next time
            }
            throw error;
        }
    }

    /** {@link #call}, with the failure for {@code absent} (e.g. a master without the topic) answered as empty. */
    <T> Optional<T> callOrAbsent(String what, ClusterException.Reason absent, AdminCall<T> call) {
        try {
            return Optional.ofNullable(call(what, call));
        } catch (ClusterException e) {
            if (e.is(absent)) {
                return Optional.empty();
            }
            throw e;
        }
    }

    @FunctionalInterface
    interface AdminCall<T> {
        T run(DefaultMQAdminExt admin) throws Exception;
    }

    @Override
    public void close() {
        probes.shutdownNow();
        reads.shutdown();
        admin.shutdown();
    }
}
