package io.onsbridge.bench;

import com.aliyun.teaopenapi.models.Config;
import io.onsbridge.OnsBridgeServer;
import io.onsbridge.embedded.EmbeddedCluster;
import org.apache.rocketmq.tools.admin.DefaultMQAdminExt;

/** What every benchmark gets: the cluster, the bridge and a Tea SDK client signed for it. */
record BenchContext(EmbeddedCluster cluster, OnsBridgeServer bridge, String accessKeyId, String accessKeySecret) {

    com.aliyun.ons20190214.Client tea() throws Exception {
        return tea(bridge.port(), accessKeyId, accessKeySecret);
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

    /** The value of one unlabelled series (a counter or a gauge) of the {@code /metrics} of the bridge on loopback at {@code port}. */
    static double metric(int port, String name) throws Exception {
        String metrics = Metrics.HTTP.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create("http://127.0.0.1:" + port + "/metrics"))
                .build(), java.net.http.HttpResponse.BodyHandlers.ofString()).body();
        return metrics.lines().filter(l -> l.startsWith(name + " ")).mapToDouble(l -> Double.parseDouble(l.substring(name.length() + 1).trim()))
                .findFirst().orElseThrow(() -> new IllegalStateException("no series " + name + " in /metrics"));
    }

    /**
     * The bridge's own time per action, from its request histogram (sum and count since it started, warm-up
     * included) for the actions {@code action} accepts: what the SDK's round trip leaves; and how many calls took
     * the bridge more than 5 ms and 10 ms (from its buckets), to tell a tail made in the bridge from one made outside.
     */
    void printServerTimes(String label, java.util.function.Predicate<String> action) throws Exception {
        var http = java.net.http.HttpClient.newHttpClient();
        String metrics = http.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create("http://127.0.0.1:" + bridge.port() + "/metrics"))
                .build(), java.net.http.HttpResponse.BodyHandlers.ofString()).body();
        metrics.lines().filter(l -> l.startsWith("ons_bridge_request_duration_seconds_sum") || l.startsWith("ons_bridge_request_duration_seconds_count")
                        || l.startsWith("ons_bridge_request_duration_seconds_bucket") && (l.contains("le=\"0.005\"") || l.contains("le=\"0.01\"")))
                .filter(action).forEach(l -> System.out.println(label + ": " + l));
    }
}
