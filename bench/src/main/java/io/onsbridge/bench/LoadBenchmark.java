package io.onsbridge.bench;

import com.aliyun.ons20190214.models.OnsGroupCreateRequest;
import com.aliyun.ons20190214.models.OnsInstanceCreateRequest;
import com.aliyun.ons20190214.models.OnsTopicCreateRequest;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.apache.rocketmq.client.producer.DefaultMQProducer;
import org.apache.rocketmq.common.message.Message;

/**
 * {@code bin/bench load}: {@value #CLIENTS} signed Tea SDK clients at once for {@value #FULL_SECONDS} s
 * ({@code ONS_BRIDGE_BENCH_LOAD_SECONDS} shortens it to try it out) on the {@link LoadMix}, 5% writes,
 * against one client alone on the same mix for a quarter of that time, measured first in the same run.
 * Goals: no call fails, and this JVM's own resident memory (RssAnon) and thread count do not grow once
 * warmed up (the least-squares slope of 5 s samples taken after the first third of the run, against a
 * stated tolerance). VmRSS is reported too; it also counts the broker's commit log pages as the broker
 * maps them (RssFile), which is the store's page cache, not memory the JVM holds. The p99 and throughput against one client's have no goal: on 2 cores shared with the broker
 * 32 clients queue, and the ratio says by how much.
 */
final class LoadBenchmark {
    private static final int CLIENTS = 32;
    private static final int FULL_SECONDS = 60;
    private static final int SAMPLE_SECONDS = 5;
    /** Growth tolerated after the warm-up: below this a slope is noise (a GC cycle). */
    private static final double RSS_MIB_PER_MINUTE = 1.0;
    private static final double THREADS_PER_MINUTE = 1.0;
    private static final int TOPICS = 20;
    private static final int GROUPS = 10;
    private static final int KEYS = 200;

    private final BenchContext context;

    LoadBenchmark(BenchContext context) {
        this.context = context;
    }

    List<ResultRow> run() throws Exception {
        String env = System.getenv("ONS_BRIDGE_BENCH_LOAD_SECONDS");
        int seconds = env == null || env.isBlank() ? FULL_SECONDS : Integer.parseInt(env.trim());
        LoadMix.Target target = prepare();
        // Not kept: the SDK's and the bridge's code compiled before either phase is timed.
        phase("warm-up, 4 clients", target, 4, 5);
        Phase alone = phase("1 client", target, 1, Math.max(5, seconds / 4));
        Phase loaded = phase(CLIENTS + " clients", target, CLIENTS, seconds);
        List<ProcessSampler.Sample> samples = loaded.samples();
        // The JIT compiles and pools start threads up to their size for a while after the load begins.
        double warmup = seconds / 3.0;
        samples.forEach(s -> System.out.printf("load: [%4.0f s] VmRSS %.1f MiB (RssAnon %.1f, RssFile %.1f; committed heap %.0f, "
                        + "non-heap %.1f; direct buffers %.1f), %d threads%n", s.seconds(), s.rssMib(), s.anonMib(), s.fileMib(), s.heapMib(),
                s.nonHeapMib(), s.directMib(), s.threads()));
        double rssSlope = ProcessSampler.slopePerMinute(samples, warmup, ProcessSampler.Sample::rssMib);
        double anonSlope = ProcessSampler.slopePerMinute(samples, warmup, ProcessSampler.Sample::anonMib);
        double threadSlope = ProcessSampler.slopePerMinute(samples, warmup, ProcessSampler.Sample::threads);
        System.out.printf("load: after %.0f s, VmRSS %+.2f MiB/min (RssAnon %+.2f, RssFile %+.2f; committed heap %+.2f, non-heap %+.2f; "
                        + "direct buffers %+.2f), threads %+.2f/min%n", warmup, rssSlope,
                anonSlope, ProcessSampler.slopePerMinute(samples, warmup, ProcessSampler.Sample::fileMib),
                ProcessSampler.slopePerMinute(samples, warmup, ProcessSampler.Sample::heapMib),
                ProcessSampler.slopePerMinute(samples, warmup, ProcessSampler.Sample::nonHeapMib),
                ProcessSampler.slopePerMinute(samples, warmup, ProcessSampler.Sample::directMib), threadSlope);
        samples.stream().filter(s -> s.seconds() >= warmup).findFirst().ifPresent(first -> System.out.printf(
                "load: threads by pool, changes from %.0f s to the end: %s%n", first.seconds(),
                ProcessSampler.poolChanges(first, samples.get(samples.size() - 1))));
        System.out.printf("load: growth %s (RssAnon slope < %.0f MiB/min and threads < %.0f/min after %.0f s)%n",
                anonSlope < RSS_MIB_PER_MINUTE && threadSlope < THREADS_PER_MINUTE ? "PASS" : "FAIL", RSS_MIB_PER_MINUTE,
                THREADS_PER_MINUTE, warmup);
        return rows(alone, loaded, new Slopes(rssSlope, anonSlope, threadSlope, warmup));
    }

    /** Least-squares slopes per minute of the samples after the warm-up (seconds). */
    private record Slopes(double rss, double anon, double threads, double warmup) {
    }

    private List<ResultRow> rows(Phase alone, Phase loaded, Slopes slopes) {
        List<ResultRow> rows = new ArrayList<>();
        long calls = loaded.record().all().size();
        rows.add(ResultRow.info(String.format("load: %d clients, %.0f%% writes, p50 / p99 / max (vs 1 client)", CLIENTS,
                LoadMix.WRITE_SHARE * 100), "ms", percentiles(loaded.record().all()), percentiles(alone.record().all())));
        // An action the lone client never drew (a short try-out may miss a write) has no baseline: NaN, not a made-up one.
        ResultRow.Spread none = new ResultRow.Spread(Double.NaN, Double.NaN, Double.NaN);
        loaded.record().byAction().forEach((action, nanos) -> rows.add(ResultRow.info("  " + action + " p50 / p99 / max (vs 1 client)",
                "ms", percentiles(nanos), alone.record().byAction().containsKey(action)
                        ? percentiles(alone.record().byAction().get(action)) : none)));
        rows.add(ResultRow.info("load: throughput, " + CLIENTS + " clients (vs 1 client)", "calls/s", same(loaded.throughput()),
                same(alone.throughput())));
        rows.add(new ResultRow("load: calls answered without error (vs calls made)", "calls", same(calls - loaded.record().errorCount()),
                same(calls), ">= 1x (0 errors)", loaded.record().errorCount() == 0));
        rows.add(new ResultRow(String.format("load: JVM RssAnon slope after %.0f s (vs tolerance)", slopes.warmup()), "MiB/min",
                same(slopes.anon()), same(RSS_MIB_PER_MINUTE), "<= 1x", slopes.anon() < RSS_MIB_PER_MINUTE));
        rows.add(ResultRow.info(String.format("  VmRSS slope after %.0f s, the broker's mapped commit log included (vs tolerance)",
                slopes.warmup()), "MiB/min", same(slopes.rss()), same(RSS_MIB_PER_MINUTE)));
        rows.add(new ResultRow(String.format("load: JVM threads slope after %.0f s (vs tolerance)", slopes.warmup()), "/min",
                same(slopes.threads()), same(THREADS_PER_MINUTE), "<= 1x", slopes.threads() < THREADS_PER_MINUTE));
        return rows;
    }

    /** One phase's record: every client's calls together, the calls per second of all of them, and the process samples. */
    private record Phase(LoadMix.Record record, double throughput, List<ProcessSampler.Sample> samples) {
    }

    private Phase phase(String label, LoadMix.Target target, int clients, int seconds) throws Exception {
        List<LoadMix> mixes = new ArrayList<>();
        for (int i = 0; i < clients; i++) {
            mixes.add(new LoadMix(context.tea(), target, i));
        }
        long start = System.nanoTime();
        long deadline = start + seconds * 1_000_000_000L;
        List<Thread> threads = new ArrayList<>();
        for (LoadMix mix : mixes) {
            Thread thread = new Thread(() -> {
                while (System.nanoTime() < deadline) {
                    mix.step();
                }
            }, "bench-load-client");
            thread.start();
            threads.add(thread);
        }
        List<ProcessSampler.Sample> samples;
        // Sampled from when every client runs until the deadline: not while the clients' threads end.
        try (ProcessSampler sampler = new ProcessSampler(SAMPLE_SECONDS)) {
            Thread.sleep(Math.max(0, (deadline - System.nanoTime()) / 1_000_000));
            samples = sampler.stop();
        }
        for (Thread thread : threads) {
            thread.join();
        }
        double elapsed = (System.nanoTime() - start) / 1e9;
        LoadMix.Record all = new LoadMix.Record();
        mixes.forEach(m -> all.addAll(m.record()));
        Phase phase = new Phase(all, all.all().size() / elapsed, samples);
        System.out.printf("load: %s, %.0f s: %d calls, %d failed, %.1f calls/s%n", label, elapsed, all.all().size(), all.errorCount(),
                phase.throughput());
        all.errors().forEach((code, count) -> System.out.printf("load:   error %s x %d%n", code, count));
        all.byAction().forEach((action, nanos) -> System.out.printf("load:   %-22s %6d calls, ms p50 / p99 / max %s%n", action,
                nanos.size(), percentiles(nanos)));
        return phase;
    }

    /** An instance with topics and groups, and messages with keys {@code K0..} on its first topic. */
    private LoadMix.Target prepare() throws Exception {
        var tea = context.tea();
        String instance = tea.onsInstanceCreate(new OnsInstanceCreateRequest().setInstanceName("bench_load")).getBody().getData().getInstanceId();
        List<String> topics = new ArrayList<>();
        List<String> groups = new ArrayList<>();
        for (int i = 0; i < TOPICS; i++) {
            topics.add(String.format("Load%02d", i));
            tea.onsTopicCreate(new OnsTopicCreateRequest().setInstanceId(instance).setTopic(topics.get(i)).setMessageType(0));
        }
        for (int i = 0; i < GROUPS; i++) {
            groups.add(String.format("GID_load%02d", i));
            tea.onsGroupCreate(new OnsGroupCreateRequest().setInstanceId(instance).setGroupId(groups.get(i)));
        }
        DefaultMQProducer producer = new DefaultMQProducer(instance, "GID_load_producer", null, false, null);
        producer.setNamesrvAddr(context.cluster().namesrvAddr());
        producer.setInstanceName("bench-load-" + System.nanoTime());
        producer.start();
        try {
            List<Message> batch = new ArrayList<>();
            for (int i = 0; i < KEYS; i++) {
                batch.add(new Message(topics.get(0), "TagA", "K" + i, new byte[100]));
            }
            producer.send(batch);
        } finally {
            producer.shutdown();
        }
        return new LoadMix.Target(instance, topics, groups, KEYS);
    }

    /** p50, p99 and max of call latencies, in milliseconds, in the min / median / max places of a row (the ratio is p99's). */
    private static ResultRow.Spread percentiles(List<Long> nanos) {
        List<Long> sorted = new ArrayList<>(nanos);
        Collections.sort(sorted);
        return new ResultRow.Spread(at(sorted, 0.50), at(sorted, 0.99), sorted.get(sorted.size() - 1) / 1e6);
    }

    private static double at(List<Long> sorted, double quantile) {
        return sorted.get((int) Math.ceil(quantile * sorted.size()) - 1) / 1e6;
    }

    private static ResultRow.Spread same(double value) {
        return new ResultRow.Spread(value, value, value);
    }
}
