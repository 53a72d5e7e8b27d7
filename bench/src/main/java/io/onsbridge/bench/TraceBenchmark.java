package io.onsbridge.bench;

import io.onsbridge.tracecollector.TraceAssembler;
import io.onsbridge.tracecollector.TraceCollector;
import io.onsbridge.tracecollector.TraceEvent;
import io.onsbridge.tracecollector.TraceEvents;
import io.onsbridge.tracecollector.TraceStore;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Random;
import org.apache.rocketmq.client.AccessChannel;
import org.apache.rocketmq.client.consumer.DefaultLitePullConsumer;
import org.apache.rocketmq.client.producer.DefaultMQProducer;
import org.apache.rocketmq.client.trace.TraceBean;
import org.apache.rocketmq.client.trace.TraceContext;
import org.apache.rocketmq.client.trace.TraceDataEncoder;
import org.apache.rocketmq.client.trace.TraceType;
import org.apache.rocketmq.common.message.Message;
import org.apache.rocketmq.common.message.MessageClientIDSetter;
import org.apache.rocketmq.common.message.MessageExt;
import org.apache.rocketmq.common.message.MessageQueue;
import org.apache.rocketmq.common.message.MessageType;
import org.apache.rocketmq.common.topic.TopicValidator;
import org.apache.rocketmq.tools.admin.DefaultMQAdminExt;

/**
 * The trace collector against its baselines, on a trace topic filled the way traced clients fill it
 * (records written by RocketMQ's own TraceDataEncoder, ten per trace message, keyed by message id and
 * key so that the broker indexes them):
 * <ul>
 *   <li>ingest: records/s of a collector reading the whole topic, against a raw lite pull consumer that
 *       decodes everything and keeps nothing (goals: at least 50,000/s and 0.8x raw);</li>
 *   <li>heap per retained message trace, measured after GC (goal: at most 300 B);</li>
 *   <li>lookup by message id: the collector's memory against the broker's index query of the trace topic
 *       that rocketmq-dashboard runs, both decoded into the same trace (goal: 10x faster at p50).</li>
 * </ul>
 */
final class TraceBenchmark {
    private static final int MESSAGES = 150_000;
    private static final int PER_TRACE_MESSAGE = 10;
    private static final int INGEST_RUNS = 5;
    private static final int LOOKUPS = 2_000;
    private static final String TOPIC = TopicValidator.RMQ_SYS_TRACE_TOPIC;

    private final BenchContext context;
    private final List<String> ids = new ArrayList<>(MESSAGES);

    TraceBenchmark(BenchContext context) {
        this.context = context;
    }

    List<ResultRow> run() throws Exception {
        long records = fill();
        // The bridge's own collector reads the same topic: let it finish before measuring anything.
        context.bridge().traceCollector().awaitCaughtUp(Duration.ofMinutes(2));
        List<MessageQueue> queues = queues();
        long topicRecords = countRaw(queues).records(); // warm-up, and the true number of records to expect
        ingest(queues).collector().close(); // both paths warm before anything is measured
        System.out.printf("trace: %d messages written as %d records; the trace topic holds %d records%n", MESSAGES, records, topicRecords);

        List<Double> collector = new ArrayList<>();
        List<Double> raw = new ArrayList<>();
        TraceCollector last = null;
        for (int i = 0; i < INGEST_RUNS; i++) {
            raw.add(countRaw(queues).perSecond());
            if (last != null) {
                last.close();
            }
            last = null;
            System.gc();
            Ingest run = ingest(queues);
            last = run.collector();
            collector.add(run.perSecond());
        }
        ResultRow.Spread ingest = ResultRow.Spread.of(collector);
        ResultRow.Spread rawSpread = ResultRow.Spread.of(raw);
        List<ResultRow> rows = new ArrayList<>();
        rows.add(new ResultRow("trace collector ingest (vs raw consumption)", "rec/s", ingest, rawSpread, ">= 0.8x, >= 50k/s",
                ingest.median() >= 0.8 * rawSpread.median() && ingest.median() >= 50_000));

        TraceStore store = last.store();
        last.close();
        rows.add(heapPerTrace(store));
        rows.add(lookups(store));
        return rows;
    }

    /** Heap of a store holding every trace, after GC, against the store's own estimate. */
    private ResultRow heapPerTrace(TraceStore held) {
        long before = usedAfterGc();
        TraceStore store = new TraceStore(1L << 30, Integer.MAX_VALUE);
        for (String id : ids) {
            store.addAll(held.events(id).orElseThrow());
        }
        long after = usedAfterGc();
        double measured = (after - before) / (double) store.size();
        double estimated = store.bytes() / (double) store.size();
        System.out.printf("trace: %d traces held in %d KiB of heap (%.0f B each; the store estimates %.0f B)%n", store.size(),
                (after - before) / 1024, measured, estimated);
        ResultRow.Spread m = new ResultRow.Spread(measured, measured, measured);
        // The baseline is the naive map the runtime notes measured: ~1,710 B per message.
        ResultRow.Spread naive = new ResultRow.Spread(1_710, 1_710, 1_710);
        if (store.size() == Integer.MIN_VALUE) {
            System.out.println(held.size()); // keeps both stores reachable until here
        }
        return new ResultRow("trace heap per retained message (vs naive map, notes)", "B", m, naive, "<= 300 B", measured <= 300);
    }

    private ResultRow lookups(TraceStore store) throws Exception {
        TraceAssembler assembler = new TraceAssembler(Duration.ofMinutes(1));
        DefaultMQAdminExt admin = new DefaultMQAdminExt();
        admin.setNamesrvAddr(context.cluster().namesrvAddr());
        admin.setInstanceName("bench-trace-admin");
        admin.start();
        try {
            Random random = new Random(7);
            List<Double> fromStore = new ArrayList<>();
            List<Double> fromIndex = new ArrayList<>();
            for (int i = 0; i < LOOKUPS + 200; i++) {
                String id = ids.get(random.nextInt(ids.size()));
                long start = System.nanoTime();
                var fast = assembler.assemble(id, store.events(id).orElseThrow(), System.currentTimeMillis());
                double fastMicros = (System.nanoTime() - start) / 1e3;
                start = System.nanoTime();
                List<TraceEvent> events = new ArrayList<>();
                for (MessageExt m : admin.queryMessage(TOPIC, id, 64, 0, Long.MAX_VALUE).getMessageList()) {
                    TraceEvents.of(m).stream().filter(e -> id.equals(e.msgId())).forEach(events::add);
                }
                var slow = assembler.assemble(id, events, System.currentTimeMillis());
                double slowMicros = (System.nanoTime() - start) / 1e3;
                if (!fast.equals(slow)) {
                    throw new IllegalStateException("the collector and the index disagree on " + id + ": " + fast + " vs " + slow);
                }
                if (i >= 200) { // the first 200 warm up both paths
                    fromStore.add(fastMicros);
                    fromIndex.add(slowMicros);
                }
            }
            fromStore.sort(Double::compare);
            fromIndex.sort(Double::compare);
            double p99Store = fromStore.get((int) (fromStore.size() * 0.99));
            double p99Index = fromIndex.get((int) (fromIndex.size() * 0.99));
            System.out.printf("trace lookup: p50 %.1f us (collector) vs %.1f us (broker index); p99 %.1f us vs %.1f us%n",
                    fromStore.get(fromStore.size() / 2), fromIndex.get(fromIndex.size() / 2), p99Store, p99Index);
            ResultRow.Spread fast = ResultRow.Spread.of(fromStore);
            ResultRow.Spread slow = ResultRow.Spread.of(fromIndex);
            return new ResultRow("trace lookup by msgId, p50 (vs broker index query)", "us", fast, slow, "<= 0.1x",
                    fast.median() * 10 <= slow.median());
        } finally {
            admin.shutdown();
        }
    }

    /**
     * Records per second from the first record read to the last: the ingest itself, without the
     * consumer's start (route lookups, first pull scheduling), which varies by seconds from run to run.
     */
    private record Ingest(TraceCollector collector, long records, double perSecond) {
    }

    /** A collector with a store of its own, reading the trace topic from its start until it has read it all. */
    private Ingest ingest(List<MessageQueue> queues) throws Exception {
        TraceCollector.Settings settings = new TraceCollector.Settings(context.cluster().namesrvAddr(), null,
                "ons_bridge_admin_bench_collector", List.of(TOPIC), Duration.ofDays(1), Duration.ofMinutes(5));
        DefaultMQAdminExt admin = admin();
        try {
            TraceCollector collector = new TraceCollector(settings, new TraceStore(1L << 30, Integer.MAX_VALUE), admin::maxOffset,
                    Clock.systemUTC()).start();
            while (collector.messagesRead() == 0) {
                java.util.concurrent.locks.LockSupport.parkNanos(100_000);
            }
            long first = System.nanoTime();
            while (!collector.awaitCaughtUp(Duration.ofSeconds(30))) {
                java.util.concurrent.locks.LockSupport.parkNanos(100_000);
            }
            long records = collector.store().records();
            return new Ingest(collector, records, records / ((System.nanoTime() - first) / 1e9));
        } finally {
            admin.shutdown();
        }
    }

    /** Raw consumption: every queue from offset 0 to its end, every record decoded, nothing kept. */
    private Ingest countRaw(List<MessageQueue> queues) throws Exception {
        DefaultMQAdminExt admin = admin();
        DefaultLitePullConsumer consumer = new DefaultLitePullConsumer("ons_bridge_admin_bench_raw");
        consumer.setNamesrvAddr(context.cluster().namesrvAddr());
        consumer.setInstanceName("bench-raw-" + System.nanoTime());
        consumer.setAutoCommit(false);
        consumer.setPullBatchSize(32);
        // as the collector does: a first pull that beats the seek must not be a long poll at the queue's end
        consumer.setConsumeFromWhere(org.apache.rocketmq.common.consumer.ConsumeFromWhere.CONSUME_FROM_FIRST_OFFSET);
        consumer.start();
        try {
            consumer.assign(queues);
            long remaining = 0;
            for (MessageQueue queue : queues) {
                consumer.seek(queue, 0);
                remaining += admin.maxOffset(queue);
            }
            long records = 0;
            long first = 0;
            while (remaining > 0) {
                List<MessageExt> batch = consumer.poll(1_000);
                if (first == 0 && !batch.isEmpty()) {
                    first = System.nanoTime();
                }
                for (MessageExt m : batch) {
                    records += TraceDataEncoder.decoderFromTraceDataString(new String(m.getBody(), StandardCharsets.UTF_8)).size();
                }
                remaining -= batch.size();
            }
            return new Ingest(null, records, records / ((System.nanoTime() - first) / 1e9));
        } finally {
            consumer.shutdown();
            admin.shutdown();
        }
    }

    /** Writes each message's Pub from a producer host and its SubBefore/SubAfter from a consumer host. */
    private long fill() throws Exception {
        DefaultMQProducer producer = new DefaultMQProducer("bench_trace_writer");
        producer.setNamesrvAddr(context.cluster().namesrvAddr());
        producer.setInstanceName("bench-trace-writer");
        producer.start();
        long records = 0;
        try {
            List<Message> batch = new ArrayList<>();
            List<TraceContext> pubs = new ArrayList<>();
            List<TraceContext> subs = new ArrayList<>();
            long now = System.currentTimeMillis() - MESSAGES;
            for (int i = 0; i < MESSAGES; i++) {
                String id = MessageClientIDSetter.createUniqID();
                ids.add(id);
                long t = now + i;
                pubs.add(context(TraceType.Pub, t, "GID_bench_producer", null, 3, bean(id, "ORDER-" + i)));
                String request = MessageClientIDSetter.createUniqID();
                subs.add(context(TraceType.SubBefore, t + 20, "GID_bench_consumer", request, 0, bean(id, "ORDER-" + i)));
                subs.add(context(TraceType.SubAfter, t + 25, "GID_bench_consumer", request, 5, bean(id, "ORDER-" + i)));
                if (pubs.size() == PER_TRACE_MESSAGE) {
                    batch.add(traceMessage(pubs));
                    pubs.clear();
                }
                if (subs.size() == PER_TRACE_MESSAGE) {
                    batch.add(traceMessage(subs));
                    subs.clear();
                }
                if (batch.size() >= 32) {
                    producer.send(batch);
                    batch.clear();
                }
                records += 3;
            }
            for (List<TraceContext> rest : List.of(pubs, subs)) {
                if (!rest.isEmpty()) {
                    batch.add(traceMessage(rest));
                }
            }
            if (!batch.isEmpty()) {
                producer.send(batch);
            }
        } finally {
            producer.shutdown();
        }
        return records;
    }

    private static Message traceMessage(Collection<TraceContext> contexts) {
        StringBuilder body = new StringBuilder();
        java.util.Set<String> keys = new java.util.LinkedHashSet<>(); // a set, as the client's AsyncTraceDispatcher keeps it
        for (TraceContext c : contexts) {
            var transfer = TraceDataEncoder.encoderFromContextBean(c);
            body.append(transfer.getTransData());
            keys.addAll(transfer.getTransKey());
        }
        Message message = new Message(TOPIC, body.toString().getBytes(StandardCharsets.UTF_8));
        message.setKeys(keys);
        return message;
    }

    private static TraceContext context(TraceType type, long ts, String group, String requestId, int cost, TraceBean bean) {
        TraceContext c = new TraceContext();
        c.setTraceType(type);
        c.setTimeStamp(ts);
        c.setRegionId("DefaultRegion");
        c.setGroupName(group);
        c.setRequestId(requestId);
        c.setSuccess(true);
        c.setCostTime(cost);
        c.setAccessChannel(AccessChannel.LOCAL);
        c.setTraceBeans(new ArrayList<>(List.of(bean)));
        return c;
    }

    private static TraceBean bean(String id, String key) {
        TraceBean b = new TraceBean();
        b.setMsgId(id);
        b.setTopic("Orders");
        b.setTags("TagA");
        b.setKeys(key);
        b.setStoreHost("127.0.0.1:10911");
        b.setMsgType(MessageType.Normal_Msg);
        b.setOffsetMsgId("7F00000100002A9F0000000000000000");
        b.setBodyLength(200);
        return b;
    }

    private List<MessageQueue> queues() throws Exception {
        DefaultMQAdminExt admin = admin();
        try {
            return new ArrayList<>(admin.examineTopicStats(TOPIC).getOffsetTable().keySet());
        } finally {
            admin.shutdown();
        }
    }

    private DefaultMQAdminExt admin() throws Exception {
        DefaultMQAdminExt admin = new DefaultMQAdminExt();
        admin.setNamesrvAddr(context.cluster().namesrvAddr());
        admin.setInstanceName("bench-trace-" + System.nanoTime());
        admin.start();
        return admin;
    }

    private static long usedAfterGc() {
        for (int i = 0; i < 3; i++) {
            System.gc();
        }
        return java.lang.management.ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    }
}
