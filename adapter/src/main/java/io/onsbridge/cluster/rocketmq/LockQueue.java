package io.onsbridge.cluster.rocketmq;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Who holds one name's lock, read off the lock log in log order: each {@code lock} entry queues its owner,
 * each {@code unlock} removes it, and an owner whose entry is older than the lease has vanished. The
 * first owner still queued holds the lock. Every bridge reads the same log in the same order, so all
 * agree on who is first.
 */
final class LockQueue {
    private final String name;
    private final long leaseMillis;
    /** Owner to the broker's store time of its lock entry, in log order. */
    private final Map<String, Long> queued = new LinkedHashMap<>();

    LockQueue(String name, long leaseMillis) {
        this.name = name;
        this.leaseMillis = leaseMillis;
    }

    /** One entry of the log; entries of other names are ignored. */
    void read(String entryName, String owner, boolean lock, long storedAt) {
        if (!name.equals(entryName)) {
            return;
        }
        if (lock) {
            queued.putIfAbsent(owner, storedAt);
        } else {
            queued.remove(owner);
        }
    }

    /**
     * Whether {@code owner} is first among the owners still queued at {@code now}. Others' entries older
     * than the lease are dropped (their bridge vanished); the caller's own is not (it knows it is alive,
     * and bounds its wait well inside the lease).
     */
    boolean holds(String owner, long now) {
        queued.entrySet().removeIf(entry -> !entry.getKey().equals(owner) && entry.getValue() + leaseMillis < now);
        return owner.equals(first());
    }

    /** The owner ahead of the caller, for messages: the first one queued. */
    String first() {
        return queued.isEmpty() ? null : queued.keySet().iterator().next();
    }
}
