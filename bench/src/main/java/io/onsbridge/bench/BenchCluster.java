package io.onsbridge.bench;

/**
 * The run's RocketMQ cluster as the benchmarks reach it: by address only, so that it can run in the bench JVM or in a
 * JVM of its own ({@code ONS_BRIDGE_BENCH_CLUSTER=process}, {@link ClusterProcess}).
 */
record BenchCluster(String namesrvAddr, String brokerAddr) {
}
