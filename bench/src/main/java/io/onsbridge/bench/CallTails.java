package io.onsbridge.bench;

import com.sun.management.ThreadMXBean;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import jdk.jfr.Recording;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordingFile;

/**
 * Where the tail of a two-step call comes from, against its baseline (also two steps): one client, alternating rounds
 * of a second, every call timed, this JVM's garbage-collection pauses recorded (JFR, {@code jdk.GCPhasePause}) and
 * the bytes allocated per call counted, by the calling thread (the SDK; for the baseline, the SDK and the admin client)
 * and by every thread of this JVM (the bridge's and the broker's too, unless the bridge runs apart).
 *
 * <p>A young collection stops this JVM for 4 to 8 ms, ten times a call's median: a call it overlaps is among the
 * slowest 1%. So the side whose calls allocate more has more of its slowest 1% taken by collections, and a higher p99,
 * whatever the bridge does.
 */
record CallTails(Side measured, Side baseline) {

    /** One step of a call. */
    @FunctionalInterface
    interface Step {
        void run() throws Exception;
    }

    /** A side's figures: its p99 (ms), its calls at or over it that a pause overlapped, per 1,000 calls, KB per call. */
    record Side(int calls, double p50, double p99, double pausedOverP99PerThousand, double callerKb, double everyThreadKb) {
    }

    private record Call(long start, long end) {
        double ms() {
            return (end - start) / 1e6;
        }
    }

    private static final ThreadMXBean THREADS = (ThreadMXBean) ManagementFactory.getThreadMXBean();

    static CallTails measure(int rounds, Step measuredFirst, Step measuredSecond, Step baselineFirst, Step baselineSecond) throws Exception {
        List<Call> m = new ArrayList<>();
        List<Call> b = new ArrayList<>();
        long[] allocated = new long[4]; // the calling thread's, then every thread's: measured, baseline
        List<long[]> pauses;
        try (Recording recording = new Recording()) {
            recording.enable("jdk.GCPhasePause");
            long nanoBase = System.nanoTime();
            Instant instantBase = Instant.now();
            recording.start();
            for (int i = 0; i < rounds; i++) {
                // which goes first alternates, so that neither always follows the other's tail
                if (i % 2 == 0) {
                    round(m, allocated, 0, measuredFirst, measuredSecond);
                    round(b, allocated, 1, baselineFirst, baselineSecond);
                } else {
                    round(b, allocated, 1, baselineFirst, baselineSecond);
                    round(m, allocated, 0, measuredFirst, measuredSecond);
                }
            }
            recording.stop();
            Path file = Files.createTempFile("call-tails", ".jfr");
            try {
                recording.dump(file);
                pauses = pauses(file, nanoBase, instantBase);
            } finally {
                Files.deleteIfExists(file);
            }
        }
        return new CallTails(side(m, pauses, allocated[0], allocated[2]), side(b, pauses, allocated[1], allocated[3]));
    }

    /** Every pause's start and end on this JVM's {@code System.nanoTime()} clock. */
    private static List<long[]> pauses(Path file, long nanoBase, Instant instantBase) throws Exception {
        List<long[]> pauses = new ArrayList<>();
        for (RecordedEvent e : RecordingFile.readAllEvents(file)) {
            long start = nanoBase + Duration.between(instantBase, e.getStartTime()).toNanos();
            pauses.add(new long[] {start, start + e.getDuration().toNanos()});
        }
        return pauses;
    }

    private static void round(List<Call> calls, long[] allocated, int slot, Step first, Step second) throws Exception {
        long caller = THREADS.getCurrentThreadAllocatedBytes();
        long every = THREADS.getTotalThreadAllocatedBytes();
        long end = System.nanoTime() + ConcurrentLatency.ROUND.toNanos();
        while (System.nanoTime() < end) {
            long begin = System.nanoTime();
            first.run();
            second.run();
            calls.add(new Call(begin, System.nanoTime()));
        }
        allocated[slot] += THREADS.getCurrentThreadAllocatedBytes() - caller;
        allocated[slot + 2] += THREADS.getTotalThreadAllocatedBytes() - every;
    }

    private static Side side(List<Call> calls, List<long[]> pauses, long callerBytes, long everyBytes) {
        List<Double> sorted = calls.stream().map(Call::ms).sorted().toList();
        double p99 = ConcurrentLatency.percentile(sorted, 0.99);
        long paused = calls.stream().filter(c -> c.ms() >= p99 && pauses.stream().anyMatch(p -> p[0] < c.end() && p[1] > c.start())).count();
        return new Side(calls.size(), ConcurrentLatency.percentile(sorted, 0.50), p99, paused * 1000.0 / calls.size(),
                callerBytes / 1024.0 / calls.size(), everyBytes / 1024.0 / calls.size());
    }

    /** Printed, and four information rows: p99, calls over it that a pause overlapped, and the two allocations. */
    List<ResultRow> rows(String name) {
        System.out.printf(Locale.ROOT, "%s: p50 %.2f vs %.2f ms, p99 %.2f vs %.2f ms; calls at or over p99 during a GC pause %.1f vs %.1f"
                        + " per 1,000; KB allocated per call by the calling thread %.0f vs %.0f, by every thread %.0f vs %.0f (%d vs %d calls)%n",
                name, measured.p50(), baseline.p50(), measured.p99(), baseline.p99(), measured.pausedOverP99PerThousand(),
                baseline.pausedOverP99PerThousand(), measured.callerKb(), baseline.callerKb(), measured.everyThreadKb(),
                baseline.everyThreadKb(), measured.calls(), baseline.calls());
        return List.of(
                ResultRow.info("  " + name + ", p99", "ms", one(measured.p99()), one(baseline.p99())),
                ResultRow.info("  " + name + ", calls at or over p99 that a GC pause of this JVM overlapped", "per 1,000 calls",
                        one(measured.pausedOverP99PerThousand()), one(baseline.pausedOverP99PerThousand())),
                ResultRow.info("  " + name + ", allocated per call by the calling thread", "KB", one(measured.callerKb()), one(baseline.callerKb())),
                ResultRow.info("  " + name + ", allocated per call by every thread of this JVM", "KB", one(measured.everyThreadKb()),
                        one(baseline.everyThreadKb())));
    }

    private static ResultRow.Spread one(double value) {
        return new ResultRow.Spread(value, value, value);
    }
}
