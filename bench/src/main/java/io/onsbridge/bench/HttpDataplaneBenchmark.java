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
import org.apache.rocketmq.client.consumer.AckCallback;
import org.apache.rocketmq.client.consumer.AckResult;
import org.apache.rocketmq.client.consumer.PopCallback;
import org.apache.rocketmq.client.consumer.PopResult;
import org.apache.rocketmq.client.consumer.PopStatus;
import org.apache.rocketmq.client.impl.MQClientAPIImpl;
import org.apache.rocketmq.client.producer.DefaultMQProducer;
import org.apache.rocketmq.client.producer.SendStatus;
import org.apache.rocketmq.common.MixAll;
import org.apache.rocketmq.common.constant.ConsumeInitMode;
import org.apache.rocketmq.common.consumer.ReceiptHandle;
import org.apache.rocketmq.common.filter.ExpressionType;
import org.apache.rocketmq.common.message.Message;
import org.apache.rocketmq.common.message.MessageConst;
import org.apache.rocketmq.common.message.MessageExt;
import org.apache.rocketmq.remoting.protocol.header.AckMessageRequestHeader;
import org.apache.rocketmq.remoting.protocol.header.PopMessageRequestHeader;
import org.apache.rocketmq.remoting.protocol.route.BrokerData;

/**
 * Issue 18's data plane figures: messages/s published and consumed-and-acked through the Java MQ HTTP SDK with 16
 * threads, against the same work done directly in the same run (a RocketMQ TCP producer's sync sends; pops of up to
 * 16 and an ack per message through the client's own API, as the bridge makes them), rounds alternating. Goals:
 * at least 0.5x the direct path for both, and a publish's p99 under 10 ms on loopback.
 */
final class HttpDataplaneBenchmark {
    private static final int THREADS = 16;
    private static final int PER_THREAD = 150;
    private static final int ROUNDS = 3;
    private static final double GOAL = 0.5;
    private static final double P99_GOAL_MS = 10;
    private static final byte[] BODY = "a message of the data plane benchmark, about a hundred bytes long ............"
            .getBytes(StandardCharsets.UTF_8);

    private final BenchContext context;
    private String instance;
    private DefaultMQProducer producer;
    private MQClientAPIImpl api;
    private MQClient http;
    private String brokerName;
    private String brokerAddress;

    HttpDataplaneBenchmark(BenchContext context) {
        this.context = context;
    }

    List<ResultRow> run() throws Exception {
        Client tea = context.tea();
        instance = tea.onsInstanceCreate(new OnsInstanceCreateRequest().setInstanceName("bench_dataplane")).getBody().getData().getInstanceId();
        for (String topic : List.of("ViaHttp", "Direct")) {
            tea.onsTopicCreate(new OnsTopicCreateRequest().setInstanceId(instance).setTopic(topic).setMessageType(0));
        }
        for (String group : List.of("GID_bench_http", "GID_bench_pop")) {
            tea.onsGroupCreate(new OnsGroupCreateRequest().setInstanceId(instance).setGroupId(group).setGroupType("http"));
        }
        producer = new DefaultMQProducer("GID_bench_dataplane_producer");
        producer.setNamesrvAddr(context.cluster().namesrvAddr());
        producer.setInstanceName("bench-dataplane-" + System.nanoTime());
        producer.start();
        http = new MQClient("http://127.0.0.1:" + context.bridge().port(), context.accessKeyId(), context.accessKeySecret());
        ExecutorService pool = Executors.newFixedThreadPool(THREADS);
        try {
            api = producer.getDefaultMQProducerImpl().getMqClientFactory().getMQClientAPIImpl();
            BrokerData broker = api.getTopicRouteInfoFromNameServer(instance + "%Direct", 3_000).getBrokerDatas().get(0);
            brokerName = broker.getBrokerName();
            brokerAddress = broker.getBrokerAddrs().get(MixAll.MASTER_ID);
            MQProducer httpProducer = http.getProducer(instance, "ViaHttp");
            MQConsumer httpConsumer = http.getConsumer(instance, "ViaHttp", "GID_bench_http", null);
            expect(httpConsumer.consumeMessage(1, 0) == null, "no message yet"); // the group's offsets, before any message
            Run warmup = publishRound(pool, () -> expect(httpProducer.publishMessage(new TopicMessage(BODY)).getMessageId() != null, "an id"));
            consumeRound(pool, warmup.count(), () -> httpConsume(httpConsumer));
            Run directWarmup = publishRound(pool, this::directSend);
            consumeRound(pool, directWarmup.count(), this::popAndAck);

            List<Double> httpPublish = new ArrayList<>();
            List<Double> directPublish = new ArrayList<>();
            List<Double> httpConsumeRates = new ArrayList<>();
            List<Double> directConsumeRates = new ArrayList<>();
            List<Double> httpP99 = new ArrayList<>();
            List<Double> directP99 = new ArrayList<>();
            List<Double> httpP50 = new ArrayList<>();
            List<Double> rawPublish = new ArrayList<>();
            List<Double> rawP50 = new ArrayList<>();
            java.net.http.HttpClient raw = java.net.http.HttpClient.newBuilder().version(java.net.http.HttpClient.Version.HTTP_1_1).build();
            List<Double> directP50 = new ArrayList<>();
            // The SDK's own share: the same publishes answered by a bare server replaying one captured bridge answer.
            List<Double> replayedPublish = new ArrayList<>();
            ReplayServer replay = new ReplayServer(HttpResponseStatus.CREATED, "text/xml;charset=utf-8", rawPublish(raw));
            MQClient replayed = new MQClient("http://127.0.0.1:" + replay.port(), context.accessKeyId(), context.accessKeySecret());
            MQProducer replayedProducer = replayed.getProducer(instance, "ViaHttp");
            publishRound(pool, () -> replayedProducer.publishMessage(new TopicMessage(BODY)));
            for (int round = 0; round < ROUNDS; round++) {
                Run viaHttp = publishRound(pool, () -> expect(httpProducer.publishMessage(new TopicMessage(BODY)).getMessageId() != null, "an id"));
                Run direct = publishRound(pool, this::directSend);
                httpPublish.add(viaHttp.rate());
                httpP99.add(viaHttp.p99());
                directPublish.add(direct.rate());
                directP99.add(direct.p99());
                httpP50.add(viaHttp.p50());
                Run viaRaw = publishRound(pool, () -> rawPublish(raw));
                rawPublish.add(viaRaw.rate());
                rawP50.add(viaRaw.p50());
                directP50.add(direct.p50());
                replayedPublish.add(publishRound(pool, () -> expect(replayedProducer.publishMessage(new TopicMessage(BODY))
                        .getMessageId() != null, "an id")).rate());
                httpConsumeRates.add(consumeRound(pool, viaHttp.count(), () -> httpConsume(httpConsumer)));
                directConsumeRates.add(consumeRound(pool, direct.count(), this::popAndAck));
            }
            replayed.close();
            replay.close();
            ResultRow.Spread httpRate = ResultRow.Spread.of(httpPublish);
            ResultRow.Spread directRate = ResultRow.Spread.of(directPublish);
            ResultRow.Spread httpConsumed = ResultRow.Spread.of(httpConsumeRates);
            ResultRow.Spread directConsumed = ResultRow.Spread.of(directConsumeRates);
            ResultRow.Spread p99 = ResultRow.Spread.of(httpP99);
            return List.of(
                    new ResultRow("http-dataplane publish, Java MQ HTTP SDK, 16 threads (vs RocketMQ TCP producer)", "msg/s",
                            httpRate, directRate, ">= 0.5x", httpRate.median() >= GOAL * directRate.median()),
                    new ResultRow("http-dataplane consume+ack, Java MQ HTTP SDK, 16 threads (vs direct pop + ack)", "msg/s",
                            httpConsumed, directConsumed, ">= 0.5x", httpConsumed.median() >= GOAL * directConsumed.median()),
                    new ResultRow("http-dataplane publish p99, Java MQ HTTP SDK (vs 10 ms)", "ms", p99,
                            new ResultRow.Spread(P99_GOAL_MS, P99_GOAL_MS, P99_GOAL_MS), "< 10 ms", p99.median() < P99_GOAL_MS),
                    ResultRow.info("  publish p50, Java MQ HTTP SDK (vs RocketMQ TCP producer)", "ms", ResultRow.Spread.of(httpP50),
                            ResultRow.Spread.of(directP50)),
                    ResultRow.info("  publish, Java MQ HTTP SDK against a replayed answer: no bridge, no broker (vs RocketMQ TCP producer)",
                            "msg/s", ResultRow.Spread.of(replayedPublish), directRate),
                    ResultRow.info("  publish, raw signed HTTP request, no SDK (vs RocketMQ TCP producer)", "msg/s",
                            ResultRow.Spread.of(rawPublish), directRate),
                    ResultRow.info("  publish p50, raw signed HTTP request, no SDK (vs RocketMQ TCP producer)", "ms",
                            ResultRow.Spread.of(rawP50), ResultRow.Spread.of(directP50)),
                    ResultRow.info("  direct publish p99, RocketMQ TCP producer (vs 10 ms)", "ms", ResultRow.Spread.of(directP99),
                            new ResultRow.Spread(P99_GOAL_MS, P99_GOAL_MS, P99_GOAL_MS)));
        } finally {
            pool.shutdownNow();
            http.close();
            producer.shutdown();
        }
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

    private record Run(int count, double rate, double p50, double p99) {
    }

    /**
     * A publish as the protocol defines it, signed by hand and sent with the JDK's HTTP client: the bridge's share of
     * an SDK publish, without the SDK's own work (its XML documents, its I/O reactor).
     */
    private byte[] rawPublish(java.net.http.HttpClient raw) throws Exception {
        String target = "/topics/ViaHttp/messages?ns=" + instance;
        String date = java.time.format.DateTimeFormatter.RFC_1123_DATE_TIME.format(java.time.ZonedDateTime.now(java.time.ZoneOffset.UTC));
        String type = "text/xml;charset=UTF-8";
        javax.crypto.Mac mac = javax.crypto.Mac.getInstance("HmacSHA1");
        mac.init(new javax.crypto.spec.SecretKeySpec(context.accessKeySecret().getBytes(StandardCharsets.UTF_8), "HmacSHA1"));
        String signature = java.util.Base64.getEncoder().encodeToString(mac.doFinal(("POST\n\n" + type + "\n" + date
                + "\nx-mq-version:2015-06-06\n" + target).getBytes(StandardCharsets.UTF_8)));
        String xml = "<?xml version=\"1.0\" encoding=\"UTF-8\"?><Message xmlns=\"http://mq.aliyuncs.com/doc/v1\"><MessageBody>"
                + new String(BODY, StandardCharsets.UTF_8) + "</MessageBody></Message>";
        java.net.http.HttpResponse<byte[]> answer = raw.send(java.net.http.HttpRequest.newBuilder(
                        java.net.URI.create("http://127.0.0.1:" + context.bridge().port() + target))
                .header("Content-Type", type).header("Date", date).header("x-mq-version", "2015-06-06")
                .header("Authorization", "MQ " + context.accessKeyId() + ":" + signature)
                .POST(java.net.http.HttpRequest.BodyPublishers.ofString(xml)).build(), java.net.http.HttpResponse.BodyHandlers.ofByteArray());
        expect(answer.statusCode() == 201, "201, not " + answer.statusCode() + " " + new String(answer.body(), StandardCharsets.UTF_8));
        return answer.body();
    }

    private void directSend() throws Exception {
        expect(producer.send(new Message(instance + "%Direct", BODY)).getSendStatus() == SendStatus.SEND_OK, "SEND_OK");
    }

    /** {@link #PER_THREAD} publishes on each thread at once: messages/s over the round, and the p99 of one publish. */
    private static Run publishRound(ExecutorService pool, Call publish) throws Exception {
        CyclicBarrier start = new CyclicBarrier(THREADS);
        List<Future<List<Double>>> futures = new ArrayList<>();
        long begin = System.nanoTime();
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
        Collections.sort(all);
        return new Run(all.size(), all.size() / seconds, ConcurrentLatency.percentile(all, 0.50), ConcurrentLatency.percentile(all, 0.99));
    }

    /** Every thread consumes and acks until {@code count} messages are done: messages/s until the last ack. */
    private static double consumeRound(ExecutorService pool, int count, Batch batch) throws Exception {
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
        return count / ((end.get() - begin) / 1e9);
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
        String topic = instance + "%Direct";
        String group = instance + "%GID_bench_pop";
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
        return result.getMsgFoundList().size();
    }

    private static void expect(boolean condition, String what) {
        if (!condition) {
            throw new IllegalStateException("unexpected answer: expected " + what);
        }
    }
}
