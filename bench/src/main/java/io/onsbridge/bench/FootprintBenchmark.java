package io.onsbridge.bench;

import com.aliyun.ons20190214.models.OnsGroupCreateRequest;
import com.aliyun.ons20190214.models.OnsGroupListRequest;
import com.aliyun.ons20190214.models.OnsInstanceBaseInfoRequest;
import com.aliyun.ons20190214.models.OnsInstanceCreateRequest;
import com.aliyun.ons20190214.models.OnsInstanceInServiceListRequest;
import com.aliyun.ons20190214.models.OnsTopicCreateRequest;
import com.aliyun.ons20190214.models.OnsTopicListRequest;
import com.aliyun.ons20190214.models.OnsTopicStatusRequest;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Issue 20's footprint figure: the bridge alone, in a JVM of its own ({@link BridgeProcess}) on the
 * bench's cluster, which is external to it (another process). Heap used after a full GC
 * ({@code jcmd GC.run}, then {@code GC.heap_info}) and the process's RSS, right after start and after a
 * warm-up of SDK reads and writes ({@code ONS_BRIDGE_BENCH_FOOTPRINT_SECONDS}, 30 s by default). No goal:
 * reported.
 */
final class FootprintBenchmark {
    private static final Pattern HEAP_USED = Pattern.compile("garbage-first heap\\s+total (\\d+)K, used (\\d+)K");
    private static final int TOPICS = 20;
    private static final int GROUPS = 10;

    private final BenchContext context;

    FootprintBenchmark(BenchContext context) {
        this.context = context;
    }

    /** What was measured at one moment, in MiB. */
    private record Footprint(double heapUsed, double heapCommitted, double rss, double rssAnon, double threads) {
    }

    List<ResultRow> run() throws Exception {
        String key = "LTAIfoot" + UUID.randomUUID().toString().substring(0, 8);
        String secret = UUID.randomUUID().toString();
        Path dir = Path.of(System.getProperty("java.io.tmpdir"), "footprint-bridge");
        try (BridgeProcess bridge = BridgeProcess.start(dir, context.cluster().namesrvAddr(), key, secret)) {
            Footprint started = measure(bridge);
            Duration warmup = Duration.ofSeconds(Long.parseLong(System.getenv().getOrDefault("ONS_BRIDGE_BENCH_FOOTPRINT_SECONDS", "30")));
            long calls = warmUp(BenchContext.tea(bridge.httpPort(), key, secret), warmup);
            Footprint warm = measure(bridge);
            System.out.printf("footprint: bridge alone (pid %d), after start: heap %.1f MiB used of %.1f, VmRSS %.1f MiB, RssAnon %.1f, "
                            + "%d threads; after %d calls in %d s: heap %.1f MiB used of %.1f, VmRSS %.1f MiB, RssAnon %.1f, %d threads%n",
                    bridge.pid(), started.heapUsed(), started.heapCommitted(), started.rss(), started.rssAnon(), (int) started.threads(),
                    calls, warmup.toSeconds(), warm.heapUsed(), warm.heapCommitted(), warm.rss(), warm.rssAnon(), (int) warm.threads());
            return List.of(
                    ResultRow.info("footprint: bridge heap used after GC, warmed up (vs just started)", "MiB", one(warm.heapUsed()),
                            one(started.heapUsed())),
                    ResultRow.info("footprint: bridge heap committed, warmed up (vs just started)", "MiB", one(warm.heapCommitted()),
                            one(started.heapCommitted())),
                    ResultRow.info("footprint: bridge VmRSS, warmed up (vs just started)", "MiB", one(warm.rss()), one(started.rss())),
                    ResultRow.info("footprint: bridge RssAnon, warmed up (vs just started)", "MiB", one(warm.rssAnon()), one(started.rssAnon())),
                    ResultRow.info("footprint: bridge threads, warmed up (vs just started)", "threads", one(warm.threads()),
                            one(started.threads())));
        }
    }

    private static Footprint measure(BridgeProcess bridge) throws Exception {
        bridge.jcmd("GC.run");
        Matcher heap = HEAP_USED.matcher(bridge.jcmd("GC.heap_info"));
        if (!heap.find()) {
            throw new IllegalStateException("no G1 heap figures in jcmd GC.heap_info");
        }
        return new Footprint(Long.parseLong(heap.group(2)) / 1024.0, Long.parseLong(heap.group(1)) / 1024.0,
                bridge.statusMiB("VmRSS"), bridge.statusMiB("RssAnon"), bridge.status("Threads"));
    }

    /** An instance with a few topics and groups, then reads of it in turn until {@code warmup} has passed; the calls made. */
    private static long warmUp(com.aliyun.ons20190214.Client tea, Duration warmup) throws Exception {
        String instance = tea.onsInstanceCreate(new OnsInstanceCreateRequest().setInstanceName("footprint")).getBody().getData().getInstanceId();
        for (int i = 0; i < TOPICS; i++) {
            tea.onsTopicCreate(new OnsTopicCreateRequest().setInstanceId(instance).setTopic("FootTopic_" + i).setMessageType(0));
        }
        for (int i = 0; i < GROUPS; i++) {
            tea.onsGroupCreate(new OnsGroupCreateRequest().setInstanceId(instance).setGroupId("GID_foot_" + i));
        }
        long calls = TOPICS + GROUPS + 1;
        long until = System.nanoTime() + warmup.toNanos();
        while (System.nanoTime() < until) {
            tea.onsTopicList(new OnsTopicListRequest().setInstanceId(instance));
            tea.onsGroupList(new OnsGroupListRequest().setInstanceId(instance));
            tea.onsTopicStatus(new OnsTopicStatusRequest().setInstanceId(instance).setTopic("FootTopic_" + calls % TOPICS));
            tea.onsInstanceBaseInfo(new OnsInstanceBaseInfoRequest().setInstanceId(instance));
            tea.onsInstanceInServiceList(new OnsInstanceInServiceListRequest());
            calls += 5;
        }
        return calls;
    }

    private static ResultRow.Spread one(double value) {
        return new ResultRow.Spread(value, value, value);
    }
}
