package io.onsbridge.it;

import static io.onsbridge.it.TopicIT.awaitUntil;
import static org.assertj.core.api.Assertions.assertThat;

import com.aliyun.ons20190214.Client;
import com.aliyun.ons20190214.models.OnsGroupCreateRequest;
import com.aliyun.ons20190214.models.OnsGroupDeleteRequest;
import com.aliyun.ons20190214.models.OnsGroupListRequest;
import com.aliyun.ons20190214.models.OnsGroupListResponseBody.OnsGroupListResponseBodyDataSubscribeInfoDo;
import com.aliyun.ons20190214.models.OnsInstanceCreateRequest;
import com.aliyun.ons20190214.models.OnsTopicCreateRequest;
import com.aliyun.ons20190214.models.OnsTopicDeleteRequest;
import com.aliyun.ons20190214.models.OnsTopicListRequest;
import com.aliyun.ons20190214.models.OnsTopicListResponseBody.OnsTopicListResponseBodyDataPublishInfoDo;
import com.aliyun.mq.http.MQClient;
import com.aliyun.mq.http.MQConsumer;
import com.aliyun.mq.http.MQProducer;
import com.aliyun.mq.http.model.Message;
import com.aliyun.mq.http.model.TopicMessage;
import com.aliyun.ons20190214.models.OnsConsumerAccumulateRequest;
import com.aliyun.ons20190214.models.OnsMessageGetByMsgIdRequest;
import com.aliyun.ons20190214.models.OnsTopicStatusRequest;
import io.onsbridge.OnsBridgeServer;
import io.onsbridge.junit.OnsBridgeEnvironment;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import org.apache.rocketmq.remoting.protocol.route.BrokerData;
import org.apache.rocketmq.tools.admin.DefaultMQAdminExt;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A master that was down while topics and groups were created and deleted: once it is back, it has what was
 * created meanwhile and nothing of what was deleted (before, a deleted topic or group came back with it, old
 * messages included, and a topic created meanwhile never got the returning master's queues).
 */
class MasterReturnIT {
    private static final String ACCESS_KEY_ID = "LTAIret" + UUID.randomUUID().toString().substring(0, 8);
    private static final String SECRET = UUID.randomUUID().toString();
    private static ChildJvmCluster cluster;
    private static OnsBridgeServer bridge;
    private static Client tea;
    private static DefaultMQAdminExt admin;

    @BeforeAll
    static void startTwoMasters() throws Exception {
        Path data = Path.of("target", "it-MasterReturnIT", Long.toString(System.currentTimeMillis())).toAbsolutePath();
        Files.createDirectories(data);
        cluster = ChildJvmCluster.builder(data).masters(2).start();
        bridge = OnsBridgeEnvironment.startServer(cluster.namesrvAddr(), Map.of(), Map.of(ACCESS_KEY_ID, SECRET));
        tea = OnsBridgeEnvironment.teaClient("127.0.0.1:" + bridge.port(), ACCESS_KEY_ID, SECRET);
        admin = new DefaultMQAdminExt();
        admin.setNamesrvAddr(cluster.namesrvAddr());
        admin.setInstanceName("it-master-return-admin");
        admin.start();
    }

    @AfterAll
    static void stop() {
        if (admin != null) {
            admin.shutdown();
        }
        if (bridge != null) {
            bridge.close();
        }
        if (cluster != null) {
            cluster.close();
        }
    }

    @Test
    void aReturningMasterGetsWhatWasCreatedAndLosesWhatWasDeletedWhileItWasDown() throws Exception {
        String instance = tea.onsInstanceCreate(new OnsInstanceCreateRequest().setInstanceName("returning")).getBody().getData().getInstanceId();
        for (String topic : List.of("Kept", "Doomed", "Reborn")) {
            tea.onsTopicCreate(new OnsTopicCreateRequest().setInstanceId(instance).setTopic(topic).setMessageType(0));
        }
        tea.onsTopicCreate(new OnsTopicCreateRequest().setInstanceId(instance).setTopic("GlobalOrder").setMessageType(2));
        for (String group : List.of("GID_kept", "GID_doomed")) {
            tea.onsGroupCreate(new OnsGroupCreateRequest().setInstanceId(instance).setGroupId(group).setGroupType("tcp"));
        }
        String brokerB = cluster.brokerAddrs().get(1);
        assertThat(topicsOn(brokerB)).contains(instance + "%Doomed", instance + "%Reborn");

        killBrokerB();
        tea.onsTopicDelete(new OnsTopicDeleteRequest().setInstanceId(instance).setTopic("Doomed"));
        tea.onsTopicDelete(new OnsTopicDeleteRequest().setInstanceId(instance).setTopic("Reborn"));
        tea.onsTopicCreate(new OnsTopicCreateRequest().setInstanceId(instance).setTopic("Reborn").setMessageType(0));
        tea.onsTopicCreate(new OnsTopicCreateRequest().setInstanceId(instance).setTopic("Born").setMessageType(4)); // transactional
        tea.onsTopicCreate(new OnsTopicCreateRequest().setInstanceId(instance).setTopic("PartitionOrder").setMessageType(1));
        tea.onsGroupDelete(new OnsGroupDeleteRequest().setInstanceId(instance).setGroupId("GID_doomed"));
        tea.onsGroupCreate(new OnsGroupCreateRequest().setInstanceId(instance).setGroupId("GID_born").setGroupType("tcp"));
        // The global-order topic's one queue may be on broker-b, so it may be missing meanwhile.
        assertThat(topics(instance)).contains("Kept", "Reborn", "Born", "PartitionOrder").doesNotContain("Doomed");

        cluster.restartBroker(1);
        awaitUntil(Duration.ofSeconds(30), () -> {
            assertThat(topicsOn(brokerB)).contains(instance + "%Kept", instance + "%Reborn", instance + "%Born")
                    .doesNotContain(instance + "%Doomed");
            assertThat(groupsOn(brokerB)).contains(instance + "%GID_kept", instance + "%GID_born")
                    .doesNotContain(instance + "%GID_doomed");
        });
        assertThat(routeBrokers(instance + "%Born")).containsExactlyInAnyOrder("broker-a", "broker-b");
        assertThat(admin.examineTopicConfig(brokerB, instance + "%Born").getAttributes()).containsEntry("message.type", "TRANSACTION");
        // Order topics keep their queues: a sharding key must not move, global order stays one queue.
        assertThat(routeBrokers(instance + "%GlobalOrder")).hasSize(1);
        assertThat(routeBrokers(instance + "%PartitionOrder")).containsExactly("broker-a");
        assertThat(topicsOn(brokerB)).contains("%RETRY%" + instance + "%GID_born")
                .doesNotContain("%RETRY%" + instance + "%GID_doomed");
        assertThat(topics(instance)).containsExactlyInAnyOrder("Kept", "Reborn", "Born", "GlobalOrder", "PartitionOrder");
        assertThat(groups(instance)).containsExactlyInAnyOrder("GID_kept", "GID_born");
    }

    /**
     * While one of two masters is down, the ONS API and the MQ HTTP protocol serve from the other: publishes all
     * succeed, what the live master holds is consumed and acked, the reads answer; once it is back, what it held is
     * consumed too, and nothing is lost.
     */
    @Test
    void whileAMasterIsDownTheOtherServesAndNothingIsLost() throws Exception {
        String instance = tea.onsInstanceCreate(new OnsInstanceCreateRequest().setInstanceName("partial")).getBody().getData().getInstanceId();
        tea.onsTopicCreate(new OnsTopicCreateRequest().setInstanceId(instance).setTopic("Live").setMessageType(0));
        tea.onsGroupCreate(new OnsGroupCreateRequest().setInstanceId(instance).setGroupId("GID_live").setGroupType("http"));
        MQClient client = new MQClient("http://127.0.0.1:" + bridge.port(), ACCESS_KEY_ID, SECRET);
        try {
            MQProducer producer = client.getProducer(instance, "Live");
            MQConsumer consumer = client.getConsumer(instance, "Live", "GID_live", null);
            assertThat(consumer.consumeMessage(1, 1)).isNull(); // the group's offsets now exist, from the start
            Map<String, String> brokerOf = new java.util.TreeMap<>();
            assertThat(routeBrokers(instance + "%Live")).containsExactlyInAnyOrder("broker-a", "broker-b");
            // Until both masters hold some (the bridge's producer avoids a master that failed a send for up to 10 s).
            awaitUntil(Duration.ofSeconds(60), () -> {
                String id = producer.publishMessage(new TopicMessage("before".getBytes(StandardCharsets.UTF_8), "TagA")).getMessageId();
                brokerOf.put(id, tea.onsMessageGetByMsgId(new OnsMessageGetByMsgIdRequest().setInstanceId(instance).setTopic("Live")
                        .setMsgId(id)).getBody().getData().getStoreHost());
                assertThat(Set.copyOf(brokerOf.values())).as("the messages went to both masters").hasSize(2);
            });
            String hostA = cluster.brokerAddrs().get(0);

            killBrokerB();
            List<String> whileDown = new ArrayList<>();
            for (int i = 0; i < 8; i++) {
                whileDown.add(producer.publishMessage(new TopicMessage(("while down " + i).getBytes(StandardCharsets.UTF_8), "TagA")).getMessageId());
            }
            Set<String> onA = new TreeSet<>(whileDown);
            brokerOf.forEach((id, host) -> {
                if (host.endsWith(hostA)) {
                    onA.add(id);
                }
            });
            Map<String, Message> first = MqHttpSdkIT.receive(consumer, onA.size());
            assertThat(first.keySet()).containsExactlyInAnyOrderElementsOf(onA);
            consumer.ackMessage(first.values().stream().map(Message::getReceiptHandle).toList());

            assertThat(topics(instance)).containsExactly("Live");
            assertThat(tea.onsTopicStatus(new OnsTopicStatusRequest().setInstanceId(instance).setTopic("Live")).getBody().getData()
                    .getTotalCount()).isEqualTo(onA.size());
            assertThat(tea.onsMessageGetByMsgId(new OnsMessageGetByMsgIdRequest().setInstanceId(instance).setTopic("Live")
                    .setMsgId(whileDown.get(0))).getBody().getData().getMsgId()).isEqualTo(whileDown.get(0));
            awaitUntil(Duration.ofSeconds(30), () -> assertThat(tea.onsConsumerAccumulate(new OnsConsumerAccumulateRequest()
                    .setInstanceId(instance).setGroupId("GID_live")).getBody().getData().getTotalDiff()).isZero());

            cluster.restartBroker(1);
            Set<String> onB = new TreeSet<>(brokerOf.keySet());
            onB.removeAll(onA);
            Map<String, Message> later = MqHttpSdkIT.receive(consumer, onB.size());
            assertThat(later.keySet()).containsExactlyInAnyOrderElementsOf(onB);
            consumer.ackMessage(later.values().stream().map(Message::getReceiptHandle).toList());
            assertThat(consumer.consumeMessage(16, 2)).isNull();
        } finally {
            client.close();
        }
    }

    /**
     * A master that hangs (SIGSTOP: it keeps its connections and its place at the name server for up to two minutes)
     * is left out once it failed to answer: the ONS API and the MQ HTTP protocol serve from the other master (before,
     * every call failed with 503 until the name server dropped it), and once it answers again it is asked again and
     * gets what was created meanwhile.
     */
    @Test
    void aHungMasterIsLeftOutUntilItAnswersAgain() throws Exception {
        String instance = tea.onsInstanceCreate(new OnsInstanceCreateRequest().setInstanceName("hung")).getBody().getData().getInstanceId();
        tea.onsTopicCreate(new OnsTopicCreateRequest().setInstanceId(instance).setTopic("Hung").setMessageType(0));
        tea.onsGroupCreate(new OnsGroupCreateRequest().setInstanceId(instance).setGroupId("GID_hung").setGroupType("http"));
        String brokerB = cluster.brokerAddrs().get(1);
        MQClient client = new MQClient("http://127.0.0.1:" + bridge.port(), ACCESS_KEY_ID, SECRET);
        try {
            MQProducer producer = client.getProducer(instance, "Hung");
            MQConsumer consumer = client.getConsumer(instance, "Hung", "GID_hung", null);
            assertThat(consumer.consumeMessage(1, 1)).isNull(); // the group's offsets now exist, from the start
            List<String> published = new ArrayList<>();
            cluster.freezeBroker(1);
            try {
                // The first calls wait for broker-b's timeout (and may fail); then it is left out.
                awaitUntil(Duration.ofSeconds(60), () -> assertThat(topics(instance)).containsExactly("Hung"));
                for (int i = 0; i < 10; i++) {
                    published.add(producer.publishMessage(new TopicMessage(("hung " + i).getBytes(StandardCharsets.UTF_8))).getMessageId());
                }
                tea.onsTopicCreate(new OnsTopicCreateRequest().setInstanceId(instance).setTopic("Made").setMessageType(0));
                assertThat(topics(instance)).containsExactlyInAnyOrder("Hung", "Made");
                Map<String, Message> received = MqHttpSdkIT.receive(consumer, published.size());
                assertThat(received.keySet()).containsExactlyInAnyOrderElementsOf(published);
                consumer.ackMessage(received.values().stream().map(Message::getReceiptHandle).toList());
                awaitUntil(Duration.ofSeconds(30), () -> assertThat(tea.onsConsumerAccumulate(new OnsConsumerAccumulateRequest()
                        .setInstanceId(instance).setGroupId("GID_hung")).getBody().getData().getTotalDiff()).isZero());
                assertThat(masters()).as("still listed by the name server").contains(brokerB);
                assertThat(Scrape.of(bridge.endpoint()).gauge("ons_bridge_masters_suspect", Map.of())).contains(1.0);
                assertThat(RawOnsCall.send(java.net.URI.create(bridge.endpoint() + "/health")).body())
                        .contains("\"status\":\"UP\"").contains("\"mastersSuspect\":1");
                assertThat(topicsOn(cluster.brokerAddrs().get(0))).contains(instance + "%Made");
            } finally {
                cluster.thawBroker(1);
            }
            awaitUntil(Duration.ofSeconds(60), () -> assertThat(topicsOn(brokerB)).contains(instance + "%Made"));
            assertThat(Scrape.of(bridge.endpoint()).gauge("ons_bridge_masters_suspect", Map.of())).contains(0.0);
            String after = producer.publishMessage(new TopicMessage("after".getBytes(StandardCharsets.UTF_8))).getMessageId();
            // A publish whose first send reached broker-b just as it froze was sent again to broker-a (same id): broker-b
            // stores its copy once it runs again, delivered again as any message sent twice by a retrying producer.
            Map<String, Message> last = new java.util.concurrent.ConcurrentHashMap<>();
            awaitUntil(Duration.ofSeconds(60), () -> {
                List<Message> messages = consumer.consumeMessage(16, 3);
                if (messages != null) {
                    messages.forEach(m -> last.put(m.getMessageId(), m));
                    consumer.ackMessage(messages.stream().map(Message::getReceiptHandle).toList());
                }
                assertThat(last).containsKey(after);
            });
            assertThat(published).containsAll(last.keySet().stream().filter(id -> !id.equals(after)).toList());
        } finally {
            client.close();
        }
    }

    /** Kills broker-b and waits until the name server no longer lists it (a crash closes its connections at once). */
    private static void killBrokerB() {
        cluster.killBroker(1);
        awaitUntil(Duration.ofSeconds(30), () -> assertThat(masters()).doesNotContain(cluster.brokerAddrs().get(1)));
    }

    private static List<String> topics(String instance) throws Exception {
        return tea.onsTopicList(new OnsTopicListRequest().setInstanceId(instance)).getBody().getData().getPublishInfoDo().stream()
                .map(OnsTopicListResponseBodyDataPublishInfoDo::getTopic).toList();
    }

    private static List<String> groups(String instance) throws Exception {
        return tea.onsGroupList(new OnsGroupListRequest().setInstanceId(instance)).getBody().getData().getSubscribeInfoDo().stream()
                .map(OnsGroupListResponseBodyDataSubscribeInfoDo::getGroupId).toList();
    }

    private static Set<String> topicsOn(String broker) throws Exception {
        return admin.getAllTopicConfig(broker, 5000).getTopicConfigTable().keySet();
    }

    private static Set<String> groupsOn(String broker) throws Exception {
        return admin.getAllSubscriptionGroup(broker, 5000).getSubscriptionGroupTable().keySet();
    }

    private static Set<String> masters() throws Exception {
        return admin.examineBrokerClusterInfo().getBrokerAddrTable().values().stream()
                .map(b -> b.getBrokerAddrs().get(0L)).collect(java.util.stream.Collectors.toSet());
    }

    private static List<String> routeBrokers(String topic) throws Exception {
        return admin.examineTopicRouteInfo(topic).getBrokerDatas().stream().map(BrokerData::getBrokerName).toList();
    }
}
