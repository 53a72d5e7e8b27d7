package io.onsbridge.bench;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Latency of a call against its baseline call, made in turn so that both see the same background load:
 * after a warm-up, several runs, each giving the p50 of its calls in milliseconds. The spread of a row
 * is the spread of these per-run p50s.
 */
record PairedLatency(ResultRow.Spread measured, ResultRow.Spread baseline) {

    @FunctionalInterface
    interface Call {
        void run() throws Exception;
    }

    static PairedLatency measure(String label, int warmupCalls, int runs, int callsPerRun, Call measured, Call baseline) throws Exception {
        return measure(label, warmupCalls, Duration.ZERO, runs, callsPerRun, measured, baseline);
    }

    /** Warmed up for a while rather than a number of calls: cold SDK code needs thousands of calls to be compiled. */
    static PairedLatency measure(String label, Duration warmup, int runs, int callsPerRun, Call measured, Call baseline) throws Exception {
        return measure(label, 30, warmup, runs, callsPerRun, measured, baseline);
    }

    private static PairedLatency measure(String label, int warmupCalls, Duration warmup, int runs, int callsPerRun, Call measured,
                                         Call baseline) throws Exception {
        long warmUntil = System.nanoTime() + warmup.toNanos();
        for (int i = 0; i < warmupCalls || System.nanoTime() < warmUntil; i++) {
            measured.run();
            baseline.run();
        }
        List<Double> measuredP50 = new ArrayList<>();
        List<Double> baselineP50 = new ArrayList<>();
        for (int run = 0; run < runs; run++) {
            List<Double> m = new ArrayList<>();
            List<Double> b = new ArrayList<>();
            for (int i = 0; i < callsPerRun; i++) {
                m.add(millis(measured));
                b.add(millis(baseline));
            }
            measuredP50.add(ResultRow.Spread.of(m).median());
            baselineP50.add(ResultRow.Spread.of(b).median());
        }
        PairedLatency result = new PairedLatency(ResultRow.Spread.of(measuredP50), ResultRow.Spread.of(baselineP50));
        System.out.printf("%s: p50 %.2f ms vs %.2f ms baseline (%d runs of %d calls)%n", label, result.measured().median(),
                result.baseline().median(), runs, callsPerRun);
        return result;
    }

    static double millis(Call call) throws Exception {
        long start = System.nanoTime();
        call.run();
        return (System.nanoTime() - start) / 1e6;
    }

    double ratio() {
        return measured.median() / baseline.median();
    }
}
