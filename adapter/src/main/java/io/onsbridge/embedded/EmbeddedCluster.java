package io.onsbridge.embedded;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import org.apache.rocketmq.auth.config.AuthConfig;
import org.apache.rocketmq.broker.BrokerController;
import org.apache.rocketmq.common.BrokerConfig;
import org.apache.rocketmq.common.MQVersion;
import io.onsbridge.brokerplugin.OnsMessageStore;
import io.onsbridge.cluster.rocketmq.PromptStop;
import org.apache.rocketmq.common.MixAll;
import org.apache.rocketmq.common.TopicConfig;
import org.apache.rocketmq.common.constant.PermName;
import org.apache.rocketmq.common.namesrv.NamesrvConfig;
import org.apache.rocketmq.namesrv.NamesrvController;
import org.apache.rocketmq.remoting.netty.NettyClientConfig;
import org.apache.rocketmq.remoting.netty.NettyServerConfig;
import org.apache.rocketmq.remoting.protocol.RemotingCommand;
import org.apache.rocketmq.store.config.MessageStoreConfig;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A real RocketMQ name server and broker in this JVM, on loopback, with their store under one directory,
 * tuned small for a laptop or CI machine (64 MB commit log files, small index, TLS off).
 * It is only a launcher: the bridge talks to it over the network exactly as to an external cluster.
 * A second start on the same directory finds every topic, group, offset, message and KV entry again.
 */
public final class EmbeddedCluster implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(EmbeddedCluster.class);
    public static final String CLUSTER_NAME = "DefaultCluster";
    private static final String BROKER_NAMES = "abcdefgh";
    private static final String LOOPBACK = "127.0.0.1";
    /**
     * The timer precision of a new store: a timed message comes at most this much after its time plus the broker's
     * hand-over (RocketMQ's default, 1000 ms, made it up to 1.5 s; docs/broker-plugin.md has the measurements and
     * the cost). A store whose timers were written with another precision keeps its own: the broker plugin sees to it
     * (StoreTimerPrecision), since the wheel's slots depend on it.
     */
    public static final int NEW_STORE_TIMER_PRECISION_MS = 100;
    /** ons-client writes its trace records to this topic + the region the broker reports (InnerTraceProducer). */
    public static final String ONS_CLIENT_TRACE_TOPIC_PREFIX = "rmq_sys_TRACE_DATA_";

    private final NamesrvController namesrv;
    private final List<BrokerController> brokers;
    private final int namesrvPort;
    private final List<Integer> brokerPorts;

    private EmbeddedCluster(NamesrvController namesrv, List<BrokerController> brokers, int namesrvPort, List<Integer> brokerPorts) {
        this.namesrv = namesrv;
        this.brokers = brokers;
        this.namesrvPort = namesrvPort;
        this.brokerPorts = brokerPorts;
    }

    public static Builder builder(Path root) {
        return new Builder(root);
    }

    public String namesrvAddr() {
        return LOOPBACK + ":" + namesrvPort;
    }

    /** The first master's address. */
    public String brokerAddr() {
        return brokerAddrs().get(0);
    }

    /** Every master's address, broker-a first. */
    public List<String> brokerAddrs() {
        return brokerPorts.stream().map(port -> LOOPBACK + ":" + port).toList();
    }

    /** The timer precision the first broker runs with: its store's own, else the one a new store gets. */
    public int timerPrecisionMs() {
        return brokers.get(0).getMessageStoreConfig().getTimerPrecisionMs();
    }

    /** Stops the brokers, all at once, then the name server; a broker's own shutdown takes several seconds. */
    @Override
    public void close() {
        stop(namesrv, brokers);
    }

    /** What {@link #close()} does, also for a cluster that did not finish starting (see {@link PromptStop}). */
    private static void stop(NamesrvController namesrv, List<BrokerController> brokers) {
        PromptStop.run(() -> {
            // A revive service idle at the stop waits out 4 s of empty polls first; told that it should not revive
            // (what a slave is told), it ends at its next poll. Its scan resumes at the next start from its last offset.
            brokers.forEach(b -> b.getAckMessageProcessor().setPopReviveServiceStatus(false));
            List<Thread> stopping = brokers.stream().map(b -> new Thread(b::shutdown, "stop-" + b.getBrokerConfig().getBrokerName())).toList();
            stopping.forEach(Thread::start);
            for (Thread broker : stopping) {
                try {
                    broker.join();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            namesrv.shutdown();
        }, () -> {
            List<Object> remotings = new ArrayList<>();
            brokers.forEach(b -> {
                remotings.add(b.getRemotingServer());
                remotings.add(b.getFastRemotingServer());
                remotings.add(b.getBrokerOuterAPI().getRemotingClient());
            });
            remotings.add(namesrv.getRemotingServer());
            remotings.add(namesrv.getRemotingClient());
            return remotings;
        });
    }

    public static final class Builder {
        private final Path root;
        private int namesrvPort = 9876;
        private int brokerPort = 10911;
        private String delayLevels;
        private int masters = 1;
        private String region = "cn-hangzhou";
        private int timerPrecisionMs = NEW_STORE_TIMER_PRECISION_MS;

        private Builder(Path root) {
            this.root = root.toAbsolutePath();
        }

        /** 0 picks a free port. */
        public Builder namesrvPort(int port) {
            this.namesrvPort = port;
            return this;
        }

        /** The broker also binds this port - 2 (its fast channel) and + 1 (HA); 0 picks three free ones. */
        public Builder brokerPort(int port) {
            this.brokerPort = port;
            return this;
        }

        /** Masters of the cluster, broker-a, broker-b, ...: 1 by default; more to test what spans brokers. */
        public Builder masters(int count) {
            if (count < 1 || count > BROKER_NAMES.length()) {
                throw new IllegalArgumentException("1 to " + BROKER_NAMES.length() + " masters");
            }
            this.masters = count;
            return this;
        }

        /**
         * The region the brokers report in every send answer (BrokerConfig regionId): the bridge's, so that ONS's
         * own clients write their message traces (they write none for Apache's "DefaultRegion"), to topic
         * {@code rmq_sys_TRACE_DATA_<region>} (docs/trace.md).
         */
        public Builder region(String regionId) {
            this.region = regionId;
            return this;
        }

        /** The timer precision for a store without timers yet (RocketMQ rounds to 100, 200, 500 or 1000 ms). */
        public Builder timerPrecisionMs(int precisionMs) {
            this.timerPrecisionMs = precisionMs;
            return this;
        }

        /** RocketMQ's messageDelayLevel, e.g. eighteen "1s" for tests of retries and dead letters. */
        public Builder messageDelayLevels(String levels) {
            this.delayLevels = levels;
            return this;
        }

        public EmbeddedCluster start() throws IOException, InterruptedException {
            prepareJvm(root);
            int nsPort = namesrvPort == 0 ? freePort() : namesrvPort;
            long begin = System.nanoTime();

            NamesrvConfig nc = new NamesrvConfig();
            nc.setRocketmqHome(root.toString());
            nc.setKvConfigPath(root.resolve("namesrv/kvConfig.json").toString());
            nc.setConfigStorePath(root.resolve("namesrv/namesrv.properties").toString());
            NettyServerConfig ns = new NettyServerConfig();
            ns.setBindAddress(LOOPBACK);
            ns.setListenPort(nsPort);
            NamesrvController namesrv = new NamesrvController(nc, ns, new NettyClientConfig());
            if (!namesrv.initialize()) {
                throw new IllegalStateException("the embedded name server did not initialise (port " + nsPort + " in use?)");
            }
            try {
                namesrv.start();
            } catch (Exception e) {
                namesrv.shutdown();
                throw new IllegalStateException("the embedded name server did not start on port " + nsPort, e);
            }

            List<BrokerController> brokers = new ArrayList<>();
            List<Integer> ports = new ArrayList<>();
            try {
                for (int i = 0; i < masters; i++) {
                    int bPort = i == 0 && brokerPort != 0 ? brokerPort : freeBrokerPort();
                    // The first broker keeps the store directory that single-broker data dirs always had.
                    String name = "broker-" + BROKER_NAMES.charAt(i);
                    brokers.add(startBroker(nsPort, bPort, name, root.resolve(i == 0 ? "store" : "store-" + BROKER_NAMES.charAt(i))));
                    ports.add(bPort);
                }
            } catch (RuntimeException | IOException e) {
                stop(namesrv, brokers);
                throw e;
            }
            EmbeddedCluster cluster = new EmbeddedCluster(namesrv, brokers, nsPort, ports);
            cluster.awaitRegistration(Duration.ofSeconds(30));
            log.info("embedded RocketMQ ready in {} ms: name server {}, brokers {}", (System.nanoTime() - begin) / 1_000_000,
                    cluster.namesrvAddr(), cluster.brokerAddrs());
            return cluster;
        }

        /**
         * Pools sized for a broker on the bridge's own host rather than a broker machine: RocketMQ's defaults
         * (32 threads to manage consumers, 32 for client heartbeats, 20 for pulls, …) start a thread per task
         * until the pool is full, so under load the JVM's thread count rose for minutes (docs/operations.md,
         * "Threads"). The admin pool stays at 16: the bridge reads at most that many at once.
         */
        private static void sizeForOneHost(BrokerConfig bc) {
            bc.setPullMessageThreadPoolNums(8);
            bc.setLitePullMessageThreadPoolNums(4);
            bc.setQueryMessageThreadPoolNums(4);
            bc.setClientManageThreadPoolNums(4);
            bc.setConsumerManageThreadPoolNums(4);
            bc.setLoadBalanceProcessorThreadPoolNums(4);
            bc.setRecoverThreadPoolNums(4);
            // RocketMQ 5.5.0's TransactionMetricsFlushService spins without waiting until its first flush, one
            // interval after the broker starts: 10 s of a whole core by default (apache/rocketmq#10515, fixed in
            // 5.5.1). A 1 s interval spins 1 s and then writes the transaction counts' small file once a second.
            bc.setTransactionMetricFlushInterval(1_000);
        }

        private BrokerController startBroker(int nsPort, int bPort, String brokerName, Path store) throws IOException {
            Files.createDirectories(store.resolve("config"));
            BrokerConfig bc = new BrokerConfig();
            bc.setRocketmqHome(root.toString());
            bc.setBrokerName(brokerName);
            bc.setBrokerClusterName(CLUSTER_NAME);
            bc.setBrokerId(MixAll.MASTER_ID);
            // The default is the host's NIC address; clients must reach the broker on loopback.
            bc.setBrokerIP1(LOOPBACK);
            bc.setBrokerIP2(LOOPBACK);
            bc.setNamesrvAddr(LOOPBACK + ":" + nsPort);
            bc.setTraceTopicEnable(true);
            // ons-client traces only when the send answer says trace on and a region other than DefaultRegion.
            bc.setRegionId(region);
            bc.setTraceOn(true);
            bc.setAutoCreateTopicEnable(true);
            bc.setAutoCreateSubscriptionGroup(true);
            sizeForOneHost(bc);
            // ONS's message conventions on the broker, e.g. __STARTDELIVERTIME as a timer delivery (docs/broker-plugin.md).
            bc.setMessageStorePlugIn(OnsMessageStore.class.getName());
            NettyServerConfig bs = new NettyServerConfig();
            bs.setBindAddress(LOOPBACK);
            bs.setListenPort(bPort);
            MessageStoreConfig ms = new MessageStoreConfig();
            ms.setStorePathRootDir(store.toString());
            ms.setStorePathCommitLog(store.resolve("commitlog").toString());
            ms.setHaListenPort(bPort + 1);
            ms.setMappedFileSizeCommitLog(64 << 20);
            ms.setMappedFileSizeConsumeQueue(30_000 * 20);
            ms.setMaxHashSlotNum(50_000);
            ms.setMaxIndexNum(200_000);
            // The timer wheel costs ~150 MB of memory, but RocketMQ 5.5.0 needs it: deleting a topic without
            // it fails with an NPE (AdminBrokerProcessor.deleteTopicInBroker reads its metrics), and ONS
            // delay messages at an arbitrary time (DELAY topics) are timer messages.
            ms.setTimerWheelEnable(true);
            // Its flush compares the whole wheel (~38 MB) byte by byte, every second by default: 17% of the
            // samples of a profile of bin/bench admin. Every 10 s here; a crash recovers it from the timer log.
            ms.setTimerFlushIntervalMs(10_000);
            // The plugin puts back the store's own precision if its timers were written with another.
            ms.setTimerPrecisionMs(timerPrecisionMs);
            int newStorePrecision = ms.getTimerPrecisionMs(); // as RocketMQ rounded it
            if (delayLevels != null) {
                ms.setMessageDelayLevel(delayLevels);
            }
            AuthConfig ac = new AuthConfig();
            ac.setConfigName(brokerName);
            ac.setClusterName(CLUSTER_NAME);
            ac.setAuthConfigPath(store.resolve("config").toString());
            BrokerController broker = new BrokerController(bc, bs, new NettyClientConfig(), ms, ac);
            boolean initialized;
            try {
                initialized = broker.initialize();
            } catch (CloneNotSupportedException e) {
                throw new IllegalStateException("the embedded broker did not initialise", e);
            }
            if (!initialized) {
                broker.shutdown();
                throw new IllegalStateException("the embedded broker did not initialise (store " + store + ", ports in use?)");
            }
            log.info("{}: timer precision {} ms{}", brokerName, ms.getTimerPrecisionMs(), ms.getTimerPrecisionMs() == newStorePrecision
                    ? "" : ", its store's own, which the broker plugin keeps (a new store gets " + newStorePrecision + " ms)");
            // Where ONS's own clients write their traces. Made now, as the broker makes RMQ_SYS_TRACE_TOPIC, so
            // that their first records do not wait for the topic's auto-creation and the collector's next look.
            broker.getTopicConfigManager().updateTopicConfig(
                    new TopicConfig(ONS_CLIENT_TRACE_TOPIC_PREFIX + region, 4, 4, PermName.PERM_READ | PermName.PERM_WRITE));
            try {
                broker.start();
            } catch (Exception e) {
                broker.shutdown();
                throw new IllegalStateException("the embedded broker did not start on port " + bPort, e);
            }
            return broker;
        }
    }

    /**
     * The broker's first registration, inside start(), often races the name server and waits ~10 s for
     * the next scheduled one; registering again while polling makes the cluster ready in 2-3 s.
     */
    private void awaitRegistration(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (namesrv.getRouteInfoManager().getAllClusterInfo().getBrokerAddrTable().size() < brokers.size()) {
            if (System.nanoTime() > deadline) {
                close();
                throw new IllegalStateException("the embedded brokers did not register with the name server within " + timeout);
            }
            brokers.forEach(broker -> broker.registerBrokerAll(true, false, true));
            Thread.sleep(200);
        }
    }

    /** JVM-wide settings RocketMQ reads once; set before its classes initialise, unless the user set them. */
    private static void prepareJvm(Path root) throws IOException {
        Files.createDirectories(root);
        System.setProperty(MixAll.ROCKETMQ_HOME_PROPERTY, root.toString());
        System.setProperty(RemotingCommand.REMOTING_VERSION_KEY, Integer.toString(MQVersion.CURRENT_VERSION));
        // Otherwise every remoting server generates a self-signed certificate (~1 s each) it never uses.
        if (System.getProperty("tls.server.mode") == null) {
            System.setProperty("tls.server.mode", "disabled");
        }
    }

    /** A free loopback port (bound once on port 0, then released). */
    public static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getByName(LOOPBACK))) {
            return socket.getLocalPort();
        }
    }

    /** A port P with P - 2, P and P + 1 free on loopback: a broker binds all three. */
    public static int freeBrokerPort() throws IOException {
        for (int attempt = 0; attempt < 200; attempt++) {
            int port = ThreadLocalRandom.current().nextInt(20_000, 40_000);
            if (isFree(port - 2) && isFree(port) && isFree(port + 1)) {
                return port;
            }
        }
        throw new IOException("no free port triple for the embedded broker");
    }

    private static boolean isFree(int port) {
        try (ServerSocket socket = new ServerSocket(port, 1, InetAddress.getByName(LOOPBACK))) {
            return true;
        } catch (IOException e) {
            return false;
        }
    }
}
