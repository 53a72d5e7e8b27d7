package io.onsbridge.bench;

import io.onsbridge.OnsBridgeServer;
import io.onsbridge.config.BridgeConfig;
import io.onsbridge.config.Setting;
import io.onsbridge.embedded.EmbeddedCluster;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * {@code bin/bench}: one embedded cluster and one bridge for every benchmark of the run. Each benchmark
 * measures its figure and its baseline in this same run and returns rows of the one results table.
 */
public final class BenchMain {
    private BenchMain() {
    }

    /** {@code bin/bench} runs everything; {@code bin/bench trace paging} only the benchmarks named. */
    private static boolean selected(String[] args, String name) {
        return args.length <= 2 || java.util.Arrays.asList(args).subList(2, args.length).contains(name);
    }

    public static void main(String[] args) {
        int status = 1;
        try {
            run(args);
            status = 0;
        } catch (Throwable e) {
            e.printStackTrace();
        } finally {
            System.exit(status); // RocketMQ's client threads would keep the JVM alive
        }
    }

    private static void run(String[] args) throws Exception {
        Path work = Path.of(args[0]);
        Path results = Path.of(args[1]);
        System.setProperty("logback.statusListenerClass", "org.apache.rocketmq.logging.ch.qos.logback.core.status.NopStatusListener");
        String accessKey = "LTAIbench" + UUID.randomUUID().toString().substring(0, 8);
        String secret = UUID.randomUUID().toString();
        try (EmbeddedCluster cluster = EmbeddedCluster.builder(work.resolve("rocketmq")).namesrvPort(0).brokerPort(0).start();
             OnsBridgeServer bridge = OnsBridgeServer.start(BridgeConfig.of(Map.of(Setting.HTTP_PORT, "0", Setting.HTTP_HOST, "127.0.0.1",
                     Setting.NAMESRV, cluster.namesrvAddr(), Setting.MAX_INSTANCES, "0")), cluster.namesrvAddr(), Map.of(accessKey, secret))) {
            BenchContext context = new BenchContext(cluster, bridge, accessKey, secret);
            List<ResultRow> rows = new java.util.ArrayList<>();
            if (selected(args, "trace")) {
                rows.addAll(new TraceBenchmark(context).run());
            }
            if (selected(args, "paging")) {
                rows.addAll(new PageQueryBenchmark(context).run());
            }
            ResultRow.print(rows, System.out);
            Files.createDirectories(results);
            ResultRow.writeCsv(rows, results.resolve("results.csv"));
            System.out.println("\nwritten: " + results.resolve("results.csv"));
        }
    }
}
