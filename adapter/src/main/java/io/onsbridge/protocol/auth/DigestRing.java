package io.onsbridge.protocol.auth;

import java.time.Clock;
import java.time.Duration;

/**
 * A set of 128-bit digests, at most {@code maxEntries}, forgetting the oldest first, each for at most
 * {@code lifetime}: the nonce table's storage, kept in primitive arrays with no object per entry.
 *
 * <p>Why not a map of strings: the bridge remembers one nonce per accepted request until 200,000 newer ones came
 * (about a minute under load), so every entry outlived a young collection and was promoted. Held as a
 * {@code LinkedHashMap} of strings, the table was 40 of 78 MiB live in a trace benchmark and the main garbage the
 * old generation filled with; here it is four arrays that grow by doubling up to their bound and then stay.
 *
 * <p>Layout: a ring holds the digests in the order they came (the oldest at {@code head}), with the time each was
 * added; an open-addressing index (linear probing, at most half full) maps a digest to its ring position. Forgetting
 * the oldest takes it out of the index by backward-shift deletion, so no tombstones pile up. Callers hash with a
 * secret key ({@link NonceGuard}), so nobody can choose digests that crowd one run of the index.
 */
final class DigestRing {
    private static final int INITIAL_CAPACITY = 1024;

    private final Clock clock;
    private final long lifetimeMillis;
    private final int maxEntries;
    // the ring: position (head + i) % capacity holds the i-th oldest digest
    private long[] high;
    private long[] low;
    private long[] addedAt;
    private int head;
    private int size;
    // ring position + 1 at the digest's slot (0: empty); its length a power of two, at least twice the ring's
    private int[] index;

    DigestRing(Clock clock, int maxEntries, Duration lifetime) {
        if (maxEntries < 1) {
            throw new IllegalArgumentException("maxEntries must be at least 1: " + maxEntries);
        }
        this.clock = clock;
        this.lifetimeMillis = lifetime.toMillis();
        this.maxEntries = maxEntries;
        allocate(Math.min(INITIAL_CAPACITY, maxEntries));
    }

    /** Adds the digest; true if it was not held (or had been forgotten), false if it is held. */
    synchronized boolean add(long digestHigh, long digestLow) {
        long now = clock.millis();
        forgetExpired(now);
        if (slotOf(digestHigh, digestLow) >= 0) {
            return false;
        }
        if (size == high.length) {
            if (high.length < maxEntries) {
                grow();
            } else {
                forgetOldest();
            }
        }
        int position = (head + size) % high.length;
        high[position] = digestHigh;
        low[position] = digestLow;
        addedAt[position] = now;
        size++;
        int slot = home(digestLow);
        while (index[slot] != 0) {
            slot = next(slot);
        }
        index[slot] = position + 1;
        return true;
    }

    /** How many digests are held (the expired ones forgotten first). */
    synchronized int size() {
        forgetExpired(clock.millis());
        return size;
    }

    /** How many digests the arrays have room for now (grown by doubling, up to {@code maxEntries}). */
    synchronized int capacity() {
        return high.length;
    }

    private void forgetExpired(long now) {
        // oldest first: the first one still young ends it (a clock set back keeps some longer, never shorter)
        while (size > 0 && now - addedAt[head] >= lifetimeMillis) {
            forgetOldest();
        }
    }

    private void forgetOldest() {
        int slot = slotOf(high[head], low[head]);
        deleteSlot(slot);
        head = (head + 1) % high.length;
        size--;
    }

    /** The index slot holding this digest, or -1. */
    private int slotOf(long digestHigh, long digestLow) {
        for (int slot = home(digestLow); index[slot] != 0; slot = next(slot)) {
            int position = index[slot] - 1;
            if (high[position] == digestHigh && low[position] == digestLow) {
                return slot;
            }
        }
        return -1;
    }

    /** Empties the slot, moving back each later entry of its run that may fill the hole (linear probing's delete). */
    private void deleteSlot(int slot) {
        int hole = slot;
        for (int probe = next(hole); index[probe] != 0; probe = next(probe)) {
            int home = home(low[index[probe] - 1]);
            // the entry at probe may move to the hole when the hole lies on its path: home .. probe
            if (distance(home, probe) >= distance(hole, probe)) {
                index[hole] = index[probe];
                hole = probe;
            }
        }
        index[hole] = 0;
    }

    /** Doubles the room: the ring copied oldest first from position 0, the index built anew. */
    private void grow() {
        long[] oldHigh = high;
        long[] oldLow = low;
        long[] oldAddedAt = addedAt;
        int oldHead = head;
        int count = size;
        allocate((int) Math.min((long) oldHigh.length * 2, maxEntries));
        for (int i = 0; i < count; i++) {
            int from = (oldHead + i) % oldHigh.length;
            high[i] = oldHigh[from];
            low[i] = oldLow[from];
            addedAt[i] = oldAddedAt[from];
            int slot = home(low[i]);
            while (index[slot] != 0) {
                slot = next(slot);
            }
            index[slot] = i + 1;
        }
        size = count;
    }

    private void allocate(int capacity) {
        high = new long[capacity];
        low = new long[capacity];
        addedAt = new long[capacity];
        index = new int[Integer.highestOneBit(capacity) << 2];
        head = 0;
        size = 0;
    }

    private int home(long digestLow) {
        return (int) digestLow & (index.length - 1);
    }

    private int next(int slot) {
        return (slot + 1) & (index.length - 1);
    }

    /** Steps from {@code from} forward to {@code to}, wrapping round the index. */
    private int distance(int from, int to) {
        return (to - from) & (index.length - 1);
    }
}
