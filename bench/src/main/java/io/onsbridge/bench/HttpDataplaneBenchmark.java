package io.onsbridge.bench;

import com.aliyun.mq.http.MQClient;
import com.aliyun.mq.http.MQConsumer;
import com.aliyun.mq.http.MQProducer;
import com.aliyun.mq.http.model.TopicMessage;
import com.aliyun.ons20190214.Client;
import com.aliyun.ons20190214.models.OnsGroupCreateRequest;
import com.aliyun.ons20190214.models.OnsInstanceCreateRequest;
import com.aliyun.ons20190214.models.OnsTopicCreateRequest;
import io.netty.handler.codec.http.HttpResponseStatus;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.rocketmq.client.AccessChannel;
import org.apache.rocketmq.client.consumer.AckCallback;
import org.apache.rocketmq.client.consumer.AckResult;
import org.apache.rocketmq.client.consumer.PopCallback;
import org.apache.rocketmq.client.consumer.PopResult;
import org.apache.rocketmq.client.consumer.PopStatus;
import org.apache.rocketmq.client.consumer.listener.ConsumeReturnType;
import org.apache.rocketmq.client.impl.MQClientAPIImpl;
import org.apache.rocketmq.client.producer.DefaultMQProducer;
import org.apache.rocketmq.client.producer.SendStatus;
import org.apache.rocketmq.client.trace.AsyncTraceDispatcher;
import org.apache.rocketmq.client.trace.TraceBean;
import org.apache.rocketmq.client.trace.TraceContext;
import org.apache.rocketmq.client.trace.TraceDispatcher;
import org.apache.rocketmq.client.trace.TraceType;
import org.apache.rocketmq.common.MixAll;
import org.apache.rocketmq.common.constant.ConsumeInitMode;
import org.apache.rocketmq.common.consumer.ReceiptHandle;
import org.apache.rocketmq.common.filter.ExpressionType;
import org.apache.rocketmq.common.message.Message;
import org.apache.rocketmq.common.message.MessageConst;
import org.apache.rocketmq.common.message.MessageExt;
import org.apache.rocketmq.remoting.protocol.NamespaceUtil;
import org.apache.rocketmq.remoting.protocol.header.AckMessageRequestHeader;
import org.apache.rocketmq.remoting.protocol.header.PopMessageRequestHeader;
import org.apache.rocketmq.remoting.protocol.route.BrokerData;

/**
 * Issue 18's data plane figures: messages/s published and consumed-and-acked through the Java MQ HTTP SDK with 16
 * threads, against the same work done directly in the same run, rounds alternating. The goals' baselines do what ONS
 * does for every message, as the project's RocketMQ clients do (namespace = the instance, trace on): a traced
 * producer's sync sends; pops of up to 16 and an ack per message through the client's own API, as the bridge makes
 * them, with the consume trace a traced consumer writes (SubBefore at the pop, SubAfter at the ack). The untraced
 * paths stay as information rows. Goals: at least 0.5x the direct path for both, and a publish's p99 under 10 ms on
 * loopback.
 *
 * <p>The bridge is the bench JVM's own by default; with {@code ONS_BRIDGE_BENCH_BRIDGE=process} it runs in a JVM of its
 * own ({@link BridgeProcess}) on the bench's cluster, as a bridge in service runs, and both JVMs' CPU is counted.
 */
final class HttpDataplaneBenchmark {
    private static final int THREADS = 16;
    private static final int PER_THREAD = 150;
    private static final int ROUNDS = 3;
    /**
     * How long every path runs, round after round, before the measured ones: the bridge's path is long, and on two
     * shared cores the JIT compiler is still at work after a minute of load (a raw publish went from 1,735 to 3,686
     * msg/s over 70 s of it); a bridge in service runs compiled.
     */
    private static final long WARMUP_NANOS = Long.parseLong(System.getenv().getOrDefault("ONS_BRIDGE_BENCH_DATAPLANE_WARMUP_SECONDS", "90"))
            * 1_000_000_000L;
    private static final double GOAL = 0.5;
    private static final String CALLER = "bench-caller-";
    private static final double P99_GOAL_MS = 10;
    private static final byte[] BODY = "a message of the data plane benchmark, about a hundred bytes long ............"
            .getBytes(StandardCharsets.UTF_8);

    private final BenchContext context;
    private int bridgePort;
    private String instance;
    private DefaultMQProducer producer;
    private DefaultMQProducer tracedProducer;
    private AsyncTraceDispatcher consumeTraces;
    private MQClientAPIImpl api;
    private MQClient http;
    private String brokerName;
    private String brokerAddress;

    HttpDataplaneBenchmark(BenchContext context) {
        this.context = context;
    }

    List<ResultRow> run() throws Exception {
        bridgePort = context.bridgePort();
        Client tea = BenchContext.tea(bridgePort, context.accessKeyId(), context.accessKeySecret());
        instance = tea.onsInstanceCreate(new OnsInstanceCreateRequest().setInstanceName("bench_dataplane")).getBody().getData().getInstanceId();
        for (String topic : List.of("ViaHttp", "ViaRaw", "Direct", "DirectTraced")) {
            tea.onsTopicCreate(new OnsTopicCreateRequest().setInstanceId(instance).setTopic(topic).setMessageType(0));
        }
        for (String group : List.of("GID_bench_http", "GID_bench_pop", "GID_bench_pop_traced")) {
            tea.onsGroupCreate(new OnsGroupCreateRequest().setInstanceId(instance).setGroupId(group).setGroupType("http"));
        }
        producer = new DefaultMQProducer("GID_bench_dataplane_producer");
        producer.setNamesrvAddr(context.cluster().namesrvAddr());
        producer.setInstanceName("bench-dataplane-" + System.nanoTime());
        producer.start();
        // The project's standard for RocketMQ clients: namespace = the instance, trace on (ONS traces every message).
        tracedProducer = new DefaultMQProducer(instance, "GID_bench_dataplane_traced", null, true, null);
        tracedProducer.setNamesrvAddr(context.cluster().namesrvAddr());
        tracedProducer.setInstanceName("bench-dataplane-traced-" + System.nanoTime());
        tracedProducer.start();
        consumeTraces = new AsyncTraceDispatcher("GID_bench_pop_traced", TraceDispatcher.Type.CONSUME, 20, null, null);
        consumeTraces.start(context.cluster().namesrvAddr(), AccessChannel.LOCAL);
        http = new MQClient("http://127.0.0.1:" + bridgePort, context.accessKeyId(), context.accessKeySecret());
        AtomicLong callers = new AtomicLong();
        ExecutorService pool = Executors.newFixedThreadPool(THREADS, r -> new Thread(r, CALLER + callers.incrementAndGet()));
        try {
            api = producer.getDefaultMQProducerImpl().getMqClientFactory().getMQClientAPIImpl();
            BrokerData broker = api.getTopicRouteInfoFromNameServer(instance + "%Direct", 3_000).getBrokerDatas().get(0);
            brokerName = broker.getBrokerName();
            brokerAddress = broker.getBrokerAddrs().get(MixAll.MASTER_ID);
            MQProducer httpProducer = http.getProducer(instance, "ViaHttp");
            MQConsumer httpConsumer = http.getConsumer(instance, "ViaHttp", "GID_bench_http", null);
            expect(httpConsumer.consumeMessage(1, 0) == null, "no message yet"); // the group's offsets, before any message
            Call sdkPublish = () -> expect(httpProducer.publishMessage(new TopicMessage(BODY)).getMessageId() != null, "an id");
            RawClients raw = new RawClients(bridgePort, false);
            RawClients rawExpecting = new RawClients(bridgePort, true);
            // The SDK's own share: the same publishes answered by a bare server replaying one captured bridge answer.
            ReplayServer replay = new ReplayServer(HttpResponseStatus.CREATED, "text/xml;charset=utf-8", raw.get().publish());
            MQClient replayed = new MQClient("http://127.0.0.1:" + replay.port(), context.accessKeyId(), context.accessKeySecret());
            MQProducer replayedProducer = replayed.getProducer(instance, "ViaHttp");
            Call replayedPublish = () -> expect(replayedProducer.publishMessage(new TopicMessage(BODY)).getMessageId() != null, "an id");
            RawClients rawReplay = new RawClients(replay.port(), false);
            for (long warm = System.nanoTime(); System.nanoTime() - warm < WARMUP_NANOS; ) {
                consumeRound(pool, publishRound(pool, sdkPublish).count(), () -> httpConsume(httpConsumer));
                consumeRound(pool, publishRound(pool, this::tracedSend).count(), this::tracedPopAndAck);
                consumeRound(pool, publishRound(pool, this::directSend).count(), this::popAndAck);
                publishRound(pool, () -> raw.get().publish());
                publishRound(pool, () -> rawExpecting.get().publish());
                publishRound(pool, replayedPublish);
                publishRound(pool, () -> rawReplay.get().publish());
            }

            Samples sdk = new Samples();
            Samples traced = new Samples();
            Samples direct = new Samples();
            Samples rawHttp = new Samples();
            Samples replayedSdk = new Samples();
            Samples rawReplayed = new Samples();
            Samples rawExpect = new Samples();
            List<Double> sdkConsumed = new ArrayList<>();
            List<Double> tracedConsumed = new ArrayList<>();
            List<Double> directConsumed = new ArrayList<>();
            // Each measured round comes right after an unmeasured one of the same path: switching paths makes the JIT
            // compiler undo and redo shared code (java.util.concurrent, Netty), and that work would land on whichever
            // round comes first after the switch (the SDK's publish, after the consume rounds: up to a third of its CPU).
            for (int round = 0; round < ROUNDS; round++) {
                Run viaHttp = sdk.add(settledRound(pool, sdkPublish));
                Run viaTraced = traced.add(settledRound(pool, this::tracedSend));
                Run viaDirect = direct.add(settledRound(pool, this::directSend));
                rawHttp.add(settledRound(pool, () -> raw.get().publish()));
                rawExpect.add(settledRound(pool, () -> rawExpecting.get().publish()));
                replayedSdk.add(settledRound(pool, replayedPublish));
                rawReplayed.add(settledRound(pool, () -> rawReplay.get().publish()));
                sdkConsumed.add(settledConsume(pool, viaHttp.count(), () -> httpConsume(httpConsumer)));
                tracedConsumed.add(settledConsume(pool, viaTraced.count(), this::tracedPopAndAck));
                directConsumed.add(settledConsume(pool, viaDirect.count(), this::popAndAck));
            }
            raw.close();
            rawExpecting.close();
            rawReplay.close();
            replayed.close();
            replay.close();
            ResultRow.Spread sdkRate = sdk.spread(Run::rate);
            ResultRow.Spread tracedRate = traced.spread(Run::rate);
            ResultRow.Spread sdkConsume = ResultRow.Spread.of(sdkConsumed);
            ResultRow.Spread tracedConsume = ResultRow.Spread.of(tracedConsumed);
            ResultRow.Spread p99 = sdk.spread(Run::p99);
            ResultRow.Spread p99Goal = new ResultRow.Spread(P99_GOAL_MS, P99_GOAL_MS, P99_GOAL_MS);
            return List.of(
                    new ResultRow("http-dataplane publish, Java MQ HTTP SDK, 16 threads (vs RocketMQ TCP producer, trace on, namespace)",
                            "msg/s", sdkRate, tracedRate, ">= 0.5x", sdkRate.median() >= GOAL * tracedRate.median()),
                    new ResultRow("http-dataplane consume+ack, Java MQ HTTP SDK, 16 threads (vs direct pop + ack, consume traces)", "msg/s",
                            sdkConsume, tracedConsume, ">= 0.5x", sdkConsume.median() >= GOAL * tracedConsume.median()),
                    new ResultRow("http-dataplane publish p99, Java MQ HTTP SDK (vs 10 ms)", "ms", p99, p99Goal, "< 10 ms",
                            p99.median() < P99_GOAL_MS),
                    ResultRow.info("  publish, Java MQ HTTP SDK (vs RocketMQ TCP producer, no trace, no namespace)", "msg/s", sdkRate,
                            direct.spread(Run::rate)),
                    ResultRow.info("  consume+ack, Java MQ HTTP SDK (vs direct pop + ack, no trace)", "msg/s", sdkConsume,
                            ResultRow.Spread.of(directConsumed)),
                    ResultRow.info("  publish p50, Java MQ HTTP SDK (vs RocketMQ TCP producer, trace on)", "ms", sdk.spread(Run::p50), traced.spread(Run::p50)),
                    ResultRow.info("  publish, Java MQ HTTP SDK against a replayed answer: no bridge, no broker (vs traced producer)",
                            "msg/s", replayedSdk.spread(Run::rate), tracedRate),
                    ResultRow.info("  publish, raw HTTP/1.1 on kept-alive sockets, no SDK (vs traced producer)", "msg/s", rawHttp.spread(Run::rate),
                            tracedRate),
                    ResultRow.info("  publish p50, raw HTTP/1.1, no SDK (vs traced producer)", "ms", rawHttp.spread(Run::p50), traced.spread(Run::p50)),
                    ResultRow.info("  publish, raw HTTP/1.1 against a replayed answer: the client's own share (vs traced producer)", "msg/s",
                            rawReplayed.spread(Run::rate), tracedRate),
                    // Where a publish's machine time goes: the whole JVM's CPU per publish, split between the clients' own
                    // threads (the calling threads, and the SDK's I/O dispatchers) and the rest (bridge, broker, trace). At
                    // equal cores busy, 0.5x the traced producer's rate is twice its CPU per publish: the goal's budget.
                    ResultRow.info("  CPU per publish, whole JVM, Java MQ HTTP SDK through the bridge (vs traced producer)", "us",
                            sdk.spread(Run::cpuMicros), traced.spread(Run::cpuMicros)),
                    ResultRow.info("  CPU per publish, the SDK's own threads (vs the goal's budget, 2x the traced producer's)", "us",
                            sdk.spread(Run::clientMicros), perRound(r -> 2 * traced.runs.get(r).cpuMicros())),
                    ResultRow.info("  CPU per publish, the SDK's own threads through the bridge (vs against the replayed answer)", "us",
                            sdk.spread(Run::clientMicros), replayedSdk.spread(Run::clientMicros)),
                    ResultRow.info("  CPU per publish, the rest (bridge, broker, trace), the SDK as client (vs a bare socket as client)", "us",
                            sdk.spread(Run::restMicros), rawHttp.spread(Run::restMicros)),
                    ResultRow.info("  CPU per publish, the rest, a bare socket sending Expect: 100-continue as the SDK does (vs without)", "us",
                            rawExpect.spread(Run::restMicros), rawHttp.spread(Run::restMicros)),
                    ResultRow.info("  CPU per publish, the rest, the SDK as client (vs what the budget leaves it)", "us", sdk.spread(Run::restMicros),
                            perRound(r -> 2 * traced.runs.get(r).cpuMicros() - sdk.runs.get(r).clientMicros())),
                    ResultRow.info("  JIT compiler time per publish, Java MQ HTTP SDK through the bridge (vs traced producer)", "us",
                            sdk.spread(Run::jitMicros), traced.spread(Run::jitMicros)),
                    ResultRow.info("  share of the publishes the bridge sent in batches, Java MQ HTTP SDK (vs raw HTTP/1.1)", "share",
                            sdk.spread(Run::batched), rawHttp.spread(Run::batched)),
                    ResultRow.info("  cores busy, Java MQ HTTP SDK through the bridge (vs traced producer)", "cores", sdk.spread(Run::cores),
                            traced.spread(Run::cores)),
                    ResultRow.info("  cores busy, raw HTTP/1.1 through the bridge (vs SDK against the replayed answer)", "cores",
                            rawHttp.spread(Run::cores), replayedSdk.spread(Run::cores)),
                    ResultRow.info("  direct publish p99, RocketMQ TCP producer, trace on (vs 10 ms)", "ms", traced.spread(Run::p99), p99Goal));
        } finally {
            pool.shutdownNow();
            http.close();
            producer.shutdown();
            tracedProducer.shutdown();
            consumeTraces.shutdown();
        }
    }

    /** A figure computed from each measured round's figures, over the rounds. */
    private static ResultRow.Spread perRound(java.util.function.IntToDoubleFunction figure) {
        List<Double> figures = new ArrayList<>();
        for (int round = 0; round < ROUNDS; round++) {
            figures.add(figure.applyAsDouble(round));
        }
        return ResultRow.Spread.of(figures);
    }

    @FunctionalInterface
    private interface Call {
        void run() throws Exception;
    }

    @FunctionalInterface
    private interface Batch {
        /** Consumes and acks some messages; answers how many (0 when none came). */
        int run() throws Exception;
    }

    /**
     * One publish round: messages, messages/s, latency, the CPU time the whole JVM spent per message, and the share of
     * it spent in the clients' own threads (the calling threads, and the MQ HTTP SDK's I/O dispatchers), and the JIT
     * compiler's time per message (the JVM's own estimate), which says whether the round ran compiled code; and the share
     * of its messages the bridge sent in batches (0 for paths that do not go through it).
     */
    private record Run(int count, double rate, double p50, double p99, double cpuMicros, double clientMicros, double jitMicros,
                       double batched) {
        double restMicros() {
            return cpuMicros - clientMicros;
        }

        /** How many of the machine's cores the round kept busy: CPU time over wall time. */
        double cores() {
            return cpuMicros * rate / 1e6;
        }
    }

    /** The measured rounds of one path. */
    private static final class Samples {
        private final List<Run> runs = new ArrayList<>();

        Run add(Run run) {
            runs.add(run);
            return run;
        }

        /** One figure of each measured round, over the rounds. */
        ResultRow.Spread spread(java.util.function.ToDoubleFunction<Run> figure) {
            return ResultRow.Spread.of(runs.stream().map(figure::applyAsDouble).toList());
        }
    }

    /**
     * The bridge's share of a publish without any HTTP client library's: each thread keeps one socket to the server
     * and writes a publish signed by hand as HTTP/1.1 (the protocol's headers, a Content-Length body), then reads the
     * answer. The JDK's HttpClient costs about as much CPU per call as the bridge itself (measured against the replayed
     * answer), so a plain socket is what shows the server's own cost.
     */
    private final class RawClients implements AutoCloseable {
        private final int port;
        private final List<RawHttp> opened = Collections.synchronizedList(new ArrayList<>());
        private final ThreadLocal<RawHttp> perThread;

        private final boolean expectContinue;

        /** @param expectContinue whether each publish waits for {@code 100 Continue} before its body, as the SDK's do */
        RawClients(int port, boolean expectContinue) {
            this.port = port;
            this.expectContinue = expectContinue;
            this.perThread = ThreadLocal.withInitial(this::open);
        }

        RawHttp get() {
            return perThread.get();
        }

        private RawHttp open() {
            try {
                RawHttp client = new RawHttp(new java.net.Socket("127.0.0.1", port), expectContinue);
                opened.add(client);
                return client;
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        }

        @Override
        public void close() throws java.io.IOException {
            for (RawHttp client : opened) {
                client.socket.close();
            }
        }
    }

    private final class RawHttp {
        private final java.net.Socket socket;
        private final java.io.InputStream in;

        private final boolean expectContinue;

        RawHttp(java.net.Socket socket, boolean expectContinue) throws java.io.IOException {
            this.socket = socket;
            this.expectContinue = expectContinue;
            socket.setTcpNoDelay(true);
            this.in = new java.io.BufferedInputStream(socket.getInputStream());
        }

        /** One publish, as the protocol defines it, to a topic nobody consumes; answers the body of the 201. */
        byte[] publish() throws Exception {
            String target = "/topics/ViaRaw/messages?ns=" + instance;
            String date = java.time.format.DateTimeFormatter.RFC_1123_DATE_TIME.format(java.time.ZonedDateTime.now(java.time.ZoneOffset.UTC));
            String type = "text/xml;charset=UTF-8";
            javax.crypto.Mac mac = javax.crypto.Mac.getInstance("HmacSHA1");
            mac.init(new javax.crypto.spec.SecretKeySpec(context.accessKeySecret().getBytes(StandardCharsets.UTF_8), "HmacSHA1"));
            String signature = java.util.Base64.getEncoder().encodeToString(mac.doFinal(("POST\n\n" + type + "\n" + date
                    + "\nx-mq-version:2015-06-06\n" + target).getBytes(StandardCharsets.UTF_8)));
            byte[] xml = ("<?xml version=\"1.0\" encoding=\"UTF-8\"?><Message xmlns=\"http://mq.aliyuncs.com/doc/v1\"><MessageBody>"
                    + new String(BODY, StandardCharsets.UTF_8) + "</MessageBody></Message>").getBytes(StandardCharsets.UTF_8);
            byte[] head = ("POST " + target + " HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: " + type + "\r\nDate: " + date
                    + (expectContinue ? "\r\nExpect: 100-continue" : "")
                    + "\r\nx-mq-version: 2015-06-06\r\nAuthorization: MQ " + context.accessKeyId() + ":" + signature
                    + "\r\nContent-Length: " + xml.length + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII);
            if (expectContinue) { // as the SDK: the headers, then the body once the server said 100 Continue
                socket.getOutputStream().write(head);
                for (String line = line(); !line.isEmpty(); line = line()) {
                    // the interim answer's lines
                }
                socket.getOutputStream().write(xml);
            } else {
                byte[] request = java.util.Arrays.copyOf(head, head.length + xml.length);
                System.arraycopy(xml, 0, request, head.length, xml.length);
                socket.getOutputStream().write(request);
            }
            int status = -1;
            int length = 0;
            for (String line = line(); !line.isEmpty(); line = line()) {
                if (status < 0) {
                    status = Integer.parseInt(line.split(" ")[1]);
                } else if (line.regionMatches(true, 0, "content-length:", 0, 15)) {
                    length = Integer.parseInt(line.substring(15).trim());
                }
            }
            byte[] body = in.readNBytes(length);
            expect(status == 201, "201, not " + status + " " + new String(body, StandardCharsets.UTF_8));
            return body;
        }

        private String line() throws java.io.IOException {
            StringBuilder line = new StringBuilder();
            for (int c = in.read(); c != '\n'; c = in.read()) {
                if (c < 0) {
                    throw new java.io.EOFException("the server closed the connection");
                }
                if (c != '\r') {
                    line.append((char) c);
                }
            }
            return line.toString();
        }
    }

    private double batched() throws Exception {
        return BenchContext.metric(bridgePort, "ons_bridge_messages_sent_in_batches_total");
    }

    private void tracedSend() throws Exception {
        expect(tracedProducer.send(new Message("DirectTraced", BODY)).getSendStatus() == SendStatus.SEND_OK, "SEND_OK");
    }

    private void directSend() throws Exception {
        expect(producer.send(new Message(instance + "%Direct", BODY)).getSendStatus() == SendStatus.SEND_OK, "SEND_OK");
    }

    /** {@link #PER_THREAD} publishes on each thread at once: messages/s over the round, and the p99 of one publish. */
    private Run publishRound(ExecutorService pool, Call publish) throws Exception {
        double batchedBegin = batched(); // an HTTP call of its own: outside the timed and counted span
        CyclicBarrier start = new CyclicBarrier(THREADS);
        List<Future<List<Double>>> futures = new ArrayList<>();
        long begin = System.nanoTime();
        long cpuBegin = ProcessSampler.runCpuNanos();
        long clientBegin = clientCpuNanos();
        long jitBegin = ManagementFactory.getCompilationMXBean().getTotalCompilationTime();
        for (int t = 0; t < THREADS; t++) {
            futures.add(pool.submit(() -> {
                start.await();
                List<Double> times = new ArrayList<>(PER_THREAD);
                for (int i = 0; i < PER_THREAD; i++) {
                    long sent = System.nanoTime();
                    publish.run();
                    times.add((System.nanoTime() - sent) / 1e6);
                }
                return times;
            }));
        }
        List<Double> all = new ArrayList<>();
        for (Future<List<Double>> f : futures) {
            all.addAll(f.get());
        }
        double seconds = (System.nanoTime() - begin) / 1e9;
        double cpuMicros = (ProcessSampler.runCpuNanos() - cpuBegin) / 1e3 / all.size();
        double clientMicros = (clientCpuNanos() - clientBegin) / 1e3 / all.size();
        Collections.sort(all);
        return new Run(all.size(), all.size() / seconds, ConcurrentLatency.percentile(all, 0.50), ConcurrentLatency.percentile(all, 0.99),
                cpuMicros, clientMicros, (ManagementFactory.getCompilationMXBean().getTotalCompilationTime() - jitBegin) * 1e3 / all.size(),
                (batched() - batchedBegin) / all.size());
    }

    /** An unmeasured round of the path, then the measured one (see the rounds' loop). */
    private Run settledRound(ExecutorService pool, Call publish) throws Exception {
        publishRound(pool, publish);
        return publishRound(pool, publish);
    }

    /**
     * The messages of a settled publish round ({@code published} by each of its two rounds): an unmeasured consume
     * round, then the measured one, which takes the rest; answers its messages/s.
     */
    private static double settledConsume(ExecutorService pool, int published, Batch batch) throws Exception {
        long settled = consumeRound(pool, published, batch).count();
        return consumeRound(pool, 2L * published - settled, batch).rate();
    }

    /**
     * CPU time of the clients' own live threads: the benchmark's calling threads ({@value #CALLER}*, where a RocketMQ
     * producer's sync send does its own encoding) and the MQ HTTP SDK's I/O dispatchers (its HTTP client's reactor).
     */
    private static long clientCpuNanos() {
        java.lang.management.ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        long nanos = 0;
        for (java.lang.management.ThreadInfo thread : threads.getThreadInfo(threads.getAllThreadIds())) {
            if (thread != null && (thread.getThreadName().startsWith(CALLER) || thread.getThreadName().startsWith("I/O dispatcher"))) {
                nanos += Math.max(0, threads.getThreadCpuTime(thread.getThreadId()));
            }
        }
        return nanos;
    }

    private record Consumed(long count, double rate) {
    }

    /**
     * Every thread consumes and acks until at least {@code count} messages are done: how many were (more, when others
     * were left: the threads' last polls), and messages/s until the last ack of the first {@code count}.
     */
    private static Consumed consumeRound(ExecutorService pool, long count, Batch batch) throws Exception {
        AtomicLong done = new AtomicLong();
        AtomicLong end = new AtomicLong();
        CyclicBarrier start = new CyclicBarrier(THREADS);
        List<Future<?>> futures = new ArrayList<>();
        long begin = System.nanoTime();
        for (int t = 0; t < THREADS; t++) {
            futures.add(pool.submit(() -> {
                start.await();
                long deadline = System.nanoTime() + 120_000_000_000L;
                while (done.get() < count) {
                    if (System.nanoTime() > deadline) {
                        throw new IllegalStateException("only " + done.get() + " of " + count + " messages consumed in 120 s");
                    }
                    int n = batch.run();
                    if (n > 0 && done.addAndGet(n) >= count) {
                        end.compareAndSet(0, System.nanoTime());
                    }
                }
                return null;
            }));
        }
        for (Future<?> f : futures) {
            f.get();
        }
        return new Consumed(done.get(), count / ((end.get() - begin) / 1e9));
    }

    private static int httpConsume(MQConsumer consumer) throws Exception {
        List<com.aliyun.mq.http.model.Message> messages = consumer.consumeMessage(16, 1);
        if (messages == null || messages.isEmpty()) {
            return 0;
        }
        consumer.ackMessage(messages.stream().map(com.aliyun.mq.http.model.Message::getReceiptHandle).toList());
        return messages.size();
    }

    /** What the bridge does for one consume and its ack, directly: a pop of up to 16, then an ack of each. */
    private int popAndAck() throws Exception {
        return popAndAck(instance + "%Direct", instance + "%GID_bench_pop", false);
    }

    /** The same with the consume trace a traced consumer writes, as the bridge writes it for an HTTP consumer. */
    private int tracedPopAndAck() throws Exception {
        return popAndAck(instance + "%DirectTraced", instance + "%GID_bench_pop_traced", true);
    }

    private int popAndAck(String topic, String group, boolean traced) throws Exception {
        PopMessageRequestHeader header = new PopMessageRequestHeader();
        header.setConsumerGroup(group);
        header.setTopic(topic);
        header.setQueueId(-1);
        header.setMaxMsgNums(16);
        header.setInvisibleTime(300_000L);
        header.setPollTime(1_000L);
        header.setBornTime(System.currentTimeMillis());
        header.setInitMode(ConsumeInitMode.MIN);
        header.setExpType(ExpressionType.TAG);
        header.setExp("*");
        CompletableFuture<PopResult> popped = new CompletableFuture<>();
        api.popMessageAsync(brokerName, brokerAddress, header, 6_000, new PopCallback() {
            @Override
            public void onSuccess(PopResult result) {
                popped.complete(result);
            }

            @Override
            public void onException(Throwable e) {
                popped.completeExceptionally(e);
            }
        });
        PopResult result = popped.get();
        if (result.getPopStatus() != PopStatus.FOUND || result.getMsgFoundList() == null) {
            return 0;
        }
        List<CompletableFuture<AckResult>> acks = new ArrayList<>();
        for (MessageExt message : result.getMsgFoundList()) {
            if (traced) {
                consumeTraces.append(consumeTrace(TraceType.SubBefore, message, result.getPopTime()));
            }
            ReceiptHandle receipt = ReceiptHandle.decode(message.getProperty(MessageConst.PROPERTY_POP_CK));
            AckMessageRequestHeader ack = new AckMessageRequestHeader();
            ack.setConsumerGroup(group);
            ack.setTopic(receipt.getRealTopic(topic, group));
            ack.setQueueId(receipt.getQueueId());
            ack.setExtraInfo(receipt.getReceiptHandle());
            ack.setOffset(receipt.getOffset());
            CompletableFuture<AckResult> acked = new CompletableFuture<>();
            api.ackMessageAsync(brokerAddress, 3_000, new AckCallback() {
                @Override
                public void onSuccess(AckResult ackResult) {
                    acked.complete(ackResult);
                }

                @Override
                public void onException(Throwable e) {
                    acked.completeExceptionally(e);
                }
            }, ack);
            acks.add(acked);
        }
        CompletableFuture.allOf(acks.toArray(CompletableFuture[]::new)).get();
        if (traced) {
            long now = System.currentTimeMillis();
            result.getMsgFoundList().forEach(message -> consumeTraces.append(consumeTrace(TraceType.SubAfter, message, now)));
        }
        return result.getMsgFoundList().size();
    }

    /** A record of a traced consumer's hook (ConsumeMessageTraceHookImpl): names without the namespace. */
    private static TraceContext consumeTrace(TraceType type, MessageExt message, long at) {
        TraceBean bean = new TraceBean();
        bean.setTopic(NamespaceUtil.withoutNamespace(message.getTopic()));
        bean.setMsgId(message.getMsgId());
        bean.setKeys(message.getKeys());
        bean.setTags(message.getTags());
        bean.setStoreTime(message.getStoreTimestamp());
        bean.setBodyLength(message.getStoreSize());
        bean.setRetryTimes(message.getReconsumeTimes());
        TraceContext context = new TraceContext();
        context.setTraceType(type);
        context.setGroupName("GID_bench_pop_traced");
        context.setRequestId(message.getMsgId() + "/" + message.getReconsumeTimes());
        context.setAccessChannel(AccessChannel.LOCAL);
        context.setRegionId(MixAll.DEFAULT_TRACE_REGION_ID);
        context.setTimeStamp(at);
        context.setSuccess(true);
        context.setContextCode(ConsumeReturnType.SUCCESS.ordinal());
        context.setTraceBeans(List.of(bean));
        return context;
    }

    private static void expect(boolean condition, String what) {
        if (!condition) {
            throw new IllegalStateException("unexpected answer: expected " + what);
        }
    }
}
