package io.onsbridge.bench;

import com.aliyun.ons20190214.Client;
import com.aliyun.ons20190214.models.OnsGroupCreateRequest;
import com.aliyun.ons20190214.models.OnsInstanceCreateRequest;
import com.aliyun.ons20190214.models.OnsTopicCreateRequest;
import com.aliyun.ons20190214.models.OnsTraceGetResultRequest;
import com.aliyun.ons20190214.models.OnsTraceGetResultResponseBody.OnsTraceGetResultResponseBodyTraceData;
import com.aliyun.ons20190214.models.OnsTraceQueryByMsgIdRequest;
import com.aliyun.ons20190214.models.OnsTraceQueryByMsgKeyRequest;
import io.onsbridge.tracecollector.TraceCollector;
import io.onsbridge.tracecollector.TraceEvent;
import io.onsbridge.tracecollector.TraceEvents;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import org.apache.rocketmq.client.consumer.DefaultMQPushConsumer;
import org.apache.rocketmq.client.consumer.listener.ConsumeConcurrentlyStatus;
import org.apache.rocketmq.client.consumer.listener.MessageListenerConcurrently;
import org.apache.rocketmq.client.producer.DefaultMQProducer;
import org.apache.rocketmq.common.message.Message;
import org.apache.rocketmq.common.message.MessageExt;
import org.apache.rocketmq.common.topic.TopicValidator;
import org.apache.rocketmq.tools.admin.DefaultMQAdminExt;

/**
 * A message trace through the API against the console's way (issue 20's goal, at most 1.2x at p50 and
 * p99, 1 and 8 clients): {@code OnsTraceQueryByMsgId} then one {@code OnsTraceGetResult} through the Tea
 * SDK, which must already answer {@code finish}, against the SDK's floor call ({@code OnsRegionList}, no
 * cluster call) plus the lookup rocketmq-dashboard makes: an index query of {@code RMQ_SYS_TRACE_TOPIC} by
 * message id, decoded. The same by key, for a key of 10 messages. Messages sent and consumed by traced
 * RocketMQ clients; measured once the bridge's collector holds their whole story.
 */
final class TraceQueryBenchmark {
    private static final String TOPIC = "Traced";
    private static final String GROUP = "GID_bench_traced";
    private static final int MESSAGES = 200;
    /** Messages each traced once, by a row of its own: the first query of an id, whose location nobody knows yet. */
    private static final int COLD_MESSAGES = 260;
    private static final int KEYED = 10;
    private static final String SHARED_KEY = "TEN";
    private static final String TRACE_TOPIC = TopicValidator.RMQ_SYS_TRACE_TOPIC;
    private static final int ROUNDS = 6;
    private static final int TAIL_ROUNDS = 20;
    private static final double GOAL = 1.2;

    private final BenchContext context;
    private final List<String> ids = new ArrayList<>();
    private final List<String> coldIds = new ArrayList<>();
    private final java.util.concurrent.atomic.AtomicInteger nextCold = new java.util.concurrent.atomic.AtomicInteger();
    private final Set<String> keyed = new HashSet<>();
    /** Results not finished at the first poll (the goal's premise), counted rather than hidden. */
    private final AtomicLong unfinished = new AtomicLong();
    private final AtomicLong queries = new AtomicLong();

    private final boolean tails;

    /** @param tails {@code bin/bench traceq-tails}: after the same set-up and warm-up, where the 1-client tails come from */
    TraceQueryBenchmark(BenchContext context, boolean tails) {
        this.context = context;
        this.tails = tails;
    }

    List<ResultRow> run() throws Exception {
        Client setup = context.tea();
        String instance = setup.onsInstanceCreate(new OnsInstanceCreateRequest().setInstanceName("bench_traceq")).getBody().getData().getInstanceId();
        setup.onsTopicCreate(new OnsTopicCreateRequest().setInstanceId(instance).setTopic(TOPIC).setMessageType(0));
        setup.onsGroupCreate(new OnsGroupCreateRequest().setInstanceId(instance).setGroupId(GROUP));
        long begin = System.currentTimeMillis() - 60_000;
        DefaultMQAdminExt admin = context.admin("traceq");
        sendAndConsume(instance, admin);
        long end = System.currentTimeMillis() + Duration.ofHours(1).toMillis();
        List<Client> tea = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            tea.add(context.tea());
        }
        try {
            awaitIndexed(admin);
            List<ResultRow> rows = new ArrayList<>();
            // Warm-up, not reported: the first rows measured after the sends (the JIT compiler still at work on the bridge
            // and the broker) ran 1.5 to 2 times slower than the same rows later in the run.
            ConcurrentLatency.warmUp("trace warm-up", 8, Duration.ofSeconds(60), c -> {
                String id = ids.get(ThreadLocalRandom.current().nextInt(ids.size()));
                firstResult(tea.get(c), c % 2 == 0 ? queryById(tea.get(c), instance, id, begin, end)
                        : tea.get(c).onsTraceQueryByMsgKey(new OnsTraceQueryByMsgKeyRequest().setInstanceId(instance).setTopic(TOPIC)
                                .setMsgKey(SHARED_KEY).setBeginTime(begin).setEndTime(end)).getBody().getQueryId());
            }, c -> {
                expect(tea.get(c).onsRegionList().getBody().getData().getRegionDo().size() == 1, "one region");
                expect(consumed(admin, SHARED_KEY, keyed), "a consumption of each of " + keyed);
            });
            if (tails) {
                return tails(tea.get(0), instance, admin, begin, end);
            }
            ConcurrentLatency.ClientCall byIdBaseline = c -> {
                expect(tea.get(c).onsRegionList().getBody().getData().getRegionDo().size() == 1, "one region");
                String id = ids.get(ThreadLocalRandom.current().nextInt(ids.size()));
                expect(consumed(admin, id, Set.of(id)), "a consumption of " + id);
            };
            for (int clients : new int[] {1, 8}) {
                ConcurrentLatency byId = ConcurrentLatency.measure("trace by id", clients, 2, ROUNDS, c -> {
                    String id = ids.get(ThreadLocalRandom.current().nextInt(ids.size()));
                    expectFinished(firstResult(tea.get(c), queryById(tea.get(c), instance, id, begin, end)), 1);
                }, byIdBaseline);
                rows.addAll(byId.rows("trace by msgId, query + first result via SDK, " + clients + " client(s) "
                        + "(vs OnsRegionList + trace topic index query)", GOAL));
                rows.addAll(ConcurrentLatency.noiseRows("trace by msgId", clients, ROUNDS, byIdBaseline));
                ConcurrentLatency.ClientCall byKeyBaseline = c -> {
                    expect(tea.get(c).onsRegionList().getBody().getData().getRegionDo().size() == 1, "one region");
                    expect(consumed(admin, SHARED_KEY, keyed), "a consumption of each of " + keyed);
                };
                ConcurrentLatency byKey = ConcurrentLatency.measure("trace by key", clients, 2, ROUNDS, c -> {
                    String queryId = tea.get(c).onsTraceQueryByMsgKey(new OnsTraceQueryByMsgKeyRequest().setInstanceId(instance).setTopic(TOPIC)
                            .setMsgKey(SHARED_KEY).setBeginTime(begin).setEndTime(end)).getBody().getQueryId();
                    expectFinished(firstResult(tea.get(c), queryId), KEYED);
                }, byKeyBaseline);
                rows.addAll(byKey.rows("trace by key (10 messages), query + first result via SDK, " + clients + " client(s) "
                        + "(vs OnsRegionList + trace topic index query)", GOAL));
                rows.addAll(ConcurrentLatency.noiseRows("trace by key", clients, ROUNDS, byKeyBaseline));
            }
            // Each id queried once (the rows above ask ~1,700 queries of 200 ids, so the bridge mostly knows where they are)
            ConcurrentLatency cold = ConcurrentLatency.measure("trace by id, first query of each id", 1, 1, 5, 40, c -> {
                String id = coldIds.get(nextCold.getAndIncrement());
                expectFinished(firstResult(tea.get(c), queryById(tea.get(c), instance, id, begin, end)), 1);
            }, byIdBaseline);
            rows.add(ResultRow.info("  trace by msgId, the first query of each id (not located lately), 1 client(s) "
                    + "(vs OnsRegionList + trace topic index query), p50", "ms", cold.measuredP50(), cold.baselineP50()));
            rows.add(ResultRow.info("  trace by msgId, the first query of each id (not located lately), 1 client(s) "
                    + "(vs OnsRegionList + trace topic index query), p99", "ms", cold.measuredP99(), cold.baselineP99()));
            // The least any query-then-result protocol costs: two SDK calls that make no cluster call at all.
            for (int clients : new int[] {1, 8}) {
                ConcurrentLatency floor = ConcurrentLatency.measure("trace floor", clients, 1, ROUNDS, c -> {
                    expect(tea.get(c).onsRegionList().getBody().getData().getRegionDo().size() == 1, "one region");
                    expect(tea.get(c).onsRegionList().getBody().getData().getRegionDo().size() == 1, "one region");
                }, c -> {
                    expect(tea.get(c).onsRegionList().getBody().getData().getRegionDo().size() == 1, "one region");
                    String id = ids.get(ThreadLocalRandom.current().nextInt(ids.size()));
                    expect(consumed(admin, id, Set.of(id)), "a consumption of " + id);
                });
                rows.add(ResultRow.info("  floor: 2x OnsRegionList, no cluster call, " + clients + " client(s) (vs the same baseline), p50", "ms",
                        floor.measuredP50(), floor.baselineP50()));
            }
            Client one = tea.get(0);
            rows.add(replayedFloor(one, "by msgId", c -> c.onsTraceQueryByMsgId(new OnsTraceQueryByMsgIdRequest().setInstanceId(instance)
                    .setTopic(TOPIC).setMsgId(ids.get(0)).setBeginTime(begin).setEndTime(end)).getBody().getQueryId(), 1, c -> {
                        expect(one.onsRegionList().getBody().getData().getRegionDo().size() == 1, "one region");
                        String any = ids.get(ThreadLocalRandom.current().nextInt(ids.size()));
                        expect(consumed(admin, any, Set.of(any)), "a consumption of " + any);
                    }));
            rows.add(replayedFloor(one, "by key (10 messages)", c -> c.onsTraceQueryByMsgKey(new OnsTraceQueryByMsgKeyRequest()
                    .setInstanceId(instance).setTopic(TOPIC).setMsgKey(SHARED_KEY).setBeginTime(begin).setEndTime(end)).getBody().getQueryId(),
                    KEYED, c -> {
                        expect(one.onsRegionList().getBody().getData().getRegionDo().size() == 1, "one region");
                        expect(consumed(admin, SHARED_KEY, keyed), "a consumption of each of " + keyed);
                    }));
            // The query's one round trip made directly, against the baseline's: is the broker's answer the difference?
            String brokerTopic = instance + "%" + TOPIC;
            PairedLatency index = PairedLatency.measure("traceq: the query's index lookup vs the console's", 200, ROUNDS, 100, () -> {
                String id = ids.get(ThreadLocalRandom.current().nextInt(ids.size()));
                expect(!admin.getDefaultMQAdminExtImpl().queryMessageByUniqKey(null, brokerTopic, id, 64, 0, Long.MAX_VALUE)
                        .getMessageList().isEmpty(), "the message " + id);
            }, () -> {
                String id = ids.get(ThreadLocalRandom.current().nextInt(ids.size()));
                expect(consumed(admin, id, Set.of(id)), "a consumption of " + id);
            });
            rows.add(ResultRow.info("  the query's own index lookup by unique key, direct (vs trace topic index query, direct)", "ms",
                    index.measured(), index.baseline()));
            context.printServerTimes("traceq", a -> a.contains("Trace") || a.contains("RegionList"));
            double finished = queries.get() - unfinished.get();
            rows.add(new ResultRow("trace queries finished at the first result (vs queries)", "queries",
                    new ResultRow.Spread(finished, finished, finished),
                    new ResultRow.Spread(queries.get(), queries.get(), queries.get()), ">= 1x", unfinished.get() == 0));
            return rows;
        } finally {
            admin.shutdown();
        }
    }

    /**
     * The 1-client goal rows' two calls and their baselines again, 20 alternating rounds each, with the collections
     * that overlapped the slowest calls and the bytes each side allocates per call ({@link CallTails}); and the
     * baseline against itself.
     */
    private List<ResultRow> tails(Client tea, String instance, DefaultMQAdminExt admin, long begin, long end) throws Exception {
        String[] queryId = new String[1];
        CallTails.Step floor = () -> expect(tea.onsRegionList().getBody().getData().getRegionDo().size() == 1, "one region");
        CallTails.Step keyIndex = () -> expect(consumed(admin, SHARED_KEY, keyed), "a consumption of each of " + keyed);
        CallTails.Step idIndex = () -> {
            String id = ids.get(ThreadLocalRandom.current().nextInt(ids.size()));
            expect(consumed(admin, id, Set.of(id)), "a consumption of " + id);
        };
        List<ResultRow> rows = new ArrayList<>();
        // JFR started here, before a 1-client warm-up: started first by the measurement, it kept the JIT compiler busy
        // (most of a core) through the first 40 s of it, and both sides' p99 was 7 to 8 ms
        try (jdk.jfr.Recording primer = new jdk.jfr.Recording()) {
            primer.enable("jdk.GCPhasePause");
            primer.start();
            ConcurrentLatency.warmUp("trace tails warm-up", 1, Duration.ofSeconds(30), c -> {
                floor.run();
                keyIndex.run();
            }, c -> expectFinished(firstResult(tea, queryById(tea, instance, ids.get(0), begin, end)), 1));
            rows.addAll(CallTails.measure(TAIL_ROUNDS, () -> queryId[0] = tea.onsTraceQueryByMsgKey(new OnsTraceQueryByMsgKeyRequest()
                            .setInstanceId(instance).setTopic(TOPIC).setMsgKey(SHARED_KEY).setBeginTime(begin).setEndTime(end)).getBody().getQueryId(),
                    () -> expectFinished(firstResult(tea, queryId[0]), KEYED), floor, keyIndex)
                    .rows("trace by key (10 messages), query + first result via SDK, 1 client (vs OnsRegionList + trace topic index query)"));
            rows.addAll(CallTails.measure(TAIL_ROUNDS, floor, keyIndex, floor, keyIndex)
                    .rows("A/A: trace by key, 1 client, its baseline against itself"));
            rows.addAll(CallTails.measure(TAIL_ROUNDS, () -> queryId[0] = queryById(tea, instance, ids.get(ThreadLocalRandom.current().nextInt(ids.size())),
                            begin, end), () -> expectFinished(firstResult(tea, queryId[0]), 1), floor, idIndex)
                    .rows("trace by msgId, query + first result via SDK, 1 client (vs OnsRegionList + trace topic index query)"));
            rows.addAll(CallTails.measure(TAIL_ROUNDS, floor, floor, floor, keyIndex)
                    .rows("floor: 2x OnsRegionList, 1 client (vs OnsRegionList + trace topic index query by key)"));
        }
        return rows;
    }

    /** The query call of a replayed floor: by id or by key, against the given client; answers the QueryId. */
    @FunctionalInterface
    private interface Query {
        String ask(Client client) throws Exception;
    }

    /**
     * What the two calls cost the SDK itself: the same {@code OnsTraceQueryByMsgId} and {@code OnsTraceGetResult}
     * answered by bare Netty servers replaying the bridge's own answers (no bridge, no cluster), 1 client, against
     * the same baseline: the least these two calls can cost, where two {@code OnsRegionList} through the bridge
     * are the least any two bridged calls cost.
     */
    private ResultRow replayedFloor(Client bridgeClient, String what, Query query, int traces, ConcurrentLatency.ClientCall baseline)
            throws Exception {
        var result = bridgeClient.onsTraceGetResult(new OnsTraceGetResultRequest().setQueryId(query.ask(bridgeClient))).getBody();
        expect("finish".equals(result.getTraceData().getStatus()), "a finished trace to replay");
        var json = new com.fasterxml.jackson.databind.ObjectMapper();
        String type = "application/json;charset=utf-8";
        // the two query actions answer alike ({QueryId, RequestId}): the by-id answer serves both
        String queryAnswer = "{\"QueryId\":\"" + result.getTraceData().getQueryId() + "\",\"RequestId\":\"replayed\"}";
        try (ReplayServer queryServer = new ReplayServer(type, queryAnswer.getBytes(StandardCharsets.UTF_8));
             ReplayServer resultServer = new ReplayServer(type, json.writeValueAsBytes(result.toMap()))) {
            Client toQuery = BenchContext.tea(queryServer.port(), context.accessKeyId(), context.accessKeySecret());
            Client toResult = BenchContext.tea(resultServer.port(), context.accessKeyId(), context.accessKeySecret());
            ConcurrentLatency replayed = ConcurrentLatency.measure("trace floor " + what + ", replayed answers", 1, 2, ROUNDS, c -> {
                String queryId = query.ask(toQuery);
                expect(toResult.onsTraceGetResult(new OnsTraceGetResultRequest().setQueryId(queryId)).getBody().getTraceData()
                        .getTraceList().getTraceMapDo().size() == traces, "the replayed trace(s)");
            }, baseline);
            return ResultRow.info("  floor " + what + ": the query's and the result's SDK calls against replayed answers (no bridge, "
                    + "no cluster), 1 client(s) (vs the same baseline), p50", "ms", replayed.measuredP50(), replayed.baselineP50());
        }
    }

    private static String queryById(Client tea, String instance, String id, long begin, long end) throws Exception {
        return tea.onsTraceQueryByMsgId(new OnsTraceQueryByMsgIdRequest().setInstanceId(instance).setTopic(TOPIC).setMsgId(id)
                .setBeginTime(begin).setEndTime(end)).getBody().getQueryId();
    }

    private static OnsTraceGetResultResponseBodyTraceData firstResult(Client tea, String queryId) throws Exception {
        return tea.onsTraceGetResult(new OnsTraceGetResultRequest().setQueryId(queryId)).getBody().getTraceData();
    }

    private void expectFinished(OnsTraceGetResultResponseBodyTraceData data, int traces) {
        queries.incrementAndGet();
        if (!"finish".equals(data.getStatus())) {
            unfinished.incrementAndGet();
            return;
        }
        expect(data.getTraceList().getTraceMapDo().size() == traces, traces + " trace(s)");
        expect(data.getTraceList().getTraceMapDo().stream().allMatch(t -> t.getSubList().getSubMapDo().size() == 1), "one group each");
    }

    /** The console's lookup: the trace topic's index by id or key, every record decoded; true if each message was consumed. */
    private static boolean consumed(DefaultMQAdminExt admin, String key, Set<String> messages) throws Exception {
        Set<String> consumed = new HashSet<>();
        for (MessageExt m : admin.queryMessage(TRACE_TOPIC, key, 64, 0, Long.MAX_VALUE).getMessageList()) {
            for (TraceEvent e : TraceEvents.of(m)) {
                if (e.kind() == TraceEvent.Kind.SUB_AFTER && messages.contains(e.msgId())) {
                    consumed.add(e.msgId());
                }
            }
        }
        return consumed.size() == messages.size();
    }

    private void sendAndConsume(String instance, DefaultMQAdminExt admin) throws Exception {
        DefaultMQPushConsumer consumer = new DefaultMQPushConsumer(instance, GROUP, null,
                new org.apache.rocketmq.client.consumer.rebalance.AllocateMessageQueueAveragely(), true, null);
        consumer.setNamesrvAddr(context.cluster().namesrvAddr());
        consumer.setInstanceName("bench-traceq-consumer-" + System.nanoTime());
        consumer.subscribe(TOPIC, "*");
        consumer.registerMessageListener((MessageListenerConcurrently) (msgs, ctx) -> ConsumeConcurrentlyStatus.CONSUME_SUCCESS);
        consumer.start();
        DefaultMQProducer producer = new DefaultMQProducer(instance, "GID_bench_traced_producer", null, true, null);
        producer.setNamesrvAddr(context.cluster().namesrvAddr());
        producer.setInstanceName("bench-traceq-producer-" + System.nanoTime());
        producer.start();
        try {
            for (int i = 0; i < MESSAGES + COLD_MESSAGES; i++) {
                String key = i < KEYED ? SHARED_KEY : "T" + i;
                String id = producer.send(new Message(TOPIC, "TagT", key, ("m" + i).getBytes(StandardCharsets.UTF_8))).getMsgId();
                (i < MESSAGES ? ids : coldIds).add(id);
                if (i < KEYED) {
                    keyed.add(id);
                }
            }
            awaitHeld(admin);
        } finally {
            producer.shutdown();
            consumer.shutdown();
        }
    }

    /**
     * Waits until the bridge's collector holds every message's send and consumption. The bench JVM's bridge is asked
     * its store. A bridge in a JVM of its own is not asked for a trace, which would locate the cold ids (they must stay
     * unlocated): once the broker's index holds every consumption, its collector's lag must read 0 in a figure taken
     * after that (the gauge is refreshed every {@value TraceCollector#LAG_REFRESH_MILLIS} ms).
     */
    private void awaitHeld(DefaultMQAdminExt admin) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
        List<String> all = new ArrayList<>(ids);
        all.addAll(coldIds);
        if (context.process() == null) {
            while (!all.stream().allMatch(this::held)) {
                pollUntil(deadline, "the collector did not get every trace within 90 s");
            }
            return;
        }
        for (String id : all) {
            while (!consumed(admin, id, Set.of(id))) {
                pollUntil(deadline, "the trace topic's index did not find every consumption within 90 s");
            }
        }
        long indexed = System.nanoTime();
        while (System.nanoTime() - indexed < Duration.ofMillis(TraceCollector.LAG_REFRESH_MILLIS + 1_000).toNanos()
                || BenchContext.metric(context.bridgePort(), "ons_bridge_trace_collector_lag_messages") != 0) {
            pollUntil(deadline, "the bridge's trace collector had not read every trace message within 90 s");
        }
    }

    private static void pollUntil(long deadline, String failure) {
        if (System.nanoTime() > deadline) {
            throw new IllegalStateException(failure);
        }
        LockSupport.parkNanos(Duration.ofMillis(200).toNanos());
    }

    private boolean held(String id) {
        return context.bridge().traceCollector().store().events(id)
                .map(events -> events.stream().anyMatch(e -> e.kind() == TraceEvent.Kind.SUB_AFTER)).orElse(false);
    }

    /** The baseline's index finds every consumption too (the broker indexes trace messages as it stores them). */
    private void awaitIndexed(DefaultMQAdminExt admin) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (!consumed(admin, SHARED_KEY, keyed) || !allConsumed(admin)) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("the trace topic's index did not find the consumptions within 30 s");
            }
            LockSupport.parkNanos(Duration.ofMillis(200).toNanos());
        }
    }

    private boolean allConsumed(DefaultMQAdminExt admin) throws Exception {
        for (String id : ids) {
            if (!consumed(admin, id, Set.of(id))) {
                return false;
            }
        }
        return true;
    }

    private static void expect(boolean condition, String what) {
        if (!condition) {
            throw new IllegalStateException("unexpected answer: expected " + what);
        }
    }
}
