package io.onsbridge.bench;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Issue 20's start-up figure: the bridge with its embedded cluster, as {@code bin/ons-bridge} starts it
 * without a name server ({@link BridgeProcess}), five times, each on a fresh data dir: from the JVM's
 * start to {@code /health} UP, against what the bridge's banner prints (from its main's start to ready,
 * the figure README quotes); then stopped as Ctrl-C stops it (SIGTERM to its exit, the embedded broker's store
 * flushed), against the same start. No goal: reported (README shows the medians).
 */
final class StartupBenchmark {
    private static final int STARTS = 5;

    List<ResultRow> run() throws Exception {
        List<Double> toHealth = new ArrayList<>();
        List<Double> banner = new ArrayList<>();
        List<Double> stop = new ArrayList<>();
        for (int i = 0; i < STARTS; i++) {
            Path dir = Path.of(System.getProperty("java.io.tmpdir"), "startup-" + i);
            try (BridgeProcess bridge = BridgeProcess.start(dir, null, null, null)) {
                toHealth.add(bridge.startMillis());
                banner.add(bridge.bannerMillis());
                stop.add(bridge.stopMillis());
                System.out.printf("startup %d: JVM start to /health UP %.0f ms; the banner says ready in %.0f ms; SIGTERM to exit %.0f ms%n",
                        i + 1, bridge.startMillis(), bridge.bannerMillis(), stop.get(i));
            }
        }
        return List.of(ResultRow.info("startup: embedded cluster and bridge, JVM start to /health UP, 5 starts (vs the banner's "
                        + "main-to-ready)", "ms", ResultRow.Spread.of(toHealth), ResultRow.Spread.of(banner)),
                ResultRow.info("  stop: SIGTERM (Ctrl-C) to exit, the embedded broker's store flushed, 5 stops (vs the start to /health UP)",
                        "ms", ResultRow.Spread.of(stop), ResultRow.Spread.of(toHealth)));
    }
}
