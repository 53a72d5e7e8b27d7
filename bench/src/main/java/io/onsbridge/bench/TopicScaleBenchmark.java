package io.onsbridge.bench;

import com.aliyun.ons20190214.models.OnsInstanceCreateRequest;
import com.aliyun.ons20190214.models.OnsTopicListRequest;
import com.aliyun.ons20190214.models.OnsTopicStatusRequest;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.rocketmq.common.TopicConfig;
import org.apache.rocketmq.common.constant.PermName;
import org.apache.rocketmq.tools.admin.DefaultMQAdminExt;

/**
 * OnsTopicList through the Tea SDK with 10, 100, 1,000 and 10,000 topics in one instance: the cost per
 * listed topic against the cost per topic at 10 topics (goal: flat, so at most 1x; 10k listed in under
 * a second). Topics are made straight on the broker in batches, as mqadmin updateTopicList would (the
 * bridge lists those too), with the message type attribute OnsTopicCreate sets.
 *
 * <p>At 100 and at 10,000 topics it also times OnsTopicCreate ({@link TopicCreateCost}): goal at most 1.2x.
 *
 * <p>The topics stay on the broker: every list of the cluster's topics pays for them afterwards, so
 * this runs last, and the run's cluster is thrown away with its directory.
 */
final class TopicScaleBenchmark {
    private static final int[] SIZES = {10, 100, 1_000, 10_000};
    private static final int BATCH = 1_000;
    private static final int QUEUES = 8; // the bridge's default topic-queues
    /** The sizes OnsTopicCreate is timed at: a create must not cost more because the instance holds more topics. */
    private static final int CREATE_SMALL = 100;
    private static final int CREATE_LARGE = 10_000;

    private final BenchContext context;

    TopicScaleBenchmark(BenchContext context) {
        this.context = context;
    }

    List<ResultRow> run() throws Exception {
        var tea = context.tea();
        String instance = tea.onsInstanceCreate(new OnsInstanceCreateRequest().setInstanceName("bench_topics"))
                .getBody().getData().getInstanceId();
        HttpLoad raw = new HttpLoad(context.bridgePort(), "OnsTopicList", context.accessKeyId(), context.accessKeySecret(),
                Map.of("InstanceId", instance));
        DefaultMQAdminExt admin = context.admin("topics");
        try {
            List<ResultRow.Spread> perTopic = new ArrayList<>();
            List<Double> medians = new ArrayList<>();
            TopicCreateCost creates = new TopicCreateCost(context, tea, admin, instance);
            TopicCreateCost.Cost createSmall = null;
            TopicCreateCost.Cost createLarge = null;
            int made = 0;
            for (int size : SIZES) {
                long start = System.nanoTime();
                made = create(admin, instance, made, size);
                System.out.printf("topic list: %d topics in the instance (made in %.1f s); measuring...%n", size,
                        (System.nanoTime() - start) / 1e9);
                // Fewer calls where each is long; every run still several calls.
                int calls = size >= 10_000 ? 3 : size >= 1_000 ? 5 : 15;
                PairedLatency latency = PairedLatency.measure("topic list: OnsTopicList at " + size + " topics (SDK vs bytes only)", 3, 5, calls,
                        () -> {
                            int listed = tea.onsTopicList(new OnsTopicListRequest().setInstanceId(instance)).getBody().getData()
                                    .getPublishInfoDo().size();
                            if (listed != size) {
                                throw new IllegalStateException("listed " + listed + " topics, expected " + size);
                            }
                        },
                        () -> {
                            if (raw.once().status() != 200) {
                                throw new IllegalStateException("OnsTopicList failed");
                            }
                        });
                perTopic.add(perTopicMicros(latency.measured(), size));
                medians.add(latency.measured().median());
                // Not rows: what the broker's own answer costs (every list fetches the whole topic table), and
                // whether an action on one topic pays for the number of topics on the cluster.
                List<Double> fetch = new ArrayList<>();
                List<Double> status = new ArrayList<>();
                for (int i = 0; i < 7; i++) {
                    fetch.add(PairedLatency.millis(() -> admin.getAllTopicConfig(context.cluster().brokerAddr(), 5_000)));
                    status.add(PairedLatency.millis(() -> tea.onsTopicStatus(new OnsTopicStatusRequest().setInstanceId(instance).setTopic("T00000"))));
                }
                System.out.printf("topic list: with %d topics, getAllTopicConfig alone p50 %.2f ms; OnsTopicStatus of one topic p50 %.2f ms%n",
                        size, ResultRow.Spread.of(fetch.subList(2, 7)).median(), ResultRow.Spread.of(status.subList(2, 7)).median());
                if (size == CREATE_SMALL) {
                    createSmall = creates.measure(size);
                } else if (size == CREATE_LARGE) {
                    createLarge = creates.measure(size);
                }
            }
            // Each added topic should cost the same: compare the step from one size to the next.
            for (int i = 1; i < SIZES.length; i++) {
                System.out.printf("topic list: each topic added from %d to %d costs %.1f us%n", SIZES[i - 1], SIZES[i],
                        (medians.get(i) - medians.get(i - 1)) * 1_000 / (SIZES[i] - SIZES[i - 1]));
            }
            List<ResultRow> rows = new ArrayList<>();
            ResultRow.Spread base = perTopic.get(0);
            for (int i = 1; i < SIZES.length; i++) {
                ResultRow.Spread at = perTopic.get(i);
                boolean flat = at.median() <= base.median();
                boolean last = i == SIZES.length - 1;
                double totalMillis = at.median() * SIZES[i] / 1_000;
                rows.add(new ResultRow(String.format("OnsTopicList per topic at %,d topics (vs at 10)", SIZES[i]), "us", at, base,
                        last ? "<= 1x, < 1 s" : "<= 1x", flat && (!last || totalMillis < 1_000)));
            }
            rows.addAll(TopicCreateCost.rows(CREATE_SMALL, createSmall, CREATE_LARGE, createLarge));
            return rows;
        } finally {
            admin.shutdown();
        }
    }

    private static ResultRow.Spread perTopicMicros(ResultRow.Spread millis, int topics) {
        return new ResultRow.Spread(millis.min() * 1_000 / topics, millis.median() * 1_000 / topics, millis.max() * 1_000 / topics);
    }

    /** Makes topics {@code T<from>} to {@code T<to - 1>} of the instance on the master, a batch per call. */
    private int create(DefaultMQAdminExt admin, String instance, int from, int to) throws Exception {
        for (int start = from; start < to; start += BATCH) {
            List<TopicConfig> batch = new ArrayList<>();
            for (int i = start; i < Math.min(to, start + BATCH); i++) {
                batch.add(normalTopic(String.format("%s%%T%05d", instance, i)));
            }
            admin.createAndUpdateTopicConfigList(context.cluster().brokerAddr(), batch);
        }
        return to;
    }

    /** A normal topic's config as OnsTopicCreate sends it to a master (its queues, perm and message type). */
    static TopicConfig normalTopic(String brokerName) {
        TopicConfig config = new TopicConfig(brokerName, QUEUES, QUEUES, PermName.PERM_READ | PermName.PERM_WRITE);
        config.setAttributes(Map.of("+message.type", "NORMAL"));
        return config;
    }
}
