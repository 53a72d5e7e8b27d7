package io.onsbridge.backend;

import java.util.concurrent.Callable;
import org.apache.rocketmq.remoting.protocol.body.ClusterInfo;

/**
 * The cluster's brokers as the name server last gave them ({@code examineBrokerClusterInfo}), reused for
 * one second. Nearly every action needs the masters' addresses, and a read action would otherwise spend
 * a name-server round trip on them, often twice. A second is safe: brokers re-register every 30 s, a name
 * server drops a dead one only after 120 s, and RocketMQ's own clients refresh routes every 30 s; nothing
 * a caller does changes the topology. Concurrent callers share one fetch; a failed fetch is not kept.
 */
final class ClusterTopology {
    static final long FRESH_NANOS = 1_000_000_000L;

    private ClusterInfo info;
    private long fetchedAt;

    synchronized ClusterInfo get(Callable<ClusterInfo> fetch) throws Exception {
        long now = System.nanoTime();
        if (info == null || now - fetchedAt > FRESH_NANOS) {
            info = null;
            ClusterInfo fresh = fetch.call();
            info = fresh;
            fetchedAt = now;
        }
        return info;
    }

    /** Forgets the topology, so that the next caller asks the name server (after a broker failed to answer). */
    synchronized void forget() {
        info = null;
    }
}
