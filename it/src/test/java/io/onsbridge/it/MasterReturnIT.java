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
import io.onsbridge.tracecollector.TraceEvent;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.function.Consumer;
import java.util.function.IntFunction;
import org.apache.rocketmq.remoting.protocol.route.BrokerData;
import org.apache.rocketmq.tools.admin.DefaultMQAdminExt;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
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

    /**
     * Each test begins with both masters serving: one that was stopped, frozen or restarted by the test before is back,
     * and the trace collector has read what both hold (a master restarted just before would otherwise still be read).
     */
    @BeforeEach
    void bothMastersServe() throws InterruptedException {
        awaitUntil(Duration.ofSeconds(60), () -> {
            assertThat(masters()).containsExactlyInAnyOrderElementsOf(cluster.brokerAddrs());
            assertThat(Scrape.of(bridge.endpoint()).gauge("ons_bridge_masters_suspect", Map.of())).contains(0.0);
            assertThat(Scrape.of(bridge.endpoint()).gauge("ons_bridge_trace_collector_lag_messages", Map.of()))
                    .as("every master tells its trace queues' ends again").hasValueSatisfying(lag -> assertThat(lag).isNotNegative());
        });
        assertThat(bridge.traceCollector().awaitCaughtUp(Duration.ofSeconds(60))).as("the trace collector caught up").isTrue();
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
        // An old message of "Reborn" on broker-b: deleted with the topic, it must not come back with broker-b.
        org.apache.rocketmq.client.producer.DefaultMQProducer old = new org.apache.rocketmq.client.producer.DefaultMQProducer("it-old-messages");
        old.setNamesrvAddr(cluster.namesrvAddr());
        old.setInstanceName("it-old-messages-" + UUID.randomUUID());
        old.start();
        try {
            old.send(new org.apache.rocketmq.common.message.Message(instance + "%Reborn", "old".getBytes(StandardCharsets.UTF_8)),
                    new org.apache.rocketmq.common.message.MessageQueue(instance + "%Reborn", "broker-b", 0));
        } finally {
            old.shutdown();
        }
        assertThat(messagesOn(brokerB, instance + "%Reborn")).isEqualTo(1);

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
        // "Reborn", deleted and created again while broker-b was away: broker-b's copy is the new one, without the old message.
        awaitUntil(Duration.ofSeconds(30), () -> assertThat(messagesOn(brokerB, instance + "%Reborn")).isZero());
        assertThat(routeBrokers(instance + "%Reborn")).containsExactlyInAnyOrder("broker-a", "broker-b");
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
     * A master that holds a topic only since after the bridge first looked the topic up (here: brought back after the
     * topic was created, as a master added to the cluster would be) is asked by the key lookups that follow, although
     * the bridge publishes nothing to the topic: the route its lookups use is not the one it first got, and is asked again
     * as soon as the bridge saw the master back.
     */
    @Test
    void aKeyLookupFindsTheMessagesOfAMasterThatGotTheTopicAfterItsFirstLookup() throws Exception {
        String instance = tea.onsInstanceCreate(new OnsInstanceCreateRequest().setInstanceName("joining")).getBody().getData().getInstanceId();
        killBrokerB();
        tea.onsTopicCreate(new OnsTopicCreateRequest().setInstanceId(instance).setTopic("Joined").setMessageType(0));
        String topic = instance + "%Joined";
        org.apache.rocketmq.client.producer.DefaultMQProducer producer = new org.apache.rocketmq.client.producer.DefaultMQProducer("it-joined");
        producer.setNamesrvAddr(cluster.namesrvAddr());
        producer.setInstanceName("it-joined-" + UUID.randomUUID());
        producer.start();
        try {
            producer.send(new org.apache.rocketmq.common.message.Message(topic, "TagA", "early", "early".getBytes(StandardCharsets.UTF_8)));
            // the bridge's first lookup of the topic, while broker-a alone holds it
            awaitUntil(Duration.ofSeconds(30), () -> assertThat(keyed(instance, "Joined", "early")).hasSize(1));

            cluster.restartBroker(1);
            String brokerB = cluster.brokerAddrs().get(1);
            awaitUntil(Duration.ofSeconds(60), () -> assertThat(topicsOn(brokerB)).contains(topic));
            String[] late = new String[1];
            // the test's producer asks its route now: the bridge's own route update, not this client's, is under test
            awaitUntil(Duration.ofSeconds(60), () -> {
                producer.getDefaultMQProducerImpl().getmQClientFactory().updateTopicRouteInfoFromNameServer(topic);
                try {
                    late[0] = producer.send(new org.apache.rocketmq.common.message.Message(topic, "TagA", "late", "late".getBytes(StandardCharsets.UTF_8)),
                            new org.apache.rocketmq.common.message.MessageQueue(topic, "broker-b", 0)).getMsgId();
                } catch (org.apache.rocketmq.client.exception.MQClientException e) {
                    throw new AssertionError("not yet: " + e.getMessage());
                }
            });

            // the bridge asks its routes again once it saw broker-b back, not at its clients' next update (30 s)
            awaitUntil(Duration.ofSeconds(10), () -> assertThat(keyed(instance, "Joined", "late")).containsExactly(late[0]));
            assertThat(keyed(instance, "Joined", "early")).hasSize(1);
        } finally {
            producer.shutdown();
        }
    }

    /**
     * A bridge started while a master was down has never seen that master's trace queues: once the master is back, its
     * trace collector reads them within seconds (before, at its next periodic look, 30 s after it started), so that trace
     * lookups, which wait only for the queues the collector reads, do not leave out the records stored there.
     */
    @Test
    void aBridgeStartedWhileAMasterWasDownReadsItsTraceQueuesOnceItIsBack() throws Exception {
        double everyMaster = traceQueues(bridge);
        killBrokerB();
        try (OnsBridgeServer late = OnsBridgeEnvironment.startServer(cluster.namesrvAddr(), Map.of(), Map.of(ACCESS_KEY_ID, SECRET))) {
            awaitUntil(Duration.ofSeconds(30), () -> assertThat(traceQueues(late)).isPositive().isLessThan(everyMaster));
            cluster.restartBroker(1);
            awaitUntil(Duration.ofSeconds(60), () -> assertThat(masters()).contains(cluster.brokerAddrs().get(1)));
            awaitUntil(Duration.ofSeconds(10), () -> assertThat(traceQueues(late)).as("the trace queues of both masters")
                    .isEqualTo(everyMaster));
        }
    }

    private static double traceQueues(OnsBridgeServer server) throws Exception {
        return Scrape.of(server.endpoint()).gauge("ons_bridge_trace_collector_queues", Map.of()).orElseThrow();
    }

    /** The ids {@code OnsMessageGetByKey} answers; none when it answers that no message has the key. */
    private static List<String> keyed(String instance, String topic, String key) throws Exception {
        try {
            return tea.onsMessageGetByKey(new com.aliyun.ons20190214.models.OnsMessageGetByKeyRequest().setInstanceId(instance).setTopic(topic)
                    .setKey(key)).getBody().getData().getOnsRestMessageDo().stream()
                    .map(com.aliyun.ons20190214.models.OnsMessageGetByKeyResponseBody.OnsMessageGetByKeyResponseBodyDataOnsRestMessageDo::getMsgId).toList();
        } catch (com.aliyun.tea.TeaException e) {
            assertThat(e.getCode()).as("only \"no such message\" is waited out: " + e.getMessage()).isEqualTo("BIZ_NO_MESSAGE");
            return List.of();
        }
    }

    /**
     * While one of two masters is down, the ONS API and the MQ HTTP protocol serve from the other: publishes all
     * succeed, what the live master holds is consumed and acked, the reads answer; once it is back, what it held is
     * consumed too, and nothing is lost.
     */
    @Test
    void whileAMasterIsDownTheOtherServesAndNothingIsLost() throws Exception {
        try (HttpClients http = HttpClients.open("partial", "Live", "GID_live")) {
            String instance = http.instance();
            MQProducer producer = http.producer();
            MQConsumer consumer = http.consumer();
            awaitUntil(Duration.ofSeconds(30), () -> assertThat(routeBrokers(instance + "%Live")).containsExactlyInAnyOrder("broker-a", "broker-b"));
            // Until both masters hold some (the bridge's producer avoids a master that failed a send for up to 10 s).
            Map<String, String> brokerOf = http.publishUntil(i -> new TopicMessage("before".getBytes(StandardCharsets.UTF_8), "TagA"),
                    stored -> assertThat(Set.copyOf(stored.values())).as("the messages went to both masters").hasSize(2));
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
        String brokerB = cluster.brokerAddrs().get(1);
        try (HttpClients http = HttpClients.open("hung", "Hung", "GID_hung")) {
            String instance = http.instance();
            MQProducer producer = http.producer();
            MQConsumer consumer = http.consumer();
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
                        .contains("\"status\":\"UP\"").contains("\"mastersSuspect\":1").contains("\"answering\":false")
                        .contains("\"address\":\"" + brokerB + "\"");
                assertThat(topicsOn(cluster.brokerAddrs().get(0))).contains(instance + "%Made");
            } finally {
                cluster.thawBroker(1);
            }
            awaitUntil(Duration.ofSeconds(60), () -> assertThat(topicsOn(brokerB)).contains(instance + "%Made"));
            assertThat(Scrape.of(bridge.endpoint()).gauge("ons_bridge_masters_suspect", Map.of())).contains(0.0);
            assertThat(RawOnsCall.send(java.net.URI.create(bridge.endpoint() + "/health")).body()).contains("\"mastersSuspect\":0")
                    .doesNotContain("\"answering\":false");
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
        }
    }

    /**
     * While a master hangs, every read of the ONS API about messages, traces and consumers answers from the other
     * master; a message held only by the hung master is a clear error, not a wait.
     */
    @Test
    void whileAMasterHangsTheMessageTraceAndConsumerReadsAnswerFromTheOther() throws Exception {
        try (HttpClients http = HttpClients.open("reads", "Read", "GID_read")) {
            String instance = http.instance();
            MQProducer producer = http.producer();
            MQConsumer consumer = http.consumer();
            long begin = System.currentTimeMillis() - 1_000;
            Map<String, String> brokerOf = http.publishUntil(i -> {
                TopicMessage message = new TopicMessage("read".getBytes(StandardCharsets.UTF_8), "TagR");
                message.setMessageKey("KEY-" + i);
                return message;
            }, stored -> assertThat(Set.copyOf(stored.values())).as("the messages went to both masters").hasSize(2));
            String hostA = cluster.brokerAddrs().get(0);
            String onA = brokerOf.entrySet().stream().filter(e -> e.getValue().endsWith(hostA)).findFirst().orElseThrow().getKey();
            String onB = brokerOf.entrySet().stream().filter(e -> !e.getValue().endsWith(hostA)).findFirst().orElseThrow().getKey();
            // Its send record is read by the collector before broker-b hangs (the record may be on broker-b's trace queue).
            // The bridge's producer sends its trace records in batches, up to 5 s after the send (RocketMQ's trace
            // dispatcher): a query made at once found no record anywhere yet, and the record then went to broker-b
            // while it hung, out of everyone's reach (CI saw it). So the record is waited for in the collector.
            awaitUntil(Duration.ofSeconds(30), () -> assertThat(bridge.traceCollector().store().events(onA)).as("the collector holds the send record")
                    .hasValueSatisfying(events -> assertThat(events).anyMatch(e -> e.kind() == TraceEvent.Kind.PUB)));
            assertThat(traceResult(tea.onsTraceQueryByMsgId(new com.aliyun.ons20190214.models.OnsTraceQueryByMsgIdRequest().setInstanceId(instance)
                    .setTopic("Read").setMsgId(onA).setBeginTime(begin).setEndTime(System.currentTimeMillis())).getBody().getQueryId())).isEqualTo(onA);
            cluster.freezeBroker(1);
            try {
                awaitUntil(Duration.ofSeconds(60), () -> assertThat(topics(instance)).containsExactly("Read"));
                Map<String, java.util.concurrent.Callable<Object>> reads = new LinkedHashMap<>();
                reads.put("OnsMessageGetByMsgId", () -> tea.onsMessageGetByMsgId(new OnsMessageGetByMsgIdRequest().setInstanceId(instance)
                        .setTopic("Read").setMsgId(onA)).getBody().getData().getMsgId());
                reads.put("OnsMessageGetByKey", () -> tea.onsMessageGetByKey(new com.aliyun.ons20190214.models.OnsMessageGetByKeyRequest()
                        .setInstanceId(instance).setTopic("Read").setKey(keyOf(brokerOf, onA))).getBody().getData().getOnsRestMessageDo().size());
                reads.put("OnsMessagePageQueryByTopic", () -> tea.onsMessagePageQueryByTopic(new com.aliyun.ons20190214.models.OnsMessagePageQueryByTopicRequest()
                        .setInstanceId(instance).setTopic("Read").setBeginTime(begin).setEndTime(System.currentTimeMillis()).setCurrentPage(1)
                        .setPageSize(50)).getBody().getMsgFoundDo().getMsgFoundList().getOnsRestMessageDo().size());
                reads.put("OnsMessageTrace", () -> tea.onsMessageTrace(new com.aliyun.ons20190214.models.OnsMessageTraceRequest()
                        .setInstanceId(instance).setTopic("Read").setMsgId(onA)).getBody().getData().getMessageTrack().size());
                reads.put("OnsTraceQueryByMsgId", () -> traceResult(tea.onsTraceQueryByMsgId(
                        new com.aliyun.ons20190214.models.OnsTraceQueryByMsgIdRequest().setInstanceId(instance).setTopic("Read").setMsgId(onA)
                                .setBeginTime(begin).setEndTime(System.currentTimeMillis())).getBody().getQueryId()));
                reads.put("OnsTraceQueryByMsgKey", () -> traceResult(tea.onsTraceQueryByMsgKey(
                        new com.aliyun.ons20190214.models.OnsTraceQueryByMsgKeyRequest().setInstanceId(instance).setTopic("Read")
                                .setMsgKey(keyOf(brokerOf, onA)).setBeginTime(begin).setEndTime(System.currentTimeMillis())).getBody().getQueryId()));
                reads.put("OnsTopicStatus", () -> tea.onsTopicStatus(new OnsTopicStatusRequest().setInstanceId(instance).setTopic("Read"))
                        .getBody().getData().getTotalCount());
                reads.put("OnsTopicSubDetail", () -> tea.onsTopicSubDetail(new com.aliyun.ons20190214.models.OnsTopicSubDetailRequest()
                        .setInstanceId(instance).setTopic("Read")).getBody().getData().getTopic());
                reads.put("OnsConsumerAccumulate", () -> tea.onsConsumerAccumulate(new OnsConsumerAccumulateRequest().setInstanceId(instance)
                        .setGroupId("GID_read")).getBody().getData().getTotalDiff());
                reads.put("OnsConsumerStatus", () -> tea.onsConsumerStatus(new com.aliyun.ons20190214.models.OnsConsumerStatusRequest()
                        .setInstanceId(instance).setGroupId("GID_read")).getBody().getData().getOnline());
                reads.put("OnsConsumerTimeSpan", () -> tea.onsConsumerTimeSpan(new com.aliyun.ons20190214.models.OnsConsumerTimeSpanRequest()
                        .setInstanceId(instance).setTopic("Read").setGroupId("GID_read")).getBody().getData().getMaxTimeStamp());
                reads.put("OnsGroupSubDetail", () -> tea.onsGroupSubDetail(new com.aliyun.ons20190214.models.OnsGroupSubDetailRequest()
                        .setInstanceId(instance).setGroupId("GID_read")).getBody().getData().getGroupId());
                reads.put("OnsDLQMessagePageQueryByGroupId", () -> tea.onsDLQMessagePageQueryByGroupId(
                        new com.aliyun.ons20190214.models.OnsDLQMessagePageQueryByGroupIdRequest().setInstanceId(instance).setGroupId("GID_read")
                                .setBeginTime(begin).setEndTime(System.currentTimeMillis()).setCurrentPage(1)).getBody().getMsgFoundDo().getCurrentPage());
                reads.put("OnsTrendTopicInputTps", () -> tea.onsTrendTopicInputTps(new com.aliyun.ons20190214.models.OnsTrendTopicInputTpsRequest()
                        .setInstanceId(instance).setTopic("Read").setBeginTime(begin).setEndTime(System.currentTimeMillis()).setType(0))
                        .getBody().getData().getTitle());
                reads.put("OnsInstanceBaseInfo", () -> tea.onsInstanceBaseInfo(new com.aliyun.ons20190214.models.OnsInstanceBaseInfoRequest()
                        .setInstanceId(instance)).getBody().getInstanceBaseInfo().getInstanceId());
                reads.put("OnsMessageGetByMsgId of the hung master's message", () -> {
                    try {
                        return tea.onsMessageGetByMsgId(new OnsMessageGetByMsgIdRequest().setInstanceId(instance).setTopic("Read").setMsgId(onB))
                                .getBody().getData().getMsgId();
                    } catch (com.aliyun.tea.TeaException e) {
                        return "error " + e.getCode() + ": " + e.getMessage();
                    }
                });
                Map<String, Object> answers = new LinkedHashMap<>();
                for (var read : reads.entrySet()) {
                    try {
                        answers.put(read.getKey(), read.getValue().call());
                    } catch (Exception e) {
                        answers.put(read.getKey(), "FAILED " + e.getMessage());
                    }
                }
                assertThat(answers).as("every read answered from broker-a").allSatisfy((read, answer) ->
                        assertThat(String.valueOf(answer)).doesNotStartWith("FAILED"));
                assertThat(answers).containsEntry("OnsMessageGetByMsgId", onA).containsEntry("OnsMessageGetByKey", 1)
                        .containsEntry("OnsTraceQueryByMsgId", onA).containsEntry("OnsTraceQueryByMsgKey", onA)
                        .containsEntry("OnsInstanceBaseInfo", instance).containsEntry("OnsGroupSubDetail", "GID_read");
                assertThat(String.valueOf(answers.get("OnsMessageGetByMsgId of the hung master's message")))
                        .as("not 'no message': the message is on broker-b, which may answer again").startsWith("error ServiceUnavailable");
                awaitUntil(Duration.ofSeconds(15), () -> assertThat(Scrape.of(bridge.endpoint()).gauge("ons_bridge_trace_collector_lag_messages",
                        Map.of())).as("the lag is unknown while a master cannot tell its trace queue's end").contains(-1.0));
            } finally {
                cluster.thawBroker(1);
            }
        }
    }

    /**
     * An ack of a message held by a master that is away (hung, then killed) is a service error that says so, at once
     * (before: a hung master held the ack for its timeout, and a killed one's handles were called invalid, so the
     * application took the message for lost or done); the same ack made once the master is back succeeds.
     */
    @Test
    void anAckOfAMessageOnAMasterAwayFailsAsAnOutageAndSucceedsOnceItIsBack() throws Exception {
        try (HttpClients http = HttpClients.open("acks", "Acked", "GID_acks")) {
            String instance = http.instance();
            MQProducer producer = http.producer();
            MQConsumer consumer = http.consumer();
            String hostA = cluster.brokerAddrs().get(0);
            Map<String, String> brokerOf = http.publishUntil(i -> new TopicMessage("ack me".getBytes(StandardCharsets.UTF_8)),
                    stored -> assertThat(stored.values().stream().filter(host -> !host.endsWith(hostA)).count()).as("messages on broker-b")
                            .isGreaterThanOrEqualTo(2));
            Map<String, Message> received = MqHttpSdkIT.receive(consumer, brokerOf.size());
            List<String> onB = new ArrayList<>();
            List<String> onA = new ArrayList<>();
            received.forEach((id, message) -> (brokerOf.get(id).endsWith(hostA) ? onA : onB).add(message.getReceiptHandle()));
            if (!onA.isEmpty()) {
                consumer.ackMessage(onA);
            }

            cluster.freezeBroker(1);
            try {
                awaitUntil(Duration.ofSeconds(60), () -> assertThat(Scrape.of(bridge.endpoint()).gauge("ons_bridge_masters_suspect", Map.of()))
                        .as("broker-b left out").contains(1.0));
                assertThat(ackFailure(consumer, onB.subList(0, 1))).contains("ServiceUnavailable").contains("broker-b");
            } finally {
                cluster.thawBroker(1);
            }
            awaitUntil(Duration.ofSeconds(60), () -> ackOnceBack(consumer, onB.subList(0, 1)));

            killBrokerB();
            try {
                assertThat(ackFailure(consumer, onB.subList(1, onB.size()))).contains("ServiceUnavailable").contains("broker-b")
                        .doesNotContain("ReceiptHandleError");
            } finally {
                cluster.restartBroker(1);
            }
            awaitUntil(Duration.ofSeconds(60), () -> ackOnceBack(consumer, onB.subList(1, onB.size())));
            assertThat(consumer.consumeMessage(16, 2)).as("every message acked, none comes back").isNull();
        }
    }

    /** The message id of the trace a query found, once it is finished (within 30 s). */
    private static String traceResult(String queryId) {
        String[] found = new String[1];
        awaitUntil(Duration.ofSeconds(30), () -> {
            var data = tea.onsTraceGetResult(new com.aliyun.ons20190214.models.OnsTraceGetResultRequest().setQueryId(queryId)).getBody().getTraceData();
            assertThat(data.getStatus()).isEqualTo("finish");
            assertThat(data.getTraceList().getTraceMapDo()).hasSize(1);
            found[0] = data.getTraceList().getTraceMapDo().get(0).getMsgId();
        });
        return found[0];
    }

    /** Acks {@code handles}; an ack refused as the outage it is fails as an assertion, so that it is made again. */
    private static void ackOnceBack(MQConsumer consumer, List<String> handles) {
        try {
            consumer.ackMessage(handles);
        } catch (com.aliyun.mq.http.common.ServiceException e) {
            assertThat(e.getErrorCode()).as("the ack is refused only while the master is away").isEqualTo("ServiceUnavailable");
            throw new AssertionError("not yet: " + e.getMessage());
        }
    }

    /** What the SDK says of an ack that failed as a whole (it fails the test when the ack succeeds). */
    private static String ackFailure(MQConsumer consumer, List<String> handles) {
        try {
            consumer.ackMessage(handles);
        } catch (RuntimeException e) {
            String said = e.toString();
            if (e instanceof com.aliyun.mq.http.common.ServiceException service) {
                said += " " + service.getErrorCode() + " " + service.getMessage();
            }
            return said;
        }
        throw new AssertionError("the ack of " + handles + " succeeded");
    }

    /**
     * The master holding the bridges' lock log (broker-a, the first by name) killed: writes go on, the log moving to
     * broker-b (before, every create and delete answered 503 until broker-a returned); once broker-a is back, the log
     * moves back to it, writes go on, and broker-a gets what was created meanwhile.
     */
    @Test
    void writesGoOnWhileTheMasterHoldingTheLockLogIsDown() throws Exception {
        String instance = tea.onsInstanceCreate(new OnsInstanceCreateRequest().setInstanceName("locks")).getBody().getData().getInstanceId();
        tea.onsTopicCreate(new OnsTopicCreateRequest().setInstanceId(instance).setTopic("Before").setMessageType(0));
        assertThat(routeBrokers("ONS_BRIDGE_LOCKS")).contains("broker-a");
        String brokerA = cluster.brokerAddrs().get(0);
        cluster.killBroker(0);
        try {
            awaitUntil(Duration.ofSeconds(30), () -> assertThat(masters()).doesNotContain(brokerA));
            // The first write may still find the log on broker-a (503, the SDK's caller retries); then it is on broker-b.
            awaitUntil(Duration.ofSeconds(30), () -> served(() -> tea.onsTopicCreate(new OnsTopicCreateRequest().setInstanceId(instance)
                    .setTopic("WhileAIsDown").setMessageType(0))));
            tea.onsGroupCreate(new OnsGroupCreateRequest().setInstanceId(instance).setGroupId("GID_while_a_is_down").setGroupType("tcp"));
            tea.onsTopicDelete(new OnsTopicDeleteRequest().setInstanceId(instance).setTopic("Before"));
            assertThat(topics(instance)).containsExactly("WhileAIsDown");
            assertThat(routeBrokers("ONS_BRIDGE_LOCKS")).containsExactly("broker-b");
        } finally {
            cluster.restartBroker(0);
        }
        awaitUntil(Duration.ofSeconds(30), () -> assertThat(routeBrokers("ONS_BRIDGE_LOCKS")).contains("broker-a", "broker-b"));
        awaitUntil(Duration.ofSeconds(30), () -> served(() -> tea.onsTopicCreate(new OnsTopicCreateRequest().setInstanceId(instance)
                .setTopic("AfterAIsBack").setMessageType(0))));
        awaitUntil(Duration.ofSeconds(30), () -> assertThat(topicsOn(brokerA)).contains(instance + "%WhileAIsDown", instance + "%AfterAIsBack")
                .doesNotContain(instance + "%Before"));
        assertThat(topics(instance)).containsExactlyInAnyOrder("WhileAIsDown", "AfterAIsBack");
        assertThat(groups(instance)).containsExactly("GID_while_a_is_down");
    }

    /**
     * The master holding the lock log hangs (SIGSTOP): once a write found it out (503 after its timeout), writes go on
     * through a log on broker-b (before, they answered 503 until the name server dropped broker-a, up to 2 minutes);
     * once it answers again, writes go on.
     */
    @Test
    void writesGoOnWhileTheMasterHoldingTheLockLogHangs() throws Exception {
        String instance = tea.onsInstanceCreate(new OnsInstanceCreateRequest().setInstanceName("hunglocks")).getBody().getData().getInstanceId();
        tea.onsTopicCreate(new OnsTopicCreateRequest().setInstanceId(instance).setTopic("Before").setMessageType(0));
        cluster.freezeBroker(0);
        try {
            awaitUntil(Duration.ofSeconds(60), () -> served(() -> tea.onsTopicCreate(new OnsTopicCreateRequest().setInstanceId(instance)
                    .setTopic("WhileAHangs").setMessageType(0))));
            tea.onsGroupCreate(new OnsGroupCreateRequest().setInstanceId(instance).setGroupId("GID_while_a_hangs").setGroupType("tcp"));
            assertThat(masters()).as("still listed by the name server").contains(cluster.brokerAddrs().get(0));
        } finally {
            cluster.thawBroker(0);
        }
        awaitUntil(Duration.ofSeconds(60), () -> served(() -> tea.onsTopicDelete(new OnsTopicDeleteRequest().setInstanceId(instance)
                .setTopic("Before"))));
        awaitUntil(Duration.ofSeconds(60), () -> assertThat(topics(instance)).containsExactly("WhileAHangs"));
        assertThat(groups(instance)).containsExactly("GID_while_a_hangs");
    }

    /** Runs {@code call}; an answer of 503 (the cluster not reachable) fails as an assertion, so that it is made again. */
    private static void served(java.util.concurrent.Callable<?> call) throws Exception {
        try {
            call.call();
        } catch (com.aliyun.tea.TeaException e) {
            assertThat(e.getCode()).as("only an outage is retried: " + e.getMessage()).isEqualTo("ServiceUnavailable");
            throw new AssertionError("not yet: " + e.getMessage());
        }
    }

    /**
     * An instance with a topic and an HTTP group, and the MQ HTTP SDK's producer and consumer of them; the group's
     * offsets exist (from the start) once it is open.
     */
    private record HttpClients(String instance, String topic, MQClient client, MQProducer producer, MQConsumer consumer) implements AutoCloseable {
        static HttpClients open(String instanceName, String topic, String group) throws Exception {
            String instance = tea.onsInstanceCreate(new OnsInstanceCreateRequest().setInstanceName(instanceName)).getBody().getData().getInstanceId();
            tea.onsTopicCreate(new OnsTopicCreateRequest().setInstanceId(instance).setTopic(topic).setMessageType(0));
            tea.onsGroupCreate(new OnsGroupCreateRequest().setInstanceId(instance).setGroupId(group).setGroupType("http"));
            MQClient client = new MQClient("http://127.0.0.1:" + bridge.port(), ACCESS_KEY_ID, SECRET);
            HttpClients http = new HttpClients(instance, topic, client, client.getProducer(instance, topic), client.getConsumer(instance, topic, group, null));
            assertThat(http.consumer().consumeMessage(1, 1)).isNull();
            return http;
        }

        /** Publishes {@code next(i)}, i = 0, 1..., until {@code enough} holds of where they were stored: message id to store host. */
        Map<String, String> publishUntil(IntFunction<TopicMessage> next, Consumer<Map<String, String>> enough) {
            Map<String, String> storedOn = new LinkedHashMap<>(); // in the order sent
            awaitUntil(Duration.ofSeconds(60), () -> {
                String id = producer.publishMessage(next.apply(storedOn.size())).getMessageId();
                storedOn.put(id, tea.onsMessageGetByMsgId(new OnsMessageGetByMsgIdRequest().setInstanceId(instance).setTopic(topic)
                        .setMsgId(id)).getBody().getData().getStoreHost());
                enough.accept(storedOn);
            });
            return storedOn;
        }

        @Override
        public void close() {
            client.close();
        }
    }

    /** The key of the message {@code id} published with the key {@code "KEY-" + i} as the i-th of {@code sent}. */
    private static String keyOf(Map<String, String> sent, String id) {
        return "KEY-" + List.copyOf(sent.keySet()).indexOf(id);
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

    /** How many messages the broker's copy of the topic holds; -1 when it has no copy. */
    private static long messagesOn(String broker, String topic) throws Exception {
        if (!topicsOn(broker).contains(topic)) {
            return -1;
        }
        return admin.examineTopicStats(broker, topic).getOffsetTable().values().stream().mapToLong(q -> q.getMaxOffset() - q.getMinOffset()).sum();
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
