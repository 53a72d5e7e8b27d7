package io.onsbridge.it;

import static io.onsbridge.it.InstanceIT.assertTeaError;
import static io.onsbridge.it.TopicIT.awaitUntil;
import static org.assertj.core.api.Assertions.assertThat;

import com.aliyun.ons20190214.models.OnsGroupCreateRequest;
import com.aliyun.ons20190214.models.OnsTopicCreateRequest;
import com.aliyun.ons20190214.models.OnsTrendGroupOutputTpsRequest;
import com.aliyun.ons20190214.models.OnsTrendTopicInputTpsRequest;
import com.aliyun.ons20190214.models.OnsTrendTopicInputTpsResponseBody.OnsTrendTopicInputTpsResponseBodyDataRecordsStatsDataDo;
import io.onsbridge.OnsBridgeServer;
import io.onsbridge.junit.OnsBridgeEnvironment;
import io.onsbridge.junit.OnsBridgeTest;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.rocketmq.client.consumer.DefaultMQPullConsumer;
import org.apache.rocketmq.client.consumer.DefaultMQPushConsumer;
import org.apache.rocketmq.client.consumer.PullResult;
import org.apache.rocketmq.client.consumer.PullStatus;
import org.apache.rocketmq.common.message.MessageExt;
import org.apache.rocketmq.common.message.MessageQueue;
import org.apache.rocketmq.remoting.protocol.admin.TopicStatsTable;
import org.junit.jupiter.api.Test;

/** The trend curves against real traffic: input exact from the store, output from the bridge's offset samples. */
@OnsBridgeTest
class StatsIT {
    private static final long MINUTE = 60_000;
    private final Bridge bridge;

    StatsIT(OnsBridgeEnvironment env) {
        this.bridge = Bridge.of(env);
    }

    @Test
    void inputCurveCountsEveryStoredMessageExactlyInItsMinute() throws Exception {
        String instance = bridge.newInstance("input");
        var tea = bridge.tea();
        tea.onsTopicCreate(new OnsTopicCreateRequest().setInstanceId(instance).setTopic("Input").setMessageType(0));
        long begin = System.currentTimeMillis() - 10 * MINUTE;
        Sampling.send(bridge, instance, "Input", 37);
        Sampling.send(bridge, instance, "Input", 20);
        String brokerTopic = instance + "%Input";
        // Wait for the broker to have indexed all of them (its own figures), then ask once.
        awaitUntil(Duration.ofSeconds(10), () -> assertThat(stored(brokerTopic)).isEqualTo(57));
        long end = System.currentTimeMillis() + 2 * MINUTE; // past the newest message: the lookup answers the queue's end
        List<OnsTrendTopicInputTpsResponseBodyDataRecordsStatsDataDo> points = tea.onsTrendTopicInputTps(new OnsTrendTopicInputTpsRequest()
                .setInstanceId(instance).setTopic("Input").setType(0).setPeriod(1L).setBeginTime(begin).setEndTime(end))
                .getBody().getData().getRecords().getStatsDataDo();
        assertThat(points).hasSize((int) ((end - Math.floorDiv(begin, MINUTE) * MINUTE) / MINUTE) + 1);
        assertThat(points.stream().mapToDouble(p -> p.getY()).sum()).isEqualTo(57.0);
        // Each message in the minute it was stored in, checked against the store times read by a pull consumer.
        Map<Long, Float> curve = new TreeMap<>();
        points.forEach(p -> curve.put(p.getX(), p.getY()));
        Map<Long, Float> expected = new TreeMap<>();
        curve.keySet().forEach(x -> expected.put(x, 0f));
        storeTimes(brokerTopic).forEach(t -> expected.merge(Math.floorDiv(t, MINUTE) * MINUTE, 1f, Float::sum));
        assertThat(curve).isEqualTo(expected);

        var tps = tea.onsTrendTopicInputTps(new OnsTrendTopicInputTpsRequest().setInstanceId(instance).setTopic("Input").setType(1)
                .setPeriod(1L).setBeginTime(begin).setEndTime(end)).getBody().getData();
        assertThat(tps.getRecords().getStatsDataDo()).allSatisfy(p -> assertThat(p.getY()).isEqualTo(curve.get(p.getX()) / 60f));
        assertThat(tps.getTitle()).isEqualTo(instance + "%Input 接收 TPS 趋势图");

        var legacy = new com.aliyuncs.ons.model.v20190214.OnsTrendTopicInputTpsRequest();
        legacy.setInstanceId(instance);
        legacy.setTopic("Input");
        legacy.setType(0);
        legacy.setBeginTime(begin);
        legacy.setEndTime(end);
        var data = bridge.legacy(legacy).getData();
        assertThat(data.getRecords()).hasSizeBetween(2, 3).allSatisfy(p -> assertThat(p.getX() % (10 * MINUTE)).isZero()); // default Period 10
        assertThat(data.getRecords().stream().mapToDouble(p -> p.getY()).sum()).isEqualTo(57.0);
        assertThat(data.getXUnit()).isEqualTo("time");

        assertTeaError(() -> tea.onsTrendTopicInputTps(new OnsTrendTopicInputTpsRequest().setInstanceId(instance).setTopic("Input")
                .setType(0).setPeriod(1L).setBeginTime(0L).setEndTime(2 * 24 * 60 * MINUTE)), "BIZ_FIELD_CHECK_INVALID", 400, "EndTime");
        assertTeaError(() -> tea.onsTrendTopicInputTps(new OnsTrendTopicInputTpsRequest().setInstanceId(instance).setTopic("Input")
                .setType(0).setPeriod(3L).setBeginTime(begin).setEndTime(end)), "BIZ_FIELD_CHECK_INVALID", 400, "Period");
        assertTeaError(() -> tea.onsTrendTopicInputTps(new OnsTrendTopicInputTpsRequest().setInstanceId(instance).setTopic("Nowhere")
                .setType(0).setBeginTime(begin).setEndTime(end)), "BIZ_TOPIC_NOT_FOUND", 404, "Nowhere");
    }

    @Test
    void outputCurveSumsToTheConsumedCountAndIsZeroBeforeSamplingBegan() throws Exception {
        String instance = bridge.newInstance("output");
        var shared = bridge.tea();
        shared.onsTopicCreate(new OnsTopicCreateRequest().setInstanceId(instance).setTopic("Output").setMessageType(0));
        shared.onsGroupCreate(new OnsGroupCreateRequest().setInstanceId(instance).setGroupId("GID_reader"));
        long begin = System.currentTimeMillis() - MINUTE;
        Sampling.commitStart(bridge, instance, "GID_reader", "Output");
        try (OnsBridgeServer server = Sampling.fastBridge(bridge)) {
            var tea = Bridge.tea("127.0.0.1:" + server.port(), bridge.accessKeyId, bridge.accessKeySecret);
            // The bridge has sampled the group (offset 0) before anything is consumed.
            Map<String, String> labels = Map.of("group", instance + "%GID_reader", "topic", instance + "%Output");
            awaitUntil(Duration.ofSeconds(15), () -> assertThat(Scrape.of(server.endpoint())
                    .gauge("ons_bridge_consumer_backlog_messages", labels)).contains(0.0));
            Map<String, Integer> received = new ConcurrentHashMap<>();
            DefaultMQPushConsumer consumer = Sampling.consumer(bridge, instance, "GID_reader", "Output", received);
            try {
                Sampling.send(bridge, instance, "Output", 25);
                awaitUntil(Duration.ofSeconds(60), () -> assertThat(received).hasSize(25)); // generous: a loaded machine delays the first rebalance
                // Within a commit (1 s) and a sampling interval (1 s) the curve has every consumed message, and no more.
                awaitUntil(Duration.ofSeconds(10), () -> assertThat(outputSum(tea, instance, begin, 0)).isEqualTo(25.0));
            } finally {
                consumer.shutdown();
            }
            assertThat(outputSum(tea, instance, begin, 1)).isEqualTo(25.0 / 60, org.assertj.core.data.Offset.offset(1e-4));
            long hoursAgo = System.currentTimeMillis() - 3 * 60 * MINUTE;
            var before = tea.onsTrendGroupOutputTps(new OnsTrendGroupOutputTpsRequest().setInstanceId(instance).setGroupId("GID_reader")
                    .setTopic("Output").setType(0).setBeginTime(hoursAgo).setEndTime(hoursAgo + 60 * MINUTE)).getBody().getData();
            assertThat(before.getRecords().getStatsDataDo()).hasSizeBetween(6, 7).allSatisfy(p -> assertThat(p.getY()).isZero());
            assertThat(before.getTitle()).isEqualTo(instance + "%Output@" + instance + "%GID_reader 投递 总量 趋势图");
            assertTeaError(() -> tea.onsTrendGroupOutputTps(new OnsTrendGroupOutputTpsRequest().setInstanceId(instance)
                    .setGroupId("GID_nobody").setTopic("Output").setType(0).setBeginTime(begin).setEndTime(begin)),
                    "BIZ_SUBSCRIPTION_NOT_FOUND", 404, "GID_nobody");
        }
    }

    private static double outputSum(com.aliyun.ons20190214.Client tea, String instance, long begin, int type) throws Exception {
        return tea.onsTrendGroupOutputTps(new OnsTrendGroupOutputTpsRequest().setInstanceId(instance).setGroupId("GID_reader")
                        .setTopic("Output").setType(type).setPeriod(1L).setBeginTime(begin).setEndTime(System.currentTimeMillis() + MINUTE))
                .getBody().getData().getRecords().getStatsDataDo().stream().mapToDouble(p -> p.getY()).sum();
    }

    private long stored(String brokerTopic) throws Exception {
        TopicStatsTable stats = bridge.admin().examineTopicStats(brokerTopic);
        return stats.getOffsetTable().values().stream().mapToLong(o -> o.getMaxOffset() - o.getMinOffset()).sum();
    }

    /** The store time of every message of the topic, read queue by queue. */
    private List<Long> storeTimes(String brokerTopic) throws Exception {
        DefaultMQPullConsumer reader = new DefaultMQPullConsumer("it_stats_reader");
        reader.setNamesrvAddr(bridge.cluster.namesrvAddr());
        reader.setInstanceName("it-stats-reader-" + System.nanoTime());
        reader.start();
        try {
            List<Long> times = new java.util.ArrayList<>();
            for (MessageQueue queue : bridge.admin().examineTopicStats(brokerTopic).getOffsetTable().keySet()) {
                long offset = 0;
                PullResult result;
                while ((result = reader.pull(queue, "*", offset, 32)).getPullStatus() == PullStatus.FOUND) {
                    result.getMsgFoundList().stream().map(MessageExt::getStoreTimestamp).forEach(times::add);
                    offset = result.getNextBeginOffset();
                }
            }
            return times;
        } finally {
            reader.shutdown();
        }
    }
}
