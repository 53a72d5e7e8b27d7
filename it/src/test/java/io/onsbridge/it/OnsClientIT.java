package io.onsbridge.it;

import static io.onsbridge.it.TopicIT.awaitUntil;
import static io.onsbridge.it.TraceIT.single;
import static io.onsbridge.it.TraceIT.traceById;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.aliyun.ons20190214.Client;
import com.aliyun.ons20190214.models.OnsConsumerAccumulateRequest;
import com.aliyun.ons20190214.models.OnsConsumerStatusRequest;
import com.aliyun.ons20190214.models.OnsGroupCreateRequest;
import com.aliyun.ons20190214.models.OnsInstanceBaseInfoRequest;
import com.aliyun.ons20190214.models.OnsMessageGetByMsgIdRequest;
import com.aliyun.ons20190214.models.OnsTopicCreateRequest;
import com.aliyun.openservices.ons.api.Action;
import com.aliyun.openservices.ons.api.Consumer;
import com.aliyun.openservices.ons.api.Message;
import com.aliyun.openservices.ons.api.ONSFactory;
import com.aliyun.openservices.ons.api.Producer;
import com.aliyun.openservices.ons.api.PropertyKeyConst;
import com.aliyun.openservices.ons.api.PropertyValueConst;
import com.aliyun.openservices.ons.api.batch.BatchConsumer;
import com.aliyun.openservices.ons.api.order.OrderAction;
import com.aliyun.openservices.ons.api.order.OrderConsumer;
import com.aliyun.openservices.ons.api.order.OrderProducer;
import com.aliyun.openservices.ons.api.transaction.TransactionProducer;
import com.aliyun.openservices.ons.api.transaction.TransactionStatus;
import io.onsbridge.junit.OnsBridgeEnvironment;
import io.onsbridge.junit.OnsBridgeTest;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Alibaba's own TCP SDK, ons-client 1.8.8.8.Final, configured as ONS documents it: {@code NAMESRV_ADDR} is the
 * instance's {@code TcpEndpoint} from OnsInstanceBaseInfo pasted as it is, {@code AccessKey}, {@code SecretKey},
 * {@code GROUP_ID}, and no {@code INSTANCE_ID}: the messages land in the instance (docs/tcp-clients.md), the
 * bridge's message, consumer and trace actions see them there, and the broker keeps ONS's conventions (timed
 * delivery through the broker plugin; the region and trace flag that make ons-client write its traces).
 */
@OnsBridgeTest
class OnsClientIT {
    private static final Duration DEADLINE = Duration.ofSeconds(30);
    private static final Duration TRACE_DEADLINE = Duration.ofSeconds(45);
    private static final long CHECK_IMMUNITY_SECONDS = 40;

    private final Bridge bridge;
    private final Client tea;

    /**
     * ons-client sends every client's trace records through one producer per JVM, made with the name server of the
     * JVM's first traced client and stopped for good once every traced client of the JVM has shut down (its
     * TraceProducerSingleton, which a client cannot switch off). An application keeps its clients; these tests
     * start and stop those of many, so one client lives as long as the class, as an application's would.
     */
    private static Producer keeper;

    OnsClientIT(OnsBridgeEnvironment env) {
        this.bridge = Bridge.of(env);
        this.tea = bridge.tea();
    }

    @BeforeAll
    static void keepTheTraceProducer(OnsBridgeEnvironment env) throws Exception {
        OnsClientIT test = new OnsClientIT(env);
        String instance = test.instanceWith("onskeeper", "Kept", 0, "GID_keeper");
        keeper = ONSFactory.createProducer(test.properties(instance, "GID_keeper"));
        keeper.start();
    }

    @AfterAll
    static void stopTheKeeper() {
        if (keeper != null) {
            keeper.shutdown();
        }
    }

    @Test
    void normalMessagesLandInTheInstanceAndTheirSendAndConsumptionAreTraced() throws Exception {
        String instance = instanceWith("onsnormal", "Orders", 0, "GID_orders");
        long begin = System.currentTimeMillis() - 1_000;
        Map<String, String> consumed = new ConcurrentHashMap<>();
        Consumer consumer = ONSFactory.createConsumer(properties(instance, "GID_orders"));
        consumer.subscribe("Orders", "TagA", (message, context) -> {
            consumed.put(message.getMsgID(), message.getTopic() + "|" + message.getTag() + "|" + message.getKey());
            return Action.CommitMessage;
        });
        consumer.start();
        Producer producer = ONSFactory.createProducer(properties(instance, "GID_orders"));
        producer.start();
        try {
            String id = producer.send(new Message("Orders", "TagA", "ORDER-1", "hello".getBytes(StandardCharsets.UTF_8))).getMessageId();
            awaitUntil(DEADLINE, () -> assertThat(consumed).containsEntry(id, "Orders|TagA|ORDER-1"));

            // stored in the instance's namespace, found by the bridge's message actions in that instance
            assertThat(bridge.admin().viewMessage(instance + "%Orders", id).getTopic()).isEqualTo(instance + "%Orders");
            var found = tea.onsMessageGetByMsgId(new OnsMessageGetByMsgIdRequest().setInstanceId(instance).setTopic("Orders").setMsgId(id))
                    .getBody().getData();
            assertThat(found.getMsgId()).isEqualTo(id);
            assertThat(found.getTopic()).isEqualTo("Orders");

            // the consumer, online, and its group's backlog
            var status = tea.onsConsumerStatus(new OnsConsumerStatusRequest().setInstanceId(instance).setGroupId("GID_orders").setDetail(true))
                    .getBody().getData();
            assertThat(status.getOnline()).isTrue();
            assertThat(status.getConsumerConnectionInfoList().getConsumerConnectionInfoDo()).isNotEmpty();
            awaitUntil(DEADLINE, () -> {
                var accumulate = tea.onsConsumerAccumulate(new OnsConsumerAccumulateRequest().setInstanceId(instance).setGroupId("GID_orders"))
                        .getBody().getData();
                assertThat(accumulate.getOnline()).isTrue();
                assertThat(accumulate.getTotalDiff()).isZero();
            });

            // ons-client's own trace records (rmq_sys_TRACE_DATA_<region>): the send and the consumption
            awaitUntil(TRACE_DEADLINE, () -> {
                var trace = single(traceById(tea, instance, "Orders", id, begin));
                assertThat(trace.getStatus()).isEqualTo("SEND_SUCCESS");
                assertThat(trace.getPubGroupName()).isEqualTo("GID_orders");
                assertThat(trace.getSubList().getSubMapDo()).singleElement().satisfies(group -> {
                    assertThat(group.getSubGroupName()).isEqualTo("GID_orders");
                    assertThat(group.getSuccessCount()).isEqualTo(1);
                    assertThat(group.getClientList().getSubClientInfoDo()).singleElement().satisfies(c -> assertThat(c.getStatus()).isEqualTo("CONSUME_SUCCESS"));
                });
            });
        } finally {
            producer.shutdown();
            consumer.shutdown();
        }
    }

    @Test
    void aConsumptionWithoutTraceRecordsIsShownFromTheGroupsOffset() throws Exception {
        String instance = instanceWith("onsuntraced", "Quiet", 0, "GID_quiet");
        long begin = System.currentTimeMillis() - 1_000;
        Properties untraced = properties(instance, "GID_quiet");
        untraced.put(PropertyKeyConst.MsgTraceSwitch, "false");
        Set<String> consumed = ConcurrentHashMap.newKeySet();
        Consumer consumer = ONSFactory.createConsumer(untraced);
        consumer.subscribe("Quiet", "*", (message, context) -> {
            consumed.add(message.getMsgID());
            return Action.CommitMessage;
        });
        consumer.start();
        Producer producer = ONSFactory.createProducer(properties(instance, "GID_quiet_producer"));
        producer.start();
        try {
            String id = producer.send(message("Quiet", "quiet")).getMessageId();
            awaitUntil(DEADLINE, () -> assertThat(consumed).contains(id));
            // the consumer writes no record; once its offset is committed (every 5 s) the trace says the group consumed it
            awaitUntil(TRACE_DEADLINE, () -> {
                var trace = single(traceById(tea, instance, "Quiet", id, begin));
                assertThat(trace.getStatus()).isEqualTo("SEND_SUCCESS");
                assertThat(trace.getSubList().getSubMapDo()).singleElement().satisfies(group -> {
                    assertThat(group.getSubGroupName()).isEqualTo("GID_quiet");
                    assertThat(group.getSuccessCount()).isEqualTo(1);
                    assertThat(group.getClientList().getSubClientInfoDo()).isEmpty();
                });
            });
        } finally {
            producer.shutdown();
            consumer.shutdown();
        }
    }

    @Test
    void partitionOrderMessagesOfOneShardingKeyAreConsumedInOrder() throws Exception {
        String instance = instanceWith("onsorder", "Sequence", 2, "GID_sequence");
        List<String> consumed = new CopyOnWriteArrayList<>();
        OrderConsumer consumer = ONSFactory.createOrderedConsumer(properties(instance, "GID_sequence"));
        consumer.subscribe("Sequence", "*", (message, context) -> {
            consumed.add(new String(message.getBody(), StandardCharsets.UTF_8));
            return OrderAction.Success;
        });
        consumer.start();
        OrderProducer producer = ONSFactory.createOrderProducer(properties(instance, "GID_sequence"));
        producer.start();
        try {
            List<String> sent = new ArrayList<>();
            List<String> ids = new ArrayList<>();
            for (int i = 0; i < 20; i++) {
                String body = "step-" + i;
                sent.add(body);
                ids.add(producer.send(new Message("Sequence", "TagO", body.getBytes(StandardCharsets.UTF_8)), "order-42").getMessageId());
            }
            awaitUntil(DEADLINE, () -> assertThat(consumed).containsExactlyElementsOf(sent));
            for (String id : List.of(ids.get(0), ids.get(19))) {
                assertThat(tea.onsMessageGetByMsgId(new OnsMessageGetByMsgIdRequest().setInstanceId(instance).setTopic("Sequence").setMsgId(id))
                        .getBody().getData().getMsgId()).isEqualTo(id);
            }
        } finally {
            producer.shutdown();
            consumer.shutdown();
        }
    }

    @Test
    void transactionsCommitRollBackAndAreChecked() throws Exception {
        String instance = instanceWith("onstx", "Payments", 4, "GID_payments");
        Set<String> consumed = ConcurrentHashMap.newKeySet();
        Consumer consumer = ONSFactory.createConsumer(properties(instance, "GID_payments"));
        consumer.subscribe("Payments", "*", (message, context) -> {
            consumed.add(new String(message.getBody(), StandardCharsets.UTF_8));
            return Action.CommitMessage;
        });
        consumer.start();
        Map<String, Long> checked = new ConcurrentHashMap<>();
        TransactionProducer producer = ONSFactory.createTransactionProducer(properties(instance, "GID_payments"), message -> {
            checked.putIfAbsent(new String(message.getBody(), StandardCharsets.UTF_8), System.currentTimeMillis());
            return TransactionStatus.CommitTransaction;
        });
        producer.start();
        try {
            String committed = producer.send(message("Payments", "commit"), (msg, arg) -> TransactionStatus.CommitTransaction, null).getMessageId();
            // ons-client throws on a rollback by design: the message is never delivered
            assertThatThrownBy(() -> producer.send(message("Payments", "rollback"), (msg, arg) -> TransactionStatus.RollbackTransaction, null));
            producer.send(message("Payments", "unknown"), (msg, arg) -> TransactionStatus.Unknow, null);
            // ONS's first check time (the broker plugin makes it the broker's own): not checked before it, although the
            // broker's check runs every 30 s and would otherwise ask about it after its 6 s transaction timeout
            Message immune = message("Payments", "immune");
            immune.putUserProperties(PropertyKeyConst.CheckImmunityTimeInSeconds, Long.toString(CHECK_IMMUNITY_SECONDS));
            long immuneSent = System.currentTimeMillis();
            producer.send(immune, (msg, arg) -> TransactionStatus.Unknow, null);
            awaitUntil(DEADLINE, () -> assertThat(consumed).contains("commit"));
            assertThat(tea.onsMessageGetByMsgId(new OnsMessageGetByMsgIdRequest().setInstanceId(instance).setTopic("Payments").setMsgId(committed))
                    .getBody().getData().getMsgId()).isEqualTo(committed);
            // the broker asks the producer about the unknown one (its check runs every 30 s or so) and delivers it
            awaitUntil(Duration.ofSeconds(120), () -> assertThat(consumed).contains("unknown", "immune"));
            assertThat(checked).containsKeys("unknown", "immune").doesNotContainKey("commit");
            assertThat(checked.get("immune") - immuneSent).as("the first check of a message with a check immunity time")
                    .isGreaterThanOrEqualTo(CHECK_IMMUNITY_SECONDS * 1000);
            assertThat(consumed).doesNotContain("rollback");
        } finally {
            producer.shutdown();
            consumer.shutdown();
        }
    }

    @Test
    void aTimedMessageIsDeliveredAtItsTimeNeverBefore() throws Exception {
        String instance = instanceWith("onstimed", "Timed", 5, "GID_timed");
        Map<String, Long> receivedAt = new ConcurrentHashMap<>();
        Consumer consumer = ONSFactory.createConsumer(properties(instance, "GID_timed"));
        consumer.subscribe("Timed", "*", (message, context) -> {
            receivedAt.putIfAbsent(new String(message.getBody(), StandardCharsets.UTF_8), System.currentTimeMillis());
            return Action.CommitMessage;
        });
        consumer.start();
        Producer producer = ONSFactory.createProducer(properties(instance, "GID_timed"));
        producer.start();
        try {
            // once the consumer gets messages at all, so that its start is not counted as the timer's lateness
            producer.send(message("Timed", "warm-up"));
            awaitUntil(DEADLINE, () -> assertThat(receivedAt).containsKey("warm-up"));
            // times on and off the timer's slot boundaries (a slot is timerPrecisionMs wide)
            long base = System.currentTimeMillis() / 1000 * 1000 + 4_000;
            Map<String, Long> due = Map.of("timed", base, "timed+1", base + 1_001, "timed+777", base + 1_777);
            for (Map.Entry<String, Long> each : due.entrySet()) {
                Message timed = message("Timed", each.getKey());
                timed.setStartDeliverTime(each.getValue());
                producer.send(timed);
            }
            awaitUntil(DEADLINE, () -> assertThat(receivedAt).containsKeys("timed", "timed+1", "timed+777"));
            for (Map.Entry<String, Long> each : due.entrySet()) {
                long late = receivedAt.get(each.getKey()) - each.getValue();
                System.out.printf("timed delivery lateness (ons-client) %s: %d ms%n", each.getKey(), late);
                // never before; after it by the broker timer's precision (100 ms, EmbeddedCluster) and its hand-over
                assertThat(late).as("%s delivered %d ms after its time", each.getKey(), late).isBetween(0L, 1_000L);
            }
        } finally {
            producer.shutdown();
            consumer.shutdown();
        }
    }

    @Test
    void aBatchConsumerGetsEveryMessage() throws Exception {
        String instance = instanceWith("onsbatch", "Batched", 0, "GID_batched");
        Properties consumerProperties = properties(instance, "GID_batched");
        consumerProperties.put(PropertyKeyConst.ConsumeMessageBatchMaxSize, "16");
        Set<String> consumed = ConcurrentHashMap.newKeySet();
        BatchConsumer consumer = ONSFactory.createBatchConsumer(consumerProperties);
        consumer.subscribe("Batched", "*", (messages, context) -> {
            messages.forEach(m -> consumed.add(new String(m.getBody(), StandardCharsets.UTF_8)));
            return Action.CommitMessage;
        });
        consumer.start();
        Producer producer = ONSFactory.createProducer(properties(instance, "GID_batched"));
        producer.start();
        try {
            List<String> sent = new ArrayList<>();
            for (int i = 0; i < 30; i++) {
                sent.add("batch-" + i);
                producer.send(message("Batched", "batch-" + i));
            }
            awaitUntil(DEADLINE, () -> assertThat(consumed).containsExactlyInAnyOrderElementsOf(sent));
        } finally {
            producer.shutdown();
            consumer.shutdown();
        }
    }

    @Test
    void everyBroadcastingConsumerGetsTheMessage() throws Exception {
        String instance = instanceWith("onsbroadcast", "Notices", 0, "GID_notices");
        List<Map<String, Boolean>> received = List.of(new ConcurrentHashMap<>(), new ConcurrentHashMap<>());
        List<Consumer> consumers = new ArrayList<>();
        for (Map<String, Boolean> seen : received) {
            Properties p = properties(instance, "GID_notices");
            p.put(PropertyKeyConst.MessageModel, PropertyValueConst.BROADCASTING);
            Consumer consumer = ONSFactory.createConsumer(p);
            consumer.subscribe("Notices", "*", (message, context) -> {
                seen.put(new String(message.getBody(), StandardCharsets.UTF_8), true);
                return Action.CommitMessage;
            });
            consumer.start();
            consumers.add(consumer);
        }
        Producer producer = ONSFactory.createProducer(properties(instance, "GID_notices"));
        producer.start();
        try {
            awaitUntil(DEADLINE, () -> assertThat(tea.onsConsumerStatus(new OnsConsumerStatusRequest().setInstanceId(instance)
                    .setGroupId("GID_notices").setDetail(true)).getBody().getData().getConsumerConnectionInfoList().getConsumerConnectionInfoDo())
                    .hasSize(2));
            // A broadcasting consumer starts at the queues' ends once it has its queues: until each one got a message,
            // what is sent may come before its start.
            int[] pings = {0};
            awaitUntil(DEADLINE, () -> {
                producer.send(message("Notices", "ping-" + pings[0]++));
                assertThat(received).allSatisfy(seen -> assertThat(seen).isNotEmpty());
            });
            for (int i = 0; i < 5; i++) {
                producer.send(message("Notices", "notice-" + i));
            }
            awaitUntil(DEADLINE, () -> assertThat(received).allSatisfy(seen -> assertThat(seen).containsKeys(
                    "notice-0", "notice-1", "notice-2", "notice-3", "notice-4")));
        } finally {
            producer.shutdown();
            consumers.forEach(Consumer::shutdown);
        }
    }

    /** A new instance with one topic of the type and one TCP group, as a console user makes them. */
    private String instanceWith(String prefix, String topic, int messageType, String group) throws Exception {
        String instance = bridge.newInstance(prefix);
        tea.onsTopicCreate(new OnsTopicCreateRequest().setInstanceId(instance).setTopic(topic).setMessageType(messageType));
        tea.onsGroupCreate(new OnsGroupCreateRequest().setInstanceId(instance).setGroupId(group).setGroupType("tcp"));
        return instance;
    }

    /** As ONS documents it: the instance's TcpEndpoint pasted as NAMESRV_ADDR, the keys, the group; no INSTANCE_ID. */
    private Properties properties(String instance, String group) throws Exception {
        String endpoint = tea.onsInstanceBaseInfo(new OnsInstanceBaseInfoRequest().setInstanceId(instance))
                .getBody().getInstanceBaseInfo().getEndpoints().getTcpEndpoint();
        return OnsClients.properties(endpoint, bridge.accessKeyId, bridge.accessKeySecret, group);
    }

    private static Message message(String topic, String body) {
        return new Message(topic, "TagT", body.getBytes(StandardCharsets.UTF_8));
    }
}
