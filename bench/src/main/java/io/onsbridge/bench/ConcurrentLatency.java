package io.onsbridge.bench;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Latency of a call against its baseline with N concurrent clients, in alternating rounds so that both
 * see the same background load: in a round every client makes its calls at once (each client its own SDK
 * client), then the same for the baseline. A round gives the p50 and the p99 of all its calls; a row's
 * spread is the spread of these per-round figures.
 */
record ConcurrentLatency(ResultRow.Spread measuredP50, ResultRow.Spread baselineP50, ResultRow.Spread measuredP99,
                         ResultRow.Spread baselineP99) {

    /** One call of client {@code client} (0..clients-1); throws if its answer is wrong. */
    @FunctionalInterface
    interface ClientCall {
        void run(int client) throws Exception;
    }

    /**
     * How long a round of a goal's row lasts: every client calls until it is over. A round of a fixed 30 to 80 calls
     * (before session 13) lasted 30 to 100 ms, so its p99 was its slowest call, and whether a young GC (one every
     * 0.3 s in the benchmark's JVM, 4 to 8 ms) or the broker's timer flush fell in it decided the row. A second
     * holds several of each, for the measured call and its baseline alike, and 600 to 3,000 calls.
     */
    static final java.time.Duration ROUND = java.time.Duration.ofSeconds(1);

    /** {@link #measure(String, int, int, int, int, ClientCall, ClientCall)} with rounds of {@link #ROUND}. */
    static ConcurrentLatency measure(String label, int clients, int warmupRounds, int rounds, ClientCall measured, ClientCall baseline)
            throws Exception {
        return measure(label, clients, warmupRounds, rounds, Integer.MAX_VALUE, measured, baseline);
    }

    /** @param callsPerClient each client's calls in a round; {@link Integer#MAX_VALUE}: as many as {@link #ROUND} holds */
    static ConcurrentLatency measure(String label, int clients, int warmupRounds, int rounds, int callsPerClient, ClientCall measured,
                                     ClientCall baseline) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(clients);
        try {
            for (int i = 0; i < warmupRounds; i++) {
                round(pool, clients, callsPerClient, measured);
                round(pool, clients, callsPerClient, baseline);
            }
            List<Double> mP50 = new ArrayList<>();
            List<Double> bP50 = new ArrayList<>();
            List<Double> mP99 = new ArrayList<>();
            List<Double> bP99 = new ArrayList<>();
            int samples = 0;
            long[] cpu = new long[4]; // the run's for the measured call and the baseline, then the bridge's JVM's alone
            long[] calls = new long[2];
            long[] gc = new long[4]; // this JVM's collections over the measured call's rounds and the baseline's, then their time (ms)
            long compilerBefore = ProcessSampler.compilerCpuNanos();
            long measuredFrom = System.nanoTime();
            for (int i = 0; i < rounds; i++) {
                // which goes first alternates, so that neither always follows the other's tail
                List<Double> m;
                List<Double> b;
                if (i % 2 == 0) {
                    m = timedRound(pool, clients, callsPerClient, measured, cpu, calls, gc, 0);
                    b = timedRound(pool, clients, callsPerClient, baseline, cpu, calls, gc, 1);
                } else {
                    b = timedRound(pool, clients, callsPerClient, baseline, cpu, calls, gc, 1);
                    m = timedRound(pool, clients, callsPerClient, measured, cpu, calls, gc, 0);
                }
                samples += m.size();
                mP50.add(percentile(m, 0.50));
                bP50.add(percentile(b, 0.50));
                mP99.add(percentile(m, 0.99));
                bP99.add(percentile(b, 0.99));
            }
            ConcurrentLatency result = new ConcurrentLatency(ResultRow.Spread.of(mP50), ResultRow.Spread.of(bP50),
                    ResultRow.Spread.of(mP99), ResultRow.Spread.of(bP99));
            double jit = Math.max(0, ProcessSampler.compilerCpuNanos() - compilerBefore) / (double) (System.nanoTime() - measuredFrom);
            System.out.printf("%s, %d clients: p50 %.2f ms vs %.2f ms, p99 %.2f ms vs %.2f ms (%d rounds, %d measured calls a round;"
                            + " the JIT compilers %.0f%% of a core; the run's CPU per call %.0f us vs %.0f us%s;"
                            + " this JVM's collections per 1,000 calls %.1f vs %.1f, their time %.1f ms vs %.1f ms)%n",
                    label, clients, result.measuredP50().median(), result.baselineP50().median(), result.measuredP99().median(),
                    result.baselineP99().median(), rounds, samples / rounds, jit * 100, cpu[0] / 1e3 / Math.max(1, calls[0]),
                    cpu[1] / 1e3 / Math.max(1, calls[1]), !ProcessSampler.bridgeApart() ? "" : String.format(java.util.Locale.ROOT,
                            ", of which the bridge's JVM %.0f us vs %.0f us", cpu[2] / 1e3 / Math.max(1, calls[0]), cpu[3] / 1e3 / Math.max(1, calls[1])),
                    gc[0] * 1e3 / Math.max(1, calls[0]), gc[1] * 1e3 / Math.max(1, calls[1]), gc[2] * 1e3 / Math.max(1, calls[0]),
                    gc[3] * 1e3 / Math.max(1, calls[1]));
            return result;
        } finally {
            pool.shutdownNow();
        }
    }

    /** The JIT compilers' share of one core under which a warm-up is over (see {@link #warmUp}). */
    static final double JIT_SETTLED = 0.10;
    /** How long a warm-up goes on past its length while the JIT compilers are busier than that. */
    static final java.time.Duration JIT_WAIT = java.time.Duration.ofSeconds(90);
    private static final long JIT_WINDOW_NANOS = java.time.Duration.ofSeconds(3).toNanos();

    /**
     * Alternating rounds of both calls for at least {@code length}, then until the JIT compilers (of this JVM and of
     * the bridge's when it runs apart) have spent under {@link #JIT_SETTLED} of a core over 3 s, or {@link #JIT_WAIT}
     * more has passed; nothing reported. A fresh JVM's bridge and broker were still being compiled a minute into a run
     * (a trace query's index lookup took 1 ms at first, 0.3 ms two minutes later). In session 22 the compilers still
     * took most of a core 80 s into a {@code reads} run, after two 15 s warm-ups: the first rows were measured on one
     * core of two, and said more about the JIT compiler than about the bridge.
     */
    static void warmUp(String label, int clients, java.time.Duration length, ClientCall measured, ClientCall baseline) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(clients);
        long begin = System.nanoTime();
        long end = begin + length.toNanos();
        long giveUp = end + JIT_WAIT.toNanos();
        int rounds = 0;
        double share = Double.NaN;
        try {
            long windowStart = System.nanoTime();
            long compilerStart = ProcessSampler.compilerCpuNanos();
            while (true) {
                round(pool, clients, 10, measured);
                round(pool, clients, 10, baseline);
                rounds++;
                long now = System.nanoTime();
                if (now - windowStart >= JIT_WINDOW_NANOS) {
                    long compiler = ProcessSampler.compilerCpuNanos();
                    share = Math.max(0, compiler - compilerStart) / (double) (now - windowStart);
                    if (now >= end && (share < JIT_SETTLED || now >= giveUp)) {
                        break;
                    }
                    windowStart = now;
                    compilerStart = compiler;
                }
            }
        } finally {
            pool.shutdownNow();
        }
        System.out.printf("%s: warmed up for %d s, %d rounds of %d clients; the JIT compilers %s (%.0f%% of a core over the last 3 s)%n",
                label, (System.nanoTime() - begin) / 1_000_000_000L, rounds, clients, share < JIT_SETTLED ? "settled" : "still busy", share * 100);
    }

    /**
     * A round, adding the run's CPU time over it (clients, bridge and broker, in one JVM, two or three) to {@code cpu[slot]}, the
     * bridge's own JVM's to {@code cpu[slot + 2]} and its calls to {@code calls[slot]}: with more clients than cores a
     * call's latency is about its CPU time times clients / cores, so the CPU per call says where a 32-client median
     * comes from.
     */
    private static List<Double> timedRound(ExecutorService pool, int clients, int calls, ClientCall call, long[] cpu, long[] count, long[] gc,
                                           int slot) throws Exception {
        long before = ProcessSampler.cpuNanos();
        long bridgeBefore = ProcessSampler.bridgeCpuNanos();
        long clusterBefore = ProcessSampler.clusterCpuNanos();
        long[] gcBefore = collections();
        List<Double> times = round(pool, clients, calls, call);
        long[] gcAfter = collections();
        gc[slot] += gcAfter[0] - gcBefore[0];
        gc[slot + 2] += gcAfter[1] - gcBefore[1];
        long bridge = ProcessSampler.bridgeCpuNanos() - bridgeBefore;
        cpu[slot + 2] += bridge;
        cpu[slot] += ProcessSampler.cpuNanos() - before + bridge + ProcessSampler.clusterCpuNanos() - clusterBefore;
        count[slot] += times.size();
        return times;
    }

    /** This JVM's garbage collections so far, and their time in ms (every collector's). */
    private static long[] collections() {
        long[] total = new long[2];
        for (var bean : java.lang.management.ManagementFactory.getGarbageCollectorMXBeans()) {
            total[0] += Math.max(0, bean.getCollectionCount());
            total[1] += Math.max(0, bean.getCollectionTime());
        }
        return total;
    }

    /**
     * Every client's calls, started together; the latencies of all of them in milliseconds. With {@code calls} at
     * {@link Integer#MAX_VALUE}, each client calls until {@link #ROUND} has passed since the start.
     */
    private static List<Double> round(ExecutorService pool, int clients, int calls, ClientCall call) throws Exception {
        long[] deadline = new long[1];
        CyclicBarrier start = new CyclicBarrier(clients, () -> deadline[0] = calls == Integer.MAX_VALUE
                ? System.nanoTime() + ROUND.toNanos() : Long.MAX_VALUE);
        List<Future<List<Double>>> futures = new ArrayList<>();
        for (int c = 0; c < clients; c++) {
            int client = c;
            futures.add(pool.submit(() -> {
                start.await();
                List<Double> times = new ArrayList<>();
                for (int i = 0; i < calls && (i == 0 || System.nanoTime() < deadline[0]); i++) {
                    long begin = System.nanoTime();
                    call.run(client);
                    times.add((System.nanoTime() - begin) / 1e6);
                }
                return times;
            }));
        }
        List<Double> all = new ArrayList<>();
        for (Future<List<Double>> f : futures) {
            all.addAll(f.get());
        }
        return all;
    }

    static double percentile(List<Double> samples, double p) {
        List<Double> sorted = new ArrayList<>(samples);
        Collections.sort(sorted);
        return sorted.get(Math.min(sorted.size() - 1, (int) Math.ceil(p * sorted.size()) - 1));
    }

    /**
     * The baseline measured against itself exactly as a goal's row measures a call against it (alternating rounds, as
     * many): two rows without goal whose ratios would be 1.00 on a quiet machine. How far they stray is how far a row's
     * ratio moves with nothing to tell its two sides apart, the resolution of a goal such as 1.15x at that point.
     */
    static List<ResultRow> noiseRows(String name, int clients, int rounds, ClientCall baseline) throws Exception {
        ConcurrentLatency same = measure("A/A: " + name.trim(), clients, 1, rounds, baseline, baseline);
        String row = "  A/A: " + name + ", " + clients + " client(s), its baseline against itself";
        return List.of(ResultRow.info(row + ", p50", "ms", same.measuredP50, same.baselineP50),
                ResultRow.info(row + ", p99", "ms", same.measuredP99, same.baselineP99));
    }

    /** Two rows, p50 and p99, each held to {@code goal} (a ratio such as 1.15). */
    List<ResultRow> rows(String name, double goal) {
        String goalText = String.format(java.util.Locale.ROOT, "<= %sx", goal);
        return List.of(
                new ResultRow(name + ", p50", "ms", measuredP50, baselineP50, goalText, measuredP50.median() <= goal * baselineP50.median()),
                new ResultRow(name + ", p99", "ms", measuredP99, baselineP99, goalText, measuredP99.median() <= goal * baselineP99.median()));
    }
}
