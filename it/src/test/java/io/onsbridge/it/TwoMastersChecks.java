package io.onsbridge.it;

import static io.onsbridge.it.InstanceIT.assertTeaError;
import static io.onsbridge.it.TopicIT.awaitUntil;
import static org.assertj.core.api.Assertions.assertThat;

import com.aliyun.mq.http.MQClient;
import com.aliyun.mq.http.MQConsumer;
import com.aliyun.ons20190214.models.OnsConsumerAccumulateRequest;
import com.aliyun.ons20190214.models.OnsGroupCreateRequest;
import com.aliyun.ons20190214.models.OnsGroupDeleteRequest;
import com.aliyun.ons20190214.models.OnsMessageGetByMsgIdRequest;
import com.aliyun.ons20190214.models.OnsMessagePageQueryByTopicRequest;
import com.aliyun.ons20190214.models.OnsTopicCreateRequest;
import com.aliyun.ons20190214.models.OnsTopicDeleteRequest;
import com.aliyun.ons20190214.models.OnsTopicListRequest;
import com.aliyun.ons20190214.models.OnsTopicStatusRequest;
import com.aliyun.ons20190214.models.OnsTopicUpdateRequest;
import io.onsbridge.OnsBridgeServer;
import io.onsbridge.embedded.EmbeddedCluster;
import io.onsbridge.junit.OnsBridgeEnvironment;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.apache.rocketmq.client.consumer.DefaultMQPushConsumer;
import org.apache.rocketmq.client.consumer.listener.ConsumeConcurrentlyStatus;
import org.apache.rocketmq.client.consumer.listener.MessageListenerConcurrently;
import org.apache.rocketmq.client.producer.DefaultMQProducer;
import org.apache.rocketmq.client.producer.SendResult;
import org.apache.rocketmq.common.TopicConfig;
import org.apache.rocketmq.common.consumer.ConsumeFromWhere;
import org.apache.rocketmq.common.message.Message;
import org.apache.rocketmq.remoting.protocol.RequestCode;
import org.apache.rocketmq.remoting.protocol.subscription.SubscriptionGroupConfig;
import org.apache.rocketmq.tools.admin.DefaultMQAdminExt;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * A cluster with two masters (broker-a, broker-b) of its own: what the bridge creates lands on both,
 * what it counts is summed over both, what it looks up is found on either. The checks are the same
 * whoever runs the cluster; each subclass brings one (in-process, child JVMs).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class TwoMastersChecks {
    /** A running cluster of two masters, and what stops it. */
    record TwoMasters(String namesrvAddr, List<String> brokerAddrs, AutoCloseable stopper) {
    }

    private TwoMasters cluster;
    private OnsBridgeServer bridge;
    private DefaultMQAdminExt admin;
    private com.aliyun.ons20190214.Client tea;
    private final String accessKeyId = "LTAItwo" + UUID.randomUUID().toString().substring(0, 8);
    private final String secret = UUID.randomUUID().toString();

    @BeforeAll
    void startTwoMasters() throws Exception {
        Path data = Path.of("target", "it-" + getClass().getSimpleName(), Long.toString(System.currentTimeMillis())).toAbsolutePath();
        Files.createDirectories(data);
        cluster = startCluster(data);
        bridge = OnsBridgeEnvironment.startServer(cluster.namesrvAddr(), Map.of(), Map.of(accessKeyId, secret));
        tea = OnsBridgeEnvironment.teaClient("127.0.0.1:" + bridge.port(), accessKeyId, secret);
        admin = new DefaultMQAdminExt();
        admin.setNamesrvAddr(cluster.namesrvAddr());
        admin.setInstanceName("it-two-masters-admin");
        admin.start();
    }

    /** Starts two masters with their data under {@code data}. */
    abstract TwoMasters startCluster(Path data) throws Exception;

    @AfterAll
    void stop() throws Exception {
        admin.shutdown();
        bridge.close();
        cluster.stopper().close();
    }

    @Test
    void topicsAndGroupsLandOnBothMastersAndFiguresSpanThem() throws Exception {
        assertThat(cluster.brokerAddrs()).hasSize(2);
        String instance = tea.onsInstanceCreate(new com.aliyun.ons20190214.models.OnsInstanceCreateRequest().setInstanceName("two_masters"))
                .getBody().getData().getInstanceId();
        tea.onsTopicCreate(new OnsTopicCreateRequest().setInstanceId(instance).setTopic("Spread").setMessageType(1));
        tea.onsTopicCreate(new OnsTopicCreateRequest().setInstanceId(instance).setTopic("OneQueue").setMessageType(2));
        tea.onsGroupCreate(new OnsGroupCreateRequest().setInstanceId(instance).setGroupId("GID_spread"));
        for (String broker : cluster.brokerAddrs()) {
            TopicConfig spread = admin.examineTopicConfig(broker, instance + "%Spread");
            assertThat(spread.getAttributes()).containsEntry("message.type", "FIFO");
            assertThat(spread.getWriteQueueNums()).isEqualTo(8);
            SubscriptionGroupConfig group = admin.examineSubscriptionGroupConfig(broker, instance + "%GID_spread");
            assertThat(group.getGroupName()).isEqualTo(instance + "%GID_spread");
            assertThat(admin.getAllTopicConfig(broker, 5_000).getTopicConfigTable()).containsKey("%RETRY%" + instance + "%GID_spread");
        }
        assertThat(tea.onsTopicList(new OnsTopicListRequest().setInstanceId(instance)).getBody().getData().getPublishInfoDo())
                .extracting(t -> t.getTopic() + ":" + t.getMessageType()).containsExactly("OneQueue:2", "Spread:1");

        // Messages on both brokers: counted, paged and found on either.
        long begin = System.currentTimeMillis() - 1_000;
        Map<String, String> brokerOf = new ConcurrentHashMap<>();
        List<SendResult> sent = send(instance, 40, brokerOf);
        assertThat(new HashSet<>(brokerOf.values())).containsExactlyInAnyOrder("broker-a", "broker-b");
        assertThat(tea.onsTopicStatus(new OnsTopicStatusRequest().setInstanceId(instance).setTopic("Spread")).getBody().getData()
                .getTotalCount()).isEqualTo(40);
        Set<String> paged = new HashSet<>();
        var first = tea.onsMessagePageQueryByTopic(new OnsMessagePageQueryByTopicRequest().setInstanceId(instance).setTopic("Spread")
                .setBeginTime(begin).setEndTime(System.currentTimeMillis()).setCurrentPage(1).setPageSize(50)).getBody().getMsgFoundDo();
        first.getMsgFoundList().getOnsRestMessageDo().forEach(m -> paged.add(m.getMsgId()));
        assertThat(paged).containsExactlyInAnyOrderElementsOf(brokerOf.keySet());
        for (SendResult result : List.of(sent.get(0), sent.get(1))) {
            var found = tea.onsMessageGetByMsgId(new OnsMessageGetByMsgIdRequest().setInstanceId(instance).setTopic("Spread")
                    .setMsgId(result.getOffsetMsgId())).getBody().getData();
            assertThat(found.getMsgId()).isEqualTo(result.getMsgId());
        }

        // Backlog summed over both brokers.
        Map<String, Boolean> consumed = new ConcurrentHashMap<>();
        DefaultMQPushConsumer consumer = new DefaultMQPushConsumer(instance, "GID_spread", null,
                new org.apache.rocketmq.client.consumer.rebalance.AllocateMessageQueueAveragely(), false, null);
        consumer.setNamesrvAddr(cluster.namesrvAddr());
        consumer.setInstanceName("it-two-masters-consumer");
        consumer.setConsumeFromWhere(ConsumeFromWhere.CONSUME_FROM_FIRST_OFFSET);
        consumer.setPersistConsumerOffsetInterval(1_000);
        // A master that missed the consumer's first heartbeat (a timeout on a loaded machine) answers its pulls with
        // "the consumer's group info not exist" until the next one: 30 s later by default, the whole wait below (a CI
        // run consumed exactly the other master's 16 of the 40 messages in 30 s).
        consumer.setHeartbeatBrokerInterval(5_000);
        consumer.subscribe("Spread", "*");
        consumer.registerMessageListener((MessageListenerConcurrently) (msgs, ctx) -> {
            msgs.forEach(m -> consumed.put(m.getMsgId(), true));
            return ConsumeConcurrentlyStatus.CONSUME_SUCCESS;
        });
        consumer.start();
        try {
            awaitUntil(Duration.ofSeconds(30), () -> assertThat(consumed).hasSize(40));
        } finally {
            consumer.shutdown();
        }
        Map<String, String> more = new ConcurrentHashMap<>();
        send(instance, 10, more);
        assertThat(new HashSet<>(more.values())).hasSize(2);
        // The consumer's last offsets reach the brokers one way (no answer) at its shutdown: they land a moment later.
        awaitUntil(Duration.ofSeconds(10), () -> assertThat(tea.onsConsumerAccumulate(new OnsConsumerAccumulateRequest()
                .setInstanceId(instance).setGroupId("GID_spread")).getBody().getData().getTotalDiff()).isEqualTo(10));
    }

    @Test
    void globalOrderIsOneQueueOnOneMasterAndUpdatesAndDeletesReachBothMasters() throws Exception {
        String instance = tea.onsInstanceCreate(new com.aliyun.ons20190214.models.OnsInstanceCreateRequest().setInstanceName("two_lifecycle"))
                .getBody().getData().getInstanceId();
        String global = instance + "%Global";
        tea.onsTopicCreate(new OnsTopicCreateRequest().setInstanceId(instance).setTopic("Global").setMessageType(2));
        List<TopicConfig> holders = new ArrayList<>();
        for (String broker : cluster.brokerAddrs()) {
            TopicConfig config = admin.getAllTopicConfig(broker, 5_000).getTopicConfigTable().get(global);
            if (config != null) {
                holders.add(config);
            }
        }
        assertThat(holders).singleElement().satisfies(c -> {
            assertThat(c.getWriteQueueNums()).isEqualTo(1);
            assertThat(c.getReadQueueNums()).isEqualTo(1);
            assertThat(c.getAttributes()).containsEntry("message.type", "FIFO");
        });
        assertThat(admin.examineTopicRouteInfo(global).getQueueDatas()).singleElement()
                .satisfies(q -> assertThat(q.getWriteQueueNums()).isEqualTo(1));

        tea.onsTopicCreate(new OnsTopicCreateRequest().setInstanceId(instance).setTopic("Both").setMessageType(0));
        tea.onsTopicUpdate(new OnsTopicUpdateRequest().setInstanceId(instance).setTopic("Both").setPerm(4));
        for (String broker : cluster.brokerAddrs()) {
            assertThat(admin.examineTopicConfig(broker, instance + "%Both").getPerm()).as(broker).isEqualTo(4);
        }

        tea.onsGroupCreate(new OnsGroupCreateRequest().setInstanceId(instance).setGroupId("GID_both"));
        tea.onsTopicDelete(new OnsTopicDeleteRequest().setInstanceId(instance).setTopic("Both"));
        tea.onsTopicDelete(new OnsTopicDeleteRequest().setInstanceId(instance).setTopic("Global"));
        tea.onsGroupDelete(new OnsGroupDeleteRequest().setInstanceId(instance).setGroupId("GID_both"));
        for (String broker : cluster.brokerAddrs()) {
            assertThat(admin.getAllTopicConfig(broker, 5_000).getTopicConfigTable()).as(broker)
                    .doesNotContainKeys(instance + "%Both", global, "%RETRY%" + instance + "%GID_both");
            assertThat(admin.getAllSubscriptionGroup(broker, 5_000).getSubscriptionGroupTable()).as(broker)
                    .doesNotContainKey(instance + "%GID_both");
        }
        assertThat(tea.onsTopicList(new OnsTopicListRequest().setInstanceId(instance)).getBody().getData().getPublishInfoDo()).isEmpty();
    }

    @Test
    void aCreateThatFailsOnTheLastMasterLeavesNothingOnTheOthersNorARecord() throws Exception {
        String instance = tea.onsInstanceCreate(new com.aliyun.ons20190214.models.OnsInstanceCreateRequest().setInstanceName("two_rollback"))
                .getBody().getData().getInstanceId();
        // Made before the failure, these are kept: the records' KV namespaces exist and the checks below can fail.
        tea.onsTopicCreate(new OnsTopicCreateRequest().setInstanceId(instance).setTopic("Kept").setMessageType(0));
        tea.onsGroupCreate(new OnsGroupCreateRequest().setInstanceId(instance).setGroupId("GID_kept"));
        // One refusing broker each: the first master that does not answer is then left out of writes (SuspectMasters).
        try (RefusingBroker refusing = new RefusingBroker(cluster.namesrvAddr(), EmbeddedCluster.CLUSTER_NAME, "broker-z", "127.0.0.2",
                cluster.brokerAddrs().get(1), Set.of(RequestCode.UPDATE_AND_CREATE_TOPIC))) {
            assertThat(admin.examineBrokerClusterInfo().getBrokerAddrTable()).containsKey("broker-z");
            assertTeaError(() -> tea.onsTopicCreate(new OnsTopicCreateRequest().setInstanceId(instance).setTopic("HalfMade").setMessageType(0)),
                    "ServiceUnavailable", 503, refusing.address());
        }
        awaitUntil(Duration.ofSeconds(30), () -> assertThat(admin.examineBrokerClusterInfo().getBrokerAddrTable()).doesNotContainKey("broker-z"));
        try (RefusingBroker refusing = new RefusingBroker(cluster.namesrvAddr(), EmbeddedCluster.CLUSTER_NAME, "broker-y", "127.0.0.3",
                cluster.brokerAddrs().get(1), Set.of(RequestCode.UPDATE_AND_CREATE_SUBSCRIPTIONGROUP))) {
            assertThat(admin.examineBrokerClusterInfo().getBrokerAddrTable()).containsKey("broker-y");
            assertTeaError(() -> tea.onsGroupCreate(new OnsGroupCreateRequest().setInstanceId(instance).setGroupId("GID_halfmade")),
                    "ServiceUnavailable", 503, refusing.address());
        }
        awaitUntil(Duration.ofSeconds(30), () -> assertThat(admin.examineBrokerClusterInfo().getBrokerAddrTable()).doesNotContainKey("broker-y"));
        for (String broker : cluster.brokerAddrs()) {
            assertThat(admin.getAllTopicConfig(broker, 5_000).getTopicConfigTable()).as(broker)
                    .containsKey(instance + "%Kept")
                    .doesNotContainKeys(instance + "%HalfMade", "%RETRY%" + instance + "%GID_halfmade");
            assertThat(admin.getAllSubscriptionGroup(broker, 5_000).getSubscriptionGroupTable()).as(broker)
                    .containsKey(instance + "%GID_kept").doesNotContainKey(instance + "%GID_halfmade");
        }
        assertThat(admin.getKVListByNamespace("ONS_BRIDGE_TOPIC").getTable())
                .containsKey(instance + "%Kept").doesNotContainKey(instance + "%HalfMade");
        assertThat(admin.getKVListByNamespace("ONS_BRIDGE_GROUP").getTable())
                .containsKey(instance + "%GID_kept").doesNotContainKey(instance + "%GID_halfmade");
        // And the names are free again.
        tea.onsTopicCreate(new OnsTopicCreateRequest().setInstanceId(instance).setTopic("HalfMade").setMessageType(0));
        tea.onsGroupCreate(new OnsGroupCreateRequest().setInstanceId(instance).setGroupId("GID_halfmade"));
    }

    /** Sends round-robin over all queues of both brokers; records each message's broker. */
    /**
     * An MQ HTTP consumer's long poll sees a message stored meanwhile on either master: a pop held by one master
     * alone would miss one stored on the other until the wait is over (and then answer nothing).
     */
    @Test
    void anHttpLongPollGetsWhatEitherMasterStoresMeanwhile() throws Exception {
        String instance = tea.onsInstanceCreate(new com.aliyun.ons20190214.models.OnsInstanceCreateRequest().setInstanceName("two_masters_http"))
                .getBody().getData().getInstanceId();
        tea.onsTopicCreate(new OnsTopicCreateRequest().setInstanceId(instance).setTopic("Waited").setMessageType(0));
        tea.onsGroupCreate(new OnsGroupCreateRequest().setInstanceId(instance).setGroupId("GID_waiting").setGroupType("http"));
        MQClient http = new MQClient("http://127.0.0.1:" + bridge.port(), accessKeyId, secret);
        DefaultMQProducer producer = new DefaultMQProducer(instance, "GID_waited_producer", null);
        producer.setNamesrvAddr(cluster.namesrvAddr());
        producer.setInstanceName("it-two-masters-" + System.nanoTime());
        producer.start();
        ExecutorService waiting = Executors.newSingleThreadExecutor();
        try {
            MQConsumer consumer = http.getConsumer(instance, "Waited", "GID_waiting", null);
            assertThat(consumer.consumeMessage(1, 0)).isNull(); // the group's offsets exist before the messages
            // Twice on each master in a row: pops asking the masters in turn, one of each two waits on the other master.
            for (int round = 0; round < 4; round++) {
                String broker = round < 2 ? "broker-a" : "broker-b";
                Future<List<com.aliyun.mq.http.model.Message>> polled = waiting.submit(() -> consumer.consumeMessage(1, 30));
                SendResult sent = producer.send(new Message("Waited", ("to " + broker).getBytes(StandardCharsets.UTF_8)),
                        (queues, message, arg) -> queues.stream().filter(q -> q.getBrokerName().equals(arg)).findFirst().orElseThrow(), broker);
                assertThat(sent.getMessageQueue().getBrokerName()).isEqualTo(broker);
                List<com.aliyun.mq.http.model.Message> got = polled.get(40, TimeUnit.SECONDS);
                assertThat(got).as("round %d, a message stored on %s during the wait", round, broker).isNotNull()
                        .extracting(com.aliyun.mq.http.model.Message::getMessageId).containsExactly(sent.getMsgId());
                consumer.ackMessage(List.of(got.get(0).getReceiptHandle()));
            }
        } finally {
            waiting.shutdownNow();
            producer.shutdown();
            http.close();
        }
    }

    private List<SendResult> send(String instance, int count, Map<String, String> brokerOf) throws Exception {
        DefaultMQProducer producer = new DefaultMQProducer(instance, "GID_spread_producer", null);
        producer.setNamesrvAddr(cluster.namesrvAddr());
        producer.setInstanceName("it-two-masters-" + System.nanoTime());
        producer.start();
        List<SendResult> results = new ArrayList<>();
        try {
            for (int i = 0; i < count; i++) {
                SendResult result = producer.send(new Message("Spread", "TagA", "K" + i, ("m" + i).getBytes(StandardCharsets.UTF_8)));
                brokerOf.put(result.getMsgId(), result.getMessageQueue().getBrokerName());
                results.add(result);
            }
        } finally {
            producer.shutdown();
        }
        return results;
    }
}
