package io.onsbridge.it;

import static io.onsbridge.it.InstanceIT.assertTeaError;
import static io.onsbridge.it.TopicIT.awaitUntil;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import com.aliyun.ons20190214.Client;
import com.aliyun.ons20190214.models.OnsGroupCreateRequest;
import com.aliyun.ons20190214.models.OnsTopicCreateRequest;
import com.aliyun.ons20190214.models.OnsTraceGetResultRequest;
import com.aliyun.ons20190214.models.OnsTraceGetResultResponseBody.OnsTraceGetResultResponseBodyTraceData;
import com.aliyun.ons20190214.models.OnsTraceGetResultResponseBody.OnsTraceGetResultResponseBodyTraceDataTraceListTraceMapDo;
import com.aliyun.ons20190214.models.OnsTraceGetResultResponseBody.OnsTraceGetResultResponseBodyTraceDataTraceListTraceMapDoSubListSubMapDo;
import com.aliyun.ons20190214.models.OnsTraceQueryByMsgIdRequest;
import com.aliyun.ons20190214.models.OnsTraceQueryByMsgKeyRequest;
import com.aliyuncs.ons.model.v20190214.OnsTraceGetResultResponse;
import io.onsbridge.OnsBridgeServer;
import io.onsbridge.config.Setting;
import io.onsbridge.domain.trace.TraceQuery;
import io.onsbridge.junit.OnsBridgeEnvironment;
import io.onsbridge.junit.OnsBridgeTest;
import io.onsbridge.tracecollector.TraceCollector;
import io.onsbridge.tracecollector.TraceEvent;
import io.onsbridge.tracecollector.TraceStore;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.rocketmq.client.consumer.DefaultMQPushConsumer;
import org.apache.rocketmq.client.consumer.listener.ConsumeConcurrentlyStatus;
import org.apache.rocketmq.client.consumer.listener.MessageListenerConcurrently;
import org.apache.rocketmq.client.producer.DefaultMQProducer;
import org.apache.rocketmq.client.producer.LocalTransactionState;
import org.apache.rocketmq.client.producer.TransactionListener;
import org.apache.rocketmq.client.producer.TransactionMQProducer;
import org.apache.rocketmq.common.message.Message;
import org.apache.rocketmq.common.message.MessageExt;
import org.apache.rocketmq.common.topic.TopicValidator;
import org.junit.jupiter.api.Test;

/** Message traces of real traced producers and consumers, read back through both SDKs. */
@OnsBridgeTest
class TraceIT {
    private static final Duration TRACE_DEADLINE = Duration.ofSeconds(45);
    private final Bridge bridge;
    private final OnsBridgeEnvironment env;

    TraceIT(OnsBridgeEnvironment env) {
        this.env = env;
        this.bridge = Bridge.of(env);
    }

    @Test
    void consumedOnceFailedThenSucceededAndTwoGroups() throws Exception {
        String instance = bridge.newInstance("trace");
        Client tea = bridge.tea();
        tea.onsTopicCreate(new OnsTopicCreateRequest().setInstanceId(instance).setTopic("Orders").setMessageType(0));
        for (String group : List.of("GID_billing", "GID_shipping")) {
            tea.onsGroupCreate(new OnsGroupCreateRequest().setInstanceId(instance).setGroupId(group));
        }
        // GID_billing fails every message once, then succeeds; GID_shipping succeeds at once.
        Map<String, AtomicInteger> billingAttempts = new ConcurrentHashMap<>();
        DefaultMQPushConsumer billing = consumer(instance, "GID_billing", m ->
                billingAttempts.computeIfAbsent(m.getMsgId(), k -> new AtomicInteger()).incrementAndGet() > 1);
        DefaultMQPushConsumer shipping = consumer(instance, "GID_shipping", m -> true);
        DefaultMQProducer producer = Clients.producer(bridge, instance, "GID_orders_producer");
        long begin = System.currentTimeMillis() - 1_000;
        try {
            String id = producer.send(new Message("Orders", "TagA", "ORDER-1", "first".getBytes(StandardCharsets.UTF_8))).getMsgId();

            awaitUntil(TRACE_DEADLINE, () -> {
                OnsTraceGetResultResponseBodyTraceDataTraceListTraceMapDo trace = single(traceById(tea, instance, "Orders", id, begin));
                assertThat(trace.getMsgId()).isEqualTo(id);
                assertThat(trace.getStatus()).isEqualTo("SEND_SUCCESS");
                assertThat(trace.getTopic()).isEqualTo("Orders");
                assertThat(trace.getTag()).isEqualTo("TagA");
                assertThat(trace.getMsgKey()).isEqualTo("ORDER-1");
                assertThat(trace.getPubGroupName()).isEqualTo("GID_orders_producer");
                assertThat(trace.getBornHost()).isNotBlank();
                assertThat(trace.getPubTime()).isBetween(begin, System.currentTimeMillis());
                List<OnsTraceGetResultResponseBodyTraceDataTraceListTraceMapDoSubListSubMapDo> groups = trace.getSubList().getSubMapDo();
                assertThat(groups).extracting(g -> g.getSubGroupName(), g -> g.getSuccessCount(), g -> g.getFailCount())
                        .containsExactlyInAnyOrder(tuple("GID_billing", 1, 1), tuple("GID_shipping", 1, 0));
                var billingClients = groups.stream().filter(g -> g.getSubGroupName().equals("GID_billing")).findFirst().orElseThrow()
                        .getClientList().getSubClientInfoDo();
                assertThat(billingClients).extracting(c -> c.getStatus(), c -> c.getReconsumeTimes())
                        .containsExactly(tuple("CONSUME_FAILED", 0), tuple("CONSUME_SUCCESS", 1));
                assertThat(billingClients).allSatisfy(c -> {
                    assertThat(c.getClientHost()).isNotBlank();
                    assertThat(c.getSubGroupName()).isEqualTo("GID_billing");
                    assertThat(c.getSubTime()).isGreaterThanOrEqualTo(trace.getPubTime());
                });
            });

            // The legacy SDK reads the same answer from its wrapped lists.
            String queryId = tea.onsTraceQueryByMsgId(new OnsTraceQueryByMsgIdRequest().setInstanceId(instance).setTopic("Orders")
                    .setMsgId(id).setBeginTime(begin / 1_000).setEndTime(System.currentTimeMillis() / 1_000 + 1)).getBody().getQueryId();
            awaitUntil(Duration.ofSeconds(10), () -> {
                var request = new com.aliyuncs.ons.model.v20190214.OnsTraceGetResultRequest();
                request.setQueryId(queryId);
                OnsTraceGetResultResponse.TraceData data = bridge.legacy(request).getTraceData();
                assertThat(data.getStatus()).isEqualTo("finish");
                assertThat(data.getMsgId()).isEqualTo(id);
                assertThat(data.getTraceList()).singleElement().satisfies(t -> {
                    assertThat(t.getStatus()).isEqualTo("SEND_SUCCESS");
                    assertThat(t.getSubList()).extracting(g -> g.getSubGroupName()).containsExactlyInAnyOrder("GID_billing", "GID_shipping");
                    assertThat(t.getSubList()).flatExtracting(g -> g.getClientList()).hasSize(3);
                });
            });

            // Another instance with a topic of the same name does not see it: trace records carry no namespace,
            // the broker's own index of the instance's topic decides.
            String other = bridge.newInstance("traceother");
            tea.onsTopicCreate(new OnsTopicCreateRequest().setInstanceId(other).setTopic("Orders").setMessageType(0));
            assertThat(traceById(tea, other, "Orders", id, begin)).isEmpty();
            assertThat(traceByKey(tea, other, "Orders", "ORDER-1", begin)).isEmpty();

            // By key: every message with the key, here two.
            String second = producer.send(new Message("Orders", "TagB", "ORDER-1", "again".getBytes(StandardCharsets.UTF_8))).getMsgId();
            awaitUntil(TRACE_DEADLINE, () -> assertThat(traceByKey(tea, instance, "Orders", "ORDER-1", begin))
                    .extracting(t -> t.getMsgId(), t -> t.getSubList().getSubMapDo().size())
                    .containsExactlyInAnyOrder(tuple(id, 2), tuple(second, 2)));

            // A bridge that starts now and replays nothing still finds every trace: through the broker's index.
            try (OnsBridgeServer fresh = bridge.startServer(Map.of(Setting.TRACE_REPLAY_MINUTES, "0"))) {
                Client freshTea = Bridge.tea("127.0.0.1:" + fresh.port(), bridge.accessKeyId, bridge.accessKeySecret);
                awaitUntil(TRACE_DEADLINE, () -> assertThat(single(traceById(freshTea, instance, "Orders", id, begin)).getSubList()
                        .getSubMapDo()).extracting(g -> g.getSuccessCount() + g.getFailCount()).containsExactlyInAnyOrder(2, 1));
                assertThat(fresh.traceCollector().store().events(id)).isEmpty();

                // What happens from now on, its collector holds: the trace is answered from memory.
                String third = producer.send(new Message("Orders", "TagC", "ORDER-3", "later".getBytes(StandardCharsets.UTF_8))).getMsgId();
                awaitUntil(TRACE_DEADLINE, () -> assertThat(single(traceById(freshTea, instance, "Orders", third, begin)).getSubList()
                        .getSubMapDo()).extracting(g -> g.getSubGroupName()).containsExactlyInAnyOrder("GID_billing", "GID_shipping"));
                // PUB and each group's SUB_BEFORE and SUB_AFTER, read by its collector (which may trail the broker's index a moment)
                awaitUntil(TRACE_DEADLINE, () -> assertThat(fresh.traceCollector().store().events(third))
                        .hasValueSatisfying(events -> assertThat(events).hasSizeGreaterThanOrEqualTo(5)));
            }
        } finally {
            producer.shutdown();
            billing.shutdown();
            shipping.shutdown();
        }
    }

    /**
     * When the collector holds a message's whole story, the query does its work before it answers: the
     * first OnsTraceGetResult answers finish, on the bridge that made the QueryId and on another one.
     */
    @Test
    void theFirstResultOfAHeldTraceIsFinished() throws Exception {
        String instance = bridge.newInstance("traceonce");
        Client tea = bridge.tea();
        tea.onsTopicCreate(new OnsTopicCreateRequest().setInstanceId(instance).setTopic("Orders").setMessageType(0));
        tea.onsGroupCreate(new OnsGroupCreateRequest().setInstanceId(instance).setGroupId("GID_once"));
        long begin = System.currentTimeMillis() - 1_000;
        try (OnsBridgeServer first = bridge.startServer(Map.of()); OnsBridgeServer second = bridge.startServer(Map.of())) {
            DefaultMQPushConsumer consumer = consumer(instance, "GID_once", m -> true);
            DefaultMQProducer producer = Clients.producer(bridge, instance, "GID_once_producer");
            try {
                List<String> ids = new java.util.ArrayList<>();
                for (int i = 0; i < 3; i++) {
                    ids.add(producer.send(new Message("Orders", "TagO", "ONCE-1", ("m" + i).getBytes(StandardCharsets.UTF_8))).getMsgId());
                }
                // Both collectors hold every message's send and consumption.
                awaitUntil(TRACE_DEADLINE, () -> {
                    for (OnsBridgeServer server : List.of(first, second)) {
                        for (String id : ids) {
                            assertThat(server.traceCollector().store().events(id)).hasValueSatisfying(events -> assertThat(events)
                                    .extracting(e -> e.kind()).contains(TraceEvent.Kind.PUB, TraceEvent.Kind.SUB_AFTER));
                        }
                    }
                });
                Client teaFirst = Bridge.tea("127.0.0.1:" + first.port(), bridge.accessKeyId, bridge.accessKeySecret);
                Client teaSecond = Bridge.tea("127.0.0.1:" + second.port(), bridge.accessKeyId, bridge.accessKeySecret);
                String id = ids.get(0);
                String byId = teaFirst.onsTraceQueryByMsgId(new OnsTraceQueryByMsgIdRequest().setInstanceId(instance).setTopic("Orders")
                        .setMsgId(id).setBeginTime(begin).setEndTime(System.currentTimeMillis() + 1_000)).getBody().getQueryId();
                OnsTraceGetResultResponseBodyTraceData data = firstResult(teaFirst, byId);
                assertThat(data.getStatus()).isEqualTo("finish");
                assertThat(single(data.getTraceList().getTraceMapDo())).satisfies(t -> {
                    assertThat(t.getMsgId()).isEqualTo(id);
                    assertThat(t.getStatus()).isEqualTo("SEND_SUCCESS");
                    assertThat(t.getSubList().getSubMapDo()).extracting(g -> g.getSubGroupName(), g -> g.getSuccessCount())
                            .containsExactly(tuple("GID_once", 1));
                });

                // A bridge that never saw the QueryId runs it when first asked, and answers it just as well.
                OnsTraceGetResultResponseBodyTraceData elsewhere = firstResult(teaSecond, byId);
                assertThat(elsewhere.getStatus()).isEqualTo("finish");
                assertThat(single(elsewhere.getTraceList().getTraceMapDo()).getSubList().getSubMapDo()).hasSize(1);

                // By key: every message with it, finished at the first result too.
                String byKey = teaFirst.onsTraceQueryByMsgKey(new OnsTraceQueryByMsgKeyRequest().setInstanceId(instance).setTopic("Orders")
                        .setMsgKey("ONCE-1").setBeginTime(begin).setEndTime(System.currentTimeMillis() + 1_000)).getBody().getQueryId();
                OnsTraceGetResultResponseBodyTraceData keyed = firstResult(teaFirst, byKey);
                assertThat(keyed.getStatus()).isEqualTo("finish");
                assertThat(keyed.getTraceList().getTraceMapDo()).extracting(t -> t.getMsgId()).containsExactlyInAnyOrderElementsOf(ids);
            } finally {
                producer.shutdown();
                consumer.shutdown();
            }
        }
    }

    /**
     * A collector reads from when it was made, not from its first assignment (which waits for the trace
     * topics' routes): a message traced in between is held. CI once missed one that way (replay 0).
     */
    @Test
    void aCollectorHoldsWhatWasTracedBeforeItsFirstAssignment() throws Exception {
        String instance = bridge.newInstance("tracemade");
        bridge.tea().onsTopicCreate(new OnsTopicCreateRequest().setInstanceId(instance).setTopic("Orders").setMessageType(0));
        TraceCollector.Settings settings = new TraceCollector.Settings(bridge.cluster.namesrvAddr(), null, "GID_it_late_collector",
                List.of(TopicValidator.RMQ_SYS_TRACE_TOPIC), Duration.ZERO, Duration.ofSeconds(1));
        TraceCollector late = new TraceCollector(settings, new TraceStore(1 << 20, 1_000), bridge.admin()::maxOffset, Clock.systemUTC());
        DefaultMQProducer producer = Clients.producer(bridge, instance, "GID_made_producer");
        try {
            String id = producer.send(new Message("Orders", "TagM", "MADE-1", "made".getBytes(StandardCharsets.UTF_8))).getMsgId();
            // Its send is traced (the bridge's own collector has read it) before the late one starts.
            awaitUntil(TRACE_DEADLINE, () -> assertThat(env.server().traceCollector().store().events(id)).isPresent());
            try (TraceCollector started = late.start()) {
                awaitUntil(TRACE_DEADLINE, () -> assertThat(started.store().events(id)).hasValueSatisfying(events ->
                        assertThat(events).extracting(e -> e.kind()).contains(TraceEvent.Kind.PUB)));
            }
        } finally {
            producer.shutdown();
        }
    }

    private static OnsTraceGetResultResponseBodyTraceData firstResult(Client tea, String queryId) throws Exception {
        return tea.onsTraceGetResult(new OnsTraceGetResultRequest().setQueryId(queryId)).getBody().getTraceData();
    }

    @Test
    void aDelayedMessageWaitsThenIsDelivered() throws Exception {
        String instance = bridge.newInstance("tracedelay");
        Client tea = bridge.tea();
        tea.onsTopicCreate(new OnsTopicCreateRequest().setInstanceId(instance).setTopic("Later").setMessageType(5));
        DefaultMQProducer producer = Clients.producer(bridge, instance, "GID_later_producer");
        long begin = System.currentTimeMillis() - 1_000;
        try {
            Message message = new Message("Later", "TagD", "LATER-1", "later".getBytes(StandardCharsets.UTF_8));
            message.setDeliverTimeMs(System.currentTimeMillis() + 12_000);
            String id = producer.send(message).getMsgId();
            awaitUntil(TRACE_DEADLINE, () -> assertThat(single(traceById(tea, instance, "Later", id, begin)).getStatus()).isEqualTo("SEND_DELAY"));
            assertThat(traceByKey(tea, instance, "Later", "LATER-1", begin)).extracting(t -> t.getMsgId()).containsExactly(id);
            awaitUntil(TRACE_DEADLINE, () -> assertThat(single(traceById(tea, instance, "Later", id, begin)).getStatus()).isEqualTo("SEND_SUCCESS"));
        } finally {
            producer.shutdown();
        }
    }

    @Test
    void committedAndRolledBackTransactions() throws Exception {
        String instance = bridge.newInstance("tracetx");
        Client tea = bridge.tea();
        tea.onsTopicCreate(new OnsTopicCreateRequest().setInstanceId(instance).setTopic("Payments").setMessageType(4));
        TransactionMQProducer producer = new TransactionMQProducer(instance, "GID_payments_producer", null, true, null);
        producer.setNamesrvAddr(bridge.cluster.namesrvAddr());
        producer.setInstanceName("it-tx-" + instance);
        producer.setTransactionListener(new TransactionListener() {
            @Override
            public LocalTransactionState executeLocalTransaction(Message msg, Object arg) {
                return "commit".equals(arg) ? LocalTransactionState.COMMIT_MESSAGE : LocalTransactionState.ROLLBACK_MESSAGE;
            }

            @Override
            public LocalTransactionState checkLocalTransaction(MessageExt msg) {
                return LocalTransactionState.ROLLBACK_MESSAGE;
            }
        });
        producer.start();
        long begin = System.currentTimeMillis() - 1_000;
        try {
            String committed = producer.sendMessageInTransaction(new Message("Payments", "TagT", "PAY-1", "ok".getBytes(StandardCharsets.UTF_8)),
                    "commit").getMsgId();
            String rolledBack = producer.sendMessageInTransaction(new Message("Payments", "TagT", "PAY-2", "no".getBytes(StandardCharsets.UTF_8)),
                    "rollback").getMsgId();
            awaitUntil(TRACE_DEADLINE, () -> {
                assertThat(single(traceById(tea, instance, "Payments", committed, begin)).getStatus()).isEqualTo("SEND_SUCCESS");
                assertThat(single(traceById(tea, instance, "Payments", rolledBack, begin)).getStatus()).isEqualTo("SEND_ROLLBACK");
            });
        } finally {
            producer.shutdown();
        }
    }

    @Test
    void queriesAreCheckedAndExpire() throws Exception {
        String instance = bridge.newInstance("tracebad");
        Client tea = bridge.tea();
        tea.onsTopicCreate(new OnsTopicCreateRequest().setInstanceId(instance).setTopic("Quiet").setMessageType(0));
        assertTeaError(() -> tea.onsTraceGetResult(new OnsTraceGetResultRequest().setQueryId("nonsense")),
                "BIZ_FIELD_CHECK_INVALID", 400, "QueryId");
        assertTeaError(() -> tea.onsTraceQueryByMsgId(new OnsTraceQueryByMsgIdRequest().setInstanceId(instance).setTopic("Quiet")
                .setMsgId("7F0000010B5C18B4AAC2A4F1A0C00000").setBeginTime(2_000L).setEndTime(1_000L)), "BIZ_FIELD_CHECK_INVALID", 400, "EndTime");
        assertTeaError(() -> tea.onsTraceQueryByMsgId(new OnsTraceQueryByMsgIdRequest().setInstanceId(instance).setTopic("Missing")
                .setMsgId("7F0000010B5C18B4AAC2A4F1A0C00000").setBeginTime(1_000L).setEndTime(2_000L)), "BIZ_TOPIC_NOT_FOUND", 404, "Missing");

        // An id no message has: the query finishes with no trace.
        long now = System.currentTimeMillis();
        assertThat(traceById(tea, instance, "Quiet", "7F0000010B5C18B4AAC2A4F1A0C00000", now - 60_000)).isEmpty();

        // A query past its lifetime is removed.
        String old = new TraceQuery(false, instance, "Quiet", "7F0000010B5C18B4AAC2A4F1A0C00000", 0, now, now - Duration.ofHours(2).toMillis()).queryId();
        OnsTraceGetResultResponseBodyTraceData removed = tea.onsTraceGetResult(new OnsTraceGetResultRequest().setQueryId(old)).getBody().getTraceData();
        assertThat(removed.getStatus()).isEqualTo("removed");
        assertThat(removed.getTraceList().getTraceMapDo()).isEmpty();
    }

    // --- helpers ------------------------------------------------------------------------------------------

    private DefaultMQPushConsumer consumer(String instance, String group, java.util.function.Predicate<MessageExt> succeeds) throws Exception {
        DefaultMQPushConsumer consumer = Clients.consumer(bridge, instance, group);
        consumer.subscribe("Orders", "*");
        consumer.registerMessageListener((MessageListenerConcurrently) (msgs, ctx) -> msgs.stream().allMatch(succeeds)
                ? ConsumeConcurrentlyStatus.CONSUME_SUCCESS : ConsumeConcurrentlyStatus.RECONSUME_LATER);
        consumer.start();
        return consumer;
    }

    static OnsTraceGetResultResponseBodyTraceDataTraceListTraceMapDo single(List<OnsTraceGetResultResponseBodyTraceDataTraceListTraceMapDo> traces) {
        assertThat(traces).hasSize(1);
        return traces.get(0);
    }

    static List<OnsTraceGetResultResponseBodyTraceDataTraceListTraceMapDo> traceById(Client tea, String instance, String topic, String id,
                                                                                   long begin) throws Exception {
        String queryId = tea.onsTraceQueryByMsgId(new OnsTraceQueryByMsgIdRequest().setInstanceId(instance).setTopic(topic).setMsgId(id)
                .setBeginTime(begin).setEndTime(System.currentTimeMillis() + 1_000)).getBody().getQueryId();
        return finished(tea, queryId);
    }

    static List<OnsTraceGetResultResponseBodyTraceDataTraceListTraceMapDo> traceByKey(Client tea, String instance, String topic, String key,
                                                                                    long begin) throws Exception {
        String queryId = tea.onsTraceQueryByMsgKey(new OnsTraceQueryByMsgKeyRequest().setInstanceId(instance).setTopic(topic).setMsgKey(key)
                .setBeginTime(begin).setEndTime(System.currentTimeMillis() + 1_000)).getBody().getQueryId();
        return finished(tea, queryId);
    }

    /** Polls the task until it finishes (a task is asynchronous, as on ONS). */
    private static List<OnsTraceGetResultResponseBodyTraceDataTraceListTraceMapDo> finished(Client tea, String queryId) throws Exception {
        OnsTraceGetResultResponseBodyTraceData[] data = new OnsTraceGetResultResponseBodyTraceData[1];
        awaitUntil(Duration.ofSeconds(10), () -> {
            data[0] = tea.onsTraceGetResult(new OnsTraceGetResultRequest().setQueryId(queryId)).getBody().getTraceData();
            assertThat(data[0].getStatus()).isEqualTo("finish");
        });
        assertThat(data[0].getQueryId()).isEqualTo(queryId);
        return data[0].getTraceList().getTraceMapDo();
    }
}
