package io.onsbridge.actions;

import com.google.common.util.concurrent.Striped;
import java.util.concurrent.locks.Lock;
import java.util.function.Supplier;

/**
 * One create or delete of a resource name at a time in this bridge, so that two parallel creates of
 * one name end with one resource and one metadata record. Bridges sharing a cluster do not lock each
 * other: a write by another bridge at the same moment can only repeat an idempotent broker call.
 */
public final class NameLocks {
    private final Striped<Lock> locks = Striped.lock(64);

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
