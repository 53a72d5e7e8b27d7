package io.onsbridge.bench;

import io.onsbridge.embedded.EmbeddedCluster;
import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;

/**
 * The main of {@link ClusterProcess}: the bench's embedded cluster (a name server and a broker on free loopback ports)
 * in a JVM of its own. Prints {@value #READY} with the two addresses once started, then serves until Ctrl-C (SIGTERM),
 * which closes it (its store flushed).
 */
public final class ClusterMain {
    static final String READY = "bench cluster ready";

    private ClusterMain() {
    }

    public static void main(String[] args) throws Exception {
        EmbeddedCluster cluster = EmbeddedCluster.builder(Path.of(args[0])).namesrvPort(0).brokerPort(0).start();
        Runtime.getRuntime().addShutdownHook(new Thread(cluster::close, "cluster-stop"));
        System.out.println(READY + " namesrv=" + cluster.namesrvAddr() + " broker=" + cluster.brokerAddr());
        System.out.flush();
        new CountDownLatch(1).await();
    }
}
