package io.onsbridge.bench;

import io.onsbridge.OnsBridgeServer;
import io.onsbridge.config.BridgeConfig;
import io.onsbridge.config.Setting;
import io.onsbridge.embedded.EmbeddedCluster;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * {@code bin/bench}: one embedded cluster and one bridge for every benchmark of the run. Each benchmark
 * measures its figure and its baseline in this same run and returns rows of the one results table.
 * {@code bin/bench} runs every benchmark; {@code bin/bench trace paging} only those named. With
 * {@code ONS_BRIDGE_BENCH_BRIDGE=process} the bridge runs in a JVM of its own ({@link BridgeProcess}) on the bench's
 * cluster; the benchmarks that reach into the bridge's JVM (trace, mqtt, mqtt-scale) then stop with a clear error. With
 * {@code ONS_BRIDGE_BENCH_CLUSTER=process} the cluster runs in a JVM of its own ({@link ClusterProcess}); with both, the
 * bench JVM holds the clients alone, as in service. A run of issue 20's goal rows alone (reads, traceq, traceq-tails)
 * is set up that way by default, since those goals are judged so; {@code =jvm} keeps either part in the bench JVM.
 */
public final class BenchMain {
    private BenchMain() {
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

    /**
     * A benchmark of the run, by the name {@code bin/bench <name>} selects it with; {@code asInService}: its figures are
     * judged with the clients, the bridge and the cluster in three JVMs, as they run in service.
     */
    private record Benchmark(String name, Step step, boolean asInService) {
        Benchmark(String name, Step step) {
            this(name, step, false);
        }
    }

    @FunctionalInterface
    private interface Step {
        List<ResultRow> run(BenchContext context) throws Exception;
    }

    /** In run order: the topic and scale benchmarks last, since their 10,000 topics stay on the broker. */
    private static final List<Benchmark> BENCHMARKS = List.of(
            new Benchmark("micro", c -> new MicroBenchmarks().run()),
            new Benchmark("http", c -> new RegionListBenchmark(c).run()),
            new Benchmark("admin", c -> new AdminLatencyBenchmark(c).run()),
            new Benchmark("reads", c -> new ConcurrentReadsBenchmark(c).run(), true),
            new Benchmark("traceq", c -> new TraceQueryBenchmark(c, false).run(), true),
            new Benchmark("traceq-tails", c -> new TraceQueryBenchmark(c, true).run(), true),
            new Benchmark("trace", c -> new TraceBenchmark(c).run()),
            new Benchmark("paging", c -> new PageQueryBenchmark(c).run()),
            new Benchmark("http-dataplane", c -> new HttpDataplaneBenchmark(c).run()),
            new Benchmark("load", c -> new LoadBenchmark(c).run()),
            new Benchmark("footprint", c -> new FootprintBenchmark(c).run()),
            new Benchmark("startup", c -> new StartupBenchmark().run()),
            new Benchmark("topics", c -> new TopicScaleBenchmark(c).run()),
            new Benchmark("scale", c -> new ScaleBenchmark(c).run()),
            new Benchmark("mqtt", c -> new MqttBenchmark(c).run()),
            new Benchmark("mqtt-scale", c -> new MqttScaleBenchmark(c).run()));

    /**
     * Whether the part {@code variable} names runs in a JVM of its own: {@code process} or {@code jvm} as set, else
     * apart exactly when every benchmark named is judged as in service.
     */
    private static boolean apart(String variable, List<String> named) {
        String value = System.getenv(variable);
        if (value == null || value.isEmpty()) {
            return !named.isEmpty() && BENCHMARKS.stream().filter(b -> named.contains(b.name())).allMatch(Benchmark::asInService);
        }
        if (!value.equals("process") && !value.equals("jvm")) {
            throw new IllegalArgumentException(variable + "=" + value + ": give process (a JVM of its own) or jvm (the bench JVM)");
        }
        return value.equals("process");
    }

    private static String namesrv(EmbeddedCluster embedded, ClusterProcess process) {
        return process != null ? process.addresses().namesrvAddr() : embedded.namesrvAddr();
    }

    private static void run(String[] args) throws Exception {
        Path work = Path.of(args[0]);
        Path results = Path.of(args[1]);
        List<String> named = List.of(args).subList(2, args.length);
        for (String name : named) {
            if (BENCHMARKS.stream().noneMatch(b -> b.name().equals(name))) {
                throw new IllegalArgumentException("no benchmark " + name + "; the benchmarks: "
                        + BENCHMARKS.stream().map(Benchmark::name).toList());
            }
        }
        ResultsReport report = new ResultsReport();
        long start = System.nanoTime();
        System.setProperty("logback.statusListenerClass", "org.apache.rocketmq.logging.ch.qos.logback.core.status.NopStatusListener");
        String accessKey = "LTAIbench" + UUID.randomUUID().toString().substring(0, 8);
        String secret = UUID.randomUUID().toString();
        // The bridge in a JVM of its own on the bench's cluster, as in service: its JIT and GC not the clients' and the broker's
        boolean apart = apart("ONS_BRIDGE_BENCH_BRIDGE", named);
        // The cluster in a JVM of its own, as in service: the clients' collections then stop the clients alone
        boolean clusterApart = apart("ONS_BRIDGE_BENCH_CLUSTER", named);
        System.out.println("bench: starting the embedded cluster" + (clusterApart ? " (in a JVM of its own)" : "") + " and the bridge"
                + (apart ? " (in a JVM of its own)" : "") + "...");
        try (EmbeddedCluster embedded = clusterApart ? null : EmbeddedCluster.builder(work.resolve("rocketmq")).namesrvPort(0).brokerPort(0).start();
             ClusterProcess clusterProcess = clusterApart ? ClusterProcess.start(work.resolve("cluster")) : null;
             OnsBridgeServer bridge = apart ? null : OnsBridgeServer.start(BridgeConfig.of(Map.of(Setting.HTTP_PORT, "0",
                     Setting.HTTP_HOST, "127.0.0.1", Setting.NAMESRV, namesrv(embedded, clusterProcess), Setting.MAX_INSTANCES, "0",
                     Setting.MQTT_PORT, Integer.toString(EmbeddedCluster.freePort()))), namesrv(embedded, clusterProcess), Map.of(accessKey, secret));
             BridgeProcess process = apart ? BridgeProcess.start(work.resolve("bridge"), namesrv(embedded, clusterProcess), accessKey, secret) : null) {
            ProcessSampler.countAlso(process == null ? null : process.jvm(), clusterProcess == null ? null : clusterProcess.jvm());
            BenchCluster cluster = clusterProcess != null ? clusterProcess.addresses()
                    : new BenchCluster(embedded.namesrvAddr(), embedded.brokerAddr());
            BenchContext context = new BenchContext(cluster, bridge, process, accessKey, secret);
            List<ResultRow> rows = new ArrayList<>();
            for (Benchmark benchmark : BENCHMARKS) {
                if (named.isEmpty() || named.contains(benchmark.name())) {
                    System.out.printf("bench: [%3.0f s] %s...%n", (System.nanoTime() - start) / 1e9, benchmark.name());
                    rows.addAll(benchmark.step().run(context));
                }
            }
            System.out.printf("bench: [%3.0f s] done%n", (System.nanoTime() - start) / 1e9);
            ResultRow.print(rows, System.out);
            report.write(rows, named, "the clients in the bench JVM; the bridge in " + (apart ? "a JVM of its own" : "the bench JVM")
                    + "; the cluster in " + (clusterApart ? "a JVM of its own" : "the bench JVM"), results);
        }
    }
}
