package io.onsbridge.domain.topic;

import static io.onsbridge.cluster.ClusterTopics.MessageType.DELAY;
import static io.onsbridge.cluster.ClusterTopics.MessageType.FIFO;
import static io.onsbridge.cluster.ClusterTopics.MessageType.NORMAL;
import static io.onsbridge.cluster.ClusterTopics.MessageType.TRANSACTION;
import static org.assertj.core.api.Assertions.assertThat;

import io.onsbridge.cluster.ClusterTopics.MessageType;
import io.onsbridge.cluster.ClusterTopics.TopicConfig;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class TopicViewTest {
    private static final String NAME = "X%orders";
    private static final String MASTER_A = "10.0.0.1:10911";
    private static final String MASTER_B = "10.0.0.2:10911";

    private final AtomicInteger recordReads = new AtomicInteger();

    private static TopicConfig config(int queues, int perm, MessageType type) {
        return new TopicConfig(NAME, queues, queues, perm, type);
    }

    private TopicView view(Map<String, TopicConfig> configs, TopicRecord record) {
        Supplier<TopicRecord> source = () -> {
            recordReads.incrementAndGet();
            return record;
        };
        return new TopicView(NAME, "orders", configs, source);
    }

    private TopicView view(TopicRecord record, TopicConfig... configs) {
        Map<String, TopicConfig> byMaster = new LinkedHashMap<>();
        for (int i = 0; i < configs.length; i++) {
            byMaster.put("10.0.0." + (i + 1) + ":10911", configs[i]);
        }
        return view(byMaster, record);
    }

    private static TopicRecord recorded(Integer messageType) {
        return new TopicRecord(null, null, null, messageType);
    }

    // --- MessageType -------------------------------------------------------------------------------

    @Test
    void fifoWithOneQueueInTheWholeClusterIsGlobalOrder() {
        assertThat(view(null, config(1, 6, FIFO)).messageType()).isEqualTo(TopicView.GLOBAL_ORDER).isEqualTo(2);
    }

    @Test
    void fifoWithMoreQueuesOnOneMasterIsPartitionOrder() {
        assertThat(view(null, config(8, 6, FIFO)).messageType()).isEqualTo(TopicView.PARTITION_ORDER).isEqualTo(1);
    }

    @Test
    void fifoWithOneQueueOnEachOfTwoMastersIsPartitionOrder() {
        TopicView topic = view(null, config(1, 6, FIFO), config(1, 6, FIFO));

        assertThat(topic.totalQueues()).isEqualTo(2);
        assertThat(topic.messageType()).isEqualTo(TopicView.PARTITION_ORDER);
    }

    @Test
    void globalOrderCountsWriteQueues() {
        // A global-order topic is one queue to write to; more readable queues do not change that.
        TopicView topic = view(Map.of(MASTER_A, new TopicConfig(NAME, 4, 1, 6, FIFO)), null);

        assertThat(topic.totalQueues()).isEqualTo(1);
        assertThat(topic.messageType()).isEqualTo(TopicView.GLOBAL_ORDER);
    }

    @ParameterizedTest
    @CsvSource({"TRANSACTION, 4", "DELAY, 5", "NORMAL, 0"})
    void otherBrokerTypes(MessageType type, int onsType) {
        assertThat(view(null, config(8, 6, type)).messageType()).isEqualTo(onsType);
        // One queue changes only FIFO.
        assertThat(view(null, config(1, 6, type)).messageType()).isEqualTo(onsType);
    }

    @Test
    void theBrokersTypeWinsOverTheRecordAndTheRecordIsNotRead() {
        TopicView topic = view(recorded(TopicView.DELAY), config(8, 6, TRANSACTION));

        assertThat(topic.messageType()).isEqualTo(TopicView.TRANSACTION);
        assertThat(recordReads).hasValue(0);
    }

    @ParameterizedTest
    @CsvSource({"0", "1", "2", "4", "5"})
    void withoutABrokerTypeTheRecordedTypeIsShown(int recordedType) {
        // RocketMQ 4 brokers keep no message.type: a global-order topic there shows as recorded.
        assertThat(view(recorded(recordedType), config(8, 6, null)).messageType()).isEqualTo(recordedType);
    }

    @Test
    void withoutABrokerTypeOrARecordedOneTheTopicIsNormal() {
        assertThat(view(recorded(null), config(1, 6, null)).messageType()).isEqualTo(TopicView.NORMAL);
        assertThat(recordReads).hasPositiveValue();
    }

    @Test
    void brokerTypeIsTheInverseForEveryOnsType() {
        assertThat(TopicView.brokerType(TopicView.NORMAL)).isEqualTo(NORMAL);
        assertThat(TopicView.brokerType(TopicView.PARTITION_ORDER)).isEqualTo(FIFO);
        assertThat(TopicView.brokerType(TopicView.GLOBAL_ORDER)).isEqualTo(FIFO);
        assertThat(TopicView.brokerType(TopicView.TRANSACTION)).isEqualTo(TRANSACTION);
        assertThat(TopicView.brokerType(TopicView.DELAY)).isEqualTo(DELAY);
    }

    // --- Perm and queues ---------------------------------------------------------------------------

    @ParameterizedTest
    @CsvSource({
            "6, 6, 6",
            "6, 4, 4",
            "2, 6, 2",
            "2, 4, 0",
            "7, 7, 6",   // the inherit bit (1) is not an ONS permission
            "1, 1, 0",
            "0, 6, 0"})
    void permIsWhatEveryMasterAllowsLimitedToReadAndWrite(int a, int b, int expected) {
        TopicView topic = view(Map.of(MASTER_A, config(4, a, NORMAL), MASTER_B, config(4, b, NORMAL)), null);

        assertThat(topic.perm()).isEqualTo(expected);
    }

    @Test
    void permOfOneMasterIsItsOwn() {
        assertThat(view(null, config(4, 4, NORMAL)).perm()).isEqualTo(4);
        assertThat(view(null, config(4, 2, NORMAL)).perm()).isEqualTo(2);
    }

    @Test
    void totalQueuesSumsWriteQueuesOverMasters() {
        TopicView topic = view(Map.of(
                MASTER_A, new TopicConfig(NAME, 8, 8, 6, NORMAL),
                MASTER_B, new TopicConfig(NAME, 16, 4, 6, NORMAL)), null);

        assertThat(topic.totalQueues()).isEqualTo(12);
    }
}
