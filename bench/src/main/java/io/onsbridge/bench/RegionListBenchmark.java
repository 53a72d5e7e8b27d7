package io.onsbridge.bench;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Signed OnsRegionList through the bridge, requests/s at 16 keep-alive connections, against a bare
 * Netty server in this JVM replaying the bytes of one real bridge answer (goal: at least 0.5x). The
 * action does no cluster call, so this measures the bridge's HTTP and protocol path alone. Runs
 * alternate between the two servers so that both see the same background load.
 */
final class RegionListBenchmark {
    private static final int CONNECTIONS = 16;
    private static final double WARMUP_SECONDS = 3;
    private static final int MAX_WARMUP_ROUNDS = 8;
    private static final double RUN_SECONDS = 3;
    private static final int RUNS = 5;

    private final BenchContext context;

    RegionListBenchmark(BenchContext context) {
        this.context = context;
    }

    List<ResultRow> run() throws Exception {
        HttpLoad bridge = new HttpLoad(context.bridgePort(), "OnsRegionList", context.accessKeyId(), context.accessKeySecret());
        HttpLoad.Answer captured = bridge.once();
        String text = new String(captured.body(), StandardCharsets.UTF_8);
        if (captured.status() != 200 || !text.contains("RegionDo")) {
            throw new IllegalStateException("OnsRegionList failed: HTTP " + captured.status() + " " + text);
        }
        try (ReplayServer replay = new ReplayServer(captured.contentType(), captured.body())) {
            HttpLoad bare = new HttpLoad(replay.port(), "OnsRegionList", context.accessKeyId(), context.accessKeySecret());
            // On a busy 2-core machine the JIT needs tens of seconds for the bridge's path: warm up until the
            // bridge's rate stops rising (less than 10% over the previous round), then measure.
            double previous = 0;
            for (int round = 1; round <= MAX_WARMUP_ROUNDS; round++) {
                double rate = bridge.run(CONNECTIONS, WARMUP_SECONDS);
                double bareRate = bare.run(CONNECTIONS, WARMUP_SECONDS);
                System.out.printf("http: warm-up %d: bridge %.0f req/s, bare Netty %.0f req/s%n", round, rate, bareRate);
                if (round >= 2 && rate < previous * 1.1) {
                    break;
                }
                previous = Math.max(previous, rate);
            }
            List<Double> bridgeRates = new ArrayList<>();
            List<Double> bareRates = new ArrayList<>();
            for (int i = 0; i < RUNS; i++) {
                bridgeRates.add(bridge.run(CONNECTIONS, RUN_SECONDS));
                bareRates.add(bare.run(CONNECTIONS, RUN_SECONDS));
                System.out.printf("http: run %d/%d: bridge %.0f req/s, bare Netty %.0f req/s%n", i + 1, RUNS,
                        bridgeRates.get(i), bareRates.get(i));
            }
            // Not a row: one request at a time, each on a new connection, to set the throughput beside latency.
            PairedLatency.measure("http: one request at a time, bridge vs bare Netty", 50, 3, 50,
                    () -> bridge.once(), () -> bare.once());
            ResultRow.Spread measured = ResultRow.Spread.of(bridgeRates);
            ResultRow.Spread baseline = ResultRow.Spread.of(bareRates);
            return List.of(new ResultRow("signed OnsRegionList, 16 conns (vs bare Netty)", "req/s", measured, baseline,
                    ">= 0.5x", measured.median() >= 0.5 * baseline.median()));
        }
    }
}
