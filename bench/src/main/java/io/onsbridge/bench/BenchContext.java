package io.onsbridge.bench;

import com.aliyun.teaopenapi.models.Config;
import io.onsbridge.OnsBridgeServer;
import org.apache.rocketmq.tools.admin.DefaultMQAdminExt;

/**
 * What every benchmark gets: the cluster, the bridge and a Tea SDK client signed for it. The bridge is the bench
 * JVM's own ({@code bridge}), or, with {@code ONS_BRIDGE_BENCH_BRIDGE=process}, a bridge in a JVM of its own on the
 * bench's cluster ({@code process}), as a bridge in service runs apart from its clients: its JIT and GC are then not
 * the clients' and the broker's. Exactly one of the two is set. The cluster is reached by its addresses: it runs in the
 * bench JVM, or in a JVM of its own with {@code ONS_BRIDGE_BENCH_CLUSTER=process}.
 */
record BenchContext(BenchCluster cluster, OnsBridgeServer bridge, BridgeProcess process, String accessKeyId, String accessKeySecret) {

    /** The bridge in the bench JVM, for the benchmarks that reach into it (its collector, its MQTT devices). */
    @Override
    public OnsBridgeServer bridge() {
        if (bridge == null) {
            throw new IllegalStateException("this benchmark reaches into the bridge's JVM: run it without ONS_BRIDGE_BENCH_BRIDGE=process");
        }
        return bridge;
    }

    /** The bridge's HTTP port on loopback, wherever it runs. */
    int bridgePort() {
        return process != null ? process.httpPort() : bridge.port();
    }

    com.aliyun.ons20190214.Client tea() throws Exception {
        return tea(bridgePort(), accessKeyId, accessKeySecret);
    }

    /** A Tea SDK client of a bridge on loopback at {@code port}, signed with the given pair. */
    static com.aliyun.ons20190214.Client tea(int port, String accessKeyId, String accessKeySecret) throws Exception {
        return new com.aliyun.ons20190214.Client(new Config().setAccessKeyId(accessKeyId).setAccessKeySecret(accessKeySecret)
                .setEndpoint("127.0.0.1:" + port).setProtocol("HTTP").setRegionId("cn-hangzhou"));
    }

    /** A started admin client of the benchmark's own, on the cluster's name server; the caller shuts it down. */
    DefaultMQAdminExt admin(String name) throws Exception {
        DefaultMQAdminExt admin = new DefaultMQAdminExt();
        admin.setNamesrvAddr(cluster.namesrvAddr());
        admin.setInstanceName("bench-" + name + "-" + System.nanoTime());
        admin.start();
        return admin;
    }

    /** One client for every read of {@code /metrics}: a JDK client per read would leave a selector thread each. */
    final class Metrics {
        static final java.net.http.HttpClient HTTP = java.net.http.HttpClient.newHttpClient();

        private Metrics() {
        }
    }

    /** The text of the {@code /metrics} of the bridge on loopback at {@code port}. */
    static String metrics(int port) throws Exception {
        return Metrics.HTTP.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create("http://127.0.0.1:" + port + "/metrics"))
                .build(), java.net.http.HttpResponse.BodyHandlers.ofString()).body();
    }

    /** The value of one unlabelled series (a counter or a gauge) of the {@code /metrics} of the bridge on loopback at {@code port}. */
    static double metric(int port, String name) throws Exception {
        return metrics(port).lines().filter(l -> l.startsWith(name + " ")).mapToDouble(l -> Double.parseDouble(l.substring(name.length() + 1).trim()))
                .findFirst().orElseThrow(() -> new IllegalStateException("no series " + name + " in /metrics"));
    }

    /** The bridge's request histogram now: by action, its sum (s) and count since the bridge started. */
    java.util.Map<String, double[]> serverTimes() throws Exception {
        java.util.Map<String, double[]> times = new java.util.TreeMap<>();
        java.util.regex.Pattern line = java.util.regex.Pattern.compile("ons_bridge_request_duration_seconds_(sum|count)\\{action=\"([^\"]+)\"} (\\S+)");
        metrics(bridgePort()).lines().map(line::matcher).filter(java.util.regex.Matcher::matches).forEach(m ->
                times.computeIfAbsent(m.group(2), a -> new double[2])[m.group(1).equals("sum") ? 0 : 1] = Double.parseDouble(m.group(3)));
        return times;
    }

    /** The bridge's mean time per call of each action called since {@code before} (a {@link #serverTimes()}), in µs. */
    String serverTimesSince(java.util.Map<String, double[]> before) throws Exception {
        StringBuilder text = new StringBuilder();
        serverTimes().forEach((action, now) -> {
            double[] then = before.getOrDefault(action, new double[2]);
            double calls = now[1] - then[1];
            if (calls > 0) {
                text.append(text.isEmpty() ? "" : ", ").append(String.format(java.util.Locale.ROOT, "%s %.0f us (%.0f calls)", action,
                        (now[0] - then[0]) * 1e6 / calls, calls));
            }
        });
        return text.toString();
    }

    /**
     * The bridge's own time per action, from its request histogram (sum and count since it started, warm-up
     * included) for the actions {@code action} accepts: what the SDK's round trip leaves; and how many calls took
     * the bridge more than 5 ms and 10 ms (from its buckets), to tell a tail made in the bridge from one made outside.
     */
    void printServerTimes(String label, java.util.function.Predicate<String> action) throws Exception {
        metrics(bridgePort()).lines().filter(l -> l.startsWith("ons_bridge_request_duration_seconds_sum")
                        || l.startsWith("ons_bridge_request_duration_seconds_count")
                        || l.startsWith("ons_bridge_request_duration_seconds_bucket") && (l.contains("le=\"0.005\"") || l.contains("le=\"0.01\"")))
                .filter(action).forEach(l -> System.out.println(label + ": " + l));
    }
}
