package io.onsbridge.domain.stats;

import io.onsbridge.cluster.Cluster;
import io.onsbridge.cluster.ClusterConsumers.GroupOffsets;
import io.onsbridge.cluster.ClusterConsumers.QueueOffsets;
import io.onsbridge.domain.consumer.Backlog;
import io.onsbridge.tracecollector.FailureLog;
import io.prometheus.metrics.core.metrics.GaugeWithCallback;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one background look at the consumers, every sampling interval: per group one consume-stats call
 * feeds three things, the offset samples of the output curves (stored in the cluster), the backlog and
 * delay gauges of /metrics, and the alarm rules. Cost is bounded: watched groups (those with alarm rules)
 * every round, the others a bounded window per round, in turns.
 */
public final class ConsumerSampler implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(ConsumerSampler.class);
    /** Bounds the gauges' label sets whatever the cluster holds. */
    static final int MAX_SERIES = 10_000;

    /** A group (broker name) on a topic (broker name, retry topics included). */
    public record Key(String group, String topic) {
    }

    /** What a round saw: messages not consumed, delay of the oldest of them, sum of committed offsets. */
    public record Figures(long backlog, long delayMillis, long consumed, long sampledAt) {
    }

    /**
     * What the last round cost: its wall time, and the CPU time of the sampler's own thread in it (the reads
     * it hands to the cluster's pool and the client's I/O threads aside), against the interval.
     */
    public record Round(int groups, double seconds, double cpuSeconds) {
    }

    /** Told after every round, on the sampler's thread. */
    public interface Listener {
        /** Groups to look at every round. */
        Set<String> watchedGroups();

        void sampled(Map<Key, Figures> latest, long now);
    }

    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();
    private static final Duration LOG_QUIET = Duration.ofMinutes(5);

    private final Cluster cluster;
    private final OffsetSamples samples;
    private final FailureLog roundFailures = new FailureLog(log, LOG_QUIET);
    /** One log for every group: a cluster that refuses one group usually refuses them all. */
    private final FailureLog groupFailures = new FailureLog(log, LOG_QUIET);
    private final FailureLog writeFailures = new FailureLog(log, LOG_QUIET);
    private final Duration interval;
    private final int groupsPerRound;
    private final List<Listener> listeners = new ArrayList<>();
    private final ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread thread = new Thread(r, "ons-consumer-sampler");
        thread.setDaemon(true);
        return thread;
    });
    private volatile Map<Key, Figures> latest = Map.of();
    /** Per group, messages handed to HTTP consumers and not acked, by topic: backlog the brokers no longer count. */
    private volatile Function<String, Map<String, Long>> unacked = group -> Map.of();
    private volatile Round lastRound = new Round(0, 0, 0);
    private int cursor;

    public ConsumerSampler(Cluster cluster, Duration interval, int groupsPerRound) {
        this.cluster = cluster;
        this.samples = new OffsetSamples(cluster);
        if (interval.toMillis() < 1) {
            throw new IllegalArgumentException("the sampling interval must be positive (--sample-interval, seconds)");
        }
        this.interval = interval;
        this.groupsPerRound = Math.max(0, groupsPerRound);
    }

    /** Where HTTP (pop) consumers' unacked messages are counted (docs/mqhttp.md#seen-by-the-ons-api); none without. */
    public void countUnacked(Function<String, Map<String, Long>> unackedByTopic) {
        this.unacked = unackedByTopic;
    }

    public void addListener(Listener listener) {
        listeners.add(listener);
    }

    /** Backlog and delay per group and topic, as of the last round that saw them. */
    public void register(PrometheusRegistry registry) {
        GaugeWithCallback.builder().name("ons_bridge_consumer_backlog_messages")
                .help("Messages of the topic not yet consumed by the group (broker names), refreshed every sampling interval")
                .labelNames("group", "topic")
                .callback(cb -> latest.forEach((key, f) -> cb.call(f.backlog(), key.group(), key.topic())))
                .register(registry);
        GaugeWithCallback.builder().name("ons_bridge_consumer_delay_seconds")
                .help("Age of the group's oldest unconsumed message of the topic, refreshed every sampling interval")
                .labelNames("group", "topic")
                .callback(cb -> latest.forEach((key, f) -> cb.call(f.delayMillis() / 1000.0, key.group(), key.topic())))
                .register(registry);
        GaugeWithCallback.builder().name("ons_bridge_sampler_round_seconds")
                .help("How long the last round of looking at the consumers took (compare with the sampling interval)")
                .callback(cb -> cb.call(lastRound.seconds()))
                .register(registry);
        GaugeWithCallback.builder().name("ons_bridge_sampler_round_cpu_seconds")
                .help("CPU time the sampler's thread spent in the last round (the cluster reads it waits for aside)")
                .callback(cb -> cb.call(lastRound.cpuSeconds()))
                .register(registry);
    }

    public ConsumerSampler start() {
        scheduler.scheduleWithFixedDelay(this::round, 0, interval.toMillis(), TimeUnit.MILLISECONDS);
        return this;
    }

    public Duration interval() {
        return interval;
    }

    /** The last round's cost; zeros before the first round ends. */
    public Round lastRound() {
        return lastRound;
    }

    public Map<Key, Figures> latest() {
        return latest;
    }

    /** Offset samples of a group on a topic in {@code [from, to]}, from the cluster. */
    List<SampledCounts.Sample> samples(String brokerGroup, String brokerTopic, long from, long to) {
        return samples.read(brokerGroup, brokerTopic, from, to);
    }

    private void round() {
        try {
            long now = System.currentTimeMillis();
            long startNanos = System.nanoTime();
            long startCpu = THREADS.getCurrentThreadCpuTime();
            Set<String> groups = cluster.groups().configs().keySet();
            Set<String> visit = visit(groups);
            Map<Key, Figures> next = new HashMap<>();
            latest.forEach((key, figures) -> {
                if (groups.contains(key.group()) && !visit.contains(key.group())) {
                    next.put(key, figures); // groups not visited this round keep their last figures
                }
            });
            for (String group : visit) {
                sample(group, next);
            }
            latest = Map.copyOf(next);
            lastRound = new Round(visit.size(), (System.nanoTime() - startNanos) / 1e9,
                    (THREADS.getCurrentThreadCpuTime() - startCpu) / 1e9);
            for (Listener listener : listeners) {
                listener.sampled(latest, now);
            }
            roundFailures.succeeded("consumer sampling round");
        } catch (RuntimeException e) {
            roundFailures.failed("consumer sampling round", e);
        }
    }

    /** Watched groups, then the next window of the others. */
    private Set<String> visit(Set<String> groups) {
        Set<String> visit = new LinkedHashSet<>();
        for (Listener listener : listeners) {
            listener.watchedGroups().stream().filter(groups::contains).forEach(visit::add);
        }
        List<String> others = groups.stream().filter(g -> !visit.contains(g)).toList();
        for (int i = 0; i < Math.min(groupsPerRound, others.size()); i++) {
            visit.add(others.get((cursor + i) % others.size()));
        }
        cursor = others.isEmpty() ? 0 : (cursor + Math.min(groupsPerRound, others.size())) % others.size();
        return visit;
    }

    private void sample(String group, Map<Key, Figures> into) {
        try {
            // Stamped just before the read, not at the round's start: a round may take a while, and a sample
            // stamped earlier than its offsets were read would claim consumption before it happened.
            long now = System.currentTimeMillis();
            Optional<GroupOffsets> offsets = cluster.consumers().offsets(group);
            if (offsets.isEmpty()) {
                groupFailures.succeeded("sampling consumer groups");
                return; // no committed offsets yet: nothing to record
            }
            Map<String, Long> consumed = new TreeMap<>();
            for (QueueOffsets queue : offsets.get().queues()) {
                consumed.merge(queue.queue().topic(), Math.max(0, queue.consumerOffset()), Long::sum);
            }
            Backlog backlog = Backlog.read(offsets.get(), cluster, now).withInFlight(unacked.apply(group));
            backlog.byTopic().forEach((topic, b) -> {
                if (into.size() < MAX_SERIES || into.containsKey(new Key(group, topic))) {
                    into.put(new Key(group, topic), new Figures(b.totalDiff(), b.delayTime(), consumed.getOrDefault(topic, 0L), now));
                }
            });
            groupFailures.succeeded("sampling consumer groups");
            write(group, now, consumed);
        } catch (RuntimeException e) {
            // This group keeps its last figures; the others are still sampled.
            groupFailures.failed("sampling consumer group " + group, e);
        }
    }

    /** A sample that cannot be stored is lost for the curve; the gauges and alarms above still have their figures. */
    private void write(String group, long now, Map<String, Long> consumed) {
        try {
            samples.write(group, now, consumed);
            writeFailures.succeeded("storing offset samples");
        } catch (RuntimeException e) {
            writeFailures.failed("storing an offset sample of " + group, e);
        }
    }

    @Override
    public void close() {
        scheduler.shutdownNow();
        try {
            scheduler.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
