package io.onsbridge.cluster;

import java.util.function.Supplier;

/**
 * A lock on a name held across every bridge of the cluster, so that two bridges writing one resource at
 * the same moment take turns: the second create of a name then finds the first's resource and is refused,
 * instead of both succeeding with a mix of their fields. Kept in the cluster (no lock service of the
 * bridge's own): see {@code cluster.rocketmq.LockLog}.
 */
public interface ClusterLocks {
    /**
     * Runs {@code work} holding the name's lock. Waits while another bridge holds it; a holder that
     * vanished (a crashed bridge) loses it after the lease.
     *
     * @throws ClusterException BUSY when the lock is not had within the wait, UNAVAILABLE when the cluster
     *                          does not answer
     */
    <T> T locked(String name, Supplier<T> work);
}
