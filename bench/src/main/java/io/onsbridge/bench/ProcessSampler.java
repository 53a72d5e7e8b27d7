package io.onsbridge.bench;

import java.io.IOException;
import java.lang.management.BufferPoolMXBean;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

/**
 * This JVM's resident memory and live threads, sampled at a fixed period while a load runs. The bench
 * JVM holds the embedded broker and name server, the bridge and the clients together: the figures are
 * theirs together. VmRSS counts the broker's mapped commit log pages once touched (RssFile) beside the
 * JVM's own memory (RssAnon), so both parts are kept to tell a growth apart.
 */
final class ProcessSampler implements AutoCloseable {
    /**
     * One sample: seconds since the start, MiB resident (all, anonymous, file-backed), MiB of heap the JVM
     * has committed (what G1 grows into while it sizes itself, a part of RssAnon), MiB of non-heap the JVM has
     * committed (JIT code, metaspace) and of direct buffers (Netty's), live threads, and live threads by name
     * with its digits left out (a pool's threads together), to tell which part grew.
     */
    record Sample(double seconds, double rssMib, double anonMib, double fileMib, double heapMib, double nonHeapMib, double directMib,
                  int threads, Map<String, Long> pools) {
    }

    private final List<Sample> samples = new ArrayList<>();
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread thread = new Thread(r, "bench-sampler");
        thread.setDaemon(true);
        return thread;
    });
    private final long start = System.nanoTime();

    ProcessSampler(long periodSeconds) {
        timer.scheduleAtFixedRate(this::sample, 0, periodSeconds, TimeUnit.SECONDS);
    }

    /** Stops sampling (a sample under way is finished, none is started); the samples in time order. */
    List<Sample> stop() throws InterruptedException {
        timer.shutdown();
        timer.awaitTermination(5, TimeUnit.SECONDS);
        synchronized (samples) {
            return List.copyOf(samples);
        }
    }

    @Override
    public void close() {
        timer.shutdownNow();
    }

    private void sample() {
        Sample sample = new Sample((System.nanoTime() - start) / 1e9, statusMib("VmRSS"), statusMib("RssAnon"), statusMib("RssFile"),
                ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getCommitted() / 1048576.0,
                ManagementFactory.getMemoryMXBean().getNonHeapMemoryUsage().getCommitted() / 1048576.0,
                ManagementFactory.getPlatformMXBeans(BufferPoolMXBean.class).stream().filter(p -> p.getName().equals("direct"))
                        .mapToLong(BufferPoolMXBean::getMemoryUsed).sum() / 1048576.0,
                ManagementFactory.getThreadMXBean().getThreadCount(),
                Thread.getAllStackTraces().keySet().stream().collect(Collectors.groupingBy(t -> t.getName().replaceAll("[0-9]+", "#"),
                        TreeMap::new, Collectors.counting())));
        synchronized (samples) {
            samples.add(sample);
        }
    }

    /** This JVM's CPU time so far, every thread's (clients, bridge and broker together), in nanoseconds. */
    static long cpuNanos() {
        return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean()).getProcessCpuTime();
    }

    /** The run's bridge's JVM when it runs apart ({@code ONS_BRIDGE_BENCH_BRIDGE=process}); set once, by BenchMain. */
    private static volatile ChildJvm bridgeJvm;
    /** The run's cluster's JVM when it runs apart ({@code ONS_BRIDGE_BENCH_CLUSTER=process}); set once, by BenchMain. */
    private static volatile ChildJvm clusterJvm;

    /** @param bridge the bridge's JVM, or null when it runs in this one; @param cluster the same for the cluster */
    static void countAlso(ChildJvm bridge, ChildJvm cluster) {
        bridgeJvm = bridge;
        clusterJvm = cluster;
    }

    /**
     * The CPU time of the run's JVMs so far, in nanoseconds: this one, plus the bridge's and the cluster's when they run
     * apart, so that a figure per call counts the same work wherever they run.
     */
    static long runCpuNanos() {
        return cpuNanos() + bridgeCpuNanos() + clusterCpuNanos();
    }

    /** The CPU time of the bridge's own JVM so far, in nanoseconds; 0 when the bridge runs in this one. */
    static long bridgeCpuNanos() {
        return childCpuNanos(bridgeJvm, false);
    }

    /** The CPU time of the cluster's own JVM so far, in nanoseconds; 0 when the cluster runs in this one. */
    static long clusterCpuNanos() {
        return childCpuNanos(clusterJvm, false);
    }

    static boolean bridgeApart() {
        return bridgeJvm != null;
    }

    /**
     * The CPU time the JIT compilers' threads have spent so far, in this JVM and in the bridge's and the cluster's when
     * they run apart, in nanoseconds: what a row measured while it grows fast says about the compiler as much as about
     * the bridge.
     */
    static long compilerCpuNanos() {
        try {
            return OWN_COMPILERS.nanos() + childCpuNanos(bridgeJvm, true) + childCpuNanos(clusterJvm, true);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException("reading the JIT compilers' CPU time", e);
        }
    }

    private static long childCpuNanos(ChildJvm jvm, boolean compilers) {
        try {
            return jvm == null ? 0 : compilers ? jvm.compilerCpuNanos() : jvm.cpuNanos();
        } catch (IOException e) {
            throw new java.io.UncheckedIOException("reading the CPU time of the JVM " + jvm.pid(), e);
        }
    }

    private static final ThreadCpu OWN_COMPILERS = new ThreadCpu(ProcessHandle.current().pid(), ProcessSampler::compiler);

    /** HotSpot's compiler threads: "C1 CompilerThread0", "C2 CompilerThread1"... (15 characters in /proc). */
    static boolean compiler(String threadName) {
        return threadName.startsWith("C1 CompilerThre") || threadName.startsWith("C2 CompilerThre");
    }

    /** A {@code kB} line of /proc/self/status in MiB; NaN where there is no such file (not Linux). */
    private static double statusMib(String field) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith(field + ":")) {
                    return Long.parseLong(line.substring(field.length() + 1).replace("kB", "").trim()) / 1024.0;
                }
            }
        } catch (IOException | NumberFormatException e) {
            return Double.NaN;
        }
        return Double.NaN;
    }

    /** Least-squares slope per minute of {@code value} over the samples taken at or after {@code fromSeconds}. */
    static double slopePerMinute(List<Sample> samples, double fromSeconds, java.util.function.ToDoubleFunction<Sample> value) {
        List<Sample> kept = samples.stream().filter(s -> s.seconds() >= fromSeconds).toList();
        double n = kept.size();
        double meanT = kept.stream().mapToDouble(Sample::seconds).sum() / n;
        double meanV = kept.stream().mapToDouble(value).sum() / n;
        double covariance = 0;
        double variance = 0;
        for (Sample s : kept) {
            covariance += (s.seconds() - meanT) * (value.applyAsDouble(s) - meanV);
            variance += (s.seconds() - meanT) * (s.seconds() - meanT);
        }
        return variance == 0 ? Double.NaN : covariance / variance * 60;
    }

    /** The pools whose number of live threads changed from one sample to another, with the change. */
    static Map<String, Long> poolChanges(Sample from, Sample to) {
        Map<String, Long> changes = new TreeMap<>();
        to.pools().forEach((pool, count) -> changes.put(pool, count - from.pools().getOrDefault(pool, 0L)));
        from.pools().keySet().forEach(pool -> changes.putIfAbsent(pool, -from.pools().get(pool)));
        changes.values().removeIf(change -> change == 0);
        return changes;
    }
}
