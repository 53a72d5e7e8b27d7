package io.onsbridge.it;

import static org.awaitility.Awaitility.await;

import io.onsbridge.embedded.EmbeddedCluster;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.rocketmq.tools.admin.DefaultMQAdminExt;

/**
 * A RocketMQ cluster of its own in child JVMs, as operators run one: a name server and N master brokers
 * started by RocketMQ's own {@code NamesrvStartup} / {@code BrokerStartup -c broker.conf}, on free
 * loopback ports, with stores and logs under one directory. The classpath decides the RocketMQ line:
 * this JVM's (5.5.0) by default, or another one's jars (see {@link #rocketmq49Classpath()}).
 * The bridge reaches it only over the network, as it would reach an external cluster. Every child is
 * killed on {@link #close()} and, should the test JVM end first, by a shutdown hook.
 */
final class ChildJvmCluster implements AutoCloseable {
    private static final String LOOPBACK = "127.0.0.1";
    private static final String BROKER_NAMES = "abcdefgh";
    private static final Set<Process> RUNNING = ConcurrentHashMap.newKeySet();

    static {
        Runtime.getRuntime().addShutdownHook(new Thread(() -> RUNNING.forEach(ChildJvmCluster::kill), "child-jvm-cluster-reaper"));
    }

    /** The name server's process, then each broker's, broker-a first; a broker restarted replaces its entry. */
    private final List<Process> processes;
    private final String namesrvAddr;
    private final List<String> brokerAddrs;
    private final Builder builder;
    private final List<Properties> brokerConfs;

    private ChildJvmCluster(List<Process> processes, String namesrvAddr, List<String> brokerAddrs, Builder builder,
                            List<Properties> brokerConfs) {
        this.processes = new ArrayList<>(processes);
        this.namesrvAddr = namesrvAddr;
        this.brokerAddrs = brokerAddrs;
        this.builder = builder;
        this.brokerConfs = brokerConfs;
    }

    static Builder builder(Path root) {
        return new Builder(root);
    }

    /** The classpath of the tests' own RocketMQ (surefire hides it behind a manifest-only jar). */
    static String testClasspath() {
        return System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
    }

    /**
     * RocketMQ 4.9's name server and broker with their own dependencies, as module rocketmq-4.9 wrote their
     * classpath (surefire passes where).
     */
    static String rocketmq49Classpath() throws IOException {
        String file = System.getProperty("onsbridge.test.rocketmq49.classpath");
        if (file == null || !Files.isRegularFile(Path.of(file))) {
            throw new IllegalStateException("no RocketMQ 4.9 classpath file at " + file + "; build module rocketmq-4.9 first");
        }
        return Files.readString(Path.of(file)).trim();
    }

    String namesrvAddr() {
        return namesrvAddr;
    }

    /** Every master's address, broker-a first. */
    List<String> brokerAddrs() {
        return brokerAddrs;
    }

    /** Kills the {@code index}th broker (0: broker-a), as a crash or a pulled plug does. */
    synchronized void killBroker(int index) {
        kill(processes.get(index + 1));
    }

    /** Stops the {@code index}th broker without closing anything (SIGSTOP), as a hung machine does; see {@link #thawBroker}. */
    synchronized void freezeBroker(int index) throws IOException, InterruptedException {
        signal("-STOP", processes.get(index + 1));
    }

    /** Lets a frozen broker run again (SIGCONT). */
    synchronized void thawBroker(int index) throws IOException, InterruptedException {
        signal("-CONT", processes.get(index + 1));
    }

    private static void signal(String signal, Process process) throws IOException, InterruptedException {
        int exit = new ProcessBuilder("kill", signal, Long.toString(process.pid())).inheritIO().start().waitFor();
        if (exit != 0) {
            throw new IllegalStateException("kill " + signal + " " + process.pid() + " exited with " + exit);
        }
    }

    /** Starts the {@code index}th broker again on its port and store, and waits until the name server lists it. */
    synchronized void restartBroker(int index) throws IOException {
        String name = "broker-" + BROKER_NAMES.charAt(index);
        Process process = builder.launch(name, "org.apache.rocketmq.broker.BrokerStartup", brokerConfs.get(index));
        processes.set(index + 1, process);
        builder.awaitRegistration(namesrvAddr, List.of(brokerAddrs.get(index)), List.of(process));
    }

    /** Kills every child at once: a clean broker shutdown takes 9-16 s and the store is thrown away. */
    @Override
    public synchronized void close() {
        processes.forEach(ChildJvmCluster::kill);
    }

    private static void kill(Process process) {
        process.descendants().forEach(ProcessHandle::destroyForcibly);
        process.destroyForcibly();
        try {
            process.waitFor();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        RUNNING.remove(process);
    }

    static final class Builder {
        private final Path root;
        private String classpath = testClasspath();
        private int masters = 1;
        private String heap = "-Xmx384m";
        private final Map<String, String> brokerProperties = new LinkedHashMap<>();

        private Builder(Path root) {
            this.root = root.toAbsolutePath();
        }

        Builder classpath(String classpath) {
            this.classpath = classpath;
            return this;
        }

        Builder masters(int count) {
            this.masters = count;
            return this;
        }

        /** Any broker.conf line (ACL switches, say); it wins over the small-machine defaults below. */
        Builder brokerProperty(String key, String value) {
            brokerProperties.put(key, value);
            return this;
        }

        ChildJvmCluster start() throws IOException {
            Files.createDirectories(root);
            writeLogbackConfigs();
            List<Process> started = new ArrayList<>();
            try {
                int nsPort = EmbeddedCluster.freePort();
                String namesrvAddr = LOOPBACK + ":" + nsPort;
                Properties namesrv = new Properties();
                namesrv.setProperty("listenPort", Integer.toString(nsPort));
                namesrv.setProperty("bindAddress", LOOPBACK);
                namesrv.setProperty("rocketmqHome", root.toString());
                namesrv.setProperty("kvConfigPath", root.resolve("namesrv/kvConfig.json").toString());
                started.add(launch("namesrv", "org.apache.rocketmq.namesrv.NamesrvStartup", namesrv));
                List<String> brokerAddrs = new ArrayList<>();
                List<Properties> brokerConfs = new ArrayList<>();
                for (int i = 0; i < masters; i++) {
                    int port = EmbeddedCluster.freeBrokerPort();
                    String name = "broker-" + BROKER_NAMES.charAt(i);
                    Properties conf = brokerConfig(name, port, namesrvAddr);
                    started.add(launch(name, "org.apache.rocketmq.broker.BrokerStartup", conf));
                    brokerAddrs.add(LOOPBACK + ":" + port);
                    brokerConfs.add(conf);
                }
                awaitRegistration(namesrvAddr, brokerAddrs, started);
                return new ChildJvmCluster(started, namesrvAddr, List.copyOf(brokerAddrs), this, List.copyOf(brokerConfs));
            } catch (IOException | RuntimeException e) {
                started.forEach(ChildJvmCluster::kill);
                throw e;
            }
        }

        /** The settings EmbeddedCluster gives its in-process broker, as broker.conf lines. */
        private Properties brokerConfig(String name, int port, String namesrvAddr) {
            Path store = root.resolve("store-" + name);
            Properties conf = new Properties();
            conf.setProperty("brokerClusterName", EmbeddedCluster.CLUSTER_NAME);
            conf.setProperty("brokerName", name);
            conf.setProperty("brokerId", "0");
            conf.setProperty("namesrvAddr", namesrvAddr);
            conf.setProperty("brokerIP1", LOOPBACK);
            conf.setProperty("brokerIP2", LOOPBACK);
            conf.setProperty("bindAddress", LOOPBACK);
            conf.setProperty("listenPort", Integer.toString(port));
            conf.setProperty("haListenPort", Integer.toString(port + 1));
            conf.setProperty("storePathRootDir", store.toString());
            conf.setProperty("storePathCommitLog", store.resolve("commitlog").toString());
            conf.setProperty("mappedFileSizeCommitLog", Integer.toString(64 << 20));
            conf.setProperty("mappedFileSizeConsumeQueue", Integer.toString(30_000 * 20));
            conf.setProperty("maxHashSlotNum", "50000");
            conf.setProperty("maxIndexNum", "200000");
            conf.setProperty("timerWheelEnable", "true"); // see EmbeddedCluster: topic deletion needs it on 5.5.0
            conf.setProperty("traceTopicEnable", "true");
            conf.setProperty("transactionMetricFlushInterval", "1000"); // see EmbeddedCluster: 5.5.0 spins until its first flush
            conf.setProperty("autoCreateTopicEnable", "true");
            conf.setProperty("autoCreateSubscriptionGroup", "true");
            String delayLevels = System.getProperty("onsbridge.test.messageDelayLevels");
            if (delayLevels != null && !delayLevels.isBlank()) {
                conf.setProperty("messageDelayLevel", delayLevels);
            }
            conf.putAll(brokerProperties);
            return conf;
        }

        private Process launch(String name, String mainClass, Properties conf) throws IOException {
            Path confFile = root.resolve(name + ".conf");
            try (var out = Files.newBufferedWriter(confFile, StandardCharsets.UTF_8)) {
                conf.store(out, name);
            }
            Path home = root.resolve("home-" + name);
            Files.createDirectories(home);
            List<String> command = new ArrayList<>(List.of(
                    Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    heap, "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1",
                    "-Djava.net.preferIPv4Stack=true",
                    "-Drocketmq.home.dir=" + root,
                    // logs (${user.home}/logs/rocketmqlogs), 4.9's KV store default, and temp files stay here
                    "-Duser.home=" + home,
                    "-Djava.io.tmpdir=" + home,
                    "-Dtls.server.mode=disabled",
                    // the test classpath carries the bridge's rmq.logback.xml: keep its file under the cluster's dir
                    "-Donsbridge.log.dir=" + home.resolve("logs"),
                    "-Dlogback.statusListenerClass=org.apache.rocketmq.logging.ch.qos.logback.core.status.NopStatusListener",
                    // RocketMQ 4.9 unmaps its files through JDK internals
                    "--add-opens=java.base/java.nio=ALL-UNNAMED", "--add-opens=java.base/sun.nio.ch=ALL-UNNAMED",
                    "--add-opens=java.base/java.lang=ALL-UNNAMED", "--add-opens=java.base/java.util=ALL-UNNAMED",
                    "--add-opens=java.base/jdk.internal.ref=ALL-UNNAMED",
                    mainClass, "-c", confFile.toString()));
            ProcessBuilder builder = new ProcessBuilder(command)
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(root.resolve(name + ".out").toFile())); // a restart adds to it
            builder.environment().put("CLASSPATH", classpath);
            builder.environment().put("ROCKETMQ_HOME", root.toString());
            Process process = builder.start();
            RUNNING.add(process);
            return process;
        }

        /** Ready when the name server lists every broker; a child that dies ends the wait at once. */
        private void awaitRegistration(String namesrvAddr, List<String> brokerAddrs, List<Process> processes) {
            DefaultMQAdminExt admin = new DefaultMQAdminExt();
            admin.setNamesrvAddr(namesrvAddr);
            admin.setInstanceName("child-jvm-cluster-probe-" + System.nanoTime());
            try {
                admin.start();
                await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(250)).until(() -> {
                    for (Process process : processes) {
                        if (!process.isAlive()) {
                            throw new IllegalStateException("a RocketMQ child JVM exited with " + process.exitValue()
                                    + "; its output is in " + root + "/*.out");
                        }
                    }
                    try {
                        var table = admin.examineBrokerClusterInfo().getBrokerAddrTable();
                        return table.values().stream().flatMap(b -> b.getBrokerAddrs().values().stream()).toList()
                                .containsAll(brokerAddrs);
                    } catch (Exception e) {
                        return false; // the name server is not listening yet
                    }
                });
            } catch (org.apache.rocketmq.client.exception.MQClientException e) {
                throw new IllegalStateException(e);
            } finally {
                admin.shutdown();
            }
        }

        /** RocketMQ 4.9's startups read conf/logback_*.xml under the home and exit without it; 5.x ignores them. */
        private void writeLogbackConfigs() throws IOException {
            Files.createDirectories(root.resolve("conf"));
            for (String name : List.of("namesrv", "broker")) {
                String xml = "<configuration>\n"
                        + "  <appender name=\"FILE\" class=\"ch.qos.logback.core.FileAppender\">\n"
                        + "    <file>" + root.resolve(name + ".log") + "</file>\n"
                        + "    <encoder><pattern>%d{HH:mm:ss.SSS} %-5p [%t] %c{0} - %m%n</pattern></encoder>\n"
                        + "  </appender>\n"
                        + "  <root level=\"WARN\"><appender-ref ref=\"FILE\"/></root>\n"
                        + "</configuration>\n";
                Files.writeString(root.resolve("conf/logback_" + name + ".xml"), xml);
            }
        }
    }
}
