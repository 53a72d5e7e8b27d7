package io.onsbridge.bench;

import com.aliyun.ons20190214.models.OnsConsumerAccumulateRequest;
import com.aliyun.ons20190214.models.OnsGroupCreateRequest;
import com.aliyun.ons20190214.models.OnsInstanceCreateRequest;
import com.aliyun.ons20190214.models.OnsTopicCreateRequest;
import com.aliyun.ons20190214.models.OnsTopicListRequest;
import com.aliyun.ons20190214.models.OnsTopicStatusRequest;
import io.onsbridge.bench.PairedLatency.Call;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.apache.rocketmq.tools.admin.DefaultMQAdminExt;

/**
 * Read actions through the Tea SDK against the same answer got directly with {@code MQAdminExt}, made
 * the way a user of it would (goal: at most 1.2x at p50). Every pair is warmed up for a few seconds first
 * (the SDK's code is cold otherwise, while RocketMQ's remoting is hot from the broker in this JVM).
 * <ul>
 *   <li>floor, no goal: OnsRegionList through the SDK, which makes no cluster call at all, against the same
 *       call as a raw signed GET;</li>
 *   <li>OnsTopicList: {@code examineBrokerClusterInfo} and {@code getAllTopicConfig} of each master (names,
 *       perms, message types); and, without goal, {@code getAllTopicConfig} of a known master alone;</li>
 *   <li>OnsTopicStatus: {@code examineTopicStats} and {@code examineTopicConfig} (TotalCount and
 *       LastTimeStamp, Perm); and, without goal, {@code examineTopicStats} alone;</li>
 *   <li>OnsConsumerAccumulate: {@code examineConsumeStats} and {@code examineConsumerConnectionInfo}
 *       (backlog, Online), once caught up and once with a backlog on every queue; and, without goal,
 *       {@code examineConsumeStats} alone. With a backlog the bridge also reads the first unconsumed
 *       message of each queue for DelayTime, which the stats do not give: the baseline does not.</li>
 * </ul>
 */
final class AdminLatencyBenchmark {
    private static final String TOPIC = "Latency";
    private static final String GROUP = "GID_bench_latency";
    private static final int MESSAGES = 800;
    private static final Duration WARMUP = Duration.ofSeconds(4);
    private static final int RUNS = 5;
    private static final int CALLS_PER_RUN = 30;

    private final BenchContext context;

    AdminLatencyBenchmark(BenchContext context) {
        this.context = context;
    }

    List<ResultRow> run() throws Exception {
        var tea = context.tea();
        String instance = tea.onsInstanceCreate(new OnsInstanceCreateRequest().setInstanceName("bench_latency"))
                .getBody().getData().getInstanceId();
        tea.onsTopicCreate(new OnsTopicCreateRequest().setInstanceId(instance).setTopic(TOPIC).setMessageType(0));
        tea.onsGroupCreate(new OnsGroupCreateRequest().setInstanceId(instance).setGroupId(GROUP));
        String topic = instance + "%" + TOPIC;
        String group = instance + "%" + GROUP;
        KeyedMessages.send(context.cluster().namesrvAddr(), instance, TOPIC, "GID_bench_latency_producer", MESSAGES);
        DefaultMQAdminExt admin = context.admin("latency");
        try {
            String master = context.cluster().brokerAddr();
            List<ResultRow> rows = new ArrayList<>();
            // The JVM settles first (run alone, this benchmark starts right after the cluster and the bridge):
            // the SDK and HTTP path every row shares, called for a while before any row is measured.
            long settled = System.nanoTime() + WARMUP.toNanos();
            while (System.nanoTime() < settled) {
                DirectReads.expect(tea.onsRegionList().getBody().getData().getRegionDo().size() == 1, "one region");
                DirectReads.expect(tea.onsTopicList(new OnsTopicListRequest().setInstanceId(instance)).getBody().getData()
                        .getPublishInfoDo().size() == 1, "one topic listed");
            }
            PairedLatency list = PairedLatency.measure("admin: OnsTopicList", WARMUP, RUNS, CALLS_PER_RUN,
                    () -> DirectReads.expect(tea.onsTopicList(new OnsTopicListRequest().setInstanceId(instance)).getBody().getData()
                            .getPublishInfoDo().size() == 1, "one topic listed"),
                    () -> DirectReads.expect(DirectReads.allTopicConfigs(admin).contains(topic), "the topic"));
            rows.add(row("OnsTopicList via SDK (vs cluster info + getAllTopicConfig)", list));
            PairedLatency listOne = PairedLatency.measure("admin: OnsTopicList vs one call", WARMUP, RUNS, CALLS_PER_RUN,
                    () -> DirectReads.expect(tea.onsTopicList(new OnsTopicListRequest().setInstanceId(instance)).getBody().getData()
                            .getPublishInfoDo().size() == 1, "one topic listed"),
                    () -> DirectReads.expect(admin.getAllTopicConfig(master, 5_000).getTopicConfigTable().containsKey(topic), "the topic"));
            rows.add(ResultRow.info("OnsTopicList via SDK (vs getAllTopicConfig of a known master alone)", "ms",
                    listOne.measured(), listOne.baseline()));

            Call topicStatus = () -> DirectReads.expect(tea.onsTopicStatus(new OnsTopicStatusRequest().setInstanceId(instance).setTopic(TOPIC))
                    .getBody().getData().getTotalCount() == MESSAGES, MESSAGES + " messages");
            Call topicStats = () -> DirectReads.expect(admin.examineTopicStats(topic).getOffsetTable().values().stream()
                    .mapToLong(o -> o.getMaxOffset() - o.getMinOffset()).sum() == MESSAGES, MESSAGES + " messages");
            PairedLatency status = PairedLatency.measure("admin: OnsTopicStatus", WARMUP, RUNS, CALLS_PER_RUN, topicStatus, () -> {
                topicStats.run();
                DirectReads.expect(admin.examineTopicConfig(master, topic).getPerm() == 6, "perm 6");
            });
            rows.add(row("OnsTopicStatus via SDK (vs examineTopicStats + examineTopicConfig)", status));
            PairedLatency statusOne = PairedLatency.measure("admin: OnsTopicStatus vs one call", WARMUP, RUNS, CALLS_PER_RUN,
                    topicStatus, topicStats);
            rows.add(ResultRow.info("OnsTopicStatus via SDK (vs examineTopicStats alone)", "ms", statusOne.measured(), statusOne.baseline()));

            for (int behind : new int[] {0, 10}) {
                long backlog = KeyedMessages.commitOffsets(admin, topic, group, behind);
                String label = behind == 0 ? "caught up" : "backlog";
                Call accumulate = () -> DirectReads.expect(tea.onsConsumerAccumulate(new OnsConsumerAccumulateRequest().setInstanceId(instance)
                        .setGroupId(GROUP)).getBody().getData().getTotalDiff() == backlog, "a backlog of " + backlog);
                Call consumeStats = () -> DirectReads.expect(admin.examineConsumeStats(group).computeTotalDiff() == backlog, "a backlog of " + backlog);
                PairedLatency both = PairedLatency.measure("admin: OnsConsumerAccumulate, backlog " + backlog, WARMUP, RUNS,
                        CALLS_PER_RUN, accumulate, () -> {
                            consumeStats.run();
                            DirectReads.expect(!DirectReads.online(admin, group), "no consumer online");
                        });
                rows.add(row("OnsConsumerAccumulate via SDK, " + label + " (vs examineConsumeStats + connections)", both));
                PairedLatency one = PairedLatency.measure("admin: OnsConsumerAccumulate vs one call, backlog " + backlog, WARMUP, RUNS,
                        CALLS_PER_RUN, accumulate, consumeStats);
                rows.add(ResultRow.info("OnsConsumerAccumulate via SDK, " + label + " (vs examineConsumeStats alone)", "ms",
                        one.measured(), one.baseline()));
            }
            // Measured last, when the JVM is warmest (first, it caught the start's compilation and GC), shown
            // first. The floor of every row here: the SDK and the bridge's HTTP path without any cluster call, and
            // the same call made as a raw signed GET on a new connection, which leaves the SDK out.
            HttpLoad raw = new HttpLoad(context.bridgePort(), "OnsRegionList", context.accessKeyId(), context.accessKeySecret());
            PairedLatency floor = PairedLatency.measure("admin: SDK floor, OnsRegionList via SDK vs raw signed GET", WARMUP, RUNS,
                    CALLS_PER_RUN,
                    () -> DirectReads.expect(tea.onsRegionList().getBody().getData().getRegionDo().size() == 1, "one region"),
                    () -> DirectReads.expect(raw.once().status() == 200, "HTTP 200"));
            rows.add(0, ResultRow.info("OnsRegionList via SDK, no cluster call (vs raw signed GET)", "ms", floor.measured(), floor.baseline()));
            return rows;
        } finally {
            admin.shutdown();
        }
    }

    private static ResultRow row(String name, PairedLatency latency) {
        return new ResultRow(name, "ms", latency.measured(), latency.baseline(), "<= 1.2x", latency.ratio() <= 1.2);
    }
}
