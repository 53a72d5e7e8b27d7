package io.onsbridge.domain;

import com.google.common.util.concurrent.Striped;
import io.onsbridge.cluster.ClusterLocks;
import java.util.concurrent.locks.Lock;
import java.util.function.Supplier;

/**
 * One write of a resource at a time, in this bridge and across every bridge of the cluster, so that two
 * parallel creates of one name end with one resource, one metadata record and one success (the second
 * finds the first's resource), and two parallel record updates (tags, remark, read-enable) both land.
 * One instance serves every action class: a topic or group is locked by its broker name, an instance by
 * {@link #instance}. The local lock comes first, so that a bridge queues its own writers without touching
 * the cluster's lock log for each.
 */
public final class NameLocks {
    private final Striped<Lock> locks = Striped.lock(64);
    private final ClusterLocks cluster;

    public NameLocks(ClusterLocks cluster) {
        this.cluster = cluster;
    }

    /** The lock of the region's instance names and quota (broker names never contain a space). */
    public static final String INSTANCE_LIST = "instance list";

    /** The lock name of an instance's record (broker names of topics and groups never contain a space). */
    public static String instance(String instanceId) {
        return "instance " + instanceId;
    }

    public <T> T locked(String name, Supplier<T> work) {
        Lock lock = locks.get(name);
        lock.lock();
        try {
            return cluster.locked(name, work);
        } finally {
            lock.unlock();
        }
    }

    public void locked(String name, Runnable work) {
        locked(name, () -> {
            work.run();
            return null;
        });
    }
}
