package io.onsbridge.domain;

import com.google.common.util.concurrent.Striped;
import java.util.concurrent.locks.Lock;
import java.util.function.Supplier;

/**
 * One write of a resource at a time in this bridge, so that two parallel creates of one name end with one
 * resource and one metadata record, and two parallel record updates (tags, remark, read-enable) both
 * land. One instance serves every action class: a topic or group is locked by its broker name, an
 * instance by {@link #instance}. Bridges sharing a cluster do not lock each
 * other: a write by another bridge at the same moment can only repeat an idempotent broker call.
 */
public final class NameLocks {
    private final Striped<Lock> locks = Striped.lock(64);

    /** The lock name of an instance's record (broker names of topics and groups never contain a space). */
    public static String instance(String instanceId) {
        return "instance " + instanceId;
    }

    public <T> T locked(String name, Supplier<T> work) {
        Lock lock = locks.get(name);
        lock.lock();
        try {
            return work.get();
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
