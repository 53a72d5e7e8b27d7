package io.onsbridge.cluster.rocketmq;

import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The locks still open, read off the lock log in log order: each {@code lock} entry queues its owner behind
 * the name's earlier owners, each {@code unlock} removes it, and an owner whose entry is older than the
 * lease has vanished (a crashed bridge). The first owner still queued holds the name. Every bridge reads
 * the same log in the same order, so all agree on who is first. Only open locks are kept: a name leaves
 * with its last unlock, and expired entries are swept as entries are read, so the size is bounded by the
 * writes of one lease.
 */
final class OpenLocks {
    private static final int SWEEP_EVERY = 1_024;

    private final long leaseMillis;
    /** Name to its owners, each with the broker's store time of its lock entry, in log order. */
    private final Map<String, LinkedHashMap<String, Long>> byName = new HashMap<>();
    private int readSinceSweep;

    OpenLocks(long leaseMillis) {
        this.leaseMillis = leaseMillis;
    }

    void read(String name, String owner, boolean lock, long storedAt) {
        if (name == null || owner == null) {
            return; // not an entry of ours
        }
        if (lock) {
            byName.computeIfAbsent(name, n -> new LinkedHashMap<>()).putIfAbsent(owner, storedAt);
        } else {
            LinkedHashMap<String, Long> owners = byName.get(name);
            if (owners != null) {
                owners.remove(owner);
                if (owners.isEmpty()) {
                    byName.remove(name);
                }
            }
        }
        if (++readSinceSweep >= SWEEP_EVERY) {
            readSinceSweep = 0;
            sweep(storedAt);
        }
    }

    /**
     * Whether {@code owner} is first among the name's owners still queued at {@code now}. Others' entries
     * older than the lease are dropped; the caller's own is not (it knows it is alive, and bounds its wait
     * well inside the lease).
     */
    boolean holds(String name, String owner, long now) {
        LinkedHashMap<String, Long> owners = byName.get(name);
        if (owners == null) {
            return false;
        }
        owners.entrySet().removeIf(entry -> !entry.getKey().equals(owner) && expired(entry.getValue(), now));
        return !owners.isEmpty() && owners.keySet().iterator().next().equals(owner);
    }

    /** The owner holding the name (the first queued), for messages; null when none. */
    String holder(String name) {
        LinkedHashMap<String, Long> owners = byName.get(name);
        return owners == null || owners.isEmpty() ? null : owners.keySet().iterator().next();
    }

    void clear() {
        byName.clear();
    }

    int openLocks() {
        return byName.values().stream().mapToInt(Map::size).sum();
    }

    private void sweep(long now) {
        for (Iterator<LinkedHashMap<String, Long>> names = byName.values().iterator(); names.hasNext(); ) {
            LinkedHashMap<String, Long> owners = names.next();
            owners.values().removeIf(storedAt -> expired(storedAt, now));
            if (owners.isEmpty()) {
                names.remove();
            }
        }
    }

    private boolean expired(long storedAt, long now) {
        return storedAt + leaseMillis < now;
    }
}
