package io.onsbridge.cluster.rocketmq;

import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.function.LongSupplier;
import java.util.function.Predicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Masters that did not answer a moment ago, left out of what the bridge asks until they answer a probe. A broker that
 * crashes leaves the name server at once; one that hangs (a frozen machine, a full disk, a long GC) stays listed for
 * up to two minutes, and every call that asked it would wait for its timeout and fail: one hung master of several
 * would stop every action. So a master that failed as unreachable is left out of reads and writes (as a crashed one
 * is; {@link MasterReconciler} brings it in line once it answers again) and probed in the background, at most every
 * {@link #PROBE_EVERY_NANOS}, when a caller asks for the masters ({@link MasterReconciler} does every 2 s); the first
 * probe it answers ends its suspicion. When every master is suspect, none is left out: calls fail as the cluster's
 * outage they are.
 */
final class SuspectMasters {
    private static final Logger log = LoggerFactory.getLogger(SuspectMasters.class);
    static final long PROBE_EVERY_NANOS = 2_000_000_000L;

    /** Per suspect master, when its last probe started (nanos); at most one probe of a master at a time. */
    private final Map<String, Probe> suspects = new ConcurrentHashMap<>();
    private final Predicate<String> answers;
    private final Executor probes;
    private final LongSupplier nanoClock;

    private static final class Probe {
        long startedAt;
        boolean running;
    }

    /** @param answers a call to the master that returns whether it answered (it may take the call's timeout) */
    SuspectMasters(Predicate<String> answers, Executor probes, LongSupplier nanoClock) {
        this.answers = answers;
        this.probes = probes;
        this.nanoClock = nanoClock;
    }

    /** A call to {@code master} failed as unreachable. */
    void failed(String master) {
        if (suspects.putIfAbsent(master, probeFrom(nanoClock.getAsLong())) == null) {
            log.warn("master {} did not answer; left out of reads and writes until it answers again", master);
        }
    }

    /** The suspect masters now, sorted. */
    Set<String> addresses() {
        return new TreeSet<>(suspects.keySet());
    }

    boolean isSuspect(String master) {
        return suspects.containsKey(master);
    }

    /** {@code masters} without the suspect ones, unless none would be left; probes the suspects that are due. */
    Set<String> leaveOut(Set<String> masters) {
        if (suspects.isEmpty()) {
            return masters;
        }
        Set<String> answering = new TreeSet<>(masters);
        answering.removeIf(suspects::containsKey);
        masters.stream().filter(suspects::containsKey).forEach(this::probeIfDue);
        suspects.keySet().retainAll(masters); // a master gone from the name server is no one's to probe
        return answering.isEmpty() ? masters : answering;
    }

    private void probeIfDue(String master) {
        Probe probe = suspects.get(master);
        if (probe == null) {
            return;
        }
        long now = nanoClock.getAsLong();
        synchronized (probe) {
            if (probe.running || now - probe.startedAt < PROBE_EVERY_NANOS) {
                return;
            }
            probe.running = true;
            probe.startedAt = now;
        }
        probes.execute(() -> {
            boolean answered = answers.test(master);
            synchronized (probe) {
                probe.running = false;
            }
            if (answered && suspects.remove(master, probe)) {
                log.info("master {} answers again; asked again", master);
            }
        });
    }

    private static Probe probeFrom(long now) {
        Probe probe = new Probe();
        probe.startedAt = now;
        return probe;
    }
}
