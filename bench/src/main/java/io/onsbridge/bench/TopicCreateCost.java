package io.onsbridge.bench;

import com.aliyun.ons20190214.models.OnsGroupCreateRequest;
import com.aliyun.ons20190214.models.OnsGroupDeleteRequest;
import com.aliyun.ons20190214.models.OnsTopicCreateRequest;
import com.aliyun.ons20190214.models.OnsTopicDeleteRequest;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.apache.rocketmq.common.TopicConfig;
import org.apache.rocketmq.tools.admin.DefaultMQAdminExt;

/**
 * What one OnsTopicCreate costs with the instance holding a given number of topics, against the same
 * topic made directly with {@code createAndUpdateTopicConfig} on the master (the broker persists its whole
 * topic table on every create, so the direct create grows with the table too: that part is the broker's).
 * Each topic is new and is deleted right after, outside the timed part, so the instance keeps its size.
 * A new group is then created and deleted, both timed: a write of a group should not pay for the topics either.
 */
final class TopicCreateCost {
    private static final int WARMUP = 5;
    private static final int CREATES = 30;

    /**
     * Milliseconds per create through the bridge and directly, paired call by call; and, to see whether other
     * writes pay for the number of topics, per OnsGroupCreate and OnsGroupDelete of a new group.
     */
    record Cost(List<Double> bridge, List<Double> direct, List<Double> groupCreate, List<Double> groupDelete) {
        /** The bridge's own part of each create: its time less the direct create made next to it. */
        List<Double> bridgeOwn() {
            List<Double> own = new ArrayList<>();
            for (int i = 0; i < bridge.size(); i++) {
                own.add(bridge.get(i) - direct.get(i));
            }
            return own;
        }
    }

    private final BenchContext context;
    private final com.aliyun.ons20190214.Client tea;
    private final DefaultMQAdminExt admin;
    private final String instance;
    private int made;

    TopicCreateCost(BenchContext context, com.aliyun.ons20190214.Client tea, DefaultMQAdminExt admin, String instance) {
        this.context = context;
        this.tea = tea;
        this.admin = admin;
        this.instance = instance;
    }

    /** Alternates the two creates so that both see the same background load; the first few are not kept. */
    Cost measure(int topics) throws Exception {
        List<Double> bridge = new ArrayList<>();
        List<Double> direct = new ArrayList<>();
        List<Double> groupCreate = new ArrayList<>();
        List<Double> groupDelete = new ArrayList<>();
        String master = context.cluster().brokerAddr();
        for (int i = 0; i < WARMUP + CREATES; i++) {
            String name = String.format("Create%05d", made++);
            double viaBridge = PairedLatency.millis(() -> tea.onsTopicCreate(new OnsTopicCreateRequest().setInstanceId(instance)
                    .setTopic(name).setMessageType(0)));
            tea.onsTopicDelete(new OnsTopicDeleteRequest().setInstanceId(instance).setTopic(name));
            TopicConfig config = TopicScaleBenchmark.normalTopic(instance + "%Direct" + name);
            double directly = PairedLatency.millis(() -> admin.createAndUpdateTopicConfig(master, config));
            admin.deleteTopicInBroker(Set.of(master), config.getTopicName());
            admin.deleteTopicInNameServer(Set.of(context.cluster().namesrvAddr()), config.getTopicName());
            String group = "GID_" + name;
            double created = PairedLatency.millis(() -> tea.onsGroupCreate(new OnsGroupCreateRequest().setInstanceId(instance).setGroupId(group)));
            double deleted = PairedLatency.millis(() -> tea.onsGroupDelete(new OnsGroupDeleteRequest().setInstanceId(instance).setGroupId(group)));
            if (i >= WARMUP) {
                bridge.add(viaBridge);
                direct.add(directly);
                groupCreate.add(created);
                groupDelete.add(deleted);
            }
        }
        Cost cost = new Cost(bridge, direct, groupCreate, groupDelete);
        System.out.printf("topic create: with %d topics, OnsTopicCreate p50 %.2f ms, direct createAndUpdateTopicConfig p50 %.2f ms, "
                        + "the bridge's own part p50 %.2f ms (%d creates each)%n", topics, ResultRow.Spread.of(bridge).median(),
                ResultRow.Spread.of(direct).median(), ResultRow.Spread.of(cost.bridgeOwn()).median(), CREATES);
        System.out.printf("topic create: with %d topics, OnsGroupCreate p50 %.2f ms, OnsGroupDelete p50 %.2f ms%n", topics,
                ResultRow.Spread.of(groupCreate).median(), ResultRow.Spread.of(groupDelete).median());
        return cost;
    }

    /** The rows: the bridge's create at the larger size against the smaller (the goal), the direct create's and the bridge's own part. */
    static List<ResultRow> rows(int small, Cost atSmall, int large, Cost atLarge) {
        String sizes = String.format("at %,d topics (vs at %,d)", large, small);
        ResultRow.Spread bridge = ResultRow.Spread.of(atLarge.bridge());
        ResultRow.Spread bridgeBase = ResultRow.Spread.of(atSmall.bridge());
        return List.of(
                new ResultRow("OnsTopicCreate via SDK " + sizes, "ms", bridge, bridgeBase, "<= 1.2x",
                        bridge.median() <= 1.2 * bridgeBase.median()),
                ResultRow.info("  createAndUpdateTopicConfig direct " + sizes, "ms", ResultRow.Spread.of(atLarge.direct()),
                        ResultRow.Spread.of(atSmall.direct())),
                ResultRow.info("  OnsTopicCreate less the direct create " + sizes, "ms", ResultRow.Spread.of(atLarge.bridgeOwn()),
                        ResultRow.Spread.of(atSmall.bridgeOwn())),
                ResultRow.info("OnsGroupCreate via SDK " + sizes, "ms", ResultRow.Spread.of(atLarge.groupCreate()),
                        ResultRow.Spread.of(atSmall.groupCreate())),
                ResultRow.info("OnsGroupDelete via SDK " + sizes, "ms", ResultRow.Spread.of(atLarge.groupDelete()),
                        ResultRow.Spread.of(atSmall.groupDelete())));
    }
}
