package io.onsbridge.cluster.rocketmq;

import java.util.concurrent.Callable;
import java.util.function.LongSupplier;
import org.apache.rocketmq.remoting.protocol.body.ClusterInfo;

/**
 * The cluster's brokers as the name server last gave them ({@code examineBrokerClusterInfo}), reused for
 * one second by reads. Nearly every action needs the masters' addresses, and a read action would
 * otherwise spend a name-server round trip on them, often twice. A second is safe: brokers re-register
 * every 30 s, a name server drops a dead one only after 120 s, and RocketMQ's own clients refresh routes
 * every 30 s. Writes do not use it (see {@link ClusterAdmin#masterAddresses()}).
 *
 * <p>Concurrent callers share one fetch. A failed fetch is shared too, for the same second: when the name
 * server is down, requests fail at once instead of queueing for one timeout each. An answer without any master
 * is not kept: the brokers of a cluster that starts again register a moment after its name server answers.
 */
final class ClusterTopology {
    static final long FRESH_NANOS = 1_000_000_000L;

    private final LongSupplier nanoClock;
    private ClusterInfo info;
    private long fetchedAt;
    private Exception failure;
    private long failedAt;

    ClusterTopology() {
        this(System::nanoTime);
    }

    ClusterTopology(LongSupplier nanoClock) {
        this.nanoClock = nanoClock;
    }

    synchronized ClusterInfo get(Callable<ClusterInfo> fetch) throws Exception {
        long now = nanoClock.getAsLong();
        if (info != null && now - fetchedAt <= FRESH_NANOS) {
            return info;
        }
        if (failure != null && now - failedAt <= FRESH_NANOS) {
            throw failure;
        }
        info = null;
        try {
            ClusterInfo fetched = fetch.call();
            failure = null;
            if (ClusterAdmin.masters(fetched).isEmpty()) {
                return fetched; // not kept: no broker registered yet (a cluster starting again) is asked again at once
            }
            info = fetched;
            fetchedAt = now;
            return info;
        } catch (Exception e) {
            failure = e;
            failedAt = now;
            throw e;
        }
    }

    /** Forgets the topology, so that the next caller asks the name server (after a broker failed to answer). */
    synchronized void forget() {
        info = null;
    }
}
