package io.onsbridge.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.locks.LockSupport;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The bench's cluster in a JVM of its own ({@code ONS_BRIDGE_BENCH_CLUSTER=process}), as a cluster in service runs apart
 * from its clients: the young collections that the clients' allocation causes then stop the clients, not the broker too,
 * and their pauses are the clients' (in the bench JVM the broker's live objects make each 4 to 8 ms). {@code -Xmx1g},
 * the bench JVM's default, and ONS_BRIDGE_BENCH_CLUSTER_JAVA_OPTS after it. Stopped as Ctrl-C stops it.
 */
final class ClusterProcess implements AutoCloseable {
    private static final Pattern READY = Pattern.compile(ClusterMain.READY + " namesrv=(\\S+) broker=(\\S+)");
    private static final Duration START_TIMEOUT = Duration.ofMinutes(3);

    private final ChildJvm jvm;
    private final BenchCluster addresses;

    private ClusterProcess(ChildJvm jvm, BenchCluster addresses) {
        this.jvm = jvm;
        this.addresses = addresses;
    }

    /** Starts the cluster under {@code dataDir} and returns once it printed its addresses. */
    static ClusterProcess start(Path dataDir) throws Exception {
        ChildJvm jvm = ChildJvm.start(dataDir, "cluster", List.of("-Xmx1g", "-Donsbridge.log.dir=" + dataDir.resolve("logs")),
                "ONS_BRIDGE_BENCH_CLUSTER_JAVA_OPTS", ClusterMain.class.getName(), List.of(dataDir.resolve("rocketmq").toString()));
        try {
            long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
            while (System.nanoTime() < deadline) {
                jvm.requireAlive("the bench's cluster");
                Matcher ready = READY.matcher(Files.readString(jvm.output()));
                if (ready.find()) {
                    return new ClusterProcess(jvm, new BenchCluster(ready.group(1), ready.group(2)));
                }
                LockSupport.parkNanos(Duration.ofMillis(50).toNanos()); // a poll interval: the printed line decides
            }
            throw new IllegalStateException("the bench's cluster was not ready within " + START_TIMEOUT + "; see " + jvm.output());
        } catch (Exception | Error e) {
            jvm.close();
            throw e;
        }
    }

    BenchCluster addresses() {
        return addresses;
    }

    ChildJvm jvm() {
        return jvm;
    }

    @Override
    public void close() {
        jvm.close();
    }
}
